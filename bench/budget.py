"""Benchmark 9: what one process may spend on a command, against the least a
command costs on this stack.

Benchmark 1's completed target (0.3 of bare bolt's acks at concurrency 32)
and benchmark 1b's paced one (200 commands/s with p99 ack under 100 ms) are
CPU budgets in disguise: one Python process runs its Python on one core at a
time (the GIL), so completing R commands a second leaves it at most 1/R of a
core-second per command, everything included. This script measures that
budget and, in the same run, the floor under it: what no implementation on
slack-bolt, aiohttp, slack_sdk and SQLAlchemy can skip per command.

- **ack**: the server's CPU per acked command of bare bolt (`bench/bare_bolt.py`:
  aiohttp, bolt's dispatch and signature check, an ack), at concurrency 32;
  its acks per second there give the budget.
- **calls out**: the client's CPU for one `chat.postMessage` through slack_sdk's
  `AsyncWebClient` and one POST to a `response_url` through aiohttp (a command
  makes three: the reply, the announcement or card, and the DM), against a
  server in another process, so only the client's side is counted.
- **transaction**: the CPU of one transaction of 8 one-row statements through
  SQLAlchemy Core (8: the per-command target), on SQLite and PostgreSQL.
- **Tandem's core**: the CPU of a real `/kudos` or `/ask` through
  `Tandem.run_command` (benchmark 1's commands, caches warm), for reference.

If floor / budget exceeds 1, the target can't be met by one process however
its own code is written.

    python bench/budget.py [--requests 2000] [--calls 2000] [--no-postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import aiohttp  # noqa: E402
from common import Results, cpu_seconds, free_port, postgres_reachable, temporary_postgres  # noqa: E402
from queries import MEASURED_FROM, USERS, bench_commands, steady_core  # noqa: E402
from slash_commands import Load, bare_server, closed_loop, start_mock_slack  # noqa: E402

COMPLETED_SHARE = 0.3  # benchmark 1: completed per second >= 0.3 of bare bolt's acks
PACED_RATE = 200.0  # benchmark 1b: 200 commands a second
CALLS_PER_COMMAND = 3  # the reply, the announcement or card, the DM
STATEMENTS = 8  # the per-command statement target
WARMUP = 100
REACHABLE = "<= 1: reachable by one process"


async def bare_ack(requests: int, concurrency: int = 32) -> tuple[float, float]:
    """Bare bolt at `concurrency`: (acks per second, server CPU ms per ack)."""
    api = await start_mock_slack()  # only for the commands' response_url: bare bolt never answers there
    load = Load(api)
    try:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
            async with bare_server(session) as server:
                await closed_loop(session, server, load, load.numbers(WARMUP), concurrency=concurrency)
                before = cpu_seconds(server.pid)
                _latencies, start, end = await closed_loop(session, server, load, load.numbers(requests),
                                                           concurrency=concurrency)
                return requests / (end - start), (cpu_seconds(server.pid) - before) * 1000 / requests
    finally:
        await api.stop()


def _answer_everything(port: int) -> None:
    """A Web API stand-in in its own process: every POST answers ok, as chat.postMessage does."""
    from aiohttp import web

    async def ok(request: web.Request) -> web.Response:
        await request.read()
        return web.json_response({"ok": True, "channel": "C0GENERAL", "ts": "1700000000.000100"})

    app = web.Application()
    app.router.add_route("POST", "/{path:.*}", ok)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


async def _wait_up(session: aiohttp.ClientSession, url: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            async with session.post(url) as response:
                await response.read()
                return
        except aiohttp.ClientError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.1)


async def _cpu_per_call(call: Callable[[], Awaitable[object]], calls: int, concurrency: int = 8) -> float:
    """This process's CPU ms per `call()`, `concurrency` at a time, after a warm-up."""
    for _ in range(50):
        await call()
    gate = asyncio.Semaphore(concurrency)

    async def gated() -> None:
        async with gate:
            await call()

    before = time.process_time()
    await asyncio.gather(*(gated() for _ in range(calls)))
    return (time.process_time() - before) * 1000 / calls


async def calls_out(calls: int) -> tuple[float, float]:
    """Client CPU ms for one chat.postMessage (slack_sdk) and one response_url POST (aiohttp)."""
    from slack_sdk.web.async_client import AsyncWebClient

    port = free_port()
    server = multiprocessing.get_context("spawn").Process(target=_answer_everything, args=(port,), daemon=True)
    server.start()
    try:
        async with aiohttp.ClientSession() as session:
            base = f"http://127.0.0.1:{port}/"
            await _wait_up(session, base + "up")
            client = AsyncWebClient(token="xoxb-budget", base_url=base + "api/", session=session)
            blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Person 1* thanked *Person 2*"}},
                      {"type": "context", "elements": [{"type": "mrkdwn", "text": "#teamwork"}]}]

            async def post_message() -> None:
                await client.chat_postMessage(channel="C0GENERAL", text="Person 1 thanked Person 2", blocks=blocks)

            async def reply() -> None:
                async with session.post(base + "response/c1", json={"text": "Thanks sent", "blocks": blocks}) as r:
                    await r.read()

            return await _cpu_per_call(post_message, calls), await _cpu_per_call(reply, calls)
    finally:
        server.terminate()
        server.join(10)


