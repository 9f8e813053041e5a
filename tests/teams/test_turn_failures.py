"""A Teams turn that fails still answers in the conversation, with the
error id that is in the log."""

from __future__ import annotations

import re

import pytest

from bot.core import Tandem
from bot.events import Command
from bot.messages import Reply
from tests.teams.conftest import TeamsChat
from tests.teams.payloads import ANN

ERROR_ID = re.compile(r"something went wrong on my side \(error ([0-9a-f]{8})\)")


@pytest.fixture
def db_url(tmp_path) -> str:  # type: ignore[no-untyped-def]
    return f"sqlite:///{tmp_path}/tandem.db"


class EdgeBreaks(Tandem):
    async def handle_command(self, command: Command) -> Reply:
        raise RuntimeError("the worker thread went away")


@pytest.fixture
def core(engine, clock) -> Tandem:  # type: ignore[no-untyped-def]
    return EdgeBreaks(engine, clock=clock)


async def test_a_failing_turn_is_answered_with_an_apology_and_an_error_id(
        chat: TeamsChat, caplog: pytest.LogCaptureFixture) -> None:
    replies = await chat.say(ANN, "tandem help")
    assert len(replies) == 1
    found = ERROR_ID.search(replies[0].text or "")
    assert found, replies[0].text
    assert [r for r in caplog.records if found.group(1) in r.getMessage()]
    again = await chat.say(ANN, "tandem help")  # the bot keeps answering
    assert ERROR_ID.search(again[0].text or "")
