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
import logging
import math
import re
import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

if TYPE_CHECKING:
    from bot.charts import Chart

from bot.messages import Message, Section
from bot.problems import Problem
from bot.services import outbox, settings, teams
from bot.services.lifecycle import OPEN_STATES
from bot.services.worktime import WorkCalendar
from storage.celebration import keep_chart
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
    def previous(self) -> Week:
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
    backlog: int = 0  # open at the end of the week (or now, while it runs)
    overdue: int = 0  # of the backlog, past its due date in the team's working time
    low_unhandled: int = 0  # ratings of 1 or 2 the lead had not yet handled by then

    @property
    def median_first_response(self) -> timedelta | None:
        return statistics.median(self.first_responses) if self.first_responses else None  # type: ignore[type-var]  # timedeltas sort and average

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
    so_far: bool = False  # the week is still running: counts cover `week.start` to `cutoff`
    cutoff: datetime | None = None  # where the counts stop: the week's end, or now while it runs
    participation: Participation | None = None


@dataclass(frozen=True)
class Participation:
    """Who took part in recognition, and how evenly it was spread.

    `gini` is over every active person's kudos received (zero included): 0 is
    everyone thanked equally, 1 is one person thanked for all. `top_share` is
    the share of kudos received that went to the most thanked tenth of people.
    """

    people: int
    gave: int
    received: int
    top_people: int
    top_share: float | None
    gini: float | None

    @property
    def gave_share(self) -> float | None:
        return self.gave / self.people if self.people else None

    @property
    def received_share(self) -> float | None:
        return self.received / self.people if self.people else None


def running_part(week: Week, now: datetime | None) -> tuple[Week, Week] | None:
    """While `week` runs at `now`: the part of it so far and the same part of
    the week before (pro rata: Monday to Wednesday noon against Monday to
    Wednesday noon). None for a finished week (or one not begun)."""
    if now is None or not week.start <= now < week.end:
        return None
    before = week.previous
    return (Week(label=week.label, start=week.start, end=now, tz=week.tz),
            Week(label=before.label, start=before.start, end=before.start + (now - week.start), tz=week.tz))


def _in(column, week: Week):  # type: ignore[no-untyped-def]
    return (column >= week.start) & (column < week.end)


def _kudos_counts(session: Session, week: Week) -> tuple[int, int]:
    given = session.exec(select(func.count(col(Kudos.id))).where(_in(Kudos.created_at, week))).one()
    received = session.exec(select(func.count()).select_from(KudosReceiver)
                            .join(Kudos, col(Kudos.id) == KudosReceiver.kudos_id).where(_in(Kudos.created_at, week))).one()
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


def compute(session: Session, week: Week, *, now: datetime | None = None, top_n: int = 5,
            names_limit: int = 50) -> Digest:
    """The digest of `week`, from range queries on that week (and the one
    before, and the 4 weeks behind it for the unrecognized).

    Args:
        now: when given and inside `week`, the week is still running: its
            numbers run to `now` and compare with the same part of the week
            before, so Wednesday's digest does not read as a collapse.
    """
    _plan_for_ranges(session)
    running = running_part(week, now)
    full = week
    week, before = running if running is not None else (week, week.previous)
    given, received = _kudos_counts(session, week)
    previous_given, previous_received = _kudos_counts(session, before)
    top_rows = session.exec(
        select(KudosReceiver.person_id, func.count().label("n")).join(Kudos, col(Kudos.id) == KudosReceiver.kudos_id)
        .where(_in(Kudos.created_at, week)).group_by(col(KudosReceiver.person_id))
        .order_by(func.count().desc(), col(KudosReceiver.person_id)).limit(top_n)).all()
    top = [(session.get(Person, pid), int(n)) for pid, n in top_rows]
    values = [(tag, int(n)) for tag, n in session.exec(
        select(KudosTag.tag, func.count()).join(Kudos, col(Kudos.id) == KudosTag.kudos_id)
        .where(_in(Kudos.created_at, week), KudosTag.is_value == True)  # noqa: E712
        .group_by(col(KudosTag.tag)).order_by(func.count().desc(), col(KudosTag.tag))).all()]

    all_teams = list(session.exec(select(Team).order_by(Team.name)).all())
    names = {t.id: t.name for t in all_teams}
    giver_team, receiver_team = aliased(TeamMember), aliased(TeamMember)
    pairs = session.exec(
        select(giver_team.team_id, receiver_team.team_id, func.count())
        .select_from(KudosReceiver).join(Kudos, col(Kudos.id) == KudosReceiver.kudos_id)
        .outerjoin(giver_team, col(giver_team.person_id) == Kudos.giver_id)
        .outerjoin(receiver_team, col(receiver_team.person_id) == KudosReceiver.person_id)
        .where(_in(Kudos.created_at, week)).group_by(col(giver_team.team_id), col(receiver_team.team_id))).all()
    thanks: dict[tuple[str, str], int] = {}
    for from_id, to_id, n in pairs:
        pair = (names.get(from_id, NO_TEAM), names.get(to_id, NO_TEAM))
        thanks[pair] = thanks.get(pair, 0) + int(n)
    gave = {a for a, _ in thanks}
    got = {b for _, b in thanks}

    since = week.end - timedelta(weeks=UNRECOGNIZED_WEEKS)
    recognized = (select(KudosReceiver.person_id).join(Kudos, col(Kudos.id) == KudosReceiver.kudos_id)
                  .where(Kudos.created_at >= since, Kudos.created_at < week.end))
    quiet = ((Person.created_at < week.end) & Person.id.not_in(recognized)  # type: ignore[union-attr]
             & (Person.active == True))  # noqa: E712  (people who left are not "unrecognized")
    unrecognized_count = int(session.exec(select(func.count(col(Person.id))).where(quiet)).one())
    unrecognized = list(session.exec(select(Person).where(quiet).order_by(Person.display_name)
                                     .limit(names_limit)).all())

    return Digest(week=full, kudos_given=given, kudos_received=received, previous_given=previous_given,
                  previous_received=previous_received, top=[(p, n) for p, n in top if p is not None], values=values,
                  thanks=thanks, gave_none=[t.name for t in all_teams if t.name not in gave],
                  got_none=[t.name for t in all_teams if t.name not in got], unrecognized_count=unrecognized_count,
                  unrecognized=unrecognized, service=_service(session, week, all_teams),
                  so_far=running is not None, cutoff=week.end, participation=_participation(session, week))


