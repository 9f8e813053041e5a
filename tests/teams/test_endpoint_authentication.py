"""With an app password configured, `/api/messages` wants a Bot Framework
token: no token, a malformed one or a forged one gets 401 and changes
nothing; a token signed by the (here: mock) Bot Framework key is accepted.

The mock (tests/teams/microsoft_mock.py) publishes its OpenID metadata and
signing key from a thread, because botbuilder fetches them with blocking
`requests` calls."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import aiohttp
import jwt
import pytest
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import func
from sqlmodel import Session, select

from adapters.config import Config
from adapters.server import build_app
from adapters.teams.app import mount
from bot.core import Tandem
from storage.conversations import ConversationReference
from storage.models import Kudos, Person
from tests.teams.conftest import APP_ID
from tests.teams.microsoft_mock import ISSUER, MicrosoftMock
from tests.teams.payloads import ANN, SAM, TENANT, installed_in_personal_chat, message

SERVICE_URL = "http://127.0.0.1:9/"


@pytest.fixture
def locked_config() -> Config:
    return Config(teams_app_id=APP_ID, teams_app_password="s3cret", teams_app_tenant_id=TENANT)


@pytest.fixture(scope="module")
def signing_key() -> Any:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def openid_url(signing_key: Any) -> Iterator[str]:
    """Bot Framework's OpenID metadata and JWKS, publishing `signing_key` as kid "bf-key"."""
    mock = MicrosoftMock(signing_key).start()
    yield mock.openid_url
    mock.stop()


async def _serve(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/api/messages"  # type: ignore[union-attr]


@pytest.fixture
async def locked(core: Tandem, locked_config: Config, openid_url: str) -> AsyncIterator[str]:
    """The endpoint with a password, checking tokens against the mock Bot Framework keys."""
    app = build_app(core, Config())
    mount(app, core, locked_config, TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL=openid_url,
          TO_BOT_FROM_CHANNEL_TOKEN_ISSUER=ISSUER, TO_CHANNEL_FROM_BOT_OAUTH_SCOPE="https://api.botframework.com",
          TO_CHANNEL_FROM_BOT_LOGIN_URL=f"https://login.microsoftonline.com/{TENANT}")
    runner, url = await _serve(app)
    yield url
    await runner.cleanup()


def _token(key: Any, *, kid: str = "bf-key", audience: str = APP_ID, service_url: str = SERVICE_URL) -> str:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": audience, "serviceurl": service_url, "nbf": now - 60, "exp": now + 3600}
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})


async def _post(url: str, body: dict[str, Any], token: str | None) -> int:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with aiohttp.ClientSession() as http:
        async with http.post(url, json=body, headers=headers) as response:
            return response.status


def _nothing_changed(core: Tandem) -> None:
    with Session(core.engine) as session:
        assert session.exec(select(func.count()).select_from(Person)).one() == 0
        assert session.exec(select(func.count()).select_from(Kudos)).one() == 0
        assert session.exec(select(func.count()).select_from(ConversationReference)).one() == 0


def _kudos() -> dict[str, Any]:
    shown, entity = SAM.mention()
    return message(ANN, f"kudos {shown} thanks", entities=[entity], service_url=SERVICE_URL)


async def test_without_a_token_an_activity_gets_401_and_changes_nothing(core: Tandem, locked_config: Config) -> None:
    runner, url = await _serve(build_app(core, locked_config))
    try:
        assert await _post(url, _kudos(), None) == 401
        assert await _post(url, _kudos(), "not-a-jwt") == 401
        assert await _post(url, _kudos(), "abc.def.ghi") == 401
    finally:
        await runner.cleanup()
    _nothing_changed(core)


async def test_a_token_signed_with_someone_elses_key_gets_401(locked: str, core: Tandem) -> None:
    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert await _post(locked, _kudos(), _token(forger)) == 401
    assert await _post(locked, _kudos(), _token(forger, kid="forger-key")) == 401
    assert await _post(locked, _kudos(), jwt.encode({"iss": ISSUER, "aud": APP_ID}, "secret", algorithm="HS256",
                                                    headers={"kid": "bf-key"})) == 401
    _nothing_changed(core)


async def test_a_genuine_token_for_another_bot_or_service_url_gets_401(locked: str, core: Tandem,
                                                                       signing_key: Any) -> None:
    assert await _post(locked, _kudos(), _token(signing_key, audience="another-bot")) == 401
    assert await _post(locked, _kudos(), _token(signing_key, service_url="https://evil.example/")) == 401
    _nothing_changed(core)


async def test_a_genuine_bot_framework_token_is_accepted(locked: str, core: Tandem, signing_key: Any) -> None:
    installed = installed_in_personal_chat(SAM, service_url=SERVICE_URL)
    assert await _post(locked, installed, _token(signing_key)) == 201
    with Session(core.engine) as session:
        assert session.exec(select(ConversationReference.key).where(ConversationReference.kind == "personal")).all() \
            == ["aad-sam"]
