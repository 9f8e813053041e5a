"""Feedback prompts: at once on done, one reminder after two of the
requester's working days without a rating, then nothing more."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from bot.core import Tandem
from bot.services.clock import FrozenClock
from tests.scheduler.support import RecordingPort, it_team, run, run_until


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=timezone.utc)


def prompts(port: RecordingPort) -> list[tuple[datetime, str]]:
    return [(s.at, s.title[:40]) for s in port.sent if s.to == "@carol" and ("A last reminder" in s.title or
                                                                               "finished your request" in s.title)]


async def test_unrated_request_gets_one_reminder_after_two_working_days(core: Tandem, clock: FrozenClock) -> None:
    it_team(core)
    run(core, "carol", "ask it new laptop")
    run(core, "bob", "requests 1 done all set")
    port = RecordingPort(clock)
    await run_until(core, port, at(30, 17), step=timedelta(minutes=30))
    assert prompts(port) == [
        (at(23, 10), "@bob of IT Help finished your request #1"),
        (at(25, 10), "A last reminder: how did IT Help do on #"),
    ]
    reminder = port.to("@carol", "A last reminder")[0].message
    assert [b.value for b in reminder.buttons][:5] == [f"1:{n}" for n in range(1, 6)]


async def test_reminder_counts_the_requesters_working_days_in_their_zone(core: Tandem, clock: FrozenClock) -> None:
    it_team(core)
    run(core, "carol", "tandem me timezone Asia/Tokyo")
    run(core, "carol", "ask it new laptop")
    clock.set(at(27, 10))  # Fri 10:00 UTC = 19:00 in Tokyo, after Carol's day
    run(core, "bob", "requests 1 done")
    port = RecordingPort(clock)
    await run_until(core, port, datetime(2026, 12, 3, tzinfo=timezone.utc), step=timedelta(minutes=30))
    # her two working days are Mon and Tue in Tokyo; the reminder comes her next morning, Wed 09:00 JST
    assert [s.at for s in port.to("@carol", "A last reminder")] == [datetime(2026, 12, 2, 0, 0, tzinfo=timezone.utc)]


async def test_a_rating_cancels_the_reminder(core: Tandem, clock: FrozenClock) -> None:
    it_team(core)
    run(core, "carol", "ask it new laptop")
    run(core, "bob", "requests 1 done")
    clock.advance(hours=3)
    run(core, "carol", "requests 1 rate 5 quick!")
    port = RecordingPort(clock)
    await run_until(core, port, at(30, 17), step=timedelta(hours=1))
    assert port.to("@carol", "A last reminder") == []


async def test_reopen_and_done_again_never_sends_a_second_reminder(core: Tandem, clock: FrozenClock) -> None:
    it_team(core)
    run(core, "carol", "ask it new laptop")
    run(core, "bob", "requests 1 done")
    port = RecordingPort(clock)
    await run_until(core, port, at(26, 10), step=timedelta(hours=1))
    run(core, "carol", "requests 1 reopen")
    run(core, "bob", "requests 1 done again")
    await run_until(core, port, at(30, 17), step=timedelta(hours=1))
    assert len(port.to("@carol", "A last reminder")) == 1
    assert len(port.to("@carol", "finished your request")) == 2