def _service(session: Session, week: Week, all_teams: list[Team]) -> list[TeamRecord]:
    records = {t.id: TeamRecord(name=t.name) for t in all_teams}
    calendars = {t.id: teams.calendar(t) for t in all_teams}
    for team_id, n in session.exec(select(Request.team_id, func.count()).where(_in(Request.created_at, week))
                                   .group_by(col(Request.team_id))).all():
        records[team_id].received = int(n)
    responded = session.exec(select(Request.team_id, Request.created_at, Request.first_response_at)
                             .where(_in(Request.created_at, week),
                                    Request.first_response_at != None)).all()  # noqa: E711
    for team_id, created, first in responded:
        assert first is not None  # the query keeps answered requests only
        records[team_id].first_responses.append(calendars[team_id].between(created, first))
    for team, (finished, in_time) in finished_on_time(session, week, calendars).items():
        records[team].finished, records[team].on_time = finished, in_time
    for team_id, total, n in session.exec(
            select(Request.team_id, func.sum(Feedback.rating), func.count())
            .join(Request, col(Request.id) == Feedback.request_id)
            .where(_in(Feedback.created_at, week)).group_by(col(Request.team_id))).all():
        records[team_id].rating_sum, records[team_id].ratings = float(total), int(n)
    _backlog(session, week.end, records, calendars)
    _unhandled_low_ratings(session, week.end, records)
    return [records[t.id] for t in all_teams]


def finished_on_time(session: Session, week: Week,
                     calendars: dict[int | None, WorkCalendar]) -> dict[int | None, tuple[int, int]]:
    """Per team: requests finished in `week`, and how many of them on time.

    Lateness counts working time: a request finished after its due date but before the
    team's next working hour (a night, a weekend, a public holiday, a closed day) is on time."""
    counts: dict[int | None, tuple[int, int]] = {}
    on_time = case((col(Request.done_at) <= Request.due_at, 1), else_=0)
    for team_id, finished, in_time in session.exec(
            select(Request.team_id, func.count(), func.sum(on_time))
            .where(_in(Request.done_at, week), Request.status == "done").group_by(col(Request.team_id))).all():
        counts[team_id] = (int(finished), int(in_time or 0))
    for team_id, due_at, done_at in session.exec(
            select(Request.team_id, Request.due_at, Request.done_at)
            .where(_in(Request.done_at, week), Request.status == "done", col(Request.done_at) > Request.due_at)).all():
        assert done_at is not None  # the query keeps finished requests only
        if team_id in calendars and calendars[team_id].between(due_at, done_at) == timedelta(0):
            finished, in_time = counts[team_id]
            counts[team_id] = (finished, in_time + 1)
    return counts


def _backlog(session: Session, cutoff: datetime, records: dict[int | None, TeamRecord],
             calendars: dict[int | None, WorkCalendar]) -> None:
    """Each team's open requests at `cutoff`, and how many were overdue then.

    Open then = filed before and not finished before: still open now (by the
    status index), or finished since (by the `done_at` index), so the cost
    follows the queue, not the history. A request cancelled since is not
    counted (its cancel time is not recorded apart)."""
    still_open = [str(state) for state in OPEN_STATES]
    rows = list(session.exec(select(Request.team_id, Request.due_at)
                        .where(col(Request.status).in_(still_open), Request.created_at < cutoff)).all())
    rows += session.exec(select(Request.team_id, Request.due_at)
                         .where(col(Request.done_at) >= cutoff, Request.status == "done",
                                Request.created_at < cutoff)).all()
    for team_id, due_at in rows:
        record = records.get(team_id)
        if record is None:
            continue
        record.backlog += 1
        # late in working time, as for "on time": due Friday evening is not overdue on Saturday
        if due_at is not None and due_at < cutoff and calendars[team_id].between(due_at, cutoff) > timedelta(0):
            record.overdue += 1


