"""The weekly recognition digest for HR: kudos, values, who thanks whom, who
has gone unrecognized, and each team's service record, for one ISO week.

Every number comes from range queries on indexed timestamps (`kudos.
created_at`, `request.created_at`, `request.done_at`, `feedback.created_at`)
for the week in question and the one before, grouped in SQL, so the cost
follows the week, not the history: nothing loads all kudos into Python.
Weeks are ISO weeks in the organisation's time zone.
"""

from __future__ import annotations

import base64
import io
import logging
import re
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from bot.messages import Image, Message
from bot.problems import Problem
from bot.services import outbox, settings, teams
from storage.db import session_scope
from storage.models import Feedback, Kudos, KudosReceiver, KudosTag, Person, Request, Team, TeamMember
from storage.schedule import DigestRun, insert_ignore

log = logging.getLogger(__name__)
WEEK_LABEL = re.compile(r"^(\d{4})-W(\d{2})$")
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DEFAULT_SCHEDULE = "mon 09:00"
UNRECOGNIZED_WEEKS = 4
NO_TEAM = "no team"


@dataclass(frozen=True)
class Week:
    """One ISO week in a time zone, as a half-open UTC range [start, end)."""

    label: str
    start: datetime
    end: datetime
    tz: str

    @property
    def previous(self) -> "Week":
        return week_of_day((self.start.astimezone(ZoneInfo(self.tz)) - timedelta(days=7)).date(), self.tz)


def week_of_day(day: date, tz: str) -> Week:
    year, number, _ = day.isocalendar()
    monday = date.fromisocalendar(year, number, 1)
    zone = ZoneInfo(tz)
    start = datetime.combine(monday, time(0), zone).astimezone(timezone.utc)
    end = datetime.combine(monday + timedelta(days=7), time(0), zone).astimezone(timezone.utc)
    return Week(label=f"{year}-W{number:02d}", start=start, end=end, tz=tz)


def parse_week(label: str, tz: str) -> Week:
    """"2026-W47" → that week. Raises Problem for anything else."""
    match = WEEK_LABEL.match(label.strip().upper())
    try:
        if not match:
            raise ValueError(label)
        return week_of_day(date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1), tz)
    except ValueError:
        raise Problem(f"“{label[:20]}” is not an ISO week; write it like 2026-W47.") from None


def last_full_week(now: datetime, tz: str) -> Week:
    """The ISO week before the one `now` falls in (in `tz`)."""
    return week_of_day(now.astimezone(ZoneInfo(tz)).date() - timedelta(days=7), tz)


def parse_schedule(value: str) -> tuple[int, time]:
    """"mon 09:00" → (0, 09:00). Raises Problem with the expected form."""
    parts = value.strip().lower().split()
    try:
        if len(parts) != 2 or parts[0][:3] not in DAYS:
            raise ValueError(value)
        return DAYS.index(parts[0][:3]), time.fromisoformat(parts[1] if len(parts[1]) == 5 else f"0{parts[1]}")
    except ValueError:
        raise Problem("Give a day and a time, like `/tandem digest schedule mon 09:00`.") from None


@dataclass
class TeamRecord:
    """One team's internal service record for the week."""

    name: str
    received: int = 0
    first_responses: list[timedelta] = field(default_factory=list)
    finished: int = 0
    on_time: int = 0
    rating_sum: float = 0.0
    ratings: int = 0

    @property
    def median_first_response(self) -> timedelta | None:
        return statistics.median(self.first_responses) if self.first_responses else None

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.finished if self.finished else None

    @property
    def average_rating(self) -> float | None:
        return self.rating_sum / self.ratings if self.ratings else None


@dataclass
class Digest:
    """Everything the digest says, as numbers and names (texts/digest.py words it)."""

    week: Week
    kudos_given: int
    kudos_received: int
    previous_given: int
    previous_received: int
    top: list[tuple[Person, int]]
    values: list[tuple[str, int]]
    thanks: dict[tuple[str, str], int]
    gave_none: list[str]
    got_none: list[str]
    unrecognized_count: int
    unrecognized: list[Person]
    service: list[TeamRecord]


def _in(column, week: Week):  # type: ignore[no-untyped-def]
    return (column >= week.start) & (column < week.end)


def _kudos_counts(session: Session, week: Week) -> tuple[int, int]:
    given = session.exec(select(func.count(Kudos.id)).where(_in(Kudos.created_at, week))).one()
    received = session.exec(select(func.count()).select_from(KudosReceiver)
                            .join(Kudos, Kudos.id == KudosReceiver.kudos_id).where(_in(Kudos.created_at, week))).one()
    return int(given), int(received)


