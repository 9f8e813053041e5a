"""A title typed in Teams with a bidirectional override is shown without it."""

from __future__ import annotations

import pytest

from tests.teams.conftest import TeamsChat, card_of, card_text
from tests.teams.payloads import ANN


@pytest.fixture
def db_url(tmp_path) -> str:  # type: ignore[no-untyped-def]
    return f"sqlite:///{tmp_path}/tandem.db"


async def test_a_request_title_with_an_override_is_shown_clean_in_its_card(chat: TeamsChat) -> None:
    await chat.say(ANN, 'tandem team add it "IT Help"')
    replies = await chat.say(ANN, "ask it reset the \u202enpv\u200b please")
    shown = card_text(card_of(replies[0]))
    assert "Request #1" in shown
    everything = str(card_of(replies[0])) + str(replies[0].summary)
    assert "\u202e" not in everything and "\u200b" not in everything
    listed = card_text(card_of((await chat.say(ANN, "requests mine"))[0]))
    assert "reset the npv please" in listed
