"""`/kudos mine export`: every kudos a person received, as Markdown and CSV,
sent to them alone (the terminal prints it); nobody can get someone else's."""

from __future__ import annotations

import csv
import io

from sqlmodel import Session

from bot.core import Tandem
from bot.services import brag
from storage.models import Person
from tests.conftest import Chat
from tests.helpers import ok, person


def give_bob_some_kudos(core: Tandem) -> None:
    for name in ("alice", "bob", "kim"):
        core.introduce(person(name))
    ok(core, "alice", '/tandem values add ownership "Own the outcome"')
    ok(core, "alice", "/kudos <@bob> for staying late on the release #ownership")
    ok(core, "kim", "/kudos <@bob> <@alice> =HYPERLINK(\"x\") [click](http://evil) *bold*")
    ok(core, "bob", "/kudos <@kim> thanks back")


def test_the_files_hold_every_kudos_received_and_nothing_else(sqlite_core: Tandem) -> None:
    give_bob_some_kudos(sqlite_core)
    with Session(sqlite_core.engine) as session:
        bob = session.get(Person, 2)
        assert bob is not None and bob.user_id == "bob"
        count, (markdown, table) = brag.files(session, bob, now=sqlite_core.clock.now())
    assert count == 2
    assert markdown.filename.endswith(".md") and table.filename.endswith(".csv")
    assert "# Kudos for bob" in markdown.content and "2 kudos received" in markdown.content
    assert "from alice" in markdown.content and "Values: #ownership" in markdown.content
    assert "thanks back" not in markdown.content  # given, not received
    assert "\\[click\\]\\(http://evil\\) \\*bold\\*" in markdown.content  # shown, not rendered
    rows = list(csv.reader(io.StringIO(table.content)))
    assert rows[0] == ["date", "from", "why", "values", "request"]
    assert [(r[1], r[3]) for r in rows[1:]] == [("alice", "#ownership"), ("kim", "")]
    assert rows[1][0] == "2026-11-23T10:00+00:00"
    assert rows[2][2].startswith("'=HYPERLINK")  # no spreadsheet runs it


async def delivered(chat: Chat) -> None:
    """The announcements queued above go out first."""
    assert chat.deliverer is not None
    chat.deliverer.kick()
    await chat.deliverer.settle()


async def test_export_goes_to_your_own_messages_and_the_terminal_prints_it(sqlite_chat: Chat) -> None:
    give_bob_some_kudos(sqlite_chat.core)
    await sqlite_chat.as_("bob")
    await delivered(sqlite_chat)
    printed = await sqlite_chat("/kudos mine export")
    assert "Your kudos file (2 kudos, Markdown and CSV) is on its way" in printed
    assert "→ @bob:" in printed and "--- kudos-bob-2026-11-23.md ---" in printed
    assert "--- kudos-bob-2026-11-23.csv ---" in printed and "date,from,why,values,request" in printed
    assert "→ #" not in printed and "→ @alice" not in printed


async def test_nobody_gets_someone_elses_file_or_thanks_them_by_mistake(sqlite_chat: Chat) -> None:
    give_bob_some_kudos(sqlite_chat.core)
    await sqlite_chat.as_("alice")
    await delivered(sqlite_chat)
    printed = await sqlite_chat("/kudos mine export @bob")
    assert "Your own kudos only" in printed and "/kudos mine export @bob" in printed
    assert "kudos-bob" not in printed and "→ @bob" not in printed  # no file, and no kudos to bob either
