"""Working time: service standards count hours a team is at work, not wall time.

A `WorkCalendar` is a time zone, working weekdays and daily hours. Nothing on
PyPI that is maintained does intraday business hours with `zoneinfo`, so this
walks day by day in the team's local time; each step is a whole local day, so
daylight-saving changes fall out of `zoneinfo` rather than special cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class WorkCalendar:
    tz: str = "UTC"
    days: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    start: time = time(9, 0)
    end: time = time(17, 0)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    @property
    def day_length(self) -> timedelta:
        return datetime.combine(date.min, self.end) - datetime.combine(date.min, self.start)

    def _window(self, day: date) -> tuple[datetime, datetime] | None:
        if day.weekday() not in self.days:
            return None
        zone = self.zone
        return (
            datetime.combine(day, self.start, zone).astimezone(timezone.utc),
            datetime.combine(day, self.end, zone).astimezone(timezone.utc),
        )

    def is_working(self, moment: datetime) -> bool:
        window = self._window(moment.astimezone(self.zone).date())
        return window is not None and window[0] <= moment < window[1]

    def next_working_moment(self, moment: datetime) -> datetime:
        """`moment` itself if at work, else the start of the next working period."""
        day = moment.astimezone(self.zone).date()
        for _ in range(370):
            window = self._window(day)
            if window is not None:
                if moment < window[0]:
                    return window[0]
                if moment < window[1]:
                    return moment
            day += timedelta(days=1)
        raise ValueError("calendar has no working days")

    def add(self, moment: datetime, amount: timedelta) -> datetime:
        """The moment `amount` of working time after `moment`."""
        remaining = amount
        current = self.next_working_moment(moment)
        for _ in range(3700):
            window = self._window(current.astimezone(self.zone).date())
            assert window is not None
            available = window[1] - current
            if remaining <= available:
                return current + remaining
            remaining -= available
            current = self.next_working_moment(window[1])
        raise ValueError("working time too far ahead")

    def between(self, start: datetime, end: datetime) -> timedelta:
        """Working time elapsed from `start` to `end` (zero if end ≤ start)."""
        total = timedelta(0)
        if end <= start:
            return total
        day = start.astimezone(self.zone).date()
        last = end.astimezone(self.zone).date()
        while day <= last:
            window = self._window(day)
            if window is not None:
                lo, hi = max(window[0], start), min(window[1], end)
                if hi > lo:
                    total += hi - lo
            day += timedelta(days=1)
        return total


def calendar_for(*, tz: str, work_days: str, work_start: str, work_end: str) -> WorkCalendar:
    """A calendar from a team's stored settings ("0,1,2,3,4", "09:00", "17:00")."""
    days = frozenset(int(d) for d in work_days.split(",") if d.strip())
    return WorkCalendar(
        tz=tz,
        days=days,
        start=time.fromisoformat(work_start),
        end=time.fromisoformat(work_end),
    )
