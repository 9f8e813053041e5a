"""Several workspaces: with SLACK_CLIENT_ID/SECRET the OAuth install flow
(/slack/install) works, the installation is kept in Tandem's own database by
slack_sdk's SQLAlchemy store (tables from migration 0101), and each
workspace is then served with its own bot token."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from urllib.parse import parse_qs, urlparse

import aiohttp
import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet
from sqlmodel import Session, select

from adapters.server import DELIVERER, build_app
from adapters.slack.app import SLACK
from bot.core import Tandem
from storage import slack_installations
from storage.models import Person
from storage.token_crypto import PREFIX, TokenCipher
from tests.slack import payloads
from tests.slack.conftest import SlackHarness, serve, slack_config
from tests.slack.mock_web_api import MockSlackApi

CLIENT_ID = "111.222"
SECRET_KEY = Fernet.generate_key().decode()  # TANDEM_SECRET_KEY: the stored bot tokens are encrypted with it
SECOND_TEAM = "T0SECOND"
EVE = "U0EVE"


@pytest.fixture
async def distributed(core: Tandem, slack_api: MockSlackApi) -> AsyncIterator[SlackHarness]:
    slack_api.add_user(EVE, "Eve Moss", "Europe/Berlin")
    config = slack_config(slack_api, slack_bot_token=None, slack_client_id=CLIENT_ID,
                          slack_client_secret="client-secret", secret_key=SECRET_KEY)
    app = build_app(core, config)
    runner, url = await serve(app)
    async with aiohttp.ClientSession() as session:
        yield SlackHarness(url=url, adapter=app[SLACK], api=slack_api, core=core, session=session,
                           deliverer=app[DELIVERER])
    await runner.cleanup()


async def _install(slack: SlackHarness) -> aiohttp.ClientResponse:
    async with slack.session.get(slack.url + "/slack/install") as page:
        assert page.status == 200
        html = await page.text()
        cookie = page.headers["Set-Cookie"].split(";", 1)[0]
    authorize = re.search(r'href="(https://slack\.com/oauth/v2/authorize\?[^"]+)"', html)
    assert authorize, html
    query = parse_qs(urlparse(authorize.group(1).replace("&amp;", "&")).query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["scope"] == ["commands,chat:write,chat:write.public,files:write,im:write,users:read,"
                              "channels:history,groups:history,reactions:read"]
    state = query["state"][0]
    async with slack.session.get(slack.url + f"/slack/oauth_redirect?code=the-code&state={state}",
                                 headers={"Cookie": cookie}) as done:
        await done.read()
        return done


async def test_the_install_flow_stores_the_workspace_and_its_bot_token(distributed: SlackHarness) -> None:
    done = await _install(distributed)
    assert done.status == 200
    assert distributed.api.of("oauth.v2.access")[0]["code"] == "the-code"
    token = slack_installations.bot_token(distributed.core.engine, client_id=CLIENT_ID, tenant=SECOND_TEAM,
                                          cipher=TokenCipher(SECRET_KEY))
    assert token == "xoxb-installed-token"
    with distributed.core.engine.connect() as connection:
        teams = connection.execute(sa.select(slack_installations.slack_installations.c.team_id)).scalars().all()
        stored = [*connection.execute(sa.select(slack_installations.slack_installations.c.bot_token)).scalars(),
                  *connection.execute(sa.select(slack_installations.slack_bots.c.bot_token)).scalars()]
    assert teams == [SECOND_TEAM]
    assert len(stored) == 2 and all(s.startswith(PREFIX) and "xoxb" not in s for s in stored)  # encrypted at rest


async def test_an_install_with_a_forged_state_is_refused(distributed: SlackHarness) -> None:
    async with distributed.session.get(distributed.url + "/slack/oauth_redirect?code=x&state=forged") as done:
        assert done.status == 400
    assert distributed.api.of("oauth.v2.access") == []
    assert slack_installations.bot_token(distributed.core.engine, client_id=CLIENT_ID, tenant=SECOND_TEAM) is None


async def test_an_installed_workspace_is_served_with_its_own_token(distributed: SlackHarness) -> None:
    await _install(distributed)
    distributed.api.clear()
    body = payloads.slash_command("/kudos", "<@U0ANA|ana> thanks", user_id=EVE, team_id=SECOND_TEAM,
                                  response_url=distributed.api.response_url("oauth1"))
    response = await distributed.post(body)
    await distributed.settle()
    assert response.status == 200
    posted = [c for c in distributed.api.calls if c.method == "chat.postMessage"]
    assert posted and {c.token for c in posted} == {"xoxb-installed-token"}
    assert {c.token for c in distributed.api.calls if c.method == "users.info"} == {"xoxb-installed-token"}


async def test_a_workspace_that_never_installed_tandem_is_told_and_nothing_changes(
        distributed: SlackHarness) -> None:
    body = payloads.slash_command("/tandem", "team add it", user_id=EVE, team_id="T0UNKNOWN",
                                  response_url=distributed.api.response_url("uninstalled"))
    response = await distributed.post(body)
    await distributed.settle()
    assert response.status == 200
    told = distributed.replies()
    assert len(told) == 1 and "install" in told[0]["text"].lower()
    assert distributed.api.of("users.info") == []
    with Session(distributed.core.engine) as session:
        assert session.exec(select(Person)).all() == []
