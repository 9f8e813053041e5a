"""Internal teams: who is in them, who leads, where requests land, and the
working hours, holidays, closed days and service standard their clocks run on.

Everything a lead types into `/tandem team edit` is read and bounded here, so
what is stored can always be counted: a target of `100000d` or a closed range
that runs backwards is refused with the value echoed, never stored.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timedelta

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from bot.problems import Problem
from bot.services import causes, holiday_calendars
from bot.services.people import valid_timezone
from bot.services.worktime import WorkCalendar, calendar_for, format_closed, parse_closed
from bot.texts import calendar as say
from storage.models import Person, Team, TeamMember

FIRST_RESPONSE_MAX_DAYS = 20  # working days; storage/migrations/versions/0501 clamps to the same
RESOLUTION_MAX_DAYS = 250  # about a working year
MIN_TARGET = timedelta(minutes=1)
MIN_DAY = timedelta(hours=1)
DEFAULT_FIRST_RESPONSE_HOURS = 4.0
DEFAULT_RESOLUTION_DAYS = 3.0
CLOSED_RANGES_MAX = 20
CLOSED_RANGE_MAX_DAYS = 366
CLOSED_EARLIEST = date(2000, 1, 1)
_CLOSED_ITEM = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\.\.(\d{4}-\d{2}-\d{2}))?$")

HANDLE = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
DAY_NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

_BY_HANDLE = select(Team).where(Team.handle == bindparam("handle"))  # built once: every /ask reads it


def by_handle(session: Session, handle: str) -> Team:
    """The team called `handle` (case-insensitive), or a polite Problem."""
    team = session.exec(_BY_HANDLE, params={"handle": handle.lower().lstrip("@")}).first()
    if team is None:
        known = ", ".join(sorted(t.handle for t in session.exec(select(Team)).all())) or "none yet"
        raise Problem(f"There is no team called “{handle[:40]}”. Teams: {known}.", field="team")
    return team


def members(session: Session, team: Team) -> list[Person]:
    return list(
        session.exec(
            select(Person).join(TeamMember, col(TeamMember.person_id) == Person.id).where(TeamMember.team_id == team.id)
        ).all()
    )


def is_member(session: Session, team: Team, person: Person) -> bool:
    return session.get(TeamMember, (team.id, person.id)) is not None


def teams_of(session: Session, person: Person) -> list[Team]:
    return list(
        session.exec(
            select(Team).join(TeamMember, col(TeamMember.team_id) == Team.id).where(TeamMember.person_id == person.id)
        ).all()
    )


def calendar(team: Team) -> WorkCalendar:
    """The team's working calendar: zone, days, hours, public holidays and closed days."""
    return calendar_for(tz=team.timezone, work_days=team.work_days, work_start=team.work_start, work_end=team.work_end,
                        holidays=team.holidays, closed=team.closed_days)


def first_response_target(team: Team, cal: WorkCalendar | None = None) -> timedelta:
    """The team's first-response target as working time, within bounds even
    for a value stored before targets were bounded."""
    cal = cal or calendar(team)
    return _bounded_target(team.first_response_hours, DEFAULT_FIRST_RESPONSE_HOURS,
                           cal.day_length * FIRST_RESPONSE_MAX_DAYS)


def resolution_target(team: Team, cal: WorkCalendar | None = None) -> timedelta:
    """The team's resolution target as working time (its days are the team's working days)."""
    cal = cal or calendar(team)
    day_hours = cal.day_length.total_seconds() / 3600
    days = team.resolution_days if _finite(team.resolution_days) else DEFAULT_RESOLUTION_DAYS
    return _bounded_target(days * day_hours, DEFAULT_RESOLUTION_DAYS * day_hours, cal.day_length * RESOLUTION_MAX_DAYS)


def _finite(value: float | None) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value) and value > 0


def _bounded_target(hours: float | None, default_hours: float, most: timedelta) -> timedelta:
    if not _finite(hours):
        hours = default_hours
    assert hours is not None
    return min(timedelta(hours=min(hours, most.total_seconds() / 3600)), most)


def create(session: Session, *, handle: str, name: str, creator: Person, now: datetime, tz: str) -> Team:
    handle = handle.lower()
    if not HANDLE.match(handle):
        raise Problem(
            f"“{handle[:40]}” can't be a team handle: use a short word of letters, digits, - or _ (like it or people-ops)."
        )
    if session.exec(select(Team).where(Team.handle == handle)).first() is not None:
        raise Problem(f"There is already a team called {handle}.")
    team = Team(handle=handle, name=(name or handle.upper())[:120], lead_id=creator.id, timezone=tz, created_at=now)
    session.add(team)
    session.flush()
    assert team.id is not None and creator.id is not None  # flushed and stored rows have their ids
    session.add(TeamMember(team_id=team.id, person_id=creator.id, joined_at=now))
    return team


def join(session: Session, team: Team, person: Person, now: datetime) -> bool:
    if is_member(session, team, person):
        return False
    assert team.id is not None and person.id is not None  # stored rows have their ids
    session.add(TeamMember(team_id=team.id, person_id=person.id, joined_at=now))
    return True


