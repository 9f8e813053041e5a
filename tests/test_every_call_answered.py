"""The core answers every call: a failure inside a command rolls back, is
logged once with a short error id, and the person gets the apology with that
id; the terminal goes on to the next line.

The failures here are real: a table the command needs is gone, as after a
botched migration. SQLite only: what is tested is the core's dispatch.
"""

from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy import text
from sqlmodel import Session, func, select

from bot.core import Tandem
from bot.messages import plain
from storage.models import Kudos, Request
from tests.conftest import Chat
from tests.helpers import command, ok, person

ERROR_ID = re.compile(r"something went wrong on my side \(error ([0-9a-f]{8})\) and nothing was changed")


@pytest.fixture
def db_url(tmp_path) -> str:  # type: ignore[no-untyped-def]
    return f"sqlite:///{tmp_path}/tandem.db"


def drop(core: Tandem, table: str) -> None:
    with core.engine.begin() as connection:
        connection.execute(text(f"DROP TABLE {table}"))


def test_a_command_that_breaks_gets_the_apology_with_an_id_logged_once(
        core: Tandem, caplog: pytest.LogCaptureFixture) -> None:
    core.introduce(person("ada"))
    core.introduce(person("bob"))
    drop(core, "kudos_receiver")  # written in the same transaction as the kudos itself
    with caplog.at_level(logging.ERROR):
        reply = core.run_command(command("ada", "/kudos <@bob> thanks for the help"))
    assert reply.ok is False and reply.message is not None
    found = ERROR_ID.search(plain(reply.message.title))
    assert found, plain(reply.message.title)
    logged = [r for r in caplog.records if found.group(1) in r.getMessage()]
    # with its traceback (the redacting log filter keeps it as text)
    assert len(logged) == 1 and (logged[0].exc_info is not None or logged[0].exc_text)
    with Session(core.engine) as session:  # rolled back: no kudos without its values
        assert session.exec(select(func.count()).select_from(Kudos)).one() == 0


def test_a_button_and_a_form_that_break_get_the_apology(core: Tandem) -> None:
    core.introduce(person("ada"))
    ok(core, "ada", '/tandem team add it "IT Help"')
    ok(core, "ada", "/ask it new laptop")
    drop(core, "request_event")
    from tests.helpers import press

    reply = core.run_action(press("ada", "request.claim", "1", key="c1"))
    assert ERROR_ID.search(plain(reply.message.title)) if reply.message else False
    from bot.events import FormSubmission
    from tests.helpers import PLACE

    submitted = core.run_form(FormSubmission(actor=person("ada"), place=PLACE, form_id="ask",
                                             values={"team": "it", "what": "a chair"}, submission_id="f1"))
    assert submitted.ok is False and ERROR_ID.search(plain(submitted.message.title)) if submitted.message else False
    with Session(core.engine) as session:
        assert session.exec(select(func.count()).select_from(Request)).one() == 1


async def test_the_terminal_answers_a_broken_command_and_reads_the_next_line(chat: Chat, core: Tandem) -> None:
    await chat.as_("ada")
    await chat('/tandem team add it "IT Help"')
    drop(core, "request_event")
    printed = await chat("/ask it new laptop")
    assert ERROR_ID.search(printed), printed
    assert "help" in (await chat("/tandem help")).lower()


@pytest.mark.parametrize("line, expected", [
    ("/ask it thing by 9999-12-31", "too far ahead"),
    ("/ask it thing by 2099-01-01", "too far ahead"),
    ("/ask it x by in 100000 days", "too far ahead"),
    ("/ask it thing by 0001-01-01", "already gone by"),
    ("/tandem team edit it resolution 100000d", "longer than I keep"),
    ("/tandem team edit it response 99999999999999999999h", "longer than I keep"),
    ("/tandem me timezone " + "x" * 5000, "not a time zone I know"),
    ("/ask it thing by tomorrow 25pm", "doesn't exist (25pm)"),
    ("/ask it by friday", "what do you need from IT Help?"),
    ("/requests 1 rate ²", "A rating is a whole number from 1 to 5"),
])
def test_the_issues_crashing_inputs_are_refused_politely(core: Tandem, line: str, expected: str) -> None:
    core.introduce(person("ada"))
    ok(core, "ada", '/tandem team add it "IT Help"')
    ok(core, "ada", "/ask it a request to rate")
    with Session(core.engine) as session:
        before = session.exec(select(func.count()).select_from(Request)).one()
    reply = core.run_command(command("ada", line))
    assert reply.ok is False and reply.message is not None
    assert expected in plain(reply.message.title), plain(reply.message.title)
    assert len(plain(reply.message.title)) < 400  # a 5,000-character echo is cut
    with Session(core.engine) as session:
        assert session.exec(select(func.count()).select_from(Request)).one() == before
