"""Eight weeks of the numbers HR watches, per company and per team, for the
digest's small multiples: kudos given, people recognised, requests received,
share finished on time and average rating.

Each week is a handful of grouped range queries on indexed timestamps, the
same the weekly digest runs, so eight weeks cost eight digests' worth of
counting, never a scan of the history.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, col, select

from bot.services import teams
from bot.services.digest import Week, finished_on_time
from storage.models import Feedback, Kudos, KudosReceiver, Person, Request, Team, TeamMember

WEEKS = 8
COMPANY = "Company"
METRICS = ("Kudos given", "People recognised", "Requests received", "Finished on time", "Average rating")


@dataclass
class Series:
    """One row of small multiples: a value per metric per week (None: nothing to measure)."""

    name: str
    values: dict[str, list[float | None]] = field(default_factory=dict)


@dataclass(frozen=True)
class Trends:
    """Eight weeks, oldest first, ending with the digest's week."""

    weeks: tuple[Week, ...]
    rows: tuple[Series, ...]  # the company first, then each team by name


def _weeks(last: Week, count: int) -> list[Week]:
    weeks = [last]
    while len(weeks) < count:
        weeks.append(weeks[-1].previous)
    return weeks[::-1]


def _in(column, week: Week):  # type: ignore[no-untyped-def]
    return (column >= week.start) & (column < week.end)


def compute(session: Session, last: Week, *, weeks: int = WEEKS) -> Trends:
    """The `weeks` weeks ending with `last`."""
    all_teams = list(session.exec(select(Team).order_by(Team.name)).all())
    calendars = {t.id: teams.calendar(t) for t in all_teams}
    span = _weeks(last, weeks)
    company = Series(COMPANY, {m: [] for m in METRICS})
    per_team = {t.id: Series(t.name, {m: [] for m in METRICS}) for t in all_teams}
    started = session.exec(select(func.min(Person.created_at))).one()
    for week in span:
        if started is None or week.end <= started:  # before anyone used Tandem: a gap, not a zero
            for series in (company, *per_team.values()):
                _append(series, None, None, None, None, None)
            continue
        given = int(session.exec(select(func.count(col(Kudos.id))).where(_in(Kudos.created_at, week))).one())
        recognised = int(session.exec(select(func.count(func.distinct(KudosReceiver.person_id)))
                                      .join(Kudos, col(Kudos.id) == KudosReceiver.kudos_id)
                                      .where(_in(Kudos.created_at, week))).one())
        team_given = dict(session.exec(select(TeamMember.team_id, func.count(func.distinct(Kudos.id)))
                                       .select_from(Kudos).join(TeamMember, col(TeamMember.person_id) == Kudos.giver_id)
                                       .where(_in(Kudos.created_at, week)).group_by(col(TeamMember.team_id))).all())
        team_recognised = dict(session.exec(
            select(TeamMember.team_id, func.count(func.distinct(KudosReceiver.person_id))).select_from(KudosReceiver)
            .join(Kudos, col(Kudos.id) == KudosReceiver.kudos_id)
            .join(TeamMember, col(TeamMember.person_id) == KudosReceiver.person_id)
            .where(_in(Kudos.created_at, week)).group_by(col(TeamMember.team_id))).all())
        received = dict(session.exec(select(Request.team_id, func.count()).where(_in(Request.created_at, week))
                                     .group_by(col(Request.team_id))).all())
        finished = finished_on_time(session, week, calendars)
        ratings = {team_id: (float(total), int(n)) for team_id, total, n in session.exec(
            select(Request.team_id, func.sum(Feedback.rating), func.count()).select_from(Feedback)
            .join(Request, col(Request.id) == Feedback.request_id)
            .where(_in(Feedback.created_at, week)).group_by(col(Request.team_id))).all()}

        done = sum(f for f, _ in finished.values())
        rated = sum(n for _, n in ratings.values())
        _append(company, given, recognised, sum(int(n) for n in received.values()),
                sum(t for _, t in finished.values()) / done if done else None,
                sum(total for total, _ in ratings.values()) / rated if rated else None)
        for team in all_teams:
            assert team.id is not None
            f, t = finished.get(team.id, (0, 0))
            total, n = ratings.get(team.id, (0.0, 0))
            _append(per_team[team.id], int(team_given.get(team.id, 0)), int(team_recognised.get(team.id, 0)),
                    int(received.get(team.id, 0)), t / f if f else None, total / n if n else None)
    return Trends(weeks=tuple(span), rows=(company, *per_team.values()))


def _append(series: Series, *values: float | None) -> None:
    for metric, value in zip(METRICS, values, strict=True):
        series.values[metric].append(value)