def leave(session: Session, team: Team, person: Person) -> bool:
    row = session.get(TeamMember, (team.id, person.id))
    if row is None:
        return False
    session.delete(row)
    if team.lead_id == person.id:
        team.lead_id = None
    return True


SETTINGS_USAGE = ("`/tandem team edit <team> name|lead|channel|timezone|hours|days|first-response|resolution|"
                  "holidays|closed|causes <value>`, e.g. `/tandem team edit it hours 08:00-16:00` or "
                  "`/tandem team edit it holidays DE-BY`.")


def describe_setting(team: Team, field: str) -> str:
    """A team setting as the audit trail shows it."""
    shown = {
        "name": team.name,
        "lead": str(team.lead_id or ""),
        "channel": f"{team.intake_platform}:{team.intake_channel}" if team.intake_channel else "",
        "timezone": team.timezone, "tz": team.timezone,
        "hours": f"{team.work_start}-{team.work_end}",
        "days": describe_days(team.work_days),
        "first-response": f"{team.first_response_hours:g}h", "response": f"{team.first_response_hours:g}h",
        "resolution": f"{team.resolution_days:g}d",
        "holidays": team.holidays or "",
        "closed": team.closed_days or "",
        "causes": team.causes or "",
    }
    return shown.get(field, "")


def apply_setting(team: Team, field: str, value: str, *, today: date, horizon: timedelta) -> None:
    """Change one of a team's own settings from what was typed.

    Raises:
        Problem: an unknown setting or a value it can't take.
    """
    cal_hours = calendar(team).day_length.total_seconds() / 3600
    if field == "name":
        team.name = value[:120]
    elif field in {"timezone", "tz"}:
        team.timezone = check_timezone(value)
    elif field == "hours":
        team.work_start, team.work_end = parse_hours(value)
    elif field == "days":
        team.work_days = parse_days(value)
    elif field in {"first-response", "response"}:
        team.first_response_hours = parse_first_response(value, day_hours=cal_hours)
    elif field == "resolution":
        team.resolution_days = parse_resolution(value, day_hours=cal_hours)
    elif field == "holidays":
        team.holidays = parse_holidays(value)
    elif field == "closed":
        team.closed_days = edit_closed(team.closed_days, value, today=today, horizon=horizon)
    elif field == "causes":
        team.causes = causes.edit(team, value)
    else:
        raise Problem(SETTINGS_USAGE)


def parse_hours(value: str) -> tuple[str, str]:
    match = re.fullmatch(r"(\d{1,2}(?::\d\d)?)\s*-\s*(\d{1,2}(?::\d\d)?)", value.strip())
    if not match:
        raise Problem("Working hours look like 09:00-17:00.")
    start, end = (_hhmm(part) for part in match.groups())
    if time.fromisoformat(start) >= time.fromisoformat(end):
        raise Problem("Working hours must end after they start, like 09:00-17:00.")
    length = datetime.combine(date.min, time.fromisoformat(end)) - datetime.combine(date.min, time.fromisoformat(start))
    if length < MIN_DAY:
        raise Problem(say.HOURS_TOO_SHORT.format(hours=value.strip()[:40]))
    return start, end


def _hhmm(value: str) -> str:
    hours, _, minutes = value.partition(":")
    if int(hours) > 23 or (minutes and int(minutes) > 59):
        raise Problem("Working hours look like 09:00-17:00.")
    return f"{int(hours):02d}:{int(minutes or 0):02d}"


def parse_days(value: str) -> str:
    """"mon-fri", "sun-thu" or "mon,tue,thu" → "0,1,2,3,4"."""
    value = value.strip().lower()
    try:
        if "-" in value:
            first, last = (DAY_NAMES.index(p.strip()[:3]) for p in value.split("-", 1))
            days = [(first + i) % 7 for i in range(((last - first) % 7) + 1)]
        else:
            days = sorted({DAY_NAMES.index(p.strip()[:3]) for p in value.split(",") if p.strip()})
    except ValueError:
        raise Problem("Working days look like mon-fri, sun-thu or mon,tue,thu.") from None
    if not days:
        raise Problem("Working days look like mon-fri, sun-thu or mon,tue,thu.")
    return ",".join(str(d) for d in days)


def describe_days(work_days: str) -> str:
    days = [int(d) for d in work_days.split(",") if d]
    return ", ".join(DAY_NAMES[d].capitalize() for d in days)


