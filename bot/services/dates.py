"""Due dates as people type them, read in the person's own time zone.

dateparser does the reading ("friday", "tomorrow 3pm", "in 2 days",
"2026-12-01", "dec 3"); it has no notion of "end of month/week", which people
do type, so those few phrases are turned into dates it knows first. A date
with no time of day means the end of that working day, not midnight.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import dateparser

_END_OF = re.compile(r"^\s*(?:by\s+)?(?:the\s+)?end\s+of\s+(?:the\s+)?(day|week|month)\s*$", re.I)
_HAS_TIME = re.compile(r"\d\s*(?:am|pm)\b|\d:\d\d|\bnoon\b|\bmidnight\b|\bin\s+\d+\s*(?:min|minute|hour|h)\b", re.I)
_RELATIVE = re.compile(r"\bin\s+\d+\s*(?:min|minute|hour|h)", re.I)


class DateNotUnderstood(ValueError):
    """The text is not a date we can read."""


class DateInPast(ValueError):
    """The text is a date, but it has already gone by."""


@dataclass(frozen=True)
class ParsedDate:
    moment: datetime  # aware UTC
    had_time: bool


def parse_when(phrase: str, *, now: datetime, tz: str, end_of_day: time = time(17, 0)) -> ParsedDate:
    """Read `phrase` as a moment in the future, in time zone `tz`.

    Raises:
        DateNotUnderstood: nothing date-like in `phrase`.
        DateInPast: it names a moment before `now`.
    """
    zone = ZoneInfo(tz)
    local_now = now.astimezone(zone)
    cleaned = phrase.strip()
    end = _END_OF.match(cleaned)
    if end:
        unit = end.group(1).lower()
        if unit == "day":
            day = local_now.date()
        elif unit == "week":
            day = local_now.date() + timedelta(days=(4 - local_now.weekday()) % 7)
        else:
            last = calendar.monthrange(local_now.year, local_now.month)[1]
            day = local_now.date().replace(day=last)
        moment = datetime.combine(day, end_of_day, zone)
        return _checked(ParsedDate(moment.astimezone(timezone.utc), False), now)
    parsed = dateparser.parse(
        cleaned,
        languages=["en"],
        settings={
            "PREFER_DATES_FROM": "future",
            "RELATIVE_BASE": local_now.replace(tzinfo=None),
            "TIMEZONE": tz,
            "TO_TIMEZONE": "UTC",
            "RETURN_AS_TIMEZONE_AWARE": True,
        },
    )
    if parsed is None:
        raise DateNotUnderstood(phrase)
    had_time = bool(_HAS_TIME.search(cleaned))
    if not had_time and not _RELATIVE.search(cleaned):
        local_day = parsed.astimezone(zone).date()
        parsed = datetime.combine(local_day, end_of_day, zone)
    return _checked(ParsedDate(parsed.astimezone(timezone.utc), had_time), now)


def _checked(result: ParsedDate, now: datetime) -> ParsedDate:
    if result.moment <= now:
        raise DateInPast(result.moment.isoformat())
    return result


def describe(moment: datetime, tz: str, *, now: datetime | None = None) -> str:
    """A moment as a person reads it in their zone: "Fri 27 Nov, 17:00 (EST)"."""
    local = moment.astimezone(ZoneInfo(tz))
    label = local.strftime("%a %-d %b")
    if now is not None and local.year != now.astimezone(ZoneInfo(tz)).year:
        label += local.strftime(" %Y")
    return f"{label}, {local:%H:%M} ({local.tzname()})"


def describe_span(delta: timedelta) -> str:
    """A duration in words a nudge can use: "3 h 20 min", "2 days 1 h"."""
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 60 * 24)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if hours:
        parts.append(f"{hours} h")
    if mins and not days:
        parts.append(f"{mins} min")
    return " ".join(parts) or "less than a minute"
