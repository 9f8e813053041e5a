"""Who may do what: the roles, and the one check every command, button and
form passes before its body runs.

Roles are relative to what a command is about, its *subject*: admin and HR
hold across the organisation; a team's lead and members hold for that team
and its requests; a request's requester for that request; everyone is
everyone. Each registration in `bot.registry` names the roles it allows, and
`bot.core` calls `check()` for it, so no command decides rights on its own.
A refusal names who can do it, so the person knows whom to ask.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Union

from sqlmodel import Session, select

from bot.messages import Span, Text, text
from bot.problems import Problem
from bot.services.people import ref
from bot.texts import access as say
from storage.models import Person, Request, Team, TeamMember

Subject = Union[Team, Request, None]


class Role(StrEnum):
    """What a person is, towards a subject."""

    EVERYONE = "everyone"
    ADMIN = "admin"
    HR = "hr"
    LEAD = "lead"
    MEMBER = "member"
    REQUESTER = "requester"


EVERYONE = frozenset({Role.EVERYONE})
ADMINS = frozenset({Role.ADMIN})
HR_OR_ADMIN = frozenset({Role.HR, Role.ADMIN})
LEAD_OR_ADMIN = frozenset({Role.LEAD, Role.ADMIN})
TEAM = frozenset({Role.MEMBER, Role.LEAD})
PARTIES = frozenset({Role.REQUESTER, Role.MEMBER, Role.LEAD})
REQUESTER = frozenset({Role.REQUESTER})
LEAD = frozenset({Role.LEAD})
# The order refusals name roles in: the most likely person to ask first.
NAMING_ORDER = (Role.REQUESTER, Role.LEAD, Role.MEMBER, Role.HR, Role.ADMIN)


def is_admin(person: Person) -> bool:
    """Granted in Tandem, or an admin of the platform itself (Slack owners and admins)."""
    return person.active and (person.is_admin or person.platform_admin)


def is_hr(person: Person) -> bool:
    return person.active and person.is_hr


def team_of(session: Session, subject: Subject) -> Team | None:
    if isinstance(subject, Team):
        return subject
    if isinstance(subject, Request):
        return session.get(Team, subject.team_id)
    return None


def lead_of(session: Session, team: Team) -> Person | None:
    """The team's lead while they are with the company; a team whose lead
    left is led by nobody (and edited by admins only) until one is named."""
    if team.lead_id is None:
        return None
    lead = session.get(Person, team.lead_id)
    return lead if lead is not None and lead.active else None


def is_member(session: Session, team: Team, person: Person) -> bool:
    return session.get(TeamMember, (team.id, person.id)) is not None


def roles_of(session: Session, person: Person, subject: Subject) -> frozenset[Role]:
    """Every role `person` holds towards `subject`."""
    held = {Role.EVERYONE}
    if is_admin(person):
        held.add(Role.ADMIN)
    if is_hr(person):
        held.add(Role.HR)
    team = team_of(session, subject)
    if team is not None:
        lead = lead_of(session, team)
        if lead is not None and lead.id == person.id:
            held.add(Role.LEAD)
        if is_member(session, team, person):
            held.add(Role.MEMBER)
    if isinstance(subject, Request) and subject.requester_id == person.id:
        held.add(Role.REQUESTER)
    return frozenset(held)


def can_see(session: Session, req: Request, viewer: Person) -> bool:
    """A private request is for its requester, its team and admins only."""
    if not req.private or req.requester_id == viewer.id or is_admin(viewer):
        return True
    team = session.get(Team, req.team_id)
    return team is not None and is_member(session, team, viewer)


def check(session: Session, person: Person, subject: Subject, allowed: frozenset[Role], doing: str) -> None:
    """Raise a polite `Problem` naming who may, unless `person` may do it.

    Args:
        session: the command's transaction.
        person: who is acting.
        subject: the team or request the command is about, if any.
        allowed: the roles the registration allows.
        doing: what the command does, for the refusal ("change IT Help's hours").
    """
    if roles_of(session, person, subject) & allowed:
        return
    raise Problem(refusal(session, subject, allowed, doing))


def refusal(session: Session, subject: Subject, allowed: frozenset[Role], doing: str) -> Text:
    """"Only an admin or IT Help's lead (@alice) can change IT Help's hours." """
    team = team_of(session, subject)
    who: list[Text] = []
    leaderless = team is not None and Role.LEAD in allowed and lead_of(session, team) is None
    for role in NAMING_ORDER:
        if role not in allowed:
            continue
        if role == Role.ADMIN:
            who.append((say.AN_ADMIN,))
        elif role == Role.HR:
            who.append((say.HR,))
        elif role == Role.LEAD and team is not None:
            lead = lead_of(session, team)
            if lead is not None:
                who.append(text(f"{team.name}'s lead (", ref(lead, ping=False), ")"))
            elif allowed == frozenset({Role.LEAD}):
                who.append((f"{team.name}'s lead",))
        elif role == Role.MEMBER and team is not None:
            who.append((f"members of {team.name}",))
        elif role == Role.REQUESTER and isinstance(subject, Request):
            requester = session.get(Person, subject.requester_id)
            who.append(text("its requester (", ref(requester, ping=False), ")") if requester is not None
                       else ("its requester",))
    parts: list[Span | Text] = [say.ONLY]
    for i, phrase in enumerate(who):
        if i:
            parts.append(" or " if i == len(who) - 1 else ", ")
        parts.append(phrase)
    parts.append(f" can {doing}")
    parts.append(say.NO_LEAD.format(team=team.name) if leaderless and team is not None else ".")
    if Role.MEMBER in allowed and team is not None:
        parts.append(say.ASK_TO_JOIN.format(handle=team.handle))
    return text(*parts)


def admins(session: Session) -> list[Person]:
    """Everyone who is an admin now, by name."""
    rows = session.exec(select(Person).where(Person.active == True)  # noqa: E712
                        .order_by(Person.display_name)).all()
    return [p for p in rows if is_admin(p)]


def hr_people(session: Session) -> list[Person]:
    rows = session.exec(select(Person).where(Person.active == True, Person.is_hr == True)  # noqa: E712
                        .order_by(Person.display_name)).all()
    return list(rows)
