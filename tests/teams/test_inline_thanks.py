"""Inline thanks in Teams: `@Tandem @Sam++ for the demo` in a channel gives
one kudos, answered in the message's thread over the Bot Connector mock;
the same activity delivered twice gives once; a command still is a command."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from adapters.teams.app import TeamsApp
from bot.core import Tandem
from scheduler.delivery import deliver_due
from storage.models import Kudos
from tests.teams.conftest import MockConnector, TeamsChat, card_text
from tests.teams.payloads import ANN, GENERAL, KIM, SAM, bot_mention, installed_in_personal_chat, message


@pytest.fixture
def core(sqlite_core: Tandem) -> Tandem:
    """SQLite only: what is tested here is the Teams edge, not storage (the event receipts run on both
    databases in tests/slack/test_inline_thanks.py)."""
    return sqlite_core


def kudos_messages(core: Tandem) -> list[str]:
    with Session(core.engine) as session:
        return [k.message for k in session.exec(select(Kudos).order_by(Kudos.id))]


async def test_plusplus_to_tandem_in_a_channel_gives_one_kudos_answered_in_the_thread(
        chat: TeamsChat, core: Tandem, teams: TeamsApp, connector: MockConnector) -> None:
    await chat.send(installed_in_personal_chat(SAM, service_url=connector.url))
    tandem, bot_entity = bot_mention()
    sam, sam_entity = SAM.mention()
    activity = message(ANN, f"{tandem} {sam}++ for the demo #ownership", entities=[bot_entity, sam_entity],
                       channel=GENERAL, service_url=connector.url, activity_id="1700000000555")
    answered = await chat.send(activity)
    assert answered == []  # nothing said in the turn: the outbox answers in the thread
    again = await chat.send(activity)  # Teams delivering the same activity twice
    assert again == []
    assert kudos_messages(core) == ["for the demo #ownership"]
    await deliver_due(core.engine, {"teams": teams.port}, core.clock)
    thread = [c for c in connector.delivered() if c.conversation_id == f"{GENERAL};messageid=1700000000555"]
    assert len(thread) == 1 and "Kudos to Sam Roy" in card_text(thread[0].card)
    assert thread[0].card.get("msteams", {}).get("entities", []) == []  # named, not pinged


async def test_thanks_form_in_a_group_of_people(chat: TeamsChat, core: Tandem) -> None:
    tandem, bot_entity = bot_mention()
    sam, sam_entity = SAM.mention()
    kim, kim_entity = KIM.mention()
    await chat.say(ANN, f"{tandem} thanks {sam} {kim} for the release", entities=[bot_entity, sam_entity, kim_entity],
                   channel=GENERAL)
    assert kudos_messages(core) == ["for the release"]


async def test_a_mention_in_code_is_no_thanks_and_commands_stay_commands(chat: TeamsChat, core: Tandem) -> None:
    tandem, bot_entity = bot_mention()
    sam, sam_entity = SAM.mention()
    replies = await chat.say(ANN, f"{tandem} `{sam}++`", entities=[bot_entity, sam_entity], channel=GENERAL)
    assert kudos_messages(core) == []
    assert "Try /tandem help" in card_text(replies[0].attachments[0].content)  # the usual answer
    await chat.say(ANN, f"{tandem} kudos {sam} for the review", entities=[bot_entity, sam_entity], channel=GENERAL)
    assert kudos_messages(core) == ["for the review"]
