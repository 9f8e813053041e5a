"""Deadline nudges on a moving clock: who hears what, when, and only once.

The company: team IT (Europe/London, Mon–Fri 09:00–17:00, 4 h first
response, 3 working days to resolve) led by alice, with bob; carol asks.
Filed Mon 23 Nov 10:00 UTC: first response due Mon 14:00, 75% mark Wed
12:00, due Thu 10:00, escalation Fri 10:00.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from bot.core import Tandem
from bot.services.clock import FrozenClock
from tests.scheduler.support import RecordingPort, it_team, request, run, run_until


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=timezone.utc)


async def test_unclaimed_request_nudges_the_intake_channel_once_after_first_response_target(
        core: Tandem, clock: FrozenClock) -> None:
    it_team(core)
    run(core, "carol", "ask it new laptop for the new hire")
    port = RecordingPort(clock)
    await run_until(core, port, at(23, 13, 45))
    assert port.to("#it-help", "has waited") == []
    await run_until(core, port, at(23, 16, 0))
    nudges = port.to("#it-help", "has waited")
    assert len(nudges) == 1
    assert nudges[0].at == at(23, 14) and "has waited 4 h for someone in IT Help" in nudges[0].title
    assert [(b.action_id, b.value) for b in nudges[0].message.buttons] == [
        ("request.claim", "1"), ("request.snooze", "1:tomorrow 9am")]


async def test_claimed_request_nudges_assignee_at_three_quarters_due_and_each_overdue_morning(
        core: Tandem, clock: FrozenClock) -> None:
    it_team(core)
    run(core, "carol", "ask it new laptop for the new hire")
    clock.set(at(23, 11))
    run(core, "bob", "requests 1 claim")
    port = RecordingPort(clock)
    await run_until(core, port, at(30, 17))
    to_bob = [(s.at, s.title.split(". ")[0]) for s in port.nudges() if s.to == "@bob"]
    assert to_bob == [
        (at(25, 12), "#1 is due in 22 h: three quarters of its time has gone"),
        (at(26, 10), "#1 is due now"),
        (at(27, 9), "#1 is overdue by 23 h"),
        (at(30, 9), "#1 is overdue by 3 days 23 h"),
    ]
    due_now = port.to("@bob", "is due now")[0].message
    assert [b.value for b in due_now.buttons] == ["done:1", "1:tomorrow 9am"]
    assert port.to("#it-help", "has waited") == []  # claimed before the first-response target


async def test_overdue_request_escalates_to_lead_once(core: Tandem, clock: FrozenClock) -> None:
    it_team(core)
    run(core, "carol", "ask it new laptop for the new hire")
    clock.set(at(23, 11))
    run(core, "bob", "requests 1 claim")
    port = RecordingPort(clock)
    await run_until(core, port, at(30, 17))
    escalations = port.to("@alice", "Escalation")
    assert len(escalations) == 1
    assert escalations[0].at == at(27, 10)
    assert escalations[0].title.startswith("Escalation: #1 for IT Help is overdue by 1 day (owner: @bob)")


async def test_nudges_wait_for_the_recipients_working_morning(core: Tandem, clock: FrozenClock) -> None:
    it_team(core)
    run(core, "bob", "tandem me timezone America/New_York")
    run(core, "carol", "ask it new laptop for the new hire")
    run(core, "bob", "requests 1 claim")
    port = RecordingPort(clock)
    await run_until(core, port, at(26, 16))
    # 75% mark Wed 12:00 UTC is 07:00 in New York: bob hears at 09:00 EST = 14:00 UTC
    assert [s.at for s in port.to("@bob", "three quarters")] == [at(25, 14)]
    # due Thu 10:00 UTC = 05:00 EST: at 09:00 EST, worded for then
    fell_due = [(s.at, s.title.split(". ")[0]) for s in port.to("@bob", "fell due")]
    assert fell_due == [(at(26, 14), "#1 fell due 4 h ago")]


async def test_weekend_nudges_wait_for_monday(core: Tandem, clock: FrozenClock) -> None:
    it_team(core)
    clock.set(at(27, 15))  # Friday 15:00
    run(core, "carol", "ask it reset my 2FA by today 4pm")
    run(core, "bob", "requests 1 claim")
    port = RecordingPort(clock)
    await run_until(core, port, at(30, 10))
    assert [(s.at, s.title.split(". ")[0]) for s in port.nudges() if s.to == "@bob"] == [
        (at(27, 15, 45), "#1 is due in 15 min: three quarters of its time has gone"),
        (at(27, 16), "#1 is due now"),
        (at(30, 9), "#1 is overdue by 2 days 17 h"),
    ]


async def test_a_snooze_quiets_the_owner_but_not_the_escalation_or_the_requester(
        core: Tandem, clock: FrozenClock) -> None:
    it_team(core)
    run(core, "carol", "ask it new laptop for the new hire")
    run(core, "bob", "requests 1 claim")
    run(core, "bob", "requests 1 snooze 2026-11-27 11:00")
    port = RecordingPort(clock)
    await run_until(core, port, at(27, 10, 45))
    assert [s for s in port.nudges() if s.to == "@bob"] == []
    await run_until(core, port, at(30, 12))
    to_bob = [(s.at, s.title.split(". ")[0]) for s in port.nudges() if s.to == "@bob"]
    assert to_bob == [(at(27, 11), "#1 is overdue by 1 day 1 h"), (at(30, 9), "#1 is overdue by 3 days 23 h")]
    # the snooze quiets the owner, never the lateness: the lead and the requester hear on its own clock
    assert [s.at for s in port.to("@alice", "Escalation")] == [at(27, 10)]
    assert [s.at for s in port.to("@carol", "past its due date")] == [at(26, 10)]


async def test_waiting_done_and_cancelled_requests_never_nudge(core: Tandem, clock: FrozenClock) -> None:
    it_team(core)
    run(core, "carol", "ask it new laptop")
    run(core, "carol", "ask it a second monitor")
    run(core, "carol", "ask it VPN access")
    run(core, "bob", "requests 1 wait which model?")
    run(core, "bob", "requests 2 done")
    run(core, "carol", "requests 3 cancel")
    port = RecordingPort(clock)
    await run_until(core, port, at(30, 12), step=timedelta(hours=1))
    assert port.nudges() == []
    assert all(request(core, n).next_nudge_at is None for n in (1, 2, 3))


async def test_answering_a_waiting_request_restarts_its_nudges(core: Tandem, clock: FrozenClock) -> None:
    it_team(core)
    run(core, "carol", "ask it new laptop")
    run(core, "bob", "requests 1 wait which model?")
    clock.set(at(25, 10))
    run(core, "carol", "requests 1 comment the 14 inch one")
    port = RecordingPort(clock)
    await run_until(core, port, at(30, 12), step=timedelta(hours=1))
    # two days waiting moved the due date from Thu 10:00 to Mon 10:00
    assert [s.at for s in port.to("@bob", "is due now")] == [at(30, 10)]

