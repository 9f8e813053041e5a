"""Working time on a team's calendar: public holidays and closed days are
skipped like weekends, in the team's zone (or a person's), across
daylight-saving changes; and the arithmetic answers for any input.

Each row of the tables was counted by hand from the holidays the `holidays`
package lists (DE-BY: Good Friday 26 Mar 2027, Easter Monday 29 Mar 2027 —
the weekend Europe moves its clocks; US: Thanksgiving Thu 26 Nov 2026,
Veterans Day Wed 11 Nov; US-CA also the day after Thanksgiving; JP: Labor
Thanksgiving Day Mon 23 Nov 2026; GB-SCT: St Andrew's Day Mon 30 Nov).
Days are Mon–Fri 09:00–17:00 local unless a row says otherwise.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest

from bot.services.nudges import recipient_calendar
from bot.services.worktime import REACH, WorkCalendar, calendar_for
from storage.models import Person

UTC = timezone.utc


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


BAVARIA = WorkCalendar(tz="Europe/Berlin", holidays="DE-BY")
BAVARIA_CLOSED_AT_CHRISTMAS = WorkCalendar(tz="Europe/Berlin", holidays="DE-BY",
                                           closed=((date(2026, 12, 24), date(2026, 12, 31)),))


@pytest.mark.parametrize("cal, start, amount, expected", [
    # Thu 16:00 CET + 2 h: Good Friday, the weekend (clocks go forward), Easter Monday → Tue 10:00 CEST
    (BAVARIA, utc(2027, 3, 25, 15), timedelta(hours=2), utc(2027, 3, 30, 8)),
    # the same without a holiday calendar: Fri 10:00 CET
    (WorkCalendar(tz="Europe/Berlin"), utc(2027, 3, 25, 15), timedelta(hours=2), utc(2027, 3, 26, 9)),
    # Wed 16:00 EST + 2 h: Thanksgiving → Fri 10:00 EST
    (WorkCalendar(tz="America/New_York", holidays="US"), utc(2026, 11, 25, 21), timedelta(hours=2),
     utc(2026, 11, 27, 15)),
    # Wed 16:00 PST + 2 h in California: Thanksgiving and the day after → Mon 10:00 PST
    (WorkCalendar(tz="America/Los_Angeles", holidays="US-CA"), utc(2026, 11, 26, 0), timedelta(hours=2),
     utc(2026, 11, 30, 18)),
    # Tue 16:00 EST + 2 h: Veterans Day, a week after the clocks went back → Thu 10:00 EST
    (WorkCalendar(tz="America/New_York", holidays="US"), utc(2026, 11, 10, 21), timedelta(hours=2),
     utc(2026, 11, 12, 15)),
    # Fri 16:00 JST + 2 h: the weekend and Labor Thanksgiving Day → Tue 10:00 JST
    (WorkCalendar(tz="Asia/Tokyo", holidays="JP"), utc(2026, 11, 20, 7), timedelta(hours=2), utc(2026, 11, 24, 1)),
    # Fri 16:00 GMT + 2 h in Scotland: St Andrew's Day → Tue 10:00 GMT
    (WorkCalendar(tz="Europe/London", holidays="GB-SCT"), utc(2026, 11, 27, 16), timedelta(hours=2),
     utc(2026, 12, 1, 10)),
    # Wed 16:00 CET + 2 h: closed 24–31 Dec, New Year's Day, the weekend → Mon 4 Jan 10:00 CET
    (BAVARIA_CLOSED_AT_CHRISTMAS, utc(2026, 12, 23, 15), timedelta(hours=2), utc(2027, 1, 4, 9)),
    # three working days from Mon 21 Dec in Bavaria, closed at Christmas: Mon, Tue, Wed
    (BAVARIA_CLOSED_AT_CHRISTMAS, utc(2026, 12, 21, 8), timedelta(hours=24), utc(2026, 12, 23, 16)),
    # a Sun–Thu team in Berlin, Thu 23 Dec 2027 16:00 CET + 2 h: Fri, Sat off, Sun 26 Dec a holiday → Mon 10:00
    (WorkCalendar(tz="Europe/Berlin", days=frozenset({6, 0, 1, 2, 3}), holidays="DE-BY"), utc(2027, 12, 23, 15),
     timedelta(hours=2), utc(2027, 12, 27, 9)),
])
def test_adding_working_time_skips_holidays_and_closed_days(cal: WorkCalendar, start: datetime, amount: timedelta,
                                                            expected: datetime) -> None:
    assert cal.add(start, amount) == expected


@pytest.mark.parametrize("cal, start, end, expected", [
    # Thu 09:00 CET to Tue 17:00 CEST over Easter and the clock change: Thu and Tue
    (BAVARIA, utc(2027, 3, 25, 8), utc(2027, 3, 30, 15), timedelta(hours=16)),
    # Mon 09:00 to Mon 09:00 PST in California: Mon, Tue, Wed
    (WorkCalendar(tz="America/Los_Angeles", holidays="US-CA"), utc(2026, 11, 23, 17), utc(2026, 11, 30, 17),
     timedelta(hours=24)),
    # Wed 23 Dec 09:00 to Mon 4 Jan 17:00 CET, closed in between: Wed and Mon
    (BAVARIA_CLOSED_AT_CHRISTMAS, utc(2026, 12, 23, 8), utc(2027, 1, 4, 16), timedelta(hours=16)),
    # a holiday worked through counts nothing: Good Friday 10:00–12:00 CET
    (BAVARIA, utc(2027, 3, 26, 9), utc(2027, 3, 26, 11), timedelta(0)),
])
def test_working_time_between_two_moments_leaves_out_holidays(cal: WorkCalendar, start: datetime, end: datetime,
                                                              expected: timedelta) -> None:
    assert cal.between(start, end) == expected


@pytest.mark.parametrize("cal, moment, expected", [
    # 10:00 JST on Labor Thanksgiving Day → Tue 09:00 JST
    (WorkCalendar(tz="Asia/Tokyo", holidays="JP"), utc(2026, 11, 23, 1), utc(2026, 11, 24, 0)),
    # Good Friday morning in Bavaria → Tue 09:00 CEST, after the clocks went forward
    (BAVARIA, utc(2027, 3, 26, 10), utc(2027, 3, 30, 7)),
    # a working morning is itself
    (BAVARIA, utc(2027, 3, 25, 10), utc(2027, 3, 25, 10)),
])
def test_the_next_working_moment_is_after_the_holiday(cal: WorkCalendar, moment: datetime,
                                                      expected: datetime) -> None:
    assert cal.next_working_moment(moment) == expected


def test_a_persons_calendar_carries_the_teams_holidays_on_their_own_dates() -> None:
    team = BAVARIA_CLOSED_AT_CHRISTMAS
    person = Person(platform="shell", tenant="local", user_id="ny", display_name="NY", timezone="America/New_York",
                    created_at=utc(2026, 1, 1, 0))
    theirs = recipient_calendar(team, person)
    assert (theirs.tz, theirs.holidays, theirs.closed) == ("America/New_York", "DE-BY", team.closed)
    # Wed 23 Dec 16:00 EST + 2 h: closed 24–31 Dec and New Year's Day on New York dates → Mon 4 Jan 10:00 EST
    assert theirs.add(utc(2026, 12, 23, 21), timedelta(hours=2)) == utc(2027, 1, 4, 15)
    assert theirs.next_start_after(utc(2026, 12, 23, 21)) == utc(2027, 1, 4, 14)


def test_closure_says_why_a_day_is_off() -> None:
    cal = BAVARIA_CLOSED_AT_CHRISTMAS
    assert cal.closure(date(2027, 3, 26)).name == "Good Friday"  # type: ignore[union-attr]
    assert cal.closure(date(2026, 12, 28)).kind == "closed"  # type: ignore[union-attr]
    assert cal.closure(date(2026, 11, 28)).kind == "weekday"  # type: ignore[union-attr]
    assert cal.closure(date(2026, 11, 27)) is None


NO_WORKING_DAYS = WorkCalendar(days=frozenset())
MONDAY = utc(2026, 11, 23, 10)


def test_a_calendar_with_no_working_time_left_counts_wall_clock_time() -> None:
    """The documented rule: the clock never stops, nudges are late rather than never sent."""
    assert NO_WORKING_DAYS.next_working_moment(MONDAY) == MONDAY
    assert NO_WORKING_DAYS.add(MONDAY, timedelta(hours=4)) == MONDAY + timedelta(hours=4)
    assert NO_WORKING_DAYS.next_start_after(MONDAY) == MONDAY + timedelta(days=1)
    assert NO_WORKING_DAYS.between(MONDAY, MONDAY + timedelta(days=30)) == timedelta(0)
    # working time that runs out (closed for good after Monday): the rest counts from Monday 17:00
    closing = WorkCalendar(closed=((date(2026, 11, 24), date(9999, 12, 31)),))
    assert closing.add(MONDAY, timedelta(hours=10)) == utc(2026, 11, 23, 20)
    assert closing.add(MONDAY, timedelta.max) == MONDAY + REACH


EXTREMES = [datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC), datetime(1, 1, 1),
            datetime(9999, 12, 31, 23, 59), utc(2026, 3, 29, 1, 30), MONDAY]
AMOUNTS = [timedelta.max, timedelta.min, timedelta(0), timedelta(days=100000), timedelta(microseconds=1)]
ODD_CALENDARS = [
    WorkCalendar(),
    NO_WORKING_DAYS,
    WorkCalendar(start=time(17), end=time(9)),
    WorkCalendar(tz="Pacific/Kiritimati", holidays="XX-NOWHERE"),
    WorkCalendar(tz="Etc/GMT+12", closed=((date(1, 1, 1), date(9999, 12, 31)),)),
    calendar_for(tz="Nowhere/Land", work_days="", work_start="25:00", work_end="nope", holidays="ZZ",
                 closed="garbage,2027-01-02..2026-01-01"),
]


@pytest.mark.parametrize("cal", ODD_CALENDARS)
def test_working_time_arithmetic_answers_for_any_moment_amount_and_stored_setting(cal: WorkCalendar) -> None:
    for moment in EXTREMES:
        assert cal.next_working_moment(moment).tzinfo is not None
        assert cal.next_start_after(moment).tzinfo is not None
        assert isinstance(cal.is_working(moment), bool)
        for amount in AMOUNTS:
            assert cal.add(moment, amount).tzinfo is not None
        for other in EXTREMES:
            assert cal.between(moment, other) >= timedelta(0)


def test_stored_settings_that_cant_be_read_count_as_the_default() -> None:
    cal = calendar_for(tz="Nowhere/Land", work_days="", work_start="25:00", work_end="17:00",
                       closed="garbage,2027-01-02..2026-01-01,2026-12-24..2026-12-26")
    assert (cal.days, cal.start, cal.end, str(cal.zone)) == (frozenset({0, 1, 2, 3, 4}), time(9), time(17), "UTC")
    assert cal.closed == ((date(2026, 12, 24), date(2026, 12, 26)),)
