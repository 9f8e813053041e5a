"""A synthetic company for the scale benchmarks, written in bulk.

People, teams, memberships, requests, feedback and kudos with explicit ids,
inserted with `executemany` on SQLite and `COPY` on PostgreSQL (the ORM would
take tens of minutes at a million kudos). Rows are tuples in the column order
of the real tables (`SQLModel.metadata`), so the schema stays the one Alembic
made. Timestamps are naive UTC, as `storage.types.UTCDateTime` stores them.

The history ends at the benchmarks' "now" (Monday 2026-11-23 10:00 UTC, the
test clock). The six weeks before it — what the weekly digest reads — have a
fixed density whatever the size of the history, so two companies that differ
only in how much history they have get the same digest week.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from itertools import chain, islice
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import storage.models  # noqa: F401 - registers the tables
import storage.schedule  # noqa: F401

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)
RECENT = timedelta(weeks=6)
YEAR = timedelta(weeks=52)
TENANT = "T0TANDEM"
VALUES = ("teamwork", "ownership", "customer", "courage", "curiosity")
CHUNK = 20_000
SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"


def naive(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


class BulkWriter:
    """Appends rows to a table: executemany on SQLite, COPY on PostgreSQL."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.postgres = engine.dialect.name == "postgresql"

    def columns(self, table: str) -> list[str]:
        return [column.name for column in SQLModel.metadata.tables[table].columns]

    def write(self, table: str, rows: Iterable[dict[str, Any]]) -> int:
        """Insert `rows` (dicts by column name, all with the same keys; columns they
        leave out get the table's defaults); returns how many."""
        rows = iter(rows)
        first = next(rows, None)
        if first is None:
            return 0
        columns = [c for c in self.columns(table) if c in first]
        tuples = (tuple(row.get(c) for c in columns) for row in chain([first], rows))
        raw = self.engine.raw_connection()
        count = 0
        try:
            cursor = raw.cursor()
            if self.postgres:
                with cursor.copy(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN') as copy:
                    for row in tuples:
                        copy.write_row(row)
                        count += 1
            else:
                sql = f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({", ".join("?" * len(columns))})'
                while chunk := [tuple(_sqlite(v) for v in row) for row in islice(tuples, CHUNK)]:
                    cursor.executemany(sql, chunk)
                    count += len(chunk)
            raw.commit()
        finally:
            raw.close()
        return count

    def finish(self) -> None:
        """Move PostgreSQL's id sequences past the written ids, and refresh planner statistics
        (autovacuum would, soon after a real bulk load)."""
        if not self.postgres:
            return
        with self.engine.begin() as connection:
            for table in ("person", "team", "request", "feedback", "kudos", "notification"):
                connection.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM \"{table}\"), 0) + 1, false)"))
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE"))


