"""What botbuilder would redo for every message, done once: the bot's own
token for the Bot Connector is fetched from Entra ID once and reused while it
lasts (botbuilder made new credentials, so a new token, for each reply), and
msrest's retry policy, built for every connector client, still retries
exactly the statuses it did, for a fraction of the CPU; and every turn gets
the same user-token client instead of a new one."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web
from botframework.connector.auth import ClaimsIdentity, microsoft_app_credentials
from msrest.universal_http.requests import ClientRetryPolicy

from adapters.config import Config
from adapters.server import build_app
from adapters.teams.app import build, mount
from adapters.teams.botframework import cheaper_retry_policy
from bot.core import Tandem
from tests.teams.conftest import APP_ID, MockConnector
from tests.teams.microsoft_mock import ACCESS_TOKEN, MicrosoftMock, local_msal_app, public_cloud_settings
from tests.teams.payloads import ANN, SAM, TENANT, message


@pytest.fixture
def microsoft(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[MicrosoftMock]:
    mock = MicrosoftMock().start()
    monkeypatch.setattr(microsoft_app_credentials, "ConfidentialClientApplication", local_msal_app(mock.login_url))
    yield mock
    mock.stop()


@pytest.fixture
async def endpoint(core: Tandem, microsoft: MicrosoftMock) -> AsyncIterator[str]:
    """`/api/messages` with a password: tokens checked against the mock's keys, the bot's own from its Entra ID."""
    config = Config(teams_app_id=APP_ID, teams_app_password="s3cret", teams_app_tenant_id=TENANT)
    app = build_app(core, Config())
    mount(app, core, config, **public_cloud_settings(microsoft.openid_url))
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/api/messages"  # type: ignore[union-attr]
    await runner.cleanup()


async def test_replies_from_several_turns_share_one_token_from_entra_id(
        endpoint: str, microsoft: MicrosoftMock, connector: MockConnector) -> None:
    token = microsoft.signed_token(audience=APP_ID, service_url=connector.url)
    async with aiohttp.ClientSession() as http:
        for who in (ANN, SAM, ANN):
            body = message(who, "help", service_url=connector.url)
            async with http.post(endpoint, json=body, headers={"Authorization": f"Bearer {token}"}) as response:
                assert response.status == 201
    replies = connector.delivered()
    assert len(replies) == 3
    assert {reply.authorization for reply in replies} == {f"Bearer {ACCESS_TOKEN}"}
    assert microsoft.token_requests == 1


def test_the_cheaper_retry_policy_retries_the_same_statuses() -> None:
    as_shipped = [i for i in range(500) if i != 408] + [501, 505]
    cheaper_retry_policy()
    assert ClientRetryPolicy().policy.status_forcelist == [i for i in range(999) if i not in as_shipped]
    assert 408 in ClientRetryPolicy().policy.status_forcelist and 404 not in ClientRetryPolicy().policy.status_forcelist


async def test_turns_share_one_user_token_client(core: Tandem) -> None:
    config = Config(teams_app_id=APP_ID, teams_app_password="s3cret", teams_app_tenant_id=TENANT)
    authentication = build(core, config).adapter.bot_framework_authentication
    claims = ClaimsIdentity({"aud": APP_ID, "appid": APP_ID}, True)
    first = await authentication.create_user_token_client(claims)
    assert await authentication.create_user_token_client(ClaimsIdentity({"aud": APP_ID}, True)) is first
    assert await authentication.create_user_token_client(ClaimsIdentity({"appid": APP_ID}, True)) is first
