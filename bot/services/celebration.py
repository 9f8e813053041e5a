"""The monthly celebration: on the first working day of a month (Monday to
Friday, in the organisation's time zone), a short post in the kudos channel
that celebrates the month before — the most thanked person per company
value, the team with the best service record, and a kudos for finished work.

It goes out once however many replicas tick: a `celebration_run` row for
the month is claimed first (`insert_ignore`), and the outbox key
`celebration:<month>` makes a second queueing a no-op. Admins switch it off
(`/tandem celebration off`); a person who opted out (`/tandem me celebrate
off`) is never named, and a kudos that would name them is not chosen.
Tandem does not record reactions to kudos, so "the kudos of the month" is
one linked to a request that was finished, thanking the most people.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.services import outbox, settings, teams
from bot.services.digest import Week, finished_on_time
from storage.celebration import CelebrationOptOut, CelebrationRun
from storage.db import session_scope
from storage.models import CompanyValue, Feedback, Kudos, KudosReceiver, KudosTag, Person, Request, Team
from storage.schedule import insert_ignore

log = logging.getLogger(__name__)
ENABLED = "celebration.enabled"  # "on" (default) | "off"
POST_AT = time(9, 0)
LATE_BY = timedelta(days=7)  # a scheduler down all that day still posts within the week, never later
MIN_FINISHED = 3  # a team needs this much finished work in the month to be "best service"


@dataclass(frozen=True)
class Month:
    """A calendar month in a time zone, as a half-open UTC range [start, end)."""

    label: str  # 2026-11
    start: datetime
    end: datetime
    tz: str

    @property
    def name(self) -> str:
        return self.start.astimezone(ZoneInfo(self.tz)).strftime("%B %Y")


def month_of(year: int, month: int, tz: str) -> Month:
    zone = ZoneInfo(tz)
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return Month(label=f"{year}-{month:02d}", tz=tz,
                 start=datetime.combine(first, time(0), zone).astimezone(timezone.utc),
                 end=datetime.combine(following, time(0), zone).astimezone(timezone.utc))


def previous_month(now: datetime, tz: str) -> Month:
    local = now.astimezone(ZoneInfo(tz)).date()
    last = local.replace(day=1) - timedelta(days=1)
    return month_of(last.year, last.month, tz)


def first_working_moment(now: datetime, tz: str) -> datetime:
    """09:00 on the first Monday-to-Friday of the month `now` is in (in `tz`)."""
    day = now.astimezone(ZoneInfo(tz)).date().replace(day=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, POST_AT, ZoneInfo(tz)).astimezone(timezone.utc)


@dataclass(frozen=True)
class ServiceWinner:
    team: Team
    finished: int
    on_time: int
    rating: float | None


@dataclass(frozen=True)
class Celebration:
    """What the month's post says (texts/celebration.py words it)."""

    month: Month
    per_value: list[tuple[str, Person, int]]  # (value tag, person, kudos with that value)
    service: ServiceWinner | None
    kudos: Kudos | None
    kudos_giver: Person | None
    kudos_receivers: list[Person]
    kudos_request: Request | None

    @property
    def empty(self) -> bool:
        return not self.per_value and self.service is None and self.kudos is None


def opted_out(session: Session) -> set[int]:
    return set(session.exec(select(CelebrationOptOut.person_id)).all())


def set_opt_out(session: Session, person: Person, *, out: bool, now: datetime) -> bool:
    """Opt `person` out of (or back into) being named; True if it changed."""
    assert person.id is not None
    row = session.get(CelebrationOptOut, person.id)
    if out and row is None:
        session.add(CelebrationOptOut(person_id=person.id, created_at=now))
        return True
    if not out and row is not None:
        session.delete(row)
        return True
    return False


def _in(column, month: Month):  # type: ignore[no-untyped-def]
    return (column >= month.start) & (column < month.end)


