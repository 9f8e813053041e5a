"""Nudges across a daylight-saving change and time zones on both sides of
UTC: a sales team in Tokyo (UTC+9, no DST), an assignee in New York, where
summer time ends on Sunday 1 November 2026 (UTC−4 → UTC−5)."""

from __future__ import annotations

from datetime import datetime, timezone

from bot.core import Tandem
from bot.services.clock import FrozenClock
from tests.helpers import join
from tests.scheduler.support import RecordingPort, run, run_until


def utc(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=timezone.utc)


async def test_assignee_in_new_york_hears_at_nine_local_on_both_sides_of_the_dst_change(
        core: Tandem, clock: FrozenClock) -> None:
    clock.set(utc(10, 27, 1))  # Tue 27 Oct, 10:00 in Tokyo
    run(core, "sato", 'tandem team add sales "Sales"', "Asia/Tokyo")
    run(core, "sato", "tandem team edit sales timezone Asia/Tokyo")
    run(core, "sato", "tandem team edit sales channel #sales-help")
    join(core, "sales", "dan", "America/New_York")
    run(core, "carol", "ask sales pricing for a 500-seat deal")  # due Fri 30 Oct 10:00 JST = 01:00 UTC
    run(core, "dan", "requests 1 claim", "America/New_York")
    port = RecordingPort(clock)
    await run_until(core, port, utc(11, 3, 16))
    to_dan = [(s.at, s.title.split(". ")[0]) for s in port.nudges() if s.to == "@dan"]
    assert to_dan == [
        # 75% mark Thu 29 Oct 12:00 JST = Wed 23:00 EDT: Thursday 09:00 EDT = 13:00 UTC
        (utc(10, 29, 13), "#1 is due in 12 h: three quarters of its time has gone"),
        # due Fri 10:00 JST = Thu 21:00 EDT: Friday 09:00 EDT = 13:00 UTC
        (utc(10, 30, 13), "#1 fell due 12 h ago"),
        # Tokyo's Monday morning is Sunday evening in New York: Monday 09:00 EST = 14:00 UTC
        (utc(11, 2, 14), "#1 is overdue by 3 days 13 h"),
        (utc(11, 3, 14), "#1 is overdue by 4 days 13 h"),
    ]
    # the lead, in Tokyo, hears one Tokyo working day past due, in Tokyo hours
    assert [s.at for s in port.to("@sato", "Escalation")] == [utc(11, 2, 1)]
