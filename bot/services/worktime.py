"""Working time: service standards count hours a team is at work, not wall time.

A `WorkCalendar` is a time zone, working weekdays, daily hours, a public
holiday calendar ("DE-BY") and closed days (inclusive date ranges). Nothing
on PyPI that is maintained does intraday business hours with `zoneinfo`, so
this walks day by day in the calendar's local time; each step is a whole
local day, so daylight-saving changes fall out of `zoneinfo` rather than
special cases. Holidays and closed days are local dates: a person's calendar
(their zone, their team's days) skips the team's holidays on their own dates.

The arithmetic is bounded and never raises, whatever it is given or whatever
a team has stored:

- It looks at most `REACH` (4,000 days, about 11 years) ahead of where it
  starts; moments before 1970 or after the year 9000 are taken as those
  bounds, naive moments as UTC, negative amounts as zero.
- **A calendar with no working time left** (every day closed within the
  reach, or no working days at all) counts wall-clock time from where its
  working time ran out: `next_working_moment` returns the moment it was
  given, `add` the moment plus what was still to count (never past the
  reach), `next_start_after` the next day. So a clock never stops and a
  nudge is late rather than never sent; `between` counts working time only.
- A stored setting that can't be read (hours that end before they start, an
  unknown zone) counts as the default, so one odd row never stops the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from bot.services import holiday_calendars

REACH_DAYS = 4000
REACH = timedelta(days=REACH_DAYS)
EARLIEST = datetime(1970, 1, 1, tzinfo=timezone.utc)
LATEST = datetime(9000, 1, 1, tzinfo=timezone.utc)
DEFAULT_DAYS = frozenset({0, 1, 2, 3, 4})
DEFAULT_START, DEFAULT_END = time(9, 0), time(17, 0)
UTC = timezone.utc


@dataclass(frozen=True)
class Closure:
    """Why a day is not a working day: `kind` is weekday, holiday or closed;
    `name` the weekday, the holiday's name, or the closed range."""

    kind: str
    name: str
    first: date | None = None
    last: date | None = None


