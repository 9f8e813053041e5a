"""Requests: filing with natural-language due dates, the lifecycle, rights,
privacy, the paused service clock, and every change kept as an event."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import Session, select

from bot.core import Tandem
from bot.services.clock import FrozenClock
from storage.models import Notification, Request, RequestEvent
from tests.helpers import join, person, say


@pytest.fixture
def it_team(core: Tandem) -> Tandem:
    """IT Help led by alice with kim as a member; bob and carol are other staff."""
    for name in ("alice", "kim", "bob", "carol"):
        core.introduce(person(name))
    say(core, "alice", '/tandem team add it "IT Help"')
    say(core, "alice", "/tandem team edit it channel #it-help")
    join(core, "it", "kim")
    return core


def request(core: Tandem, request_id: int = 1) -> Request:
    with Session(core.engine) as session:
        found = session.get(Request, request_id)
        assert found is not None
        return found


def test_friday_is_read_in_the_requesters_time_zone_as_the_end_of_the_working_day(it_team: Tandem) -> None:
    it_team.introduce(person("nora", tz="America/New_York"))
    out = say(it_team, "nora", "/ask it new laptop for the new hire by friday")
    assert "Request #1 is with IT Help" in out
    assert "Fri 27 Nov, 17:00 (EST)" in out
    assert request(it_team).due_at == datetime(2026, 11, 27, 22, 0, tzinfo=timezone.utc)
    assert request(it_team).due_requested is True


@pytest.mark.parametrize("when, due", [
    ("tomorrow 3pm", datetime(2026, 11, 24, 15, 0, tzinfo=timezone.utc)),
    ("in 2 days", datetime(2026, 11, 25, 17, 0, tzinfo=timezone.utc)),
    ("2026-12-01", datetime(2026, 12, 1, 17, 0, tzinfo=timezone.utc)),
    ("end of month", datetime(2026, 11, 30, 17, 0, tzinfo=timezone.utc)),
])
def test_due_dates_people_type_are_understood(it_team: Tandem, when: str, due: datetime) -> None:
    say(it_team, "bob", f"/ask it a thing by {when}")
    assert request(it_team).due_at == due


def test_without_a_date_the_due_date_is_three_working_days_of_the_team(it_team: Tandem) -> None:
    out = say(it_team, "bob", "/ask it reset my password")
    # Monday 10:00 + 3 working days of 8 h (Mon–Fri 09–17) = Thursday 10:00.
    assert request(it_team).due_at == datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc)
    assert "IT Help's service standard" in out
    # First response within 4 working hours: Monday 14:00.
    assert request(it_team).first_response_due_at == datetime(2026, 11, 23, 14, 0, tzinfo=timezone.utc)


def test_a_request_filed_on_friday_evening_counts_from_monday_morning(engine, clock: FrozenClock) -> None:
    clock.set(datetime(2026, 11, 27, 18, 0, tzinfo=timezone.utc))
    core = Tandem(engine, clock=clock)
    core.introduce(person("alice"))
    say(core, "alice", '/tandem team add it "IT Help"')
    say(core, "bob", "/ask it printer")
    assert request(core).first_response_due_at == datetime(2026, 11, 30, 13, 0, tzinfo=timezone.utc)


def test_the_lifecycle_from_open_to_done_keeps_every_change_as_an_event(it_team: Tandem) -> None:
    say(it_team, "bob", "/ask it vpn access")
    assert "is yours" in say(it_team, "kim", "/requests 1 claim")
    assert request(it_team).status == "claimed"
    say(it_team, "kim", "/requests 1 start")
    assert request(it_team).status == "in_progress"
    say(it_team, "kim", "/requests 1 wait which office are you in?")
    assert request(it_team).status == "waiting"
    say(it_team, "bob", "/requests 1 comment Lisbon")
    assert request(it_team).status == "in_progress"
    say(it_team, "kim", "/requests 1 done access granted cause:missing-docs")
    done = request(it_team)
    assert done.status == "done" and done.cause == "missing-docs" and done.done_at is not None
    with Session(it_team.engine) as session:
        kinds = [e.kind for e in session.exec(select(RequestEvent).order_by(RequestEvent.id)).all()]
    assert kinds == ["filed", "claim", "start", "wait", "comment", "done"]
    say(it_team, "bob", "/requests 1 reopen")
    assert request(it_team).status == "claimed"


def test_the_service_clock_pauses_while_waiting_on_the_requester(it_team: Tandem, clock: FrozenClock) -> None:
    say(it_team, "bob", "/ask it vpn access")
    due_before = request(it_team).due_at
    say(it_team, "kim", "/requests 1 wait which office?")
    clock.advance(hours=5)  # Monday 10:00 → 15:00: five working hours spent waiting
    say(it_team, "bob", "/requests 1 comment Lisbon")
    assert request(it_team).due_at == due_before + timedelta(hours=5)


def test_only_the_owning_team_claims_starts_and_finishes(it_team: Tandem) -> None:
    say(it_team, "bob", "/ask it vpn access")
    for verb in ("claim", "start", "done"):
        out = say(it_team, "carol", f"/requests 1 {verb}")
        assert "Only IT Help's lead (@alice) or members of IT Help can" in out
    assert request(it_team).status == "open"


def test_the_requester_or_the_team_may_cancel_but_nobody_else(it_team: Tandem) -> None:
    say(it_team, "bob", "/ask it vpn access")
    assert "Only its requester (@bob), IT Help's lead (@alice) or members of IT Help can cancel #1" in say(
        it_team, "carol", "/requests 1 cancel")
    assert request(it_team).status == "open"
    say(it_team, "bob", "/requests 1 cancel")
    assert request(it_team).status == "cancelled"


def test_a_private_request_is_seen_only_by_its_requester_and_the_team(it_team: Tandem) -> None:
    say(it_team, "bob", "/ask it salary slip question private")
    assert request(it_team).private is True
    assert request(it_team).title == "salary slip question"
    assert "can't find request #1" in say(it_team, "carol", "/requests 1")
    assert "salary slip" in say(it_team, "kim", "/requests 1")
    assert "salary slip" not in say(it_team, "carol", "/requests team it")
    assert "salary slip" in say(it_team, "kim", "/requests team it")


def test_a_claimed_request_updates_its_card_in_place_and_tells_the_requester(it_team: Tandem) -> None:
    say(it_team, "bob", "/ask it vpn access")
    say(it_team, "kim", "/requests 1 claim")
    with Session(it_team.engine) as session:
        rows = session.exec(select(Notification).order_by(Notification.id)).all()
    cards = [r for r in rows if r.topic == "request:1"]
    assert [c.replace for c in cards] == [False, True]
    assert all(c.address == "it-help" for c in cards)
    assert any(r.recipient_kind == "person" and r.address == "bob" and "picked up" in r.message_json for r in rows)


def test_lists_show_mine_team_and_overdue(it_team: Tandem, clock: FrozenClock) -> None:
    say(it_team, "bob", "/ask it vpn access by tomorrow 11am")
    say(it_team, "bob", "/ask it new mouse")
    assert "Your open requests (2)" in say(it_team, "bob", "/requests")
    clock.advance(days=2)
    overdue = say(it_team, "kim", "/requests overdue")
    assert "Overdue (1)" in overdue and "vpn access" in overdue


def test_snooze_takes_a_date_from_the_team_only(it_team: Tandem) -> None:
    say(it_team, "bob", "/ask it vpn access")
    assert "members of IT Help can snooze #1" in say(it_team, "bob", "/requests 1 snooze tomorrow")
    say(it_team, "kim", "/requests 1 snooze tomorrow 10am")
    assert request(it_team).snoozed_until == datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc)
    assert request(it_team).next_nudge_at >= request(it_team).snoozed_until
