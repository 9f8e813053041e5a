"""Benchmark 1: slash-command throughput and ack latency, Tandem against a
bare slack-bolt app, over real HTTP.

Both servers run as their own processes on 127.0.0.1: `tandem serve` (SQLite
file database, the real Bolt stack, Slack's Web API a local mock in this
process) and `bench/bare_bolt.py` (a bolt `AsyncApp` that only acks). Each
gets correctly signed `/kudos` and `/ask` commands (half each) at
concurrency 1, 8 and 32, then an open-loop paced run at a fixed rate.

Tandem acks first and does the work after, so its throughput is counted
twice: acks per second, which is what bare bolt does, and *completed*
commands per second (the reply reached the command's `response_url`),
Tandem's sustained capacity. Both are shown against bare bolt's acks; the
completed ratio at concurrency 32 is measured on SQLite and on PostgreSQL
(a fresh database of its own), each against a bare bolt run right before it.

Next to it, queries: statements per command in the core's own transaction
(bench/queries.py, the same commands run through the core, SQLAlchemy's
`before_cursor_execute`), and every statement the served process sent per
completed command (delivery and the scheduler included; the server is
bench/serve_counted.py, `tandem serve` with the same event counted).

    python bench/slash_commands.py [--requests 1000] [--rate 200] [--seconds 10] [--no-postgres]
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import aiohttp  # noqa: E402
from common import (  # noqa: E402
    BOT_TOKEN,
    ROOT,
    SIGNING_SECRET,
    Results,
    cpu_seconds,
    free_port,
    load_parser,
    percentile,
    postgres_reachable,
    rss_mb,
    signed_headers,
    temporary_postgres,
    wait_answered,
)
from queries import add_rows as add_query_rows  # noqa: E402
from queries import measure_all as count_queries  # noqa: E402

from tests.slack.mock_web_api import TEAM_ID, MockSlackApi  # noqa: E402

USERS = 200
CONCURRENCY = (1, 8, 32)
WARMUP = 50
ACK_P99_TARGET_MS = 100.0
RATIO_TARGET = 0.5
COMPLETED_RATIO_TARGET = 0.3
COMPLETION_TIMEOUT = 300.0


@dataclass
class Server:
    """A server process on 127.0.0.1 and how to reach it."""

    name: str
    process: subprocess.Popen[bytes]
    url: str
    queries_file: Path | None = None

    @property
    def pid(self) -> int:
        return self.process.pid

    async def statements(self) -> int:
        """Statements the server sent so far (SIGUSR1 asks bench/serve_counted.py to write them)."""
        assert self.queries_file is not None
        before = self.queries_file.stat().st_mtime_ns if self.queries_file.exists() else None
        self.process.send_signal(signal.SIGUSR1)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.queries_file.exists() and self.queries_file.stat().st_mtime_ns != before:
                return int(self.queries_file.read_text())
            await asyncio.sleep(0.01)
        raise RuntimeError(f"{self.name} did not report its statements")


def user(n: int) -> str:
    return f"U{n % USERS:05d}"


def command_body(n: int, *, response_url: str) -> str:
    """The n-th command: even numbers thank a colleague, odd ones ask IT for something."""
    if n % 2 == 0:
        name, text = "/kudos", f"<@{user(n + 1)}|{user(n + 1).lower()}> thanks for the fix, #teamwork ({n})"
    else:
        name, text = "/ask", f"it Printer on floor {n % 9} is jammed again ({n})"
    return urlencode({
        "token": "legacy", "team_id": TEAM_ID, "team_domain": "acme", "channel_id": "C0GENERAL",
        "channel_name": "general", "user_id": user(n), "user_name": user(n).lower(), "command": name,
        "text": text, "api_app_id": "A0TANDEM", "is_enterprise_install": "false",
        "response_url": response_url, "trigger_id": f"bench-trigger-{n}",
    })


async def start_mock_slack() -> MockSlackApi:
    api = MockSlackApi()
    for n in range(USERS):
        api.add_user(user(n), f"Person {n}", "Europe/Paris")
    await api.start()
    return api


async def _wait_healthy(session: aiohttp.ClientSession, server: Server, *, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited with {server.process.returncode}")
        try:
            async with session.get(server.url + "/healthz") as response:
                if response.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.1)
    raise RuntimeError(f"{server.name} not healthy after {timeout} s")


@asynccontextmanager
async def tandem_server(session: aiohttp.ClientSession, *, api_url: str, database_url: str,
                        workdir: Path) -> AsyncIterator[Server]:
    """`tandem serve` (bench/serve_counted.py: statements counted) with Slack
    credentials, SLACK_API_URL at the mock, its database at `database_url`."""
    port = free_port()
    queries_file = workdir / f"statements-{port}"
    env = {**os.environ, "DATABASE_URL": database_url, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
           "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_API_URL": api_url, "TANDEM_HOST": "127.0.0.1",
           "TANDEM_PORT": str(port), "TANDEM_BENCH_QUERIES": str(queries_file)}
    for name in ("SLACK_APP_TOKEN", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "TEAMS_APP_ID"):
        env.pop(name, None)
    process = subprocess.Popen([sys.executable, str(ROOT / "bench" / "serve_counted.py")], cwd=workdir,
                               env={**env, "PYTHONPATH": str(ROOT)}, stdin=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    server = Server("tandem serve", process, f"http://127.0.0.1:{port}", queries_file=queries_file)
    async with _serving(session, server) as serving:
        yield serving


@asynccontextmanager
async def bare_server(session: aiohttp.ClientSession) -> AsyncIterator[Server]:
    port = free_port()
    process = subprocess.Popen([sys.executable, str(ROOT / "bench" / "bare_bolt.py"), "--port", str(port)],
                               env={**os.environ, "SLACK_SIGNING_SECRET": SIGNING_SECRET},
                               stdin=subprocess.DEVNULL)
    async with _serving(session, Server("bare bolt", process, f"http://127.0.0.1:{port}")) as server:
        yield server


@asynccontextmanager
async def _serving(session: aiohttp.ClientSession, server: Server) -> AsyncIterator[Server]:
    """`server` once it answers /healthz; stopped on the way out, whatever happened."""
    try:
        await _wait_healthy(session, server)
        yield server
    finally:
        _stop(server.process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class Load:
    """Numbers the commands, signs them and counts the replies that came back."""

    def __init__(self, api: MockSlackApi) -> None:
        self.api = api
        self._next = 0

    def numbers(self, count: int) -> list[int]:
        start = self._next
        self._next += count
        return list(range(start, start + count))

    def body(self, n: int) -> str:
        return command_body(n, response_url=self.api.response_url(f"c{n}"))

    def replied(self, numbers: list[int]) -> int:
        wanted = {f"response_url:c{n}" for n in numbers}
        return sum(1 for call in self.api.calls if call.method in wanted)

    async def wait_replies(self, numbers: list[int], *, timeout: float = COMPLETION_TIMEOUT) -> float:
        """Wait until every command in `numbers` was answered; returns when (monotonic)."""
        wanted = {f"response_url:c{n}" for n in numbers}
        return await wait_answered(lambda: self.api.calls, lambda call: call.method in wanted,
                                   len(numbers), timeout=timeout)


async def post(session: aiohttp.ClientSession, url: str, body: str) -> float:
    """Send one signed command; returns the ack time in seconds (raises on a non-200 ack)."""
    started = time.perf_counter()
    async with session.post(url + "/slack/events", data=body.encode(), headers=signed_headers(body)) as response:
        await response.read()
        if response.status != 200:
            raise RuntimeError(f"{url} answered {response.status}")
    return time.perf_counter() - started


async def closed_loop(session: aiohttp.ClientSession, server: Server, load: Load, numbers: list[int], *,
                      concurrency: int) -> tuple[list[float], float, float]:
    """`concurrency` clients, each sending its next command as soon as the last is acked.
    Returns (ack latencies, start, end of the last ack) in monotonic seconds."""
    queue: Iterator[int] = iter(numbers)
    latencies: list[float] = []

    async def client() -> None:
        for n in queue:
            latencies.append(await post(session, server.url, load.body(n)))

    start = time.monotonic()
    await asyncio.gather(*[client() for _ in range(concurrency)])
    return latencies, start, time.monotonic()


async def paced(session: aiohttp.ClientSession, server: Server, load: Load, numbers: list[int], *,
                rate: float, refused: list[int] | None = None) -> list[float]:
    """Open loop: command i leaves at start + i/rate whatever happened to the
    others; latency is counted from that planned moment (no coordinated omission).
    With `refused`, a command not acked with 200 (bolt answers 404 when its
    listener did not ack within Slack's 3 seconds) is put there instead of failing the run."""
    latencies: list[float] = []
    start = time.perf_counter() + 0.05

    async def one(i: int, n: int) -> None:
        planned = start + i / rate
        delay = planned - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        try:
            await post(session, server.url, load.body(n))
        except RuntimeError:
            if refused is None:
                raise
            refused.append(n)
        latencies.append(time.perf_counter() - planned)

    await asyncio.gather(*[one(i, n) for i, n in enumerate(numbers)])
    return latencies


@dataclass
class LevelResult:
    concurrency: int
    ack_per_s: float
    done_per_s: float
    p50_ms: float
    p99_ms: float
    statements_per_command: float | None = None  # every statement the server sent, per command
    cpu_ms_per_command: float = 0.0  # the server process's CPU time, per command


async def measure(session: aiohttp.ClientSession, server: Server, load: Load, *, requests: int,
                  concurrency: int, wait_replies: bool) -> LevelResult:
    numbers = load.numbers(requests)
    before = await server.statements() if server.queries_file else None
    cpu_before = cpu_seconds(server.pid)
    latencies, start, acked = await closed_loop(session, server, load, numbers, concurrency=concurrency)
    done = await load.wait_replies(numbers) if wait_replies else acked
    per_command = None
    if wait_replies:
        await asyncio.sleep(0.2)  # the last delivery run's bookkeeping
    cpu_ms = (cpu_seconds(server.pid) - cpu_before) * 1000 / requests
    if before is not None:
        per_command = (await server.statements() - before) / requests
    return LevelResult(concurrency, requests / (acked - start), requests / (done - start),
                       percentile(latencies, 0.5) * 1000, percentile(latencies, 0.99) * 1000, per_command, cpu_ms)


async def set_up_tandem(session: aiohttp.ClientSession, server: Server, load: Load) -> None:
    """The IT team the /ask commands go to, created by a signed command like a user would."""
    numbers = load.numbers(1)
    body = urlencode({"team_id": TEAM_ID, "channel_id": "C0GENERAL", "channel_name": "general",
                      "user_id": user(0), "command": "/tandem", "text": 'team add it "IT Help"',
                      "api_app_id": "A0TANDEM", "response_url": load.api.response_url(f"c{numbers[0]}"),
                      "trigger_id": "bench-setup"})
    await post(session, server.url, body)
    await load.wait_replies(numbers, timeout=30)


async def run(*, requests: int, rate: float, seconds: float, memory: dict[str, float] | None = None,
              postgres: bool = True, queries: bool = True) -> Results:
    """The whole benchmark; `memory`, when given, receives Tandem's RSS (MiB)
    idle and after the load (benchmark 5 reuses this run). `postgres`: also
    the concurrency-32 level on PostgreSQL; `queries`: also count the core's
    statements per command."""
    api = await start_mock_slack()
    load = Load(api)
    connector = aiohttp.TCPConnector(limit=0)
    results = Results(f"Benchmark 1: slash commands over HTTP ({requests} commands per level, "
                      f"paced {rate:g}/s for {seconds:g} s, {os.cpu_count()} CPUs)")
    on_postgres: tuple[LevelResult, LevelResult] | None = None
    try:
        with tempfile.TemporaryDirectory(prefix="tandem-bench-") as tmp:
            async with aiohttp.ClientSession(connector=connector) as session, \
                    bare_server(session) as bare:
                async with tandem_server(session, api_url=api.api_url, database_url=f"sqlite:///{tmp}/tandem.db",
                                         workdir=Path(tmp)) as tandem:
                    await set_up_tandem(session, tandem, load)
                    if memory is not None:
                        await asyncio.sleep(1.0)
                        memory["idle"] = rss_mb(tandem.pid)
                    for server, waits in ((bare, False), (tandem, True)):
                        await measure(session, server, load, requests=WARMUP, concurrency=4, wait_replies=waits)
                    by_level: dict[int, tuple[LevelResult, LevelResult]] = {}
                    for concurrency in CONCURRENCY:
                        bare_level = await measure(session, bare, load, requests=requests, concurrency=concurrency,
                                                   wait_replies=False)
                        tandem_level = await measure(session, tandem, load, requests=requests,
                                                     concurrency=concurrency, wait_replies=True)
                        by_level[concurrency] = (tandem_level, bare_level)
                    paced_count = max(1, int(rate * seconds))
                    bare_paced = await paced(session, bare, load, load.numbers(paced_count), rate=rate)
                    numbers = load.numbers(paced_count)
                    tandem_paced = await paced(session, tandem, load, numbers, rate=rate)
                    await load.wait_replies(numbers)
                    if memory is not None:
                        memory["loaded"] = rss_mb(tandem.pid)
                        memory["commands"] = float(load._next)
                if postgres and postgres_reachable():
                    with temporary_postgres() as url:
                        async with tandem_server(session, api_url=api.api_url, database_url=url,
                                                 workdir=Path(tmp)) as tandem_pg:
                            await set_up_tandem(session, tandem_pg, load)
                            await measure(session, tandem_pg, load, requests=WARMUP, concurrency=4,
                                          wait_replies=True)
                            concurrency = CONCURRENCY[-1]
                            bare_level = await measure(session, bare, load, requests=requests,
                                                       concurrency=concurrency, wait_replies=False)
                            pg_level = await measure(session, tandem_pg, load, requests=requests,
                                                     concurrency=concurrency, wait_replies=True)
                            on_postgres = (pg_level, bare_level)
    finally:
        await api.stop()

    for concurrency, (t, b) in by_level.items():
        ratio = t.ack_per_s / b.ack_per_s
        results.add(f"c={concurrency} bare bolt acks/s", f"{b.ack_per_s:,.0f}")
        results.add(f"c={concurrency} Tandem acks/s", f"{t.ack_per_s:,.0f}")
        results.add(f"c={concurrency} Tandem/bare (acks)", f"{ratio:.2f}", target=f">= {RATIO_TARGET}",
                    met=ratio >= RATIO_TARGET)
        results.add(f"c={concurrency} Tandem completed/s", f"{t.done_per_s:,.0f}")
        _add_completed(results, f"c={concurrency}", t, b, target=concurrency == CONCURRENCY[-1])
        results.add(f"c={concurrency} ack p50 / p99 bare", f"{b.p50_ms:.1f} / {b.p99_ms:.1f} ms")
        results.add(f"c={concurrency} ack p50 / p99 Tandem", f"{t.p50_ms:.1f} / {t.p99_ms:.1f} ms")
    if on_postgres is not None:
        t, b = on_postgres
        results.add(f"PostgreSQL c={CONCURRENCY[-1]} bare bolt acks/s", f"{b.ack_per_s:,.0f}")
        results.add(f"PostgreSQL c={CONCURRENCY[-1]} Tandem completed/s", f"{t.done_per_s:,.0f}")
        _add_completed(results, f"PostgreSQL c={CONCURRENCY[-1]}", t, b, target=True)
    bare_p99, tandem_p99 = percentile(bare_paced, 0.99) * 1000, percentile(tandem_paced, 0.99) * 1000
    results.add(f"paced {rate:g}/s ack p50 / p99 bare",
                f"{percentile(bare_paced, 0.5) * 1000:.1f} / {bare_p99:.1f} ms")
    results.add(f"paced {rate:g}/s ack p50 Tandem", f"{percentile(tandem_paced, 0.5) * 1000:.1f} ms")
    results.add(f"paced {rate:g}/s ack p99 Tandem", f"{tandem_p99:.1f} ms", target=f"< {ACK_P99_TARGET_MS:g} ms",
                met=tandem_p99 < ACK_P99_TARGET_MS)
    if queries:
        add_query_rows(results, await asyncio.to_thread(count_queries, commands=20, postgres=postgres))
    return results


def _add_completed(results: Results, label: str, t: LevelResult, b: LevelResult, *, target: bool) -> None:
    """Completed commands against bare bolt's acks (with the target at the top
    level), and every statement the server sent per completed command."""
    completed = t.done_per_s / b.ack_per_s
    if target:
        results.add(f"{label} Tandem completed/bare acks", f"{completed:.2f}", target=f">= {COMPLETED_RATIO_TARGET}",
                    met=completed >= COMPLETED_RATIO_TARGET)
    else:
        results.add(f"{label} Tandem completed/bare acks", f"{completed:.2f}")
    results.add(f"{label} server CPU per command, bare / Tandem", f"{b.cpu_ms_per_command:.2f} / "
                f"{t.cpu_ms_per_command:.2f} ms")
    if t.statements_per_command is not None:
        results.add(f"{label} statements per completed command (all, with delivery)",
                    f"{t.statements_per_command:.1f}")


def main(argv: list[str] | None = None) -> int:
    parser = load_parser(__doc__)
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    args = parser.parse_args(argv)
    asyncio.run(run(requests=args.requests, rate=args.rate, seconds=args.seconds,
                    postgres=not args.no_postgres)).print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
