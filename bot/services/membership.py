"""Who is in a team: join requests, the lead's decision, adding, removing,
and naming the lead. Every change is in the audit trail.

Joining is a request, never a fact: a member reads and moves the team's
private requests, so the lead (or, for a team without one, an admin)
decides. The request reaches them as a message with Approve and Decline.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from bot import access
from bot.messages import Span, Text, text
from bot.problems import Problem
from bot.services import audit, outbox, teams
from bot.services.people import ref
from bot.texts import tandem as say
from storage.models import JoinRequest, Person, Team


def ask_to_join(session: Session, team: Team, person: Person, *, now: datetime) -> Text:
    """File a join request and tell whoever decides; admins and the lead join at once."""
    if teams.is_member(session, team, person):
        return (say.ALREADY_IN.format(name=team.name),)
    lead = access.lead_of(session, team)
    if access.is_admin(person) or (lead is not None and lead.id == person.id):
        teams.join(session, team, person, now)
        audit.record(session, actor=person, action="team.member.add", subject=team.handle,
                     new=person.display_name, now=now)
        return (say.WELCOME.format(name=team.name, handle=team.handle),)
    if session.get(JoinRequest, (team.id, person.id)) is not None:
        return (say.JOIN_PENDING.format(name=team.name),)
    assert team.id is not None and person.id is not None  # stored rows have their ids
    session.add(JoinRequest(team_id=team.id, person_id=person.id, created_at=now))
    deciders = [lead] if lead is not None else access.admins(session)
    for decider in deciders:
        outbox.notify(session, outbox.to_person(decider), say.join_request(team, person),
                      key=f"join:{team.id}:{person.id}:{decider.id}:{now.isoformat()}", now=now)
    who = text(ref(lead, ping=False)) if lead is not None else (say.THE_ADMINS,)
    return text(say.JOIN_ASKED.format(name=team.name), who, ".")


def pending(session: Session, team: Team) -> list[Person]:
    """People waiting for the team's answer, oldest first."""
    return list(session.exec(select(Person).join(JoinRequest, col(JoinRequest.person_id) == Person.id)
                             .where(JoinRequest.team_id == team.id).order_by(col(JoinRequest.created_at))).all())


def decide(session: Session, team: Team, person: Person, *, approve: bool, by: Person, now: datetime) -> Text:
    row = session.get(JoinRequest, (team.id, person.id))
    if row is None:
        if approve and teams.is_member(session, team, person):
            return text(ref(person, ping=False), say.ALREADY_MEMBER.format(name=team.name))
        raise Problem(say.NO_SUCH_JOIN_REQUEST)
    session.delete(row)
    if approve:
        teams.join(session, team, person, now)
    audit.record(session, actor=by, action="team.join." + ("approve" if approve else "decline"),
                 subject=team.handle, new=person.display_name, now=now)
    outbox.notify(session, outbox.to_person(person), say.join_decided(team, by, approve),
                  key=f"join-decided:{team.id}:{person.id}:{now.isoformat()}", now=now)
    return text(ref(person, ping=False), say.APPROVED.format(name=team.name) if approve
                else say.DECLINED.format(name=team.name))


def add(session: Session, team: Team, people: list[Person], *, by: Person, now: datetime) -> Text:
    added = []
    for person in people:
        if not person.active:
            raise Problem(say.INACTIVE.format(name=person.display_name))
        if teams.join(session, team, person, now):
            added.append(person)
            audit.record(session, actor=by, action="team.member.add", subject=team.handle,
                         new=person.display_name, now=now)
            pending_row = session.get(JoinRequest, (team.id, person.id))
            if pending_row is not None:
                session.delete(pending_row)
            if person.id != by.id:
                outbox.notify(session, outbox.to_person(person), say.join_decided(team, by, True),
                              key=f"member-added:{team.id}:{person.id}:{now.isoformat()}", now=now)
    if not added:
        return (say.NOTHING_CHANGED_MEMBERS.format(name=team.name),)
    return text(*_names(added), say.NOW_IN.format(name=team.name))


def remove(session: Session, team: Team, people: list[Person], *, by: Person, now: datetime) -> Text:
    removed = []
    for person in people:
        was_lead = team.lead_id == person.id
        if teams.leave(session, team, person):
            removed.append(person)
            audit.record(session, actor=by, action="team.member.remove", subject=team.handle,
                         old=person.display_name + (" (lead)" if was_lead else ""), now=now)
    if not removed:
        return (say.NOTHING_CHANGED_MEMBERS.format(name=team.name),)
    return text(*_names(removed), say.NO_LONGER_IN.format(name=team.name))


def make_lead(session: Session, team: Team, person: Person, *, by: Person, now: datetime) -> None:
    if not person.active:
        raise Problem(say.INACTIVE.format(name=person.display_name))
    team.lead_id = person.id
    if teams.join(session, team, person, now):
        audit.record(session, actor=by, action="team.member.add", subject=team.handle, new=person.display_name,
                     now=now)


def _names(people: list[Person]) -> list[Span]:
    out: list[Span] = []
    for i, person in enumerate(people):
        if i:
            out.append(" and " if i == len(people) - 1 else ", ")
        out.append(ref(person, ping=False))
    return out
