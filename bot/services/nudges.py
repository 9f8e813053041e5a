"""When the scheduler should next look at a request.

`next_nudge_at` is an index the scheduler scans ("what is due now?"), so it
must be kept right on every change. The rules for what to *say* at that
moment live with the scheduler; here is only when to wake up.
"""

from __future__ import annotations

from datetime import datetime

from bot.services.worktime import WorkCalendar
from storage.models import Request

QUIET = {"done", "cancelled", "waiting"}


def three_quarter_mark(req: Request, cal: WorkCalendar) -> datetime:
    """The moment 75% of the working time between filing and due has gone."""
    span = cal.between(req.created_at, req.due_at)
    return cal.add(req.created_at, span * 0.75) if span.total_seconds() > 0 else req.due_at


def next_check(req: Request, cal: WorkCalendar, now: datetime) -> datetime | None:
    """The earliest moment something about `req` may need saying, or None."""
    if req.status in QUIET:
        return None
    floor = now
    if req.snoozed_until is not None and req.snoozed_until > now:
        floor = req.snoozed_until
    if req.status == "open" and req.first_response_at is None:
        return max(req.first_response_due_at, floor)
    for moment in (three_quarter_mark(req, cal), req.due_at):
        if moment > floor:
            return moment
    return floor
