"""Assigning a request to someone in the team, and moving it to the team
that should have had it: who is told, what the clock does, where the card
goes, and the bad input that changes nothing."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlmodel import Session, select

from bot.core import Tandem
from storage.models import Notification, Request, RequestEvent
from tests.helpers import command, join, ok, person, say
from tests.test_permission_table import fingerprint


@pytest.fixture
def desk(sqlite_core: Tandem) -> Tandem:
    """IT Help (lead alice, member kim, lee) in #it-help; Finance (lead fay) in #finance; bob asks."""
    core = sqlite_core
    for name in ("alice", "kim", "bob", "carol", "fay"):
        core.introduce(person(name))
    ok(core, "alice", '/tandem team add it "IT Help"')
    ok(core, "alice", "/tandem team edit it channel #it-help")
    ok(core, "alice", '/tandem team add fin "Finance" <@fay>')
    ok(core, "fay", "/tandem team edit fin channel #finance")
    ok(core, "fay", "/tandem team edit fin first-response 2h")
    ok(core, "fay", "/tandem team edit fin resolution 1d")
    join(core, "it", "kim")
    join(core, "it", "lee")
    ok(core, "bob", "/ask it vpn access")
    return core


def request(core: Tandem, number: int = 1) -> Request:
    with Session(core.engine) as session:
        found = session.get(Request, number)
        assert found is not None
        return found


def notes(core: Tandem) -> list[Notification]:
    with Session(core.engine) as session:
        return list(session.exec(select(Notification).order_by(Notification.id)).all())


def test_a_member_assigns_an_open_request_to_a_teammate_who_is_told(desk: Tandem) -> None:
    assert ok(desk, "kim", "/requests 1 assign <@lee>") == "#1 is now with @lee."
    req = request(desk)
    assert req.status == "claimed" and req.assignee_id is not None and req.first_response_at is not None
    sent = notes(desk)
    assert any(n.address == "lee" and "gave you #1" in n.message_json for n in sent)
    assert any(n.address == "bob" and "is on your request #1" in n.message_json for n in sent)
    cards = [n for n in sent if n.topic == "request:1" and n.kind == "request_card"]
    assert cards[-1].replace and cards[-1].address == "it-help" and "\"name\":\"lee\"" in cards[-1].message_json


def test_at_me_takes_a_request_over_and_the_previous_holder_hears_of_it(desk: Tandem) -> None:
    ok(desk, "kim", "/requests 1 claim")
    ok(desk, "kim", "/requests 1 start")
    assert ok(desk, "alice", "/requests 1 assign @me") == "#1 is now with you."
    req = request(desk)
    assert req.status == "in_progress"  # a takeover keeps the work where it was
    assert any(n.address == "kim" and "took over #1 from you" in n.message_json for n in notes(desk))


def test_claim_naming_someone_assigns_them_instead_of_ignoring_the_name(desk: Tandem) -> None:
    assert ok(desk, "alice", "/requests 1 claim <@kim>") == "#1 is now with @kim."
    with Session(desk.engine) as session:
        kinds = [e.kind for e in session.exec(select(RequestEvent).order_by(RequestEvent.id)).all()]
    assert kinds == ["filed", "assign"]


@pytest.mark.parametrize("line, says", [
    ("/requests 1 assign <@carol>", "@carol isn't in IT Help, so they can't hold its requests"),
    ("/requests 1 assign <@fay>", "@fay isn't in IT Help"),
    ("/requests 1 assign", "Assign #1 to whom?"),
    ("/requests 1 assign <@kim> <@lee>", "One person holds a request"),
    ("/requests 1 claim <@carol>", "@carol isn't in IT Help"),
    ("/requests 1 assign <@nobody>", "I don't know @nobody"),
])
def test_assigning_to_an_outsider_or_nobody_is_refused_and_changes_nothing(desk: Tandem, line: str,
                                                                          says: str) -> None:
    before = fingerprint(desk.engine)
    assert not desk.run_command(command("kim", line)).ok
    assert says in say(desk, "kim", line)
    assert fingerprint(desk.engine) == before


def test_assigning_to_who_already_holds_it_says_so(desk: Tandem) -> None:
    ok(desk, "kim", "/requests 1 claim")
    assert "#1 is already with @kim." in say(desk, "alice", "/requests 1 assign <@kim>")


def test_a_move_tells_everyone_restarts_the_clock_and_moves_the_card(desk: Tandem, clock) -> None:  # type: ignore[no-untyped-def]
    ok(desk, "kim", "/requests 1 claim")
    clock.advance(hours=2)  # Monday 12:00
    out = ok(desk, "kim", "/requests 1 move fin it's an invoice question")
    assert out == "#1 is now with Finance; the requester and both teams have been told."
    req = request(desk)
    assert req.status == "open" and req.assignee_id is None and req.first_response_at is None
    # Finance's standard from Monday 12:00: first response in 2 working hours, resolution in 1 working day.
    assert req.first_response_due_at == datetime(2026, 11, 23, 14, 0, tzinfo=timezone.utc)
    assert req.due_at == datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)
    sent = notes(desk)
    old_card = [n for n in sent if n.address == "it-help" and n.kind == "request_card"][-1]
    assert old_card.replace and "Moved to Finance" in old_card.message_json and '"buttons":[]' in old_card.message_json
    assert any(n.address == "it-help" and n.in_thread and "moved #1 to Finance" in n.message_json for n in sent)
    new_card = [n for n in sent if n.address == "finance" and n.kind == "request_card"]
    assert len(new_card) == 1 and '"Claim"' in new_card[0].message_json
    assert any(n.address == "finance" and n.in_thread and "moved #1 here" in n.message_json for n in sent)
    told = [n for n in sent if n.address == "bob" and "moved your request #1 to Finance" in n.message_json]
    assert len(told) == 1 and "invoice question" in told[0].message_json
    # the new team owns it now; the old one doesn't
    assert ok(desk, "fay", "/requests 1 claim") == "#1 is yours."


def test_a_due_date_the_requester_asked_for_survives_a_move(desk: Tandem) -> None:
    ok(desk, "bob", "/ask it new laptop by friday")
    ok(desk, "kim", "/requests 2 move fin")
    assert request(desk, 2).due_at == datetime(2026, 11, 27, 17, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("who, line, says", [
    ("kim", "/requests 1 move it", "#1 is already with IT Help; nothing changed."),
    ("kim", "/requests 1 move payroll", "There is no team called “payroll”. Teams: fin, it."),
    ("kim", "/requests 1 move", "Move #1 to which team?"),
    ("fay", "/requests 1 move fin", "Only IT Help's lead (@alice) or members of IT Help can move #1"),
    ("bob", "/requests 1 move fin", "Only IT Help's lead (@alice) or members of IT Help can move #1"),
])
def test_bad_moves_are_refused_politely_and_change_nothing(desk: Tandem, who: str, line: str, says: str) -> None:
    before = fingerprint(desk.engine)
    assert says in say(desk, who, line)
    assert fingerprint(desk.engine) == before


def test_a_finished_request_cannot_be_assigned_or_moved(desk: Tandem) -> None:
    ok(desk, "kim", "/requests 1 done")
    before = fingerprint(desk.engine)
    assert "#1 is done, so it can't be assigned now." in say(desk, "kim", "/requests 1 assign <@lee>")
    assert "#1 is done, so it can't be moved now." in say(desk, "kim", "/requests 1 move fin")
    assert fingerprint(desk.engine) == before