def _plan_for_ranges(session: Session) -> None:
    """Let PostgreSQL read only the week. At its default `random_page_cost`
    (4, a spinning disk's) it hash-joins the whole of `kudos_receiver` and
    `kudos_tag` — the entire history — instead of looking up the week's few
    thousand kudos by primary key (bench/digest_scale.py: 2.4x slower at 1M
    kudos than at 100k). 1.1 is the usual value for SSDs and cached data;
    `SET LOCAL` keeps it to this transaction."""
    if session.get_bind().dialect.name == "postgresql":
        session.exec(text("SET LOCAL random_page_cost = 1.1"))  # type: ignore[call-overload]


def compute(session: Session, week: Week, *, top_n: int = 5, names_limit: int = 50) -> Digest:
    """The digest of `week`, from range queries on that week (and the one
    before, and the 4 weeks behind it for the unrecognized)."""
    _plan_for_ranges(session)
    given, received = _kudos_counts(session, week)
    previous_given, previous_received = _kudos_counts(session, week.previous)
    top_rows = session.exec(
        select(KudosReceiver.person_id, func.count().label("n")).join(Kudos, Kudos.id == KudosReceiver.kudos_id)
        .where(_in(Kudos.created_at, week)).group_by(KudosReceiver.person_id)
        .order_by(func.count().desc(), KudosReceiver.person_id).limit(top_n)).all()
    top = [(session.get(Person, pid), int(n)) for pid, n in top_rows]
    values = [(tag, int(n)) for tag, n in session.exec(
        select(KudosTag.tag, func.count()).join(Kudos, Kudos.id == KudosTag.kudos_id)
        .where(_in(Kudos.created_at, week), KudosTag.is_value == True)  # noqa: E712
        .group_by(KudosTag.tag).order_by(func.count().desc(), KudosTag.tag)).all()]

    all_teams = list(session.exec(select(Team).order_by(Team.name)).all())
    names = {t.id: t.name for t in all_teams}
    giver_team, receiver_team = aliased(TeamMember), aliased(TeamMember)
    pairs = session.exec(
        select(giver_team.team_id, receiver_team.team_id, func.count())
        .select_from(KudosReceiver).join(Kudos, Kudos.id == KudosReceiver.kudos_id)
        .outerjoin(giver_team, giver_team.person_id == Kudos.giver_id)
        .outerjoin(receiver_team, receiver_team.person_id == KudosReceiver.person_id)
        .where(_in(Kudos.created_at, week)).group_by(giver_team.team_id, receiver_team.team_id)).all()
    thanks: dict[tuple[str, str], int] = {}
    for from_id, to_id, n in pairs:
        pair = (names.get(from_id, NO_TEAM), names.get(to_id, NO_TEAM))
        thanks[pair] = thanks.get(pair, 0) + int(n)
    gave = {a for a, _ in thanks}
    got = {b for _, b in thanks}

    since = week.end - timedelta(weeks=UNRECOGNIZED_WEEKS)
    recognized = (select(KudosReceiver.person_id).join(Kudos, Kudos.id == KudosReceiver.kudos_id)
                  .where(Kudos.created_at >= since, Kudos.created_at < week.end))
    quiet = ((Person.created_at < week.end) & Person.id.not_in(recognized)  # type: ignore[union-attr]
             & (Person.active == True))  # noqa: E712  (people who left are not "unrecognized")
    unrecognized_count = int(session.exec(select(func.count(Person.id)).where(quiet)).one())
    unrecognized = list(session.exec(select(Person).where(quiet).order_by(Person.display_name)
                                     .limit(names_limit)).all())

    return Digest(week=week, kudos_given=given, kudos_received=received, previous_given=previous_given,
                  previous_received=previous_received, top=[(p, n) for p, n in top if p is not None], values=values,
                  thanks=thanks, gave_none=[t.name for t in all_teams if t.name not in gave],
                  got_none=[t.name for t in all_teams if t.name not in got], unrecognized_count=unrecognized_count,
                  unrecognized=unrecognized, service=_service(session, week, all_teams))


def _service(session: Session, week: Week, all_teams: list[Team]) -> list[TeamRecord]:
    records = {t.id: TeamRecord(name=t.name) for t in all_teams}
    calendars = {t.id: teams.calendar(t) for t in all_teams}
    for team_id, n in session.exec(select(Request.team_id, func.count()).where(_in(Request.created_at, week))
                                   .group_by(Request.team_id)).all():
        records[team_id].received = int(n)
    responded = session.exec(select(Request.team_id, Request.created_at, Request.first_response_at)
                             .where(_in(Request.created_at, week),
                                    Request.first_response_at != None)).all()  # noqa: E711
    for team_id, created, first in responded:
        records[team_id].first_responses.append(calendars[team_id].between(created, first))
    on_time = case((Request.done_at <= Request.due_at, 1), else_=0)
    for team_id, finished, in_time in session.exec(
            select(Request.team_id, func.count(), func.sum(on_time))
            .where(_in(Request.done_at, week), Request.status == "done").group_by(Request.team_id)).all():
        records[team_id].finished, records[team_id].on_time = int(finished), int(in_time or 0)
    # Lateness counts working time: a request finished after its due date but before the
    # team's next working hour (a night, a weekend, a public holiday, a closed day) is on time.
    for team_id, due_at, done_at in session.exec(
            select(Request.team_id, Request.due_at, Request.done_at)
            .where(_in(Request.done_at, week), Request.status == "done", Request.done_at > Request.due_at)).all():
        if calendars[team_id].between(due_at, done_at) == timedelta(0):
            records[team_id].on_time += 1
    for team_id, total, n in session.exec(
            select(Request.team_id, func.sum(Feedback.rating), func.count())
            .join(Request, Request.id == Feedback.request_id)
            .where(_in(Feedback.created_at, week)).group_by(Request.team_id)).all():
        records[team_id].rating_sum, records[team_id].ratings = float(total), int(n)
    return [records[t.id] for t in all_teams]


