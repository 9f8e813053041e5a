"""`POST /api/messages` on the real aiohttp server of `tandem serve`, fed Bot
Framework activity JSON; with no app password configured (the emulator
set-up) botbuilder skips token checks, and replies travel back over HTTP to
the conversation's service URL — here a mock Bot Connector."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from sqlmodel import Session, select

from adapters.appkeys import PORTS
from adapters.config import Config
from adapters.server import DELIVERER, build_app
from bot.core import Tandem
from storage.conversations import ConversationReference
from storage.models import Kudos
from tests.teams.conftest import MockConnector, card_text
from tests.teams.payloads import ANN, SAM, message


@pytest.fixture
def app(core: Tandem, teams_config: Config) -> web.Application:
    return build_app(core, teams_config)


@pytest.fixture
async def server(app: web.Application) -> AsyncIterator[str]:
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
    await runner.cleanup()


async def _post(url: str, body: Any, **headers: str) -> int:
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{url}/api/messages", json=body, headers=headers) as response:
            return response.status


async def test_the_teams_port_is_registered_for_the_delivery_job(core: Tandem, teams_config: Config) -> None:
    app = build_app(core, teams_config)
    assert app[PORTS]["teams"].platform == "teams"
    assert not build_app(core, Config())[PORTS]


async def test_activity_json_runs_the_command_and_the_reply_card_reaches_the_connector(
        server: str, connector: MockConnector, core: Tandem) -> None:
    shown, entity = SAM.mention()
    activity = message(ANN, f"kudos {shown} thanks for the demo", entities=[entity], service_url=connector.url)
    assert await _post(server, activity) == 201
    [reply] = [c for c in connector.calls if c.activity_id == activity["id"]]  # the answer to it, not deliveries
    assert (reply.method, reply.conversation_id, reply.activity_id) == ("POST", "a:personal-ann", activity["id"])
    assert "Sent! Sam Roy will hear about it." in card_text(reply.card)
    with Session(core.engine) as session:
        assert session.exec(select(Kudos.message)).all() == ["thanks for the demo"]
        stored = session.exec(select(ConversationReference)).all()
        assert {(r.kind, r.key) for r in stored} == {("personal", "aad-ann"), ("chat", "a:personal-ann"),
                                                     ("member", "aad-ann"), ("member", "aad-sam")}
        assert all(connector.url in r.reference_json for r in stored)


async def test_a_replayed_activity_acts_once(server: str, connector: MockConnector, core: Tandem) -> None:
    shown, entity = SAM.mention()
    activity = message(ANN, f"kudos {shown} thanks", entities=[entity], service_url=connector.url)
    assert await _post(server, activity) == 201
    assert await _post(server, activity) == 201
    with Session(core.engine) as session:
        assert len(session.exec(select(Kudos)).all()) == 1
    replies = [card_text(c.card) for c in connector.calls if c.activity_id]  # answers to the activity itself
    assert len(replies) == 2 and replies[0] == replies[1]


async def test_a_body_that_is_not_an_activity_is_refused(server: str) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{server}/api/messages", data="hello", headers={"Content-Type": "text/plain"}) as r:
            assert r.status == 415
        async with http.post(f"{server}/api/messages", data="{nope",
                             headers={"Content-Type": "application/json"}) as r:
            assert r.status == 400
    assert await _post(server, ["not", "an", "activity"]) == 400
    assert await _post(server, {"text": "no type"}) == 400


async def test_a_kudos_dm_goes_out_right_after_the_command_without_waiting_for_a_tick(
        app: web.Application, server: str, connector: MockConnector) -> None:
    """No scheduler runs here: only the deliverer the core kicks after its commit."""
    shown, entity = SAM.mention()
    await _post(server, message(SAM, "help", service_url=connector.url))
    activity = message(ANN, f"kudos {shown} thanks for the demo", entities=[entity], service_url=connector.url)
    assert await _post(server, activity) == 201
    await app[DELIVERER].settle()
    dms = [c for c in connector.delivered() if c.conversation_id == "a:personal-sam"
           and "You got kudos from Ann Lee" in card_text(c.card)]
    assert len(dms) == 1
