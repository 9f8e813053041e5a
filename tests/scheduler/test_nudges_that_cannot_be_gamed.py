"""Nudges nobody can talk their way out of: a waiting request reminds its
requester and then tells the team, the requester hears when their request is
late and when it was escalated, and an unclaimed request reaches the lead.

Team IT (Europe/London, Mon–Fri 09:00–17:00, 4 h first response, 3 working
days) led by alice with bob; carol asks on Mon 23 Nov 10:00 UTC: first
response due Mon 14:00, due Thu 10:00, escalation Fri 10:00.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from bot.core import Tandem
from bot.services.clock import FrozenClock
from tests.scheduler.support import RecordingPort, it_team, run, run_until


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=timezone.utc)


async def test_waiting_reminds_the_requester_after_a_day_then_tells_the_owner(sqlite_core: Tandem) -> None:
    core = sqlite_core
    it_team(core)
    run(core, "carol", "ask it new laptop")
    run(core, "bob", "requests 1 wait which model do you want?")
    port = RecordingPort(core.clock)  # type: ignore[arg-type]
    await run_until(core, port, at(30, 12))
    assert [s.at for s in port.to("@carol", "still waiting for your answer on #1")] == [at(24, 10)]
    told = port.to("@bob", "on hold for 3 days")
    assert [s.at for s in told] == [at(26, 10)] and "hasn't answered" in told[0].title
    assert port.to("@alice", "Escalation") == []  # on hold, the clock is paused: nothing is late


async def test_a_new_wait_starts_its_own_reminders(sqlite_core: Tandem, clock: FrozenClock) -> None:
    core = sqlite_core
    it_team(core)
    run(core, "carol", "ask it new laptop")
    run(core, "bob", "requests 1 wait which model?")
    port = RecordingPort(clock)
    await run_until(core, port, at(24, 11))
    run(core, "carol", "requests 1 comment the light one")
    second = clock.now()
    run(core, "bob", "requests 1 wait which colour?")
    await run_until(core, port, at(25, 12))
    assert [s.at for s in port.to("@carol", "still waiting")] == [at(24, 10), second + timedelta(days=1)]


async def test_the_requester_hears_when_it_is_late_and_when_it_was_escalated(sqlite_core: Tandem,
                                                                            clock: FrozenClock) -> None:
    core = sqlite_core
    it_team(core)
    run(core, "carol", "ask it new laptop")
    clock.set(at(23, 11))
    run(core, "bob", "requests 1 claim")
    run(core, "bob", "requests 1 snooze 2026-11-30 09:00")  # the owner tries to make it go quiet
    port = RecordingPort(clock)
    await run_until(core, port, at(30, 12))
    assert [s.at for s in port.to("@carol", "is past its due date")] == [at(26, 10)]
    assert [s.at for s in port.to("@carol", "so I've told the team's lead")] == [at(27, 10)]
    assert [s.at for s in port.to("@alice", "Escalation: #1")] == [at(27, 10)]
    assert [s.at for s in port.to("@bob") if "overdue" in s.title][:1] == [at(30, 9)]


async def test_an_unclaimed_request_reaches_the_lead_not_only_the_channel(sqlite_core: Tandem,
                                                                         clock: FrozenClock) -> None:
    core = sqlite_core
    it_team(core)
    run(core, "carol", "ask it new laptop")
    port = RecordingPort(clock)
    await run_until(core, port, at(23, 16))
    assert [s.at for s in port.to("#it-help", "has waited 4 h")] == [at(23, 14)]
    to_lead = port.to("@alice", "Nobody in IT Help has picked up #1")
    assert [s.at for s in to_lead] == [at(23, 14)]
    assert [b.action_id for b in to_lead[0].message.buttons] == ["request.claim"]
