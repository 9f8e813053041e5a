"""`kudos mine export` in Teams: a bot can't hand over files without Teams'
file-consent flow, so the brag file comes as a card in the personal chat,
its Markdown and CSV shown in full (up to a card's size)."""

from __future__ import annotations

import pytest

from adapters.teams.app import TeamsApp
from bot.core import Tandem
from scheduler.delivery import deliver_due
from tests.teams.conftest import MockConnector, TeamsChat, card_of, card_text
from tests.teams.payloads import ANN, SAM, installed_in_personal_chat


@pytest.fixture
def core(sqlite_core: Tandem) -> Tandem:
    """SQLite only: the Teams edge is what's tested here."""
    return sqlite_core


async def test_the_brag_file_comes_as_a_card_in_your_personal_chat(
        chat: TeamsChat, core: Tandem, teams: TeamsApp, connector: MockConnector) -> None:
    await chat.send(installed_in_personal_chat(SAM, service_url=connector.url))
    sam, entity = SAM.mention()
    await chat.say(ANN, f"kudos {sam} thanks for the demo", entities=[entity], service_url=connector.url)
    await deliver_due(core.engine, {"teams": teams.port}, core.clock)
    connector.calls.clear()
    [reply] = await chat.say(SAM, "kudos mine export", service_url=connector.url)
    assert "on its way to your direct messages" in card_text(card_of(reply))
    await deliver_due(core.engine, {"teams": teams.port}, core.clock)
    [sent] = connector.delivered()
    assert sent.conversation_id == "a:personal-sam"
    shown = card_text(sent.card)
    assert "kudos-sam-roy-2026-11-23.md" in shown and "# Kudos for Sam Roy" in shown.replace("\\", "")
    assert "date,from,why,values,request" in shown
