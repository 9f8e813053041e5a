"""Internal teams: who is in them, who leads, where requests land, and the
working hours and service standard their clocks run on."""

from __future__ import annotations

import re
from datetime import datetime, time

from sqlmodel import Session, select

from bot.problems import Problem
from bot.services.people import valid_timezone
from bot.services.worktime import WorkCalendar, calendar_for
from storage.models import Person, Team, TeamMember

HANDLE = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
DAY_NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def by_handle(session: Session, handle: str) -> Team:
    """The team called `handle` (case-insensitive), or a polite Problem."""
    team = session.exec(select(Team).where(Team.handle == handle.lower().lstrip("@"))).first()
    if team is None:
        known = ", ".join(sorted(t.handle for t in session.exec(select(Team)).all())) or "none yet"
        raise Problem(f"There is no team called “{handle[:40]}”. Teams: {known}.", field="team")
    return team


def members(session: Session, team: Team) -> list[Person]:
    return list(
        session.exec(
            select(Person).join(TeamMember, TeamMember.person_id == Person.id).where(TeamMember.team_id == team.id)
        ).all()
    )


def is_member(session: Session, team: Team, person: Person) -> bool:
    return session.get(TeamMember, (team.id, person.id)) is not None


def teams_of(session: Session, person: Person) -> list[Team]:
    return list(
        session.exec(
            select(Team).join(TeamMember, TeamMember.team_id == Team.id).where(TeamMember.person_id == person.id)
        ).all()
    )


def calendar(team: Team) -> WorkCalendar:
    return calendar_for(tz=team.timezone, work_days=team.work_days, work_start=team.work_start, work_end=team.work_end)


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
    session.add(TeamMember(team_id=team.id, person_id=creator.id, joined_at=now))
    return team


def join(session: Session, team: Team, person: Person, now: datetime) -> bool:
    if is_member(session, team, person):
        return False
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


SETTINGS_USAGE = ("`/tandem team edit <team> name|lead|channel|timezone|hours|days|first-response|resolution "
                  "<value>`, e.g. `/tandem team edit it hours 08:00-16:00`.")


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
    }
    return shown.get(field, "")


def apply_setting(team: Team, field: str, value: str) -> None:
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
        team.first_response_hours = parse_duration_hours(value, day_hours=cal_hours)
    elif field == "resolution":
        team.resolution_days = parse_duration_hours(value, day_hours=cal_hours) / cal_hours
    else:
        raise Problem(SETTINGS_USAGE)


def parse_hours(value: str) -> tuple[str, str]:
    match = re.fullmatch(r"(\d{1,2}(?::\d\d)?)\s*-\s*(\d{1,2}(?::\d\d)?)", value.strip())
    if not match:
        raise Problem("Working hours look like 09:00-17:00.")
    start, end = (_hhmm(part) for part in match.groups())
    if time.fromisoformat(start) >= time.fromisoformat(end):
        raise Problem("Working hours must end after they start, like 09:00-17:00.")
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
    """"4h", "90m", "3d" (working days of `day_hours`) → hours."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(h|hours?|m|min|minutes?|d|days?)", value.strip().lower())
    if not match:
        raise Problem(f"“{value[:20]}” is not a duration; try 4h, 90m or 3d.")
    amount, unit = float(match.group(1)), match.group(2)[0]
    hours = amount * day_hours if unit == "d" else amount / 60 if unit == "m" else amount
    if hours <= 0:
        raise Problem("A target must be longer than zero.")
    return hours


def check_timezone(name: str) -> str:
    if not valid_timezone(name):
        raise Problem(f"“{name[:40]}” is not a time zone I know; use a name like Europe/Paris or America/New_York.")
    return name
