"""Granting and revoking roles, the first admin, and people who leave.

A fresh organisation gets its first admin from the first person who uses
Tandem (a marker setting makes that happen once, even when two newcomers
arrive together). Admins grant admin and HR; the last admin cannot step
down. A person who leaves is switched off, not deleted: their history
stays, their open work goes back to their teams' queues, and the teams they
led are flagged to the admins. Coming back undoes the switch.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from bot import access
from bot.messages import Text, text
from bot.problems import Problem
from bot.services import audit, lifecycle, nudges, outbox, settings, teams
from bot.services.people import ref
from bot.texts import access as say
from storage.models import AuditEntry, Person, Request, RequestEvent, Setting, Team
from storage.schedule import insert_ignore

FIRST_ADMIN_MARKER = "org.first_admin"
ROLES = ("admin", "hr")


def first_admin_chosen(session: Session) -> bool:
    """Whether the organisation has had its first admin. Once true it stays
    true (the marker is never removed), so a process may remember it."""
    return bool(settings.get(session, FIRST_ADMIN_MARKER))


def claim_first_admin(session: Session, person: Person, *, now: datetime) -> bool:
    """Make `person` the organisation's first admin if it has never had one.
    Returns True when they just became it."""
    if first_admin_chosen(session):
        return False
    if not insert_ignore(session, Setting(key=FIRST_ADMIN_MARKER, value=str(person.id))):
        return False  # someone else was first, a moment ago
    settings.forget(session)
    if access.is_admin(person):
        return False
    person.is_admin = True
    audit.record(session, actor=person, action="role.grant", subject=f"admin: {person.display_name}",
                 old="", new="first admin", now=now)
    return True


def has(person: Person, role: str) -> bool:
    return access.is_admin(person) if role == "admin" else access.is_hr(person)


def grant(session: Session, role: str, person: Person, *, by: Person, now: datetime) -> Text:
    """Give `person` the organisation role `role` ("admin" or "hr")."""
    name = say.ROLE_NAMES[role]
    if not person.active:
        raise Problem(say.INACTIVE_PERSON.format(name=person.display_name, doing=f"make {name}"))
    if (role == "admin" and person.is_admin) or (role == "hr" and person.is_hr):
        return (say.ALREADY_ROLE.format(name=person.display_name, role=name),)
    if role == "admin":
        person.is_admin = True
    else:
        person.is_hr = True
    audit.record(session, actor=by, action="role.grant", subject=f"{role}: {person.display_name}", old="",
                 new=role, now=now)
    return text(ref(person, ping=False), say.GRANTED.format(role=name))


def revoke(session: Session, role: str, person: Person, *, by: Person, now: datetime) -> Text:
    """Take the organisation role `role` from `person`."""
    name = say.ROLE_NAMES[role]
    if role == "admin":
        if not person.is_admin:
            if person.platform_admin:
                raise Problem(say.PLATFORM_ADMIN.format(name=person.display_name))
            return (say.NOT_ROLE.format(name=person.display_name, role=name),)
        others = [p for p in access.admins(session) if p.id != person.id]
        if not others and not person.platform_admin:
            raise Problem(say.LAST_ADMIN.format(name="You're" if person.id == by.id else f"{person.display_name} is"))
        person.is_admin = False
    else:
        if not person.is_hr:
            return (say.NOT_ROLE.format(name=person.display_name, role=name),)
        person.is_hr = False
    audit.record(session, actor=by, action="role.revoke", subject=f"{role}: {person.display_name}", old=role,
                 new="", now=now)
    return text(ref(person, ping=False), say.REVOKED.format(role=name))


def set_active(session: Session, person: Person, *, active: bool, by: Person | None, now: datetime) -> bool:
    """Switch a person off (they left) or on again; False if nothing changed."""
    if person.active == active:
        return False
    if not active and access.is_admin(person) and not [p for p in access.admins(session) if p.id != person.id]:
        raise Problem(say.LAST_ADMIN.format(name=f"{person.display_name} is"))
    person.active = active
    person.deactivated_at = None if active else now
    audit.record(session, actor=by, action="person.reactivate" if active else "person.deactivate",
                 subject=person.display_name, old="inactive" if active else "active",
                 new="active" if active else "inactive", now=now)
    if not active:
        _hand_back_work(session, person, by=by, now=now)
        _flag_teams_they_led(session, person, now=now)
    return True


def platform_reactivate(session: Session, person: Person, *, now: datetime) -> bool:
    """The platform says `person` is back: switch them on if the platform
    (not an admin) switched them off. Slack sends the same event for every
    profile change, so an admin's decision is never undone by a new status."""
    if person.active:
        return False
    last = session.exec(select(AuditEntry).where(AuditEntry.action == "person.deactivate",
                                                 AuditEntry.subject == person.display_name)
                        .order_by(AuditEntry.id.desc())).first()  # type: ignore[union-attr]
    if last is None or last.actor_id is not None:
        return False
    return set_active(session, person, active=True, by=None, now=now)


def _hand_back_work(session: Session, person: Person, *, by: Person | None, now: datetime) -> None:
    """Their open requests go back to the team's queue, and the team is told."""
    held = session.exec(select(Request).where(Request.assignee_id == person.id,
                                              Request.status.in_(sorted(lifecycle.OPEN_STATES)))  # type: ignore[attr-defined]
                        .order_by(col(Request.id))).all()
    by_team: dict[int, list[Request]] = {}
    for req in held:
        req.assignee_id = None
        if req.status in (lifecycle.RequestStatus.CLAIMED, lifecycle.RequestStatus.IN_PROGRESS):
            req.status = lifecycle.RequestStatus.OPEN
        req.updated_at = now
        team = session.get(Team, req.team_id)
        assert team is not None
        req.next_nudge_at = nudges.next_check(req, teams.calendar(team), now)
        assert req.id is not None  # a stored request has its id
        session.add(RequestEvent(request_id=req.id, actor_id=by.id if by else None, kind="unassigned",
                                 note=f"{person.display_name} left", created_at=now))
        by_team.setdefault(req.team_id, []).append(req)
    for team_id, reqs in by_team.items():
        team = session.get(Team, team_id)
        assert team is not None
        intake = outbox.team_intake(team, access.lead_of(session, team))
        if intake is not None:
            outbox.notify(session, intake, say.left_notice_team(team.name, person, [r.id for r in reqs if r.id]),
                          key=f"person-left:{person.id}:{team_id}:{now.isoformat()}", now=now)


def _flag_teams_they_led(session: Session, person: Person, *, now: datetime) -> None:
    led = session.exec(select(Team).where(Team.lead_id == person.id)).all()
    for team in led:
        for admin in access.admins(session):
            outbox.notify(session, outbox.to_person(admin), say.lead_left_notice(team.name, person, team.handle),
                          key=f"lead-left:{team.id}:{person.id}:{admin.id}:{now.isoformat()}", now=now)


def deactivated_text(session: Session) -> Text:
    names = ", ".join(p.display_name for p in access.admins(session)[:5]) or "your Slack or Teams admin"
    return (say.DEACTIVATED.format(admins=names),)
