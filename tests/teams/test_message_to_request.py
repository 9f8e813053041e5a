""""Turn into request" in Teams: the message action (composeExtensions, an
action command in the app manifest) files the message as a request to the
team whose channel it is in, from its author, with a link back; the card goes
into the message's thread over the Bot Connector mock."""

from __future__ import annotations

import pytest
from botbuilder.schema import ActivityTypes
from sqlmodel import Session, select

from adapters.teams.app import TeamsApp
from bot.core import Tandem
from scheduler.delivery import deliver_due
from storage.models import Person, Request
from tests.teams.conftest import MockConnector, TeamsChat, card_text
from tests.teams.payloads import ANN, GENERAL, IT_CHANNEL, KIM, SAM, channel_mention, turn_into_request


@pytest.fixture
def core(sqlite_core: Tandem) -> Tandem:
    """SQLite only: the Teams edge is what's tested (the receipts run on both databases in tests/slack)."""
    return sqlite_core


async def it_team(chat: TeamsChat, url: str) -> None:
    await chat.say(ANN, 'tandem team add it "IT Help"', channel=IT_CHANNEL, service_url=url)
    shown, entity = channel_mention(IT_CHANNEL, "IT help")
    await chat.say(ANN, f"tandem team edit it channel {shown}", entities=[entity], channel=IT_CHANNEL, service_url=url)


def filed(core: Tandem) -> list[tuple[str, str]]:
    with Session(core.engine) as session:
        return [(session.get(Person, r.requester_id).user_id, r.title)  # type: ignore[union-attr]
                for r in session.exec(select(Request).order_by(Request.id))]


async def test_turn_into_request_files_the_message_with_its_card_in_the_thread(
        chat: TeamsChat, core: Tandem, teams: TeamsApp, connector: MockConnector) -> None:
    await it_team(chat, connector.url)
    await deliver_due(core.engine, {"teams": teams.port}, core.clock)
    connector.calls.clear()
    invoke = turn_into_request(KIM, author=SAM, html="<p>My VPN drops &amp; reconnects <b>every hour</b></p>",
                               channel=IT_CHANNEL, message_id="1700000000777", service_url=connector.url,
                               note="since Monday")
    sent = await chat.send(invoke)
    [response] = [a for a in sent if a.type == ActivityTypes.invoke_response]
    assert response.value.status == 200
    assert "as request #1 for IT Help" in response.value.body["task"]["value"]
    [(requester, title)] = filed(core)
    assert requester == "aad-sam"
    assert title == ("My VPN drops & reconnects every hour since Monday — "
                     f"https://teams.microsoft.com/l/message/{IT_CHANNEL}/1700000000777")
    await deliver_due(core.engine, {"teams": teams.port}, core.clock)
    thread = [c for c in connector.delivered() if c.conversation_id == f"{IT_CHANNEL};messageid=1700000000777"]
    assert len(thread) == 1 and "My VPN drops" in card_text(thread[0].card)
    again = await chat.send(invoke)  # Teams retrying the same invoke
    assert [a for a in again if a.type == ActivityTypes.invoke_response]
    assert len(filed(core)) == 1


async def test_turn_into_request_outside_a_teams_channel_says_why(chat: TeamsChat, core: Tandem) -> None:
    sent = await chat.send(turn_into_request(KIM, author=SAM, html="<p>lunch?</p>", channel=GENERAL,
                                             message_id="1700000000888"))
    [response] = [a for a in sent if a.type == ActivityTypes.invoke_response]
    assert "isn't where any team takes requests" in response.value.body["task"]["value"]
    assert filed(core) == []


def test_the_app_manifest_declares_the_message_action() -> None:
    """What Teams shows in a message's "…" → More actions (the schema check is in test_teams_package)."""
    import json
    from pathlib import Path

    from adapters.teams.activities import TURN_INTO_REQUEST

    manifest = json.loads((Path(__file__).resolve().parents[2] / "teams" / "manifest.json").read_text())
    [extension] = manifest["composeExtensions"]
    assert extension["botId"] == manifest["bots"][0]["botId"]
    [command] = extension["commands"]
    assert (command["id"], command["type"], command["context"], command["title"]) == \
        (TURN_INTO_REQUEST, "action", ["message"], "Turn into request")
