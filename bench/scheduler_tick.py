"""Benchmark 3: one scheduler tick costs what is due, not what is open.

A company with 10,000 then 100,000 open requests whose next nudge is in the
future: one tick (`scheduler.jobs.tick`: nudges, feedback reminders, the
digest check) when nothing is due, on each size. Then 100 and 1,000 of the
100,000 come due (unclaimed past their first-response target), and one tick
queues their nudges. On SQLite and PostgreSQL.

    python bench/scheduler_tick.py [--scale 1.0] [--repeat 5] [--no-postgres]
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import Results, postgres_reachable, scale_parser, temporary_postgres  # noqa: E402
from company import NOW, BulkWriter, Company, naive, request_row, write_people_and_teams  # noqa: E402
from sqlalchemy import func, select, update  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

from bot.services.clock import FrozenClock  # noqa: E402
from scheduler.jobs import TickReport, tick  # noqa: E402
from storage.db import make_engine, upgrade  # noqa: E402
from storage.models import Notification, Request  # noqa: E402

PEOPLE, TEAMS, SMALL_OPEN, LARGE_OPEN, FEW_DUE, MANY_DUE = 10_000, 100, 10_000, 100_000, 100, 1_000
IDLE_TARGET_MS = 50.0


@dataclass
class Sizes:
    people: int
    teams: int
    small_open: int
    large_open: int
    few_due: int
    many_due: int

    @classmethod
    def scaled(cls, scale: float) -> Sizes:
        return cls(max(10, round(PEOPLE * scale)), max(2, round(TEAMS * min(1.0, scale * 10))),
                   max(10, round(SMALL_OPEN * scale)), max(100, round(LARGE_OPEN * scale)),
                   max(1, round(FEW_DUE * scale)), max(10, round(MANY_DUE * scale)))


@dataclass
class Measured:
    database: str
    idle_small: float
    idle_large: float
    few: float
    few_queued: int
    many: float
    many_queued: int


def write_open(writer: BulkWriter, company: Company, *, count: int, first_id: int, rng: random.Random) -> int:
    """`count` open, unclaimed requests filed in the last two days, next nudge 1 h to 5 days ahead."""
    def rows():  # type: ignore[no-untyped-def]
        for i in range(count):
            created = naive(NOW - timedelta(hours=rng.uniform(0, 48)))
            row = request_row(company, request_id=first_id + i, created=created, status="open", rng=rng)
            row["next_nudge_at"] = naive(NOW + timedelta(hours=rng.uniform(1, 120)))
            row["first_response_due_at"] = row["next_nudge_at"]
            yield row

    writer.write("request", rows())
    return first_id + count


def make_due(engine: Engine, ids: range) -> None:
    """These requests missed their first-response target half an hour ago: an unclaimed nudge is due."""
    moment = NOW - timedelta(minutes=30)
    with engine.begin() as connection:
        connection.execute(update(Request).where(Request.id.in_(list(ids)))  # type: ignore[union-attr]
                           .values(first_response_due_at=moment, next_nudge_at=moment,
                                   created_at=moment - timedelta(hours=6)))


def one_tick(engine: Engine) -> tuple[float, TickReport]:
    clock = FrozenClock(NOW)
    started = time.perf_counter()
    report = asyncio.run(tick(engine, clock))
    return time.perf_counter() - started, report


def idle_tick(engine: Engine, *, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        seconds, report = one_tick(engine)
        assert report.nudges == 0, report
        times.append(seconds)
    return statistics.median(times)


def measure(name: str, url: str, sizes: Sizes, *, repeat: int) -> Measured:
    rng = random.Random(11)
    engine = make_engine(url)
    try:
        upgrade(engine)
        writer = BulkWriter(engine)
        company = Company(sizes.people, sizes.teams)
        write_people_and_teams(writer, company, rng=rng)
        next_id = write_open(writer, company, count=sizes.small_open, first_id=1, rng=rng)
        writer.finish()
        one_tick(engine)  # warm: imports, connection pool, statement caches
        idle_small = idle_tick(engine, repeat=repeat)
        write_open(writer, company, count=sizes.large_open - sizes.small_open, first_id=next_id, rng=rng)
        writer.finish()
        idle_large = idle_tick(engine, repeat=repeat)
        make_due(engine, range(1, 1 + sizes.few_due))
        few, few_report = one_tick(engine)
        make_due(engine, range(1 + sizes.few_due, 1 + sizes.few_due + sizes.many_due))
        many, many_report = one_tick(engine)
        with engine.connect() as connection:
            queued = connection.execute(select(func.count()).select_from(Notification)).scalar_one()
        assert queued == few_report.nudges + many_report.nudges, (queued, few_report, many_report)
    finally:
        engine.dispose()
    return Measured(name, idle_small, idle_large, few, few_report.nudges, many, many_report.nudges)


def run(*, scale: float, repeat: int, postgres: bool) -> Results:
    sizes = Sizes.scaled(scale)
    results = Results(f"Benchmark 3: one scheduler tick ({sizes.people:,} people, {sizes.small_open:,} / "
                      f"{sizes.large_open:,} open requests; idle figures are the median of {repeat})")
    measured: list[Measured] = []
    with tempfile.TemporaryDirectory(prefix="tandem-bench-") as tmp:
        measured.append(measure("SQLite", f"sqlite:///{tmp}/tick.db", sizes, repeat=repeat))
    if postgres and postgres_reachable():
        with temporary_postgres() as url:
            measured.append(measure("PostgreSQL", url, sizes, repeat=repeat))
    else:
        results.add("PostgreSQL", "not measured (unreachable or --no-postgres)")
    for m in measured:
        growth = m.idle_large / m.idle_small
        results.add(f"{m.database}: nothing due, {sizes.small_open:,} open", f"{m.idle_small * 1000:.1f} ms")
        results.add(f"{m.database}: nothing due, {sizes.large_open:,} open", f"{m.idle_large * 1000:.1f} ms",
                    target=f"< {IDLE_TARGET_MS:g} ms", met=m.idle_large * 1000 < IDLE_TARGET_MS)
        results.add(f"{m.database}: idle tick {sizes.large_open:,} / {sizes.small_open:,} open", f"{growth:.2f}",
                    target="~1 (open rows cost nothing)", met=growth < 1.5)
        results.add(f"{m.database}: {sizes.few_due:,} due ({m.few_queued:,} nudges queued)",
                    f"{m.few * 1000:.0f} ms")
        results.add(f"{m.database}: {sizes.many_due:,} due ({m.many_queued:,} nudges queued)",
                    f"{m.many * 1000:.0f} ms")
        per_few = (m.few - m.idle_large) / sizes.few_due * 1000
        per_many = (m.many - m.idle_large) / sizes.many_due * 1000
        results.add(f"{m.database}: cost per due request ({sizes.few_due:,} / {sizes.many_due:,} due)",
                    f"{per_few:.2f} / {per_many:.2f} ms", target="grows with due rows",
                    met=m.many > m.few and m.many_queued == sizes.many_due)
    return results


def main(argv: list[str] | None = None) -> int:
    args = scale_parser(__doc__, repeat_help="idle ticks per size (median)").parse_args(argv)
    run(scale=args.scale, repeat=args.repeat, postgres=not args.no_postgres).print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