def compute(session: Session, month: Month) -> Celebration:
    """The month's celebration, leaving out whoever opted out or left."""
    hidden = opted_out(session)
    active = {p.id for p in session.exec(select(Person).where(Person.active == True)).all()}  # noqa: E712
    nameable = active - hidden
    per_value: list[tuple[str, Person, int]] = []
    for tag in session.exec(select(CompanyValue.tag).order_by(CompanyValue.tag)).all():
        rows = session.exec(
            select(KudosReceiver.person_id, func.count()).select_from(KudosReceiver)
            .join(Kudos, col(Kudos.id) == KudosReceiver.kudos_id).join(KudosTag, col(KudosTag.kudos_id) == Kudos.id)
            .where(_in(Kudos.created_at, month), KudosTag.tag == tag, KudosTag.is_value == True)  # noqa: E712
            .group_by(col(KudosReceiver.person_id)).order_by(func.count().desc(), col(KudosReceiver.person_id))).all()
        for person_id, n in rows:
            if person_id in nameable:
                person = session.get(Person, person_id)
                assert person is not None
                per_value.append((tag, person, int(n)))
                break
    kudos, giver, receivers, request = _kudos_of_the_month(session, month, nameable)
    return Celebration(month=month, per_value=per_value, service=_best_service(session, month), kudos=kudos,
                       kudos_giver=giver, kudos_receivers=receivers, kudos_request=request)


def _best_service(session: Session, month: Month) -> ServiceWinner | None:
    """The team with the highest share finished on time (working time), then the best average rating."""
    all_teams = {t.id: t for t in session.exec(select(Team)).all()}
    span = Week(label=month.label, start=month.start, end=month.end, tz=month.tz)
    finished = finished_on_time(session, span, {i: teams.calendar(t) for i, t in all_teams.items()})
    ratings: dict[int | None, float] = {team_id: float(avg) for team_id, avg in session.exec(
        select(Request.team_id, func.avg(Feedback.rating)).select_from(Feedback)
        .join(Request, col(Request.id) == Feedback.request_id).where(_in(Feedback.created_at, month))
        .group_by(col(Request.team_id))).all()}
    ranked = sorted(((on / done, ratings.get(team_id, 0.0), -done, all_teams[team_id].name, team_id)
                     for team_id, (done, on) in finished.items() if done >= MIN_FINISHED and team_id in all_teams),
                    key=lambda row: (-row[0], -row[1], row[2], row[3]))
    if not ranked:
        return None
    team_id = ranked[0][4]
    done, on = finished[team_id]
    return ServiceWinner(team=all_teams[team_id], finished=done, on_time=on, rating=ratings.get(team_id))


KudosOfTheMonth = tuple[Kudos | None, Person | None, list[Person], Request | None]


def _kudos_of_the_month(session: Session, month: Month, nameable: set[int | None]) -> KudosOfTheMonth:
    """A kudos for finished work, thanking the most people (then the latest); none naming the hidden."""
    candidates = session.exec(
        select(Kudos).join(Request, col(Request.id) == Kudos.request_id)
        .where(_in(Kudos.created_at, month), Request.status == "done", Request.private == False)  # noqa: E712
        .order_by(col(Kudos.created_at).desc())).all()
    best: tuple[int, Kudos, list[int]] | None = None
    for kudos in candidates:
        receivers = list(session.exec(select(KudosReceiver.person_id).where(KudosReceiver.kudos_id == kudos.id)
                                      .order_by(col(KudosReceiver.person_id))).all())
        if kudos.giver_id not in nameable or not receivers or any(r not in nameable for r in receivers):
            continue
        if best is None or len(receivers) > best[0]:
            best = (len(receivers), kudos, receivers)
    if best is None:
        return None, None, [], None
    _, kudos, receivers = best
    return (kudos, session.get(Person, kudos.giver_id),
            [p for p in (session.get(Person, r) for r in receivers) if p is not None],
            session.get(Request, kudos.request_id))


def queue_if_due(engine: Engine, *, now: datetime, tz: str) -> str | None:
    """The scheduler's check: from 09:00 on the month's first working day (for
    a week at most), queue the previous month's celebration to the kudos
    channel, once. Returns the month queued."""
    moment = first_working_moment(now, tz)
    if not moment <= now < moment + LATE_BY:
        return None
    month = previous_month(now, tz)
    with session_scope(engine) as session:
        if settings.get(session, ENABLED, "on") == "off" or session.get(CelebrationRun, month.label) is not None:
            return None
        channel = settings.channel(session, settings.KUDOS_CHANNEL)
        if channel is None:
            return None
        if not insert_ignore(session, CelebrationRun(month=month.label, created_at=now)):
            return None
        from bot.texts import celebration as say

        found = compute(session, month)
        if found.empty:
            log.info("nothing to celebrate for %s", month.label)
            return None
        outbox.notify(session, channel, say.celebration(found), key=f"celebration:{month.label}", now=now,
                      kind="celebration")
        return month.label
