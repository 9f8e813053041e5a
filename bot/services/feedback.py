"""Ratings close the loop: one per request, changeable for a week, and a
low one (1 or 2) goes to the team lead as a follow-up the requester hears
the end of."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from bot.problems import Problem
from bot.services import outbox
from bot.texts import feedback as say
from storage.models import Feedback, Person, Request, Team

CHANGE_WINDOW = timedelta(days=7)
COMMENT_LIMIT = 2000


def rate(session: Session, req: Request, *, actor: Person, rating: int, comment: str, now: datetime) -> Feedback:
    if req.requester_id != actor.id:
        raise Problem(say.NOT_REQUESTER.format(id=req.id))
    if req.status != "done":
        raise Problem(say.NOT_DONE.format(id=req.id))
    if not 1 <= rating <= 5:
        raise Problem(say.BAD_RATING.format(id=req.id), field="rating")
    if len(comment) > COMMENT_LIMIT:
        raise Problem(f"Comments are kept to {COMMENT_LIMIT:,} characters; yours has {len(comment):,}.",
                      field="comment", echo=comment)
    feedback = session.exec(select(Feedback).where(Feedback.request_id == req.id)).first()
    if feedback is None:
        assert req.id is not None  # a stored request has its id
        feedback = Feedback(request_id=req.id, requester_id=actor.id, rating=rating, comment=comment.strip(),
                            created_at=now, updated_at=now)
        session.add(feedback)
    else:
        if now - feedback.created_at > CHANGE_WINDOW:
            raise Problem(say.TOO_LATE.format(id=req.id, day=feedback.created_at.date().isoformat()))
        feedback.rating = rating
        if comment.strip():
            feedback.comment = comment.strip()
        feedback.updated_at = now
    session.flush()
    if feedback.rating <= 2 and feedback.follow_up is None:
        feedback.follow_up = "open"
        team = session.get(Team, req.team_id)
        assert team is not None
        lead = session.get(Person, team.lead_id) if team.lead_id else None
        if lead is not None:
            outbox.notify(session, outbox.to_person(lead), say.low_rating_alert(req, feedback, team, actor),
                          key=f"feedback-low:{req.id}", now=now, kind="low_rating")
    return feedback


def handled(session: Session, req: Request, *, actor: Person, note: str, now: datetime) -> None:
    team = session.get(Team, req.team_id)
    assert team is not None
    if team.lead_id != actor.id:
        raise Problem(say.NOT_LEAD.format(team=team.name, id=req.id))
    feedback = session.exec(select(Feedback).where(Feedback.request_id == req.id)).first()
    if feedback is None or feedback.follow_up != "open":
        raise Problem(say.NO_FOLLOW_UP.format(id=req.id))
    feedback.follow_up = "handled"
    feedback.follow_up_note = note.strip()
    feedback.handled_by_id = actor.id
    feedback.handled_at = now
    requester = session.get(Person, req.requester_id)
    assert requester is not None
    outbox.notify(session, outbox.to_person(requester), say.handled_notice(req, actor, note.strip()),
                  key=f"feedback-handled:{req.id}", now=now)
