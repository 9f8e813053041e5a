"""Editing a request's title or due date: the requester or the team, the
card updated in place, the other side told, a finished request refused."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlmodel import Session, select

from bot.core import Tandem
from storage.models import RequestEvent
from tests.helpers import command, ok, person, say
from tests.test_assign_and_move import desk, notes, request  # noqa: F401  (the fixture)
from tests.test_permission_table import fingerprint


def test_the_requester_moves_the_due_date_and_the_card_updates_in_place(desk: Tandem) -> None:  # noqa: F811
    ok(desk, "kim", "/requests 1 claim")
    out = ok(desk, "bob", "/requests 1 edit due friday")
    assert out.startswith("#1: due Fri 27 Nov, 17:00") and "read from “friday”" in out
    req = request(desk)
    assert req.due_at == datetime(2026, 11, 27, 17, 0, tzinfo=timezone.utc) and req.due_requested
    sent = notes(desk)
    cards = [n for n in sent if n.kind == "request_card"]
    assert cards[-1].replace and cards[-1].address == "it-help" and "Fri 27 Nov" in cards[-1].message_json
    assert any(n.address == "it-help" and n.in_thread and "changed #1: due Fri 27 Nov" in n.message_json
               for n in sent)
    assert any(n.address == "kim" and "changed #1" in n.message_json for n in sent)


def test_the_team_fixes_the_title_and_the_requester_is_told(desk: Tandem) -> None:  # noqa: F811
    assert ok(desk, "kim", "/requests 1 edit title VPN access for the Lisbon office") == \
        "#1: the title is now “VPN access for the Lisbon office”."
    assert request(desk).title == "VPN access for the Lisbon office"
    assert any(n.address == "bob" and "changed #1: the title is now" in n.message_json for n in notes(desk))
    with Session(desk.engine) as session:
        event = session.exec(select(RequestEvent).where(RequestEvent.kind == "edit")).one()
    assert event.note == "title: “vpn access” → “VPN access for the Lisbon office”"


@pytest.mark.parametrize("who, line, says", [
    ("bob", "/requests 1 edit", "Change what?"),
    ("bob", "/requests 1 edit colour blue", "Change what?"),
    ("bob", "/requests 1 edit title", "A title needs some text"),
    ("bob", "/requests 1 edit due", "Due when?"),
    ("bob", "/requests 1 edit due someday", "someday"),
    ("bob", "/requests 1 edit title vpn access", "already says that"),
    ("carol", "/requests 1 edit title mine now", "Only its requester (@bob), IT Help's lead (@alice) or members"),
])
def test_bad_edits_are_refused_politely_and_change_nothing(desk: Tandem, who: str, line: str,  # noqa: F811
                                                           says: str) -> None:
    before = fingerprint(desk.engine)
    assert not desk.run_command(command(who, line)).ok
    assert says in say(desk, who, line)
    assert fingerprint(desk.engine) == before


def test_editing_a_finished_request_is_refused_and_changes_nothing(desk: Tandem) -> None:  # noqa: F811
    ok(desk, "kim", "/requests 1 done")
    before = fingerprint(desk.engine)
    assert "#1 is done, so it can't be edited now." in say(desk, "bob", "/requests 1 edit due friday")
    assert fingerprint(desk.engine) == before


def test_a_new_due_date_on_a_closed_day_moves_like_a_filed_one(desk: Tandem) -> None:  # noqa: F811
    desk.introduce(person("bob"))
    ok(desk, "alice", "/tandem team edit it closed 2026-12-24..2026-12-31")
    ok(desk, "bob", "/requests 1 edit due 2026-12-28")
    assert request(desk).due_at == datetime(2026, 12, 23, 17, 0, tzinfo=timezone.utc)


async def test_edit_and_move_in_the_terminal(sqlite_chat) -> None:  # type: ignore[no-untyped-def]
    chat = sqlite_chat
    await chat.as_("alice")
    await chat('/tandem team add it "IT Help"')
    await chat('/tandem team add fin "Finance"')
    await chat.as_("bob")
    await chat("/ask it printer toner")
    assert "#1: the title is now “printer toner, floor 2”." in await chat("/requests 1 edit title printer toner, floor 2")
    await chat.as_("alice")
    out = await chat("/requests 1 move fin wrong team")
    assert "#1 is now with Finance" in out and "moved your request #1 to Finance" in out
    assert "moved #1 here" in out
