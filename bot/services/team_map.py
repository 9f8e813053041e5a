"""Who asks and thanks whom, team by team, for the digest's team map.

Two matrices over the same teams, rows the asking (or thanking) team and
columns the team asked (or thanked): this week's counts, and whether the
pair stayed silent for the last `SILENT_WEEKS` weeks (a silo). A person in
two teams counts for both; people in no team are left out of the map (the
text digest still counts them as "no team").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from bot.services.digest import Week
from storage.models import Kudos, KudosReceiver, Request, Team, TeamMember

SILENT_WEEKS = 4
Matrix = tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class Panel:
    """One panel of the map: counts this week, and which cells were empty for weeks."""

    title: str
    counts: Matrix
    silent: frozenset[tuple[int, int]]  # (row, column) with nothing for SILENT_WEEKS weeks

    def silent_rows(self) -> list[int]:
        """Rows (asking or thanking teams) with every cell silent: the team reached nobody."""
        size = len(self.counts)
        return [i for i in range(size) if all((i, j) in self.silent for j in range(size))]


@dataclass(frozen=True)
class TeamMap:
    """The week's team × team map: requests and kudos over the same team names."""

    week: Week
    teams: tuple[str, ...]
    requests: Panel
    kudos: Panel


def _pairs(session: Session, query_for, start, end) -> dict[tuple[int, int], int]:  # type: ignore[no-untyped-def]
    return {(int(a), int(b)): int(n) for a, b, n in session.exec(query_for(start, end)).all()
            if a is not None and b is not None}


def compute(session: Session, week: Week) -> TeamMap:
    """The map of `week`: group-by queries on the week and the weeks behind it."""
    all_teams = list(session.exec(select(Team).order_by(Team.name)).all())
    index = {t.id: i for i, t in enumerate(all_teams)}
    asker = aliased(TeamMember)
    giver, receiver = aliased(TeamMember), aliased(TeamMember)

    def requests(start, end):  # type: ignore[no-untyped-def]
        return (select(asker.team_id, Request.team_id, func.count()).select_from(Request)
                .join(asker, col(asker.person_id) == Request.requester_id)
                .where(Request.created_at >= start, Request.created_at < end)
                .group_by(col(asker.team_id), col(Request.team_id)))

    def kudos(start, end):  # type: ignore[no-untyped-def]
        return (select(giver.team_id, receiver.team_id, func.count()).select_from(KudosReceiver)
                .join(Kudos, col(Kudos.id) == KudosReceiver.kudos_id)
                .join(giver, col(giver.person_id) == Kudos.giver_id)
                .join(receiver, col(receiver.person_id) == KudosReceiver.person_id)
                .where(Kudos.created_at >= start, Kudos.created_at < end)
                .group_by(col(giver.team_id), col(receiver.team_id)))

    since = week.end - timedelta(weeks=SILENT_WEEKS)

    def panel(title: str, query_for) -> Panel:  # type: ignore[no-untyped-def]
        now = _pairs(session, query_for, week.start, week.end)
        recent = _pairs(session, query_for, since, week.end)
        size = len(all_teams)
        counts = [[0] * size for _ in range(size)]
        for (a, b), n in now.items():
            if a in index and b in index:
                counts[index[a]][index[b]] = n
        heard = {(index[a], index[b]) for (a, b), n in recent.items() if n and a in index and b in index}
        silent = frozenset((i, j) for i in range(size) for j in range(size) if (i, j) not in heard)
        return Panel(title=title, counts=tuple(tuple(row) for row in counts), silent=silent)

    return TeamMap(week=week, teams=tuple(t.name for t in all_teams),
                   requests=panel("Requests (asking team → team asked)", requests),
                   kudos=panel("Kudos (thanking team → team thanked)", kudos))