def _sqlite(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.strftime(SQLITE_TIME)
    if isinstance(value, bool):
        return int(value)
    return value


@dataclass
class Company:
    """Who is who: person ids 1..people, team ids 1..teams, person p in team (p % teams) + 1."""

    people: int
    teams: int

    def team_of(self, person_id: int) -> int:
        return (person_id % self.teams) + 1


def write_people_and_teams(writer: BulkWriter, company: Company, *, rng: random.Random) -> None:
    start = naive(NOW - YEAR - timedelta(weeks=4))
    writer.write("person", ({
        "id": p, "platform": "slack", "tenant": TENANT, "user_id": f"U{p:07d}", "display_name": f"Person {p}",
        "timezone": "Europe/Paris", "created_at": start,
    } for p in range(1, company.people + 1)))
    writer.write("team", ({
        "id": t, "handle": f"team{t}", "name": f"Team {t:03d}", "lead_id": t, "intake_platform": "slack",
        "intake_tenant": TENANT, "intake_channel": f"C{t:07d}", "timezone": "Europe/Paris",
        "work_days": "0,1,2,3,4", "work_start": "09:00", "work_end": "17:00", "first_response_hours": 4.0,
        "resolution_days": 3.0, "created_at": start,
    } for t in range(1, company.teams + 1)))
    writer.write("team_member", ({"team_id": company.team_of(p), "person_id": p, "joined_at": start}
                                 for p in range(1, company.people + 1)))


def spread(count: int, *, start: datetime, end: datetime, rng: random.Random) -> Iterator[datetime]:
    """`count` naive UTC moments, uniformly at random in [start, end)."""
    begin, span = naive(start), (end - start).total_seconds()
    for _ in range(count):
        yield begin + timedelta(seconds=rng.random() * span)


def recent_share(total: int) -> int:
    """How many of `total` rows of a one-year history fall in the last six weeks."""
    return round(total * RECENT / YEAR)


def write_kudos(writer: BulkWriter, company: Company, *, count: int, first_id: int, start: datetime,
                end: datetime, rng: random.Random) -> int:
    """`count` kudos in [start, end): one receiver (a fifth get a second), half carry a value tag.
    Returns the next free id."""
    ids = range(first_id, first_id + count)
    moments = list(spread(count, start=start, end=end, rng=rng))
    givers = [rng.randrange(1, company.people + 1) for _ in ids]
    writer.write("kudos", ({"id": k, "giver_id": g, "message": "thanks for the help #teamwork", "request_id": None,
                            "platform": "slack", "tenant": TENANT, "channel": "C0KUDOS", "created_at": m}
                           for k, g, m in zip(ids, givers, moments, strict=True)))

    def receivers() -> Iterator[dict[str, Any]]:
        for k, g in zip(ids, givers, strict=True):
            first = (g + rng.randrange(1, company.people)) % company.people + 1
            yield {"kudos_id": k, "person_id": first}
            if rng.random() < 0.2:
                second = first % company.people + 1
                if second != g:
                    yield {"kudos_id": k, "person_id": second}

    writer.write("kudos_receiver", receivers())
    writer.write("kudos_tag", ({"kudos_id": k, "tag": rng.choice(VALUES), "is_value": True}
                               for k in ids if k % 2 == 0))
    return first_id + count


def request_row(company: Company, *, request_id: int, created: datetime, status: str,
                rng: random.Random) -> dict[str, Any]:
    """One request of a random person to another team; `done` ones have responded, finished dates."""
    requester = rng.randrange(1, company.people + 1)
    team = rng.randrange(1, company.teams + 1)
    row: dict[str, Any] = {
        "id": request_id, "team_id": team, "requester_id": requester, "assignee_id": None,
        "title": f"Please help with thing {request_id}", "status": status, "private": False,
        "due_at": created + timedelta(days=3), "due_requested": False,
        "first_response_due_at": created + timedelta(hours=4), "origin_platform": "slack",
        "origin_tenant": TENANT, "origin_channel": "C0GENERAL", "created_at": created, "updated_at": created,
    }
    if status == "done":
        responded = created + timedelta(minutes=rng.randrange(5, 600))
        row.update(assignee_id=team, first_response_at=responded, updated_at=responded,
                   done_at=responded + timedelta(hours=rng.randrange(1, 120)))
    return row


def write_done_requests(writer: BulkWriter, company: Company, *, count: int, first_id: int, start: datetime,
                        end: datetime, rng: random.Random, rated: float = 0.5) -> int:
    """`count` finished requests filed in [start, end), `rated` of them with feedback. Returns the next id."""
    rows = [request_row(company, request_id=first_id + i, created=created, status="done", rng=rng)
            for i, created in enumerate(spread(count, start=start, end=end, rng=rng))]
    writer.write("request", rows)
    writer.write("feedback", ({
        "id": row["id"], "request_id": row["id"], "requester_id": row["requester_id"], "rating": rng.randint(1, 5),
        "comment": "", "follow_up": None, "follow_up_note": "", "created_at": row["done_at"] + timedelta(hours=2),
        "updated_at": row["done_at"] + timedelta(hours=2),
    } for row in rows if rng.random() < rated))
    return first_id + count


def fresh_ids(sequence: Sequence[int]) -> int:
    return max(sequence, default=0) + 1