def _unhandled_low_ratings(session: Session, cutoff: datetime, records: dict[int | None, TeamRecord]) -> None:
    """Ratings of 1 or 2 given before `cutoff` that the team's lead had not handled by then."""
    waiting = (Feedback.follow_up == "open") | ((Feedback.follow_up == "handled") & (Feedback.handled_at >= cutoff))  # type: ignore[operator]
    for team_id, n in session.exec(
            select(Request.team_id, func.count()).select_from(Feedback)
            .join(Request, col(Request.id) == col(Feedback.request_id))
            .where(Feedback.created_at < cutoff, Feedback.rating <= 2, waiting).group_by(col(Request.team_id))).all():
        if team_id in records:
            records[team_id].low_unhandled = int(n)


def _participation(session: Session, week: Week) -> Participation:
    """Share of active people who gave and who received kudos in `week`, and
    how evenly the kudos received were spread over everyone."""
    active = (Person.active == True) & (Person.created_at < week.end)  # noqa: E712
    people = int(session.exec(select(func.count(col(Person.id))).where(active)).one())
    gave = int(session.exec(select(func.count(func.distinct(Kudos.giver_id)))
                            .join(Person, col(Person.id) == col(Kudos.giver_id))
                            .where(_in(Kudos.created_at, week), active)).one())
    counts = [int(n) for n in session.exec(
        select(func.count()).select_from(KudosReceiver).join(Kudos, col(Kudos.id) == col(KudosReceiver.kudos_id))
        .join(Person, col(Person.id) == col(KudosReceiver.person_id))
        .where(_in(Kudos.created_at, week), active).group_by(col(KudosReceiver.person_id))).all()]
    counts.sort(reverse=True)
    total = sum(counts)
    top_people = max(1, math.ceil(people / 10)) if people else 0
    top_share = sum(counts[:top_people]) / total if total else None
    return Participation(people=people, gave=gave, received=len(counts), top_people=top_people,
                         top_share=top_share, gini=gini(counts + [0] * max(0, people - len(counts))) if total else None)


def gini(values: list[int]) -> float:
    """The Gini coefficient of `values` (0: all equal; near 1: one holds all)."""
    ordered = sorted(values)
    n, total = len(ordered), sum(ordered)
    if n == 0 or total == 0:
        return 0.0
    weighted = sum((i + 1) * v for i, v in enumerate(ordered))
    return (2 * weighted) / (n * total) - (n + 1) / n


def charts(session: Session, week: Week) -> list[Chart]:
    """The digest's pictures: the team map of `week` and the eight weeks up to it."""
    from bot.charts import team_map_chart, trends_chart
    from bot.services import team_map, trends

    return [team_map_chart(team_map.compute(session, week)), trends_chart(trends.compute(session, week))]


def build_message(session: Session, week: Week, *, now: datetime | None = None,
                  with_charts: bool = True) -> Message:
    """The digest of `week` as one message; with its pictures (alt text on
    each) unless `with_charts` is False. The text says everything on its own."""
    from bot.texts import digest as say

    message = with_suggestions(session, with_reciprocity(session, say.digest(compute(session, week, now=now)), week),
                               week)
    if with_charts:
        message = message.model_copy(update={"images": tuple(c.as_image() for c in charts(session, week))})
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


def with_suggestions(session: Session, message: Message, week: Week) -> Message:
    """The digest with each team's suggestions received and answered in the week, when there were any."""
    from bot.services import suggestions

    rows = suggestions.received_and_answered(session, week.start, week.end)
    if not rows:
        return message
    lines = tuple(f"{name}: {received} received, {answered} answered" for name, received, answered in rows)
    section = Section(heading="Suggestions to teams", text=lines)
    return message.model_copy(update={"sections": (*message.sections, section)})


def keep_charts(session: Session, message: Message, *, now: datetime) -> None:
    """Store the message's pictures so `tandem serve` can serve them by link
    (/charts/<sha256>.png) to a platform that can't carry them inline."""
    for image in message.images:
        keep_chart(session, base64.b64decode(image.png_base64), now=now)


def post(session: Session, week: Week, *, now: datetime, trigger: str) -> tuple[bool, str]:
    """Queue `week`'s digest to the HR channel, once however many replicas
    (or CLI runs) try; returns whether it was queued and what to tell."""
    channel = settings.channel(session, settings.DIGEST_CHANNEL)
    if channel is None:
        return False, "No digest channel is set: `/tandem digest channel #people` first."
    if running_part(week, now) is not None or now < week.start:
        return False, (f"{week.label} is still running: `tandem digest --week {week.label}` shows it so far, "
                       "and its digest can be posted once it is over.")
    if not insert_ignore(session, DigestRun(week=week.label, created_at=now, trigger=trigger)):
        return False, f"The digest for {week.label} was already sent."
    message = build_message(session, week, now=now)
    keep_charts(session, message, now=now)
    outbox.notify(session, channel, message, key=f"digest:{week.label}", now=now, kind="digest")
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