def parse_duration_hours(value: str, *, day_hours: float) -> float:
    """"4h", "90m", "3d" (working days of `day_hours`) → hours (unbounded: see the two below)."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(h|hours?|m|min|minutes?|d|days?)", value.strip().lower())
    if not match:
        raise Problem(f"“{value[:20]}” is not a duration; try 4h, 90m or 3d.")
    amount, unit = float(match.group(1)), match.group(2)[0]
    hours = amount * day_hours if unit == "d" else amount / 60 if unit == "m" else amount
    if hours <= 0:
        raise Problem("A target must be longer than zero.")
    return hours


def parse_first_response(value: str, *, day_hours: float) -> float:
    """A first-response target typed by a lead → hours, between a minute and 20 working days."""
    return _target(value, day_hours=day_hours, most_days=FIRST_RESPONSE_MAX_DAYS, label="first-response")


def parse_resolution(value: str, *, day_hours: float) -> float:
    """A resolution target typed by a lead → working days, between a minute and 250 working days."""
    return _target(value, day_hours=day_hours, most_days=RESOLUTION_MAX_DAYS, label="resolution") / day_hours


def _target(value: str, *, day_hours: float, most_days: int, label: str) -> float:
    hours = parse_duration_hours(value, day_hours=day_hours)
    most = most_days * day_hours
    if not math.isfinite(hours) or hours > most:
        raise Problem(say.TARGET_TOO_LONG.format(value=value.strip()[:60], label=label, days=most_days,
                                                 hours=f"{most:g}"))
    if hours * 3600 < MIN_TARGET.total_seconds():
        raise Problem(say.TARGET_TOO_SHORT.format(value=value.strip()[:60], label=label))
    return hours


def check_timezone(name: str) -> str:
    if not valid_timezone(name):
        raise Problem(f"“{name[:40]}” is not a time zone I know; use a name like Europe/Paris or America/New_York.")
    return name


def parse_holidays(value: str) -> str | None:
    """`/tandem team edit it holidays DE-BY` → "DE-BY"; "off" → None (no public holidays)."""
    typed = value.strip()
    if typed.lower() in {"off", "none", "no", "clear"}:
        return None
    try:
        return holiday_calendars.canonical(typed)
    except holiday_calendars.UnknownHolidayCalendar as unknown:
        if unknown.country is not None:
            raise Problem(say.HOLIDAYS_UNKNOWN_REGION.format(code=typed[:40], country=unknown.country,
                                                             regions=", ".join(unknown.regions))) from None
        raise Problem(say.HOLIDAYS_UNKNOWN.format(code=typed[:40])) from None


def edit_closed(stored: str | None, value: str, *, today: date, horizon: timedelta) -> str:
    """`closed 2026-12-24..2026-12-31 2027-01-02` sets the closed days, `closed add …`
    adds to them, `closed remove …` opens days again, `closed off` clears them.

    Returns:
        The closed days as stored (merged, sorted ranges).
    """
    words = value.replace(",", " ").split()
    if not words:
        raise Problem(say.CLOSED_USAGE)
    verb = words[0].lower()
    if verb in {"off", "none", "clear"} and len(words) == 1:
        return ""
    if verb in {"add", "remove"}:
        words = words[1:]
        if not words:
            raise Problem(say.CLOSED_USAGE)
    days = _days_of(parse_closed(stored))
    typed = _closed_ranges(words, today=today, horizon=horizon)
    if verb == "remove":
        days -= _days_of(typed)
    elif verb == "add":
        days |= _days_of(typed)
    else:
        days = _days_of(typed)
    ranges = _ranges_of(days)
    if len(ranges) > CLOSED_RANGES_MAX:
        raise Problem(say.CLOSED_TOO_MANY.format(most=CLOSED_RANGES_MAX, count=len(ranges)))
    return format_closed(ranges)


def _closed_ranges(words: list[str], *, today: date, horizon: timedelta) -> list[tuple[date, date]]:
    latest = today + horizon
    ranges = []
    for word in words:
        match = _CLOSED_ITEM.match(word.replace("–", "..").replace("—", ".."))
        if not match:
            raise Problem(say.CLOSED_UNREADABLE.format(value=word[:60]))
        try:
            first = date.fromisoformat(match.group(1))
            last = date.fromisoformat(match.group(2) or match.group(1))
        except ValueError:
            raise Problem(say.CLOSED_NO_SUCH_DAY.format(value=word[:60])) from None
        if last < first:
            raise Problem(say.CLOSED_REVERSED.format(value=word[:60]))
        if (last - first).days + 1 > CLOSED_RANGE_MAX_DAYS:
            raise Problem(say.CLOSED_TOO_LONG.format(value=word[:60], most=CLOSED_RANGE_MAX_DAYS))
        if first < CLOSED_EARLIEST or last > latest:
            raise Problem(say.CLOSED_OUT_OF_RANGE.format(value=word[:60], earliest=CLOSED_EARLIEST.isoformat(),
                                                         latest=latest.isoformat()))
        ranges.append((first, last))
    return ranges


def _days_of(ranges: list[tuple[date, date]] | tuple[tuple[date, date], ...]) -> set[date]:
    days: set[date] = set()
    for first, last in ranges:  # a stored range is bounded when typed; a corrupt one is cut, never expanded
        count = min((last - first).days + 1, CLOSED_RANGE_MAX_DAYS * CLOSED_RANGES_MAX)
        days.update(first + timedelta(days=n) for n in range(count))
    return days


def _ranges_of(days: set[date]) -> list[tuple[date, date]]:
    ranges: list[tuple[date, date]] = []
    for day in sorted(days):
        if ranges and ranges[-1][1] + timedelta(days=1) == day:
            ranges[-1] = (ranges[-1][0], day)
        else:
            ranges.append((day, day))
    return ranges
