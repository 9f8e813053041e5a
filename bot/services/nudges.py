"""When a request needs a nudge, and which one.

A request has milestones on its team's working calendar: the first-response
target (while nobody has picked it up), 75% of the working time to its due
date, the due date, every working morning after it (overdue), and one working
day past due (escalation to the lead). A snooze moves the assignee's
milestones that fall inside it to the moment the snooze ends; lateness keeps
its own clock (`late`, the requester's notice at the due date, and
`escalate`), so a snooze never hides it from the lead or the requester. A
request waiting on its requester has two milestones of its own: a reminder
to the requester after a working day, and word to the team after
`WAITED_TOO_LONG_DAYS`.

`Request.next_nudge_at` is the earliest milestone not yet handled: it is both
the index the scheduler scans ("what is due now?") and the watermark of what
was said, so the scheduler needs no other per-request state. The scheduler
handles every milestone in [next_nudge_at, now] and moves the watermark past
now; a state change recomputes it without skipping a milestone that was
already due but not yet handled.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.services.worktime import WorkCalendar
from storage.models import Person, Request, Team
from storage.schedule import FeedbackReminder

QUIET = {"done", "cancelled"}
ACTIVE = ("open", "claimed", "in_progress")
NUDGED = (*ACTIVE, "waiting")  # the states the scheduler looks at: waiting reminds the requester
WAITED_TOO_LONG_DAYS = 3  # working days on hold before the team hears that the requester hasn't answered
SEVERITY = {"three_quarter": 1, "due": 2, "overdue": 3}
FEEDBACK_REMINDER_AFTER_DAYS = 2


@dataclass(frozen=True)
class Milestone:
    """One thing worth saying about a request, and when (after any snooze)."""

    rule: str  # unclaimed | three_quarter | due | late | overdue | escalate | waiting_reminder | waited_too_long
    at: datetime


def three_quarter_mark(req: Request, cal: WorkCalendar) -> datetime:
    """The moment 75% of the working time between filing and due has gone."""
    span = cal.between(req.created_at, req.due_at)
    return cal.add(req.created_at, span * 0.75) if span.total_seconds() > 0 else req.due_at


def escalation_at(req: Request, cal: WorkCalendar) -> datetime:
    """One working day past due: when the team lead hears of it."""
    return cal.add(req.due_at, cal.day_length)


def next_morning(cal: WorkCalendar, moment: datetime) -> datetime:
    """The start of the first working day strictly after `moment` (holidays and closed days skipped)."""
    return cal.next_start_after(moment)


def milestones_from(req: Request, cal: WorkCalendar, start: datetime) -> list[Milestone]:
    """Every milestone of `req` at or after `start` that still applies, with at
    most one overdue morning (the first), sorted by time."""
    if req.status == "waiting":
        return _waiting_milestones(req, cal, start)
    if req.status not in ACTIVE:
        return []
    snooze = req.snoozed_until

    def effective(moment: datetime) -> datetime:
        return max(moment, snooze) if snooze is not None else moment

    found: list[Milestone] = []
    if req.status == "open" and req.assignee_id is None and req.first_response_at is None:
        found.append(Milestone("unclaimed", effective(req.first_response_due_at)))
    found.append(Milestone("three_quarter", effective(three_quarter_mark(req, cal))))
    found.append(Milestone("due", effective(req.due_at)))
    # Lateness has its own clock that no snooze moves: the lead hears of it, and so does the requester.
    found.append(Milestone("late", req.due_at))
    found.append(Milestone("escalate", escalation_at(req, cal)))
    # the first overdue morning whose (snoozed) time is at or after `start`
    floor = req.due_at if snooze is not None and snooze >= start else max(req.due_at, start - timedelta(microseconds=1))
    found.append(Milestone("overdue", effective(next_morning(cal, floor))))
    return sorted((m for m in found if m.at >= start), key=lambda m: m.at)


def _waiting_milestones(req: Request, cal: WorkCalendar, start: datetime) -> list[Milestone]:
    """On hold: the requester is reminded after a working day, and the team
    told after `WAITED_TOO_LONG_DAYS` that the answer hasn't come."""
    if req.waiting_since is None:
        return []
    found = [Milestone("waiting_reminder", cal.add(req.waiting_since, cal.day_length)),
             Milestone("waited_too_long", cal.add(req.waiting_since, cal.day_length * WAITED_TOO_LONG_DAYS))]
    return sorted((m for m in found if m.at >= start), key=lambda m: m.at)


def next_check(req: Request, cal: WorkCalendar, now: datetime) -> datetime | None:
    """The earliest moment something about `req` may need saying, or None.

    A milestone that was due before `now` but not yet handled (the watermark
    is older than now) stays due, so a state change never swallows it.
    """
    if req.status in QUIET:
        return None
    start = now
    if req.next_nudge_at is not None and req.next_nudge_at < now:
        start = req.next_nudge_at
    upcoming = milestones_from(req, cal, start)
    return upcoming[0].at if upcoming else None


def due_between(req: Request, cal: WorkCalendar, start: datetime, now: datetime) -> list[Milestone]:
    """The milestones to handle now: those in [start, now], with the assignee's
    collapsed to the most severe one (a scheduler that was down for a day
    sends one overdue nudge, not a backlog)."""
    due = [m for m in milestones_from(req, cal, start) if m.at <= now]
    for_assignee = [m for m in due if m.rule in SEVERITY]
    rest = [m for m in due if m.rule not in SEVERITY]
    if for_assignee:
        rest.append(max(for_assignee, key=lambda m: (SEVERITY[m.rule], m.at)))
    return rest


def after(req: Request, cal: WorkCalendar, now: datetime) -> datetime | None:
    """The watermark once everything up to `now` is handled."""
    upcoming = milestones_from(req, cal, now + timedelta(microseconds=1))
    return upcoming[0].at if upcoming else None


def recipient_calendar(team_cal: WorkCalendar, person: Person | None) -> WorkCalendar:
    """A person's working hours: their own zone, their team's days, hours,
    holidays and closed days (a holiday is off on the person's own date)."""
    if person is None:
        return team_cal
    return team_cal.with_zone(person.timezone)


def plan_feedback_reminder(session: Session, req: Request, *, requester: Person, team: Team, cal: WorkCalendar,
                           now: datetime) -> None:
    """On done: remind the requester to rate after two of their working days.

    The reminder is sent at most once per request, even across reopen and a
    second done (the scheduler's idempotency key is per request)."""
    assert req.id is not None
    theirs = recipient_calendar(cal, requester)
    when = theirs.next_working_moment(theirs.add(now, cal.day_length * FEEDBACK_REMINDER_AFTER_DAYS))
    row = session.get(FeedbackReminder, req.id)
    if row is None:
        session.add(FeedbackReminder(request_id=req.id, remind_at=when))
    elif row.status == "planned":
        row.remind_at = when
