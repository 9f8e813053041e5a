"""Reciprocity signals for HR's digest: patterns in who thanks whom that are
worth a look, never verdicts.

Three patterns, over the weeks up to the digest's week (a week is too short
for a pattern):

- two people who give most of their thanks to each other;
- people who give many kudos and receive none;
- teams that keep asking another team for things but never thank anyone in it.

They go in HR's digest only (its channel is HR's), name people without
pinging them, and are worded as questions to look into. Every figure comes
from grouped range queries on indexed creation times, so the cost follows
the window, not the history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from storage.models import Kudos, KudosReceiver, Person, Request, Team, TeamMember

WINDOW_WEEKS = 4
PAIR_MIN = 4  # kudos between the two, both ways together
PAIR_SHARE = 0.75  # of what each of them gave
GIVER_MIN = 5
ASKS_MIN = 3
SHOWN = 5  # of each pattern


@dataclass(frozen=True)
class MutualPair:
    first: Person
    second: Person
    between: int  # kudos the two gave each other
    given: int  # kudos the two gave in all


@dataclass(frozen=True)
class OneWayGiver:
    person: Person
    given: int


@dataclass(frozen=True)
class UnthankedTeam:
    asking: Team
    asked: Team
    requests: int


@dataclass(frozen=True)
class Signals:
    since: datetime
    until: datetime
    pairs: list[MutualPair]
    givers: list[OneWayGiver]
    teams: list[UnthankedTeam]

    def __bool__(self) -> bool:
        return bool(self.pairs or self.givers or self.teams)


def signals(session: Session, *, until: datetime, weeks: int = WINDOW_WEEKS) -> Signals:
    """The patterns in the `weeks` before `until` (the digest week's end)."""
    since = until - timedelta(weeks=weeks)
    window = (Kudos.created_at >= since) & (Kudos.created_at < until)
    edges: dict[tuple[int, int], int] = {}
    for giver_id, receiver_id, n in session.exec(
            select(Kudos.giver_id, KudosReceiver.person_id, func.count())
            .join(KudosReceiver, col(KudosReceiver.kudos_id) == col(Kudos.id)).where(window)
            .group_by(col(Kudos.giver_id), col(KudosReceiver.person_id))).all():
        edges[(int(giver_id), int(receiver_id))] = int(n)
    given: dict[int, int] = {}
    received: dict[int, int] = {}
    for (giver_id, receiver_id), n in edges.items():
        given[giver_id] = given.get(giver_id, 0) + n
        received[receiver_id] = received.get(receiver_id, 0) + n
    people = _people(session, {p for edge in edges for p in edge})
    return Signals(since=since, until=until, pairs=_pairs(edges, given, people),
                   givers=_one_way(given, received, people), teams=_unthanked(session, since, until))


def _people(session: Session, ids: set[int]) -> dict[int, Person]:
    if not ids:
        return {}
    rows = session.exec(select(Person).where(Person.id.in_(ids), Person.active == True)).all()  # type: ignore[union-attr]  # noqa: E712
    return {p.id: p for p in rows if p.id is not None}


def _pairs(edges: dict[tuple[int, int], int], given: dict[int, int], people: dict[int, Person]) -> list[MutualPair]:
    found: list[MutualPair] = []
    for (a, b), a_to_b in edges.items():
        if a >= b or a not in people or b not in people:
            continue
        b_to_a = edges.get((b, a), 0)
        if not b_to_a or a_to_b + b_to_a < PAIR_MIN:
            continue
        if a_to_b / given[a] >= PAIR_SHARE and b_to_a / given[b] >= PAIR_SHARE:
            found.append(MutualPair(people[a], people[b], a_to_b + b_to_a, given[a] + given[b]))
    found.sort(key=lambda p: (-p.between, p.first.display_name))
    return found[:SHOWN]


def _one_way(given: dict[int, int], received: dict[int, int], people: dict[int, Person]) -> list[OneWayGiver]:
    found = [OneWayGiver(people[pid], n) for pid, n in given.items()
             if n >= GIVER_MIN and not received.get(pid) and pid in people]
    found.sort(key=lambda g: (-g.given, g.person.display_name))
    return found[:SHOWN]


def _unthanked(session: Session, since: datetime, until: datetime) -> list[UnthankedTeam]:
    asker = aliased(TeamMember)
    asks = session.exec(
        select(asker.team_id, Request.team_id, func.count(func.distinct(Request.id)))
        .join(asker, col(asker.person_id) == col(Request.requester_id))
        .where(Request.created_at >= since, Request.created_at < until, asker.team_id != Request.team_id)
        .group_by(col(asker.team_id), col(Request.team_id))).all()
    heavy = {(int(a), int(b)): int(n) for a, b, n in asks if int(n) >= ASKS_MIN}
    if not heavy:
        return []
    giver_team, receiver_team = aliased(TeamMember), aliased(TeamMember)
    thanked = {(int(a), int(b)) for a, b in session.exec(
        select(giver_team.team_id, receiver_team.team_id).select_from(Kudos)
        .join(KudosReceiver, col(KudosReceiver.kudos_id) == col(Kudos.id))
        .join(giver_team, col(giver_team.person_id) == col(Kudos.giver_id))
        .join(receiver_team, col(receiver_team.person_id) == col(KudosReceiver.person_id))
        .where(Kudos.created_at >= since, Kudos.created_at < until).distinct()).all()}
    teams = {t.id: t for t in session.exec(select(Team)).all()}
    found = [UnthankedTeam(teams[a], teams[b], n) for (a, b), n in heavy.items()
             if (a, b) not in thanked and a in teams and b in teams]
    found.sort(key=lambda t: (-t.requests, t.asking.name, t.asked.name))
    return found[:SHOWN]
