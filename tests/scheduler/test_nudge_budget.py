"""The nudge budget: past 5 nudges to one person in a day, the rest fold into
one summary message, updated in place as the day goes on."""

from __future__ import annotations

from datetime import datetime, timezone

from bot.core import Tandem
from bot.services.clock import FrozenClock
from tests.scheduler.support import RecordingPort, it_team, pending_keys, run, run_until


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=timezone.utc)


async def test_past_five_nudges_a_day_the_rest_fold_into_one_summary(core: Tandem, clock: FrozenClock) -> None:
    it_team(core)
    for n in range(1, 8):
        run(core, "carol", f"ask it task number {n}")
        run(core, "bob", f"requests {n} claim")
    port = RecordingPort(clock)
    await run_until(core, port, at(25, 12))  # Wed 12:00: the 75% mark of all seven
    wednesday = [s for s in port.nudges() if s.to == "@bob"]
    assert len(wednesday) == 6
    assert sum("three quarters" in s.title for s in wednesday) == 5
    summary = wednesday[-1]
    assert summary.title.startswith("2 more reminders today (you already had 5")
    lines = [s.text[0] for s in summary.message.sections]
    assert lines == ["#6 due in 22 h: task number 6", "#7 due in 22 h: task number 7"]


async def test_a_later_fold_updates_the_summary_in_place(core: Tandem, clock: FrozenClock) -> None:
    it_team(core)
    for n in range(1, 8):
        run(core, "carol", f"ask it task number {n}")
        run(core, "bob", f"requests {n} claim")
    clock.set(at(23, 14))
    run(core, "carol", "ask it task number 8")  # its 75% mark is Wed 16:00
    run(core, "bob", "requests 8 claim")
    port = RecordingPort(clock)
    await run_until(core, port, at(25, 16, 15))
    summaries = [s for s in port.sent if s.to == "@bob" and "more reminder" in s.title]
    assert [(s.at, s.replaced, len(s.message.sections)) for s in summaries] == [(at(25, 12), False, 2),
                                                                              (at(25, 16), True, 3)]
    assert summaries[-1].title.startswith("3 more reminders today")


async def test_the_budget_starts_again_the_next_day(core: Tandem, clock: FrozenClock) -> None:
    it_team(core)
    for n in range(1, 8):
        run(core, "carol", f"ask it task number {n}")
        run(core, "bob", f"requests {n} claim")
    port = RecordingPort(clock)
    await run_until(core, port, at(26, 10))  # Thu 10:00: all seven fall due
    thursday = [s for s in port.nudges() if s.to == "@bob" and s.at.day == 26]
    assert sum("is due now" in s.title for s in thursday) == 5
    assert [s.title[:28] for s in thursday if "more reminder" in s.title] == ["2 more reminders today (you "]
    assert pending_keys(core) == []
