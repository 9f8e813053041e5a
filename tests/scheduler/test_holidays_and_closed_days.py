"""Nudges, escalation and the digest keep off the days a team doesn't work.

The company: team IT (Europe/London, Mon–Fri 09:00–17:00, 4 h first
response, 3 working days to resolve) led by alice, with bob; carol asks.
IT is closed Tue 24 – Wed 25 Nov 2026 (an office move).
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlmodel import Session

from bot.core import Tandem
from bot.services import digest
from bot.services.clock import FrozenClock
from tests.scheduler.support import RecordingPort, it_team, request, run, run_until


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=timezone.utc)


def closed_it(core: Tandem) -> None:
    it_team(core)
    run(core, "alice", "tandem team edit it closed 2026-11-24..2026-11-25")


async def test_the_first_response_nudge_waits_out_the_closed_days(core: Tandem, clock: FrozenClock) -> None:
    closed_it(core)
    clock.set(at(23, 16))
    run(core, "carol", "ask it new laptop")
    # Mon 16–17 (1 h), Tue and Wed closed, Thu 09–12 (3 h)
    assert request(core, 1).first_response_due_at == at(26, 12)
    port = RecordingPort(clock)
    await run_until(core, port, at(26, 11, 45))
    assert port.to("#it-help", "has waited") == []
    await run_until(core, port, at(26, 13))
    assert [s.at for s in port.to("#it-help", "has waited")] == [at(26, 12)]


async def test_escalation_and_overdue_mornings_skip_closed_days_and_holidays(core: Tandem, clock: FrozenClock) -> None:
    closed_it(core)
    run(core, "alice", "tandem team edit it holidays GB-SCT")  # St Andrew's Day: Mon 30 Nov
    run(core, "carol", "ask it new laptop")
    run(core, "bob", "requests 1 claim")
    # Mon 10–17 (7 h), Tue/Wed closed, Thu and Fri (16 h), Mon 30 a holiday, Tue 1 Dec 09–10 (1 h)
    assert request(core, 1).due_at == at(1, 10, month=12)
    port = RecordingPort(clock)
    await run_until(core, port, at(3, 12, month=12))
    assert [s.at for s in port.to("@alice", "Escalation")] == [at(2, 10, month=12)]  # one working day past due
    assert [s.at for s in port.nudges() if s.to == "@bob" and "overdue by" in s.title] == [
        at(2, 9, month=12), at(3, 9, month=12)]


async def test_a_reminder_to_someone_off_on_a_holiday_waits_for_their_next_working_morning(
        core: Tandem, clock: FrozenClock) -> None:
    it_team(core)
    run(core, "alice", "tandem team edit it holidays GB-SCT")
    run(core, "carol", "ask it new laptop by friday")
    clock.set(at(27, 9))
    run(core, "bob", "requests 1 claim")
    port = RecordingPort(clock)
    await run_until(core, port, at(1, 12, month=12))
    # due Fri 27 Nov 17:00, after bob's hours: he hears on Tue 1 Dec, after St Andrew's Day (Mon 30 Nov)
    assert [(s.at, s.title.split(". ")[0]) for s in port.nudges() if s.to == "@bob" and s.at > at(27, 9)] == [
        (at(1, 9, month=12), "#1 fell due 3 days 16 h ago")]


def test_the_digest_counts_lateness_in_working_time(core: Tandem, clock: FrozenClock) -> None:
    it_team(core, tz="UTC")
    run(core, "alice", "tandem team edit it holidays US")  # Thanksgiving: Thu 26 Nov
    run(core, "carol", "ask it finished on thanksgiving morning by wednesday")
    run(core, "carol", "ask it finished on friday by wednesday")
    run(core, "carol", "ask it finished in time by wednesday")
    for request_id, moment in ((1, at(26, 11)), (2, at(27, 10)), (3, at(25, 16))):
        clock.set(moment)
        run(core, "bob", f"requests {request_id} done")
    with Session(core.engine) as session:
        it = digest.compute(session, digest.parse_week("2026-W48", "UTC")).service[0]
    # #1 was done after its due date (Wed 17:00) but before IT's next working hour: on time
    assert (it.finished, it.on_time) == (3, 2)
