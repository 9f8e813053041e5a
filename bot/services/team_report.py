"""A team's own service record: `/requests report [team] [week|month|quarter]`.

The figures a lead runs their week on, for one team over the last 7, 30 or
91 days up to now, all counted in the team's working time (its hours,
holidays and closed days): requests received, median first response and
resolution, the share finished on time, the average rating, the low ratings
and whether they were followed up, the causes requests were closed with,
and what is overdue now. Kept apart from the HR digest (bot/services/
digest.py), which reports every team for a week; this one is a team's own.
"""

from __future__ import annotations

import base64
import io
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from bot.messages import Image
from bot.services import lifecycle, teams
from storage.models import Feedback, Request, Team

PERIODS = {"week": timedelta(days=7), "month": timedelta(days=30), "quarter": timedelta(days=91)}
LOW_RATING = 2
TOP_CAUSES = 5
OVERDUE_SHOWN = 10


@dataclass(frozen=True)
class LowRating:
    request_id: int
    rating: int
    handled: bool
    note: str


@dataclass
class TeamReport:
    team: Team
    period: str
    start: datetime
    end: datetime
    received: int = 0
    first_responses: list[timedelta] = field(default_factory=list)
    resolutions: list[timedelta] = field(default_factory=list)
    finished: int = 0
    on_time: int = 0
    ratings: list[int] = field(default_factory=list)
    low: list[LowRating] = field(default_factory=list)
    causes: list[tuple[str, int]] = field(default_factory=list)
    overdue: list[int] = field(default_factory=list)

    @property
    def median_first_response(self) -> timedelta | None:
        return _median(self.first_responses)

    @property
    def median_resolution(self) -> timedelta | None:
        return _median(self.resolutions)

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.finished if self.finished else None

    @property
    def average_rating(self) -> float | None:
        return sum(self.ratings) / len(self.ratings) if self.ratings else None


def _median(spans: list[timedelta]) -> timedelta | None:
    if not spans:
        return None
    return timedelta(seconds=statistics.median(span.total_seconds() for span in spans))


def compute(session: Session, team: Team, *, period: str, now: datetime) -> TeamReport:
    """The team's figures over `period` ("week", "month", "quarter") ending `now`."""
    start = now - PERIODS[period]
    cal = teams.calendar(team)
    report = TeamReport(team=team, period=period, start=start, end=now)
    received = session.exec(select(Request).where(Request.team_id == team.id, Request.created_at >= start,
                                                  Request.created_at <= now)).all()
    report.received = len(received)
    report.first_responses = [cal.between(r.created_at, r.first_response_at) for r in received
                              if r.first_response_at is not None]
    finished = session.exec(select(Request).where(Request.team_id == team.id, Request.status == lifecycle.S.DONE,
                                                  Request.done_at >= start,  # type: ignore[operator]
                                                  Request.done_at <= now)).all()  # type: ignore[operator]
    report.finished = len(finished)
    for req in finished:
        assert req.done_at is not None
        report.resolutions.append(cal.between(req.created_at, req.done_at))
        # late only by working time: finished overnight after a 17:00 due date is on time
        if req.done_at <= req.due_at or cal.between(req.due_at, req.done_at) == timedelta(0):
            report.on_time += 1
    report.causes = Counter(r.cause for r in finished if r.cause).most_common(TOP_CAUSES)
    rated = session.exec(select(Feedback).join(Request, col(Request.id) == col(Feedback.request_id))
                         .where(Request.team_id == team.id, Feedback.created_at >= start,
                                Feedback.created_at <= now).order_by(col(Feedback.created_at))).all()
    report.ratings = [f.rating for f in rated]
    report.low = [LowRating(request_id=f.request_id, rating=f.rating, handled=f.follow_up == "handled",
                            note=f.follow_up_note) for f in rated if f.rating <= LOW_RATING]
    overdue = session.exec(select(Request.id).where(Request.team_id == team.id,
                                                    Request.status.in_(sorted(lifecycle.OPEN_STATES)),  # type: ignore[attr-defined]
                                                    Request.status != lifecycle.S.WAITING,
                                                    Request.due_at < now).order_by(col(Request.due_at))).all()
    report.overdue = [number for number in overdue if number is not None]
    return report


def chart(report: TeamReport) -> Image:
    """The report as one PNG (matplotlib, Agg): what came in and how it went, and the causes."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6, 2.6), dpi=72)  # small: a Teams card holds about 28 KB
    left, right = figure.subplots(1, 2)
    labels = ["received", "finished", "on time", "overdue now"]
    left.bar(labels, [report.received, report.finished, report.on_time, len(report.overdue)],
             color=["#4a78c2", "#6aa84f", "#38761d", "#cc4125"])
    left.set_title("Requests", fontsize=9)
    left.tick_params(labelsize=7)
    if report.causes:
        right.barh([tag for tag, _ in reversed(report.causes)], [n for _, n in reversed(report.causes)],
                   color="#e69138")
    right.set_title("Closed with cause", fontsize=9)
    right.tick_params(labelsize=7)
    figure.suptitle(f"{report.team.name}, last {report.period}", fontsize=10)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    alt = (f"{report.team.name} over the last {report.period}: {report.received} received, {report.finished} "
           f"finished, {report.on_time} on time, {len(report.overdue)} overdue now"
           + (", causes " + ", ".join(f"{t} {n}" for t, n in report.causes) if report.causes else ""))
    return Image(title=f"{report.team.name}: service record, last {report.period}",
                 png_base64=base64.b64encode(buffer.getvalue()).decode(), alt=alt)
