"""What happened to a request, and finding past requests.

The timeline is read from `request_event` (every change and comment is one,
written in the transaction that made it) and the request's feedback, so no
second record can drift from what happened. `search` and `closed` find
requests people have lost track of ("where is the done message I should
rate?"); both hide private requests from anyone who may not see them, by
the same rule as `bot.access.can_see`, inside the query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, or_, select

from bot import access
from bot.services import lifecycle, teams
from storage.models import Feedback, Person, Request, RequestEvent, Team

TIMELINE_LIMIT = 40
FIND_LIMIT = 25
SEARCH_WORDS = 6

Row = tuple[Request, Team, Person | None]


@dataclass(frozen=True)
class Entry:
    """One line of a timeline: when, who, what kind of thing, and its note."""

    at: datetime
    actor: Person | None
    kind: str
    note: str


def timeline(session: Session, req: Request) -> list[Entry]:
    """The request's events and its rating, oldest first (the latest `TIMELINE_LIMIT`)."""
    events = session.exec(select(RequestEvent).where(RequestEvent.request_id == req.id)
                          .order_by(col(RequestEvent.created_at).desc(), col(RequestEvent.id).desc())
                          .limit(TIMELINE_LIMIT)).all()
    people: dict[int, Person | None] = {}

    def person(person_id: int | None) -> Person | None:
        if person_id is None:
            return None
        if person_id not in people:
            people[person_id] = session.get(Person, person_id)
        return people[person_id]

    entries = [Entry(at=e.created_at, actor=person(e.actor_id), kind=e.kind, note=e.note) for e in reversed(events)]
    rating = session.exec(select(Feedback).where(Feedback.request_id == req.id)).first()
    if rating is not None:
        entries.append(Entry(at=rating.created_at, actor=person(rating.requester_id), kind="rated",
                             note=f"{rating.rating}/5" + (f": {rating.comment}" if rating.comment else "")))
        if rating.handled_at is not None:
            entries.append(Entry(at=rating.handled_at, actor=person(rating.handled_by_id), kind="handled",
                                 note=rating.follow_up_note))
    return sorted(entries, key=lambda e: e.at)


def search(session: Session, viewer: Person, words: list[str], *, limit: int = FIND_LIMIT) -> list[Row]:
    """Requests whose title or comments hold every word (any case), newest first."""
    query = select(Request, Team).join(Team, col(Team.id) == col(Request.team_id))
    for word in words[:SEARCH_WORDS]:
        needle = word.lower()
        in_comments = select(RequestEvent.request_id).where(
            RequestEvent.kind == "comment", func.lower(RequestEvent.note).contains(needle, autoescape=True))
        query = query.where(or_(func.lower(Request.title).contains(needle, autoescape=True),
                                Request.id.in_(in_comments)))  # type: ignore[union-attr]
    query = _visible_to(session, viewer, query)
    rows = session.exec(query.order_by(col(Request.created_at).desc(), col(Request.id).desc()).limit(limit)).all()
    return _with_owners(session, rows)


def closed(session: Session, viewer: Person, team: Team | None, *, limit: int = FIND_LIMIT) -> list[Row]:
    """Finished and cancelled requests, latest first: a team's, or else the
    viewer's own (asked for or held)."""
    query = select(Request, Team).join(Team, col(Team.id) == col(Request.team_id)).where(
        Request.status.in_(sorted(lifecycle.FINAL)))  # type: ignore[attr-defined]
    if team is not None:
        query = query.where(Request.team_id == team.id)
    else:
        query = query.where(or_(Request.requester_id == viewer.id, Request.assignee_id == viewer.id))
    query = _visible_to(session, viewer, query)
    rows = session.exec(query.order_by(col(Request.updated_at).desc(), col(Request.id).desc()).limit(limit)).all()
    return _with_owners(session, rows)


def unrated(session: Session, viewer: Person, rows: list[Row]) -> set[int]:
    """Of `rows`, the done requests `viewer` asked for and hasn't rated yet."""
    mine = [req.id for req, _, _ in rows if req.requester_id == viewer.id and req.status == lifecycle.S.DONE]
    if not mine:
        return set()
    rated = set(session.exec(select(Feedback.request_id).where(Feedback.request_id.in_(mine))).all())  # type: ignore[attr-defined]
    return {number for number in mine if number is not None and number not in rated}


def _visible_to(session: Session, viewer: Person, query: Any) -> Any:
    """Private requests only for their requester, their team and admins."""
    if access.is_admin(viewer):
        return query
    my_team_ids = [t.id for t in teams.teams_of(session, viewer)] or [-1]
    return query.where(or_(Request.private == False,  # noqa: E712
                           Request.requester_id == viewer.id,
                           Request.team_id.in_(my_team_ids)))  # type: ignore[attr-defined]


def _with_owners(session: Session, rows: Any) -> list[Row]:
    return [(req, team, session.get(Person, req.assignee_id) if req.assignee_id else None) for req, team in rows]