def transaction_ms(url: str, *, repeat: int) -> float:
    """CPU ms of one transaction of STATEMENTS one-row statements (SQLAlchemy Core) at `url`."""
    from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select

    from storage.db import make_engine

    engine = make_engine(url)
    table = Table("budget_row", MetaData(), Column("id", Integer, primary_key=True), Column("text", String(80)))
    try:
        table.create(engine)
        read = select(table.c.id).where(table.c.id == 1)

        def once() -> None:
            with engine.begin() as connection:
                connection.execute(insert(table), {"text": "x"})
                for _ in range(STATEMENTS - 1):
                    connection.execute(read).first()

        for _ in range(WARMUP):
            once()
        before = time.process_time()
        for _ in range(repeat):
            once()
        return (time.process_time() - before) * 1000 / repeat
    finally:
        engine.dispose()


def core_ms(url: str, *, commands: int) -> float:
    """CPU ms of one of benchmark 1's commands through `Tandem.run_command` at `url` (people known, caches warm)."""
    with steady_core(url, warm=max(USERS, WARMUP)) as (core, _engine):
        measured = bench_commands(commands, MEASURED_FROM)
        before = time.process_time()
        for command in measured:
            assert core.run_command(command).ok
        return (time.process_time() - before) * 1000 / commands


def run(*, requests: int, calls: int, postgres: bool) -> Results:
    acks_per_s, ack_ms = asyncio.run(bare_ack(requests))
    post_ms, reply_ms = asyncio.run(calls_out(calls))
    http_ms = ack_ms + 2 * post_ms + reply_ms  # CALLS_PER_COMMAND: one reply, two Web API calls
    budget_ms = 1000 / (COMPLETED_SHARE * acks_per_s)
    paced_ms = 1000 / PACED_RATE

    databases: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="tandem-budget-") as tmp:
        databases["SQLite"] = f"sqlite:///{Path(tmp) / 'budget.db'}"
        found = {"SQLite": (transaction_ms(databases["SQLite"], repeat=calls),
                            core_ms(f"sqlite:///{Path(tmp) / 'core.db'}", commands=max(20, calls // 10)))}
    if postgres and postgres_reachable():
        with temporary_postgres() as url:
            transaction = transaction_ms(url, repeat=calls)
        with temporary_postgres() as url:
            found["PostgreSQL"] = (transaction, core_ms(url, commands=max(20, calls // 10)))

    results = Results("Benchmark 9: one process's CPU budget per command against the floor under it")
    results.add("bare bolt acks per second at concurrency 32", f"{acks_per_s:.0f}")
    results.add("bare bolt server CPU per ack", f"{ack_ms:.2f} ms")
    results.add("client CPU per chat.postMessage (slack_sdk) / per response_url POST (aiohttp)",
                f"{post_ms:.2f} / {reply_ms:.2f} ms")
    results.add("HTTP floor per command: one ack, one reply, two Web API calls", f"{http_ms:.2f} ms")
    results.add(f"budget for {COMPLETED_SHARE} of bare bolt's acks on one core (1 s / completed per second)",
                f"{budget_ms:.2f} ms ({COMPLETED_SHARE * acks_per_s:.0f} per s)")
    results.add(f"budget at {PACED_RATE:.0f} commands/s on one core (before any headroom for p99)", f"{paced_ms:.2f} ms")
    for name, (transaction, core) in found.items():
        floor = http_ms + transaction
        results.add(f"{name}: one transaction of {STATEMENTS} one-row statements (SQLAlchemy Core)", f"{transaction:.2f} ms")
        results.add(f"{name}: floor per command (HTTP floor + that transaction)", f"{floor:.2f} ms")
        results.add(f"{name}: floor / budget for {COMPLETED_SHARE} of bare bolt's acks", f"{floor / budget_ms:.2f}",
                    target=REACHABLE, met=floor <= budget_ms)
        results.add(f"{name}: Tandem's core per /kudos or /ask (run_command, no HTTP)", f"{core:.2f} ms")
        results.add(f"{name}: HTTP floor + Tandem's core / budget for {COMPLETED_SHARE} of bare bolt's acks",
                    f"{(http_ms + core) / budget_ms:.2f}")
        results.add(f"{name}: floor / budget at {PACED_RATE:.0f}/s", f"{floor / paced_ms:.2f}", target=REACHABLE,
                    met=floor <= paced_ms)
        results.add(f"{name}: HTTP floor + Tandem's core / budget at {PACED_RATE:.0f}/s",
                    f"{(http_ms + core) / paced_ms:.2f}")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000, help="commands sent to bare bolt")
    parser.add_argument("--calls", type=int, default=2000, help="calls out and transactions measured")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    args = parser.parse_args(argv)
    run(requests=args.requests, calls=args.calls, postgres=not args.no_postgres).print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
