"""Giving a request to someone (`assign`) or to another team (`move`).

Both are verbs of the lifecycle table and run through
`bot.services.requests.transition` (its conditional update makes them
atomic); this module holds their effects and whom they tell. Whoever held a
request that is taken over hears of it; a move tells the requester and both
teams, restarts the service clock on the new team's standard and posts the
card in the new team's channel, while the old team's card says where it went.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import Session

from bot import access
from bot.problems import Problem
from bot.services import outbox, teams
from bot.services.lifecycle import RequestStatus
from bot.services.people import ref
from bot.texts import handover as say
from storage.models import Person, Request, RequestEvent, Team

if TYPE_CHECKING:
    from bot.services.requests import Change


def may_hold(session: Session, team: Team, person: Person) -> bool:
    """Only the team's members and its lead hold its requests."""
    if not person.active:
        return False
    lead = access.lead_of(session, team)
    return (lead is not None and lead.id == person.id) or teams.is_member(session, team, person)


def assign(session: Session, req: Request, change: Change) -> str:
    """Give `req` to `change.person`; an open request becomes claimed."""
    who = change.person
    if who is None:
        raise Problem(say.ASSIGN_WHOM.format(id=req.id), echo=change.note or None)
    if not may_hold(session, change.team, who):
        raise Problem(ref(who, ping=False), say.ASSIGN_OUTSIDER.format(team=change.team.name, handle=change.team.handle),
                      echo=change.note or None)
    if req.assignee_id == who.id:
        raise Problem(say.ASSIGN_ALREADY.format(id=req.id), ref(who, ping=False), ".")
    previous = session.get(Person, req.assignee_id) if req.assignee_id else None
    req.assignee_id = who.id
    if req.status == RequestStatus.OPEN:
        req.status = RequestStatus.CLAIMED
    if req.first_response_at is None:
        req.first_response_at = change.now
    change.words["who"] = "you" if who.id == change.actor.id else f"@{who.display_name}"
    actor, now = change.actor, change.now

    def tell(event: RequestEvent) -> None:
        key = f"request:{req.id}:assign:{event.id}"
        if previous is not None and previous.id not in (actor.id, who.id):
            outbox.notify(session, outbox.to_person(previous), say.taken_over(req, actor=actor, holder=who),
                          key=f"{key}:previous", now=now)
        if who.id != actor.id:
            outbox.notify(session, outbox.to_person(who), say.assigned_to_you(req, actor=actor), key=f"{key}:holder",
                          now=now)
        if previous is None and req.requester_id not in (actor.id, who.id):
            requester = session.get(Person, req.requester_id)
            assert requester is not None
            outbox.notify(session, outbox.to_person(requester), say.picked_up(req, holder=who),
                          key=f"{key}:requester", now=now)

    change.then.append(tell)
    return f"to @{who.display_name}" + (f": {change.note}" if change.note else "")


def move(session: Session, req: Request, change: Change) -> str:
    """Hand `req` to `change.to_team`: unowned there, on its service standard."""
    old, new = change.team, change.to_team
    if new is None:
        raise Problem(say.MOVE_WHERE.format(id=req.id), echo=change.note or None)
    if new.id == old.id:
        raise Problem(say.MOVE_SAME.format(id=req.id, team=old.name), echo=change.note or None)
    now, actor, why = change.now, change.actor, change.note
    cal = teams.calendar(new)
    assert new.id is not None
    req.team_id = new.id
    req.assignee_id = None
    req.waiting_since = None
    req.snoozed_until = None
    req.first_response_at = None
    req.first_response_due_at = cal.add(now, teams.first_response_target(new, cal))
    if not req.due_requested:  # a date the requester asked for is theirs; the standard's date is the team's
        req.due_at = cal.add(now, teams.resolution_target(new, cal))
    change.words["to"] = new.name

    def tell(event: RequestEvent) -> None:
        key = f"request:{req.id}:move:{event.id}"
        old_intake = outbox.team_intake(old, access.lead_of(session, old))
        new_intake = outbox.team_intake(new, access.lead_of(session, new))
        if old_intake is not None and old_intake != new_intake:
            shared = old_intake.kind == "channel"
            outbox.notify(session, old_intake, say.moved_card(req, old=old, new=new, actor=actor, why=why,
                                                              shared=shared),
                          key=f"{key}:old-card", now=now, topic=f"request:{req.id}", replace=True, kind="request_card")
            outbox.notify(session, old_intake, say.moved_away(req, new=new, actor=actor, why=why, shared=shared),
                          key=f"{key}:old-team", now=now, topic=f"request:{req.id}", in_thread=True)
        if new_intake is not None:
            shared = new_intake.kind == "channel"
            outbox.notify(session, new_intake, say.moved_here(req, old=old, actor=actor, why=why, shared=shared),
                          key=f"{key}:new-team", now=now, topic=f"request:{req.id}", in_thread=True)
        if req.requester_id != actor.id:
            requester = session.get(Person, req.requester_id)
            assert requester is not None
            outbox.notify(session, outbox.to_person(requester),
                          say.moved_notice(req, old=old, new=new, actor=actor, why=why, tz=requester.timezone,
                                           now=now),
                          key=f"{key}:requester", now=now)

    change.then.append(tell)
    return f"from {old.handle} to {new.handle}" + (f": {why}" if why else "")
