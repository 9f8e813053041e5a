"""Benchmark 2: the weekly digest's cost follows the week, not the history.

A synthetic company (10,000 people, 100 teams, 200,000 requests over a year)
first with 100,000 kudos, then with 900,000 more in its older history — the
same company with ten times the history; the six weeks the digest reads are
the same in both. The digest's computation (`bot.services.digest.compute`
for the last full week) is timed on SQLite and on PostgreSQL (a database of
its own, dropped afterwards), median of `--repeat` runs.

    python bench/digest_scale.py [--scale 1.0] [--repeat 5] [--no-postgres]
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import Results, postgres_reachable, scale_parser, temporary_postgres  # noqa: E402
from company import NOW, RECENT, YEAR, BulkWriter, Company, recent_share, write_done_requests, write_kudos, write_people_and_teams  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402
from sqlmodel import Session  # noqa: E402

from bot.services.digest import Digest, compute, last_full_week  # noqa: E402
from storage.db import make_engine, upgrade  # noqa: E402

PEOPLE, TEAMS, REQUESTS, SMALL, LARGE = 10_000, 100, 200_000, 100_000, 1_000_000
SECONDS_TARGET = 1.0
RATIO_TARGET = 1.5


@dataclass
class Sizes:
    people: int
    teams: int
    requests: int
    small: int
    large: int

    @classmethod
    def scaled(cls, scale: float) -> Sizes:
        return cls(max(10, round(PEOPLE * scale)), max(2, round(TEAMS * min(1.0, scale * 10))),
                   max(10, round(REQUESTS * scale)), max(10, round(SMALL * scale)), max(100, round(LARGE * scale)))


@dataclass
class Measured:
    database: str
    build_small: float
    small: float
    build_large: float
    large: float
    digest_small: Digest
    digest_large: Digest


def time_digest(engine: Engine, *, repeat: int) -> tuple[float, Digest]:
    """Median seconds of `compute` for the last full week, each run in a fresh session."""
    week = last_full_week(NOW, "UTC")
    times = []
    digest = None
    for _ in range(repeat):
        with Session(engine) as session:
            started = time.perf_counter()
            digest = compute(session, week)
            times.append(time.perf_counter() - started)
    assert digest is not None
    return statistics.median(times), digest


def measure(name: str, url: str, sizes: Sizes, *, repeat: int, seed: int = 7) -> Measured:
    rng = random.Random(seed)
    engine = make_engine(url)
    try:
        upgrade(engine)
        writer = BulkWriter(engine)
        company = Company(sizes.people, sizes.teams)
        started = time.perf_counter()
        write_people_and_teams(writer, company, rng=rng)
        recent_requests = recent_share(sizes.requests)
        next_request = write_done_requests(writer, company, count=sizes.requests - recent_requests, first_id=1,
                                           start=NOW - YEAR, end=NOW - RECENT, rng=rng)
        write_done_requests(writer, company, count=recent_requests, first_id=next_request, start=NOW - RECENT,
                            end=NOW, rng=rng)
        recent_kudos = recent_share(sizes.small)
        next_kudos = write_kudos(writer, company, count=sizes.small - recent_kudos, first_id=1, start=NOW - YEAR,
                                 end=NOW - RECENT, rng=rng)
        next_kudos = write_kudos(writer, company, count=recent_kudos, first_id=next_kudos, start=NOW - RECENT,
                                 end=NOW, rng=rng)
        writer.finish()
        build_small = time.perf_counter() - started
        small, digest_small = time_digest(engine, repeat=repeat)
        started = time.perf_counter()
        write_kudos(writer, company, count=sizes.large - sizes.small, first_id=next_kudos, start=NOW - YEAR,
                    end=NOW - RECENT, rng=rng)
        writer.finish()
        build_large = time.perf_counter() - started
        large, digest_large = time_digest(engine, repeat=repeat)
    finally:
        engine.dispose()
    return Measured(name, build_small, small, build_large, large, digest_small, digest_large)


@contextmanager
def sqlite_url() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="tandem-bench-") as tmp:
        yield f"sqlite:///{tmp}/digest.db"


def run(*, scale: float, repeat: int, postgres: bool) -> Results:
    sizes = Sizes.scaled(scale)
    results = Results(f"Benchmark 2: weekly digest vs history ({sizes.people:,} people, {sizes.teams} teams, "
                      f"{sizes.requests:,} requests, {sizes.small:,} then {sizes.large:,} kudos; "
                      f"median of {repeat})")
    measured: list[Measured] = []
    with sqlite_url() as url:
        measured.append(measure("SQLite", url, sizes, repeat=repeat))
    if postgres and postgres_reachable():
        with temporary_postgres() as url:
            measured.append(measure("PostgreSQL", url, sizes, repeat=repeat))
    else:
        results.add("PostgreSQL", "not measured (unreachable or --no-postgres)")
    small_label, large_label = _label(sizes.small), _label(sizes.large)
    for m in measured:
        same = (m.digest_small.kudos_given, m.digest_small.unrecognized_count) == \
               (m.digest_large.kudos_given, m.digest_large.unrecognized_count)
        ratio = m.large / m.small if m.small else float("inf")
        results.add(f"{m.database}: build company + {small_label} kudos", f"{m.build_small:.1f} s")
        results.add(f"{m.database}: add history to {large_label}", f"{m.build_large:.1f} s")
        results.add(f"{m.database}: week's kudos given (both sizes)",
                    f"{m.digest_small.kudos_given:,}" + ("" if same else f" vs {m.digest_large.kudos_given:,}!"),
                    target="same", met=same)
        results.add(f"{m.database}: digest at {small_label}", f"{m.small * 1000:.0f} ms")
        results.add(f"{m.database}: digest at {large_label}", f"{m.large * 1000:.0f} ms",
                    target=f"< {SECONDS_TARGET:g} s", met=m.large < SECONDS_TARGET)
        results.add(f"{m.database}: ratio {large_label} / {small_label}", f"{ratio:.2f}",
                    target=f"<= {RATIO_TARGET}", met=ratio <= RATIO_TARGET)
    return results


def _label(count: int) -> str:
    return f"{count / 1_000_000:g}M" if count >= 1_000_000 else f"{count / 1000:g}k"


def main(argv: list[str] | None = None) -> int:
    args = scale_parser(__doc__, repeat_help="digest runs per size (median)").parse_args(argv)
    run(scale=args.scale, repeat=args.repeat, postgres=not args.no_postgres).print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
