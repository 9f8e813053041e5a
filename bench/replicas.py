"""Benchmark 6: replicas. Two `tandem serve` processes on one PostgreSQL
database sharing the load, against one, at the same concurrency.

The load is benchmark 1's (`/kudos` and `/ask`, correctly signed, the Slack
mock of tests/slack), closed loop at `--concurrency`: first all of it to one
replica, then the same number of clients split between two (client i talks to
replica i mod 2), both on the same fresh database, each with its own
scheduler and deliverer. Reported: completed commands per second for each, the
ratio, and whether anything reached Slack twice: every reply to a command's
`response_url`, and every message posted (`chat.postMessage`), counted by its
channel and content (each command's text is unique, and in its blocks).

For the paper estimate the benchmark also reads the CPU time of the
PostgreSQL backends serving this database (from /proc; the server runs on
this machine, its other databases do not count) and the transactions it
committed (`pg_stat_database.xact_commit`), both per completed command: with
replicas on machines of their own, the database's CPU per command is what
bounds the total.

    python bench/replicas.py [--requests 2000] [--concurrency 32]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import aiohttp  # noqa: E402
from common import PG_ADMIN_URL, Results, cpu_seconds, postgres_reachable, temporary_postgres  # noqa: E402
from slash_commands import Load, Server, measure, post, set_up_tandem, start_mock_slack, tandem_server  # noqa: E402

WARMUP = 50
SETTLE_SECONDS = 3.0  # after the load: deliveries still running may still double


def backend_cpu_seconds(url: str, pids: set[int]) -> tuple[float, set[int]]:
    """CPU time used so far by the PostgreSQL backends serving the database at
    `url` (its sessions now, and `pids` seen before), and those backends: the
    local server also serves other databases, whose work must not count."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        rows = connection.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                                  "AND pid <> pg_backend_pid()").fetchall()
    seen = pids | {int(row[0]) for row in rows}
    total = 0.0
    for pid in seen:
        try:
            total += cpu_seconds(pid)
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue  # a backend that ended: its time is lost (the pools keep theirs open)
    return total, seen


def commits(url: str) -> int:
    """Transactions committed in the database at `url` so far."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        row = connection.execute("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"
                                 ).fetchone()
        assert row is not None
        return int(row[0])


async def spread(session: aiohttp.ClientSession, servers: list[Server], load: Load, numbers: list[int], *,
                 concurrency: int) -> tuple[float, float]:
    """`concurrency` clients, client i sending to servers[i % len]; every reply awaited.
    Returns (start, when the last reply arrived) in monotonic seconds."""
    queue: Iterator[int] = iter(numbers)

    async def client(server: Server) -> None:
        for n in queue:
            await post(session, server.url, load.body(n))

    start = time.monotonic()
    await asyncio.gather(*[client(servers[i % len(servers)]) for i in range(concurrency)])
    done = await load.wait_replies(numbers)
    return start, done


def doubles(load: Load) -> tuple[int, int, int]:
    """(messages posted, messages posted more than once, command replies sent more than once)."""
    posted = Counter((call.get("channel"), call.get("text"), json.dumps(call.get("blocks"), sort_keys=True))
                     for call in load.api.of("chat.postMessage"))
    replies = Counter(call.method for call in load.api.calls if call.method.startswith("response_url:"))
    return sum(posted.values()), sum(n - 1 for n in posted.values() if n > 1), \
        sum(n - 1 for n in replies.values() if n > 1)


async def run(*, requests: int, concurrency: int) -> Results:
    results = Results(f"Benchmark 6: replicas on one PostgreSQL ({requests} commands each way, concurrency "
                      f"{concurrency}, {os.cpu_count()} CPUs)")
    if not postgres_reachable():
        results.add("PostgreSQL", f"not reachable at {PG_ADMIN_URL}", target="reachable", met=False)
        return results
    api = await start_mock_slack()
    load = Load(api)
    figures: dict[int, tuple[float, float, float]] = {}  # replicas → (completed/s, PG CPU ms, commits per command)
    try:
        with tempfile.TemporaryDirectory(prefix="tandem-replicas-") as tmp, temporary_postgres() as url:
            async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session, \
                    tandem_server(session, api_url=api.api_url, database_url=url, workdir=Path(tmp)) as first, \
                    tandem_server(session, api_url=api.api_url, database_url=url, workdir=Path(tmp)) as second:
                await set_up_tandem(session, first, load)
                for server in (first, second):
                    await measure(session, server, load, requests=WARMUP, concurrency=4, wait_replies=True)
                for servers in ([first], [first, second]):
                    numbers = load.numbers(requests)
                    cpu, backends = backend_cpu_seconds(url, set())
                    committed = commits(url)
                    start, done = await spread(session, servers, load, numbers, concurrency=concurrency)
                    cpu_after, _ = backend_cpu_seconds(url, backends)
                    figures[len(servers)] = (requests / (done - start), (cpu_after - cpu) * 1000 / requests,
                                             (commits(url) - committed) / requests)
                await asyncio.sleep(SETTLE_SECONDS)
    finally:
        await api.stop()
    posted, posted_twice, replied_twice = doubles(load)
    (one, one_cpu, one_commits), (two, two_cpu, two_commits) = figures[1], figures[2]
    results.add("one replica completed/s", f"{one:,.0f}")
    results.add("two replicas completed/s", f"{two:,.0f}")
    results.add("two / one", f"{two / one:.2f}", target="> 1", met=two > one)
    results.add("messages posted to Slack / posted twice", f"{posted:,} / {posted_twice}", target="0 twice",
                met=posted_twice == 0)
    results.add("command replies sent twice", f"{replied_twice}", target="0", met=replied_twice == 0)
    results.add("PostgreSQL CPU per command, one / two replicas", f"{one_cpu:.2f} / {two_cpu:.2f} ms")
    results.add("transactions committed per command, one / two replicas", f"{one_commits:.1f} / {two_commits:.1f}")
    per_command = max(two_cpu, one_cpu, 0.01)
    results.add("paper: 4 replicas on 4 machines (min of 4 × one, DB at 2 cores / its CPU per command)",
                f"{min(4 * one, 2000 / per_command):,.0f} completed/s")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000, help="commands sent each way")
    parser.add_argument("--concurrency", type=int, default=32, help="clients sending at once")
    args = parser.parse_args(argv)
    asyncio.run(run(requests=args.requests, concurrency=args.concurrency)).print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
