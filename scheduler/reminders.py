"""The feedback-reminder job: one reminder to rate a finished request, two of
the requester's working days after it was done, and nothing more.

The core plans the reminder when a request is done (`nudges.
plan_feedback_reminder`); this job claims planned reminders that have come
due, like the nudge job does, and sends each at most once (key
`feedback-reminder:<id>`). A rating in the meantime, a reopen, or a reminder
more than `STALE` late (the scheduler was off for days) settles it quietly.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.services import outbox
from bot.texts import nudges as say
from scheduler.nudging import begin_claim
from storage.db import session_scope
from storage.models import Feedback, Person, Request, Team
from storage.schedule import FeedbackReminder

STALE = timedelta(days=3)


def run_feedback_reminders(engine: Engine, *, now: datetime, batch: int = 100) -> int:
    """Send the reminders due at `now`; returns how many were queued."""
    queued = 0
    while True:
        with session_scope(engine) as session:
            begin_claim(session)
            query = (select(FeedbackReminder)
                     .where(FeedbackReminder.status == "planned", FeedbackReminder.remind_at <= now)
                     .order_by(FeedbackReminder.remind_at).limit(batch))  # type: ignore[arg-type]
            if engine.dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            rows = list(session.exec(query).all())
            for row in rows:
                req = session.get(Request, row.request_id)
                rated = session.exec(select(Feedback.id).where(Feedback.request_id == row.request_id)).first()
                row.settled_at = now
                if req is None or req.status != "done" or rated is not None or now - row.remind_at > STALE:
                    row.status = "skipped"
                    continue
                team = session.get(Team, req.team_id)
                requester = session.get(Person, req.requester_id)
                assert team is not None and requester is not None
                created = outbox.notify(session, outbox.to_person(requester), say.feedback_reminder(req, team=team),
                                        key=f"feedback-reminder:{req.id}", now=now, kind="feedback_reminder")
                row.status = "sent"
                queued += created is not None
        if len(rows) < batch:
            return queued
