"""Working time and due dates: the clocks service standards run on."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

import pytest

from bot.services.dates import DateInPast, DateNotUnderstood, describe, describe_span, parse_when
from bot.services.worktime import WorkCalendar

UTC = timezone.utc
MON_10 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def test_working_time_skips_nights_and_weekends() -> None:
    cal = WorkCalendar()
    assert cal.add(MON_10, timedelta(hours=8)) == datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    friday_4pm = datetime(2026, 11, 27, 16, 0, tzinfo=UTC)
    assert cal.add(friday_4pm, timedelta(hours=2)) == datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
    assert cal.between(friday_4pm, datetime(2026, 11, 30, 10, 0, tzinfo=UTC)) == timedelta(hours=2)


def test_a_tokyo_team_works_on_tokyo_time() -> None:
    tokyo = WorkCalendar(tz="Asia/Tokyo")
    # Monday 10:00 UTC is 19:00 in Tokyo: the clock starts Tuesday 09:00 JST (00:00 UTC).
    assert tokyo.next_working_moment(MON_10) == datetime(2026, 11, 24, 0, 0, tzinfo=UTC)


def test_a_daylight_saving_change_keeps_working_hours_local() -> None:
    new_york = WorkCalendar(tz="America/New_York")
    friday = datetime(2026, 10, 30, 20, 0, tzinfo=UTC)  # Fri 16:00 EDT
    # Two working hours later is Monday 10:00 EST, after clocks went back on Sunday 1 November.
    assert new_york.add(friday, timedelta(hours=2)) == datetime(2026, 11, 2, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize("phrase, expected", [
    ("friday", datetime(2026, 11, 27, 17, 0, tzinfo=UTC)),
    ("tomorrow 3pm", datetime(2026, 11, 24, 15, 0, tzinfo=UTC)),
    ("in 3 hours", datetime(2026, 11, 23, 13, 0, tzinfo=UTC)),
    ("end of week", datetime(2026, 11, 27, 17, 0, tzinfo=UTC)),
    ("Dec 3", datetime(2026, 12, 3, 17, 0, tzinfo=UTC)),
])
def test_due_phrases(phrase: str, expected: datetime) -> None:
    assert parse_when(phrase, now=MON_10, tz="UTC", end_of_day=time(17)).moment == expected


def test_unreadable_and_past_dates_are_told_apart() -> None:
    with pytest.raises(DateNotUnderstood):
        parse_when("when pigs fly", now=MON_10, tz="UTC")
    with pytest.raises(DateInPast):
        parse_when("2026-01-01", now=MON_10, tz="UTC")


def test_moments_and_spans_read_naturally() -> None:
    assert describe(MON_10, "Europe/Paris") == "Mon 23 Nov, 11:00 (CET)"
    assert describe_span(timedelta(hours=27, minutes=5)) == "1 day 3 h"
    assert describe_span(timedelta(minutes=95)) == "1 h 35 min"