def chart(digest: Digest) -> Image:
    """A PNG of the week: thanks given and received per team (matplotlib, Agg)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    labels = sorted({a for a, _ in digest.thanks} | {b for _, b in digest.thanks} | {r.name for r in digest.service})
    given = [sum(n for (a, _), n in digest.thanks.items() if a == name) for name in labels]
    got = [sum(n for (_, b), n in digest.thanks.items() if b == name) for name in labels]
    figure = Figure(figsize=(7, 3.5), dpi=100)
    axes = figure.add_subplot()
    positions = range(len(labels))
    axes.bar([p - 0.2 for p in positions], given, width=0.4, label="thanks given")
    axes.bar([p + 0.2 for p in positions], got, width=0.4, label="thanks received")
    axes.set_xticks(list(positions), labels, rotation=20, ha="right", fontsize=8)
    axes.set_title(f"Kudos by team, {digest.week.label}")
    axes.legend(fontsize=8)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return Image(title=f"Kudos by team, {digest.week.label}",
                 png_base64=base64.b64encode(buffer.getvalue()).decode(),
                 alt=f"Bar chart of kudos given and received per team in {digest.week.label}")


def build_message(session: Session, week: Week, *, with_chart: bool = True) -> Message:
    from bot.texts import digest as say

    digest = compute(session, week)
    message = with_reciprocity(session, say.digest(digest), week)
    if with_chart:
        message = message.model_copy(update={"image": chart(digest)})
    return message


def with_reciprocity(session: Session, message: Message, week: Week) -> Message:
    """The digest with its "Patterns worth a look" section (bot.services.reciprocity), when there are any."""
    from bot.services import reciprocity
    from bot.texts import reciprocity as reciprocity_say

    found = reciprocity.signals(session, until=week.end)
    if not found:
        return message
    section = reciprocity_say.section(found, tz=week.tz, weeks=reciprocity.WINDOW_WEEKS)
    return message.model_copy(update={"sections": (*message.sections, section)})


def post(session: Session, week: Week, *, now: datetime, trigger: str) -> tuple[bool, str]:
    """Queue `week`'s digest to the HR channel, once however many replicas
    (or CLI runs) try; returns whether it was queued and what to tell."""
    channel = settings.channel(session, settings.DIGEST_CHANNEL)
    if channel is None:
        return False, "No digest channel is set: `/tandem digest channel #people` first."
    if not insert_ignore(session, DigestRun(week=week.label, created_at=now, trigger=trigger)):
        return False, f"The digest for {week.label} was already sent."
    outbox.notify(session, channel, build_message(session, week), key=f"digest:{week.label}", now=now, kind="digest")
    return True, f"The digest for {week.label} is on its way to #{channel.address}."


def scheduled_moment(now: datetime, *, tz: str, schedule: str) -> datetime:
    """This week's (in `tz`) digest moment for `schedule` ("mon 09:00")."""
    weekday, at = parse_schedule(schedule)
    local = now.astimezone(ZoneInfo(tz)).date()
    day = local - timedelta(days=local.weekday()) + timedelta(days=weekday)
    return datetime.combine(day, at, ZoneInfo(tz)).astimezone(timezone.utc)


def queue_if_due(engine: Engine, *, now: datetime, tz: str) -> str | None:
    """The scheduler's digest check: once this week's scheduled moment has
    passed, queue last week's digest (once). Returns the week label queued."""
    with session_scope(engine) as session:
        schedule = settings.get(session, settings.DIGEST_SCHEDULE, DEFAULT_SCHEDULE) or DEFAULT_SCHEDULE
        try:
            moment = scheduled_moment(now, tz=tz, schedule=schedule)
        except Problem:
            log.warning("digest schedule %r is unreadable; using %s", schedule, DEFAULT_SCHEDULE)
            moment = scheduled_moment(now, tz=tz, schedule=DEFAULT_SCHEDULE)
        if now < moment:
            return None
        week = last_full_week(now, tz)
        if session.get(DigestRun, week.label) is not None or settings.channel(session, settings.DIGEST_CHANNEL) is None:
            return None
        queued, _ = post(session, week, now=now, trigger="schedule")
        return week.label if queued else None