@dataclass(frozen=True)
class WorkCalendar:
    tz: str = "UTC"
    days: frozenset[int] = DEFAULT_DAYS
    start: time = DEFAULT_START
    end: time = DEFAULT_END
    holidays: str | None = None
    closed: tuple[tuple[date, date], ...] = ()

    @property
    def zone(self) -> ZoneInfo:
        return _zone(self.tz)

    @property
    def day_length(self) -> timedelta:
        length = datetime.combine(date.min, self.end) - datetime.combine(date.min, self.start)
        return max(length, timedelta(0))

    def with_zone(self, tz: str) -> WorkCalendar:
        """The same days, hours, holidays and closed days, in zone `tz` (a person's)."""
        return replace(self, tz=tz)

    def closure(self, day: date) -> Closure | None:
        """Why `day` (a local date) is not a working day, or None if it is one."""
        for first, last in self.closed:
            if first <= day <= last:
                return Closure("closed", f"{first.isoformat()}..{last.isoformat()}", first, last)
        holiday = holiday_calendars.holiday_on(self.holidays, day)
        if holiday is not None:
            return Closure("holiday", holiday, day, day)
        if day.weekday() not in self.days:
            return Closure("weekday", day.strftime("%A"), day, day)
        return None

    def is_working_day(self, day: date) -> bool:
        """Whether `day` (a local date) has working hours: a working weekday, no holiday, not closed."""
        if day.weekday() not in self.days or any(first <= day <= last for first, last in self.closed):
            return False
        return self.holidays is None or holiday_calendars.holiday_on(self.holidays, day) is None

    def _window(self, day: date) -> tuple[datetime, datetime] | None:
        if self.end <= self.start or not self.is_working_day(day):
            return None
        zone = self.zone
        return (
            datetime.combine(day, self.start, zone).astimezone(UTC),
            datetime.combine(day, self.end, zone).astimezone(UTC),
        )

    def _local_day(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    def is_working(self, moment: datetime) -> bool:
        moment = _bounded(moment)
        window = self._window(self._local_day(moment))
        return window is not None and window[0] <= moment < window[1]

    def next_working_moment(self, moment: datetime) -> datetime:
        """`moment` itself if at work, else the start of the next working period
        (or `moment` when there is none within the reach)."""
        moment = _bounded(moment)
        day = self._local_day(moment)
        for _ in range(REACH_DAYS):
            window = self._window(day)
            if window is not None:
                if moment < window[0]:
                    return window[0]
                if moment < window[1]:
                    return moment
            day += timedelta(days=1)
        return moment

    def next_start_after(self, moment: datetime) -> datetime:
        """The start of the first working day that begins strictly after `moment`
        (the next day when there is none within the reach)."""
        moment = _bounded(moment)
        day = self._local_day(moment)
        for _ in range(REACH_DAYS):
            window = self._window(day)
            if window is not None and window[0] > moment:
                return window[0]
            day += timedelta(days=1)
        return moment + timedelta(days=1)

    def add(self, moment: datetime, amount: timedelta) -> datetime:
        """The moment `amount` of working time after `moment`."""
        moment = _bounded(moment)
        remaining = min(max(amount, timedelta(0)), REACH)
        cursor = moment
        day = self._local_day(moment)
        for _ in range(REACH_DAYS + 1):
            window = self._window(day)
            if window is not None:
                begin = max(window[0], cursor)
                if begin < window[1]:
                    available = window[1] - begin
                    if remaining <= available:
                        return begin + remaining
                    remaining -= available
                    cursor = window[1]
            day += timedelta(days=1)
        return min(cursor + remaining, moment + REACH)

    def between(self, start: datetime, end: datetime) -> timedelta:
        """Working time elapsed from `start` to `end` (zero if end ≤ start)."""
        start, end = _bounded(start), _bounded(end)
        total = timedelta(0)
        if end <= start:
            return total
        day = self._local_day(start)
        last = self._local_day(min(end, start + REACH))
        while day <= last:
            window = self._window(day)
            if window is not None:
                lo, hi = max(window[0], start), min(window[1], end)
                if hi > lo:
                    total += hi - lo
            day += timedelta(days=1)
        return total

    def end_of_last_working_day_before(self, moment: datetime) -> datetime | None:
        """The end of the last working period that ends at or before `moment`, within the reach back."""
        moment = _bounded(moment)
        day = self._local_day(moment)
        for _ in range(REACH_DAYS):
            window = self._window(day)
            if window is not None and window[1] <= moment:
                return window[1]
            day -= timedelta(days=1)
            if day.year < EARLIEST.year:
                break
        return None


def _bounded(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        moment = moment.astimezone(UTC)
    except (OverflowError, ValueError):
        return LATEST if moment.year > 2000 else EARLIEST
    return min(max(moment, EARLIEST), LATEST)


@lru_cache(maxsize=256)
def _zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz) if tz and len(tz) <= 64 else ZoneInfo("UTC")
    except (ValueError, OSError, KeyError):
        return ZoneInfo("UTC")


def calendar_for(*, tz: str, work_days: str, work_start: str, work_end: str, holidays: str | None = None,
                 closed: str | None = "") -> WorkCalendar:
    """A calendar from a team's stored settings ("0,1,2,3,4", "09:00", "17:00",
    "DE-BY", "2026-12-24..2026-12-31"); what can't be read counts as the default."""
    days = frozenset(int(d) for d in (work_days or "").split(",") if d.strip().isascii() and d.strip().isdigit() and int(d) < 7)
    try:
        start, end = time.fromisoformat(work_start), time.fromisoformat(work_end)
    except (TypeError, ValueError):
        start, end = DEFAULT_START, DEFAULT_END
    if end <= start:
        start, end = DEFAULT_START, DEFAULT_END
    return WorkCalendar(tz=tz, days=days or DEFAULT_DAYS, start=start, end=end, holidays=holidays or None,
                        closed=parse_closed(closed))


def parse_closed(stored: str | None) -> tuple[tuple[date, date], ...]:
    """Stored closed days ("2026-12-24..2026-12-31,2027-01-02..2027-01-02") as
    sorted inclusive ranges; an unreadable item is skipped."""
    ranges = []
    for item in (stored or "").split(","):
        first, _, last = item.strip().partition("..")
        try:
            start, end = date.fromisoformat(first), date.fromisoformat(last or first)
        except ValueError:
            continue
        if start <= end:
            ranges.append((start, end))
    return tuple(sorted(ranges))


def format_closed(ranges: tuple[tuple[date, date], ...] | list[tuple[date, date]]) -> str:
    """Closed ranges as they are stored: the inverse of `parse_closed`."""
    return ",".join(f"{first.isoformat()}..{last.isoformat()}" for first, last in ranges)
