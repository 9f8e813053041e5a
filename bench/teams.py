"""Benchmark 7: Teams command throughput, Tandem against a bare botbuilder
bot, over real HTTP.

The servers run as their own processes on 127.0.0.1 and are served the same
way: aiohttp, the Bot Framework endpoint `POST /api/messages`, botbuilder's
`CloudAdapter`, single tenant. `tandem serve` (bench/serve_teams.py: TEAMS_*
set, a SQLite file database, statements counted) and bench/bare_botbuilder.py
(one text reply per message), the target's baseline; at concurrency 32 also
bare botbuilder with the fixes Tandem's adapter makes to botbuilder
(`--tuned`: credentials reused, cheap retry policy, one user-token client),
botbuilder's floor. All
check each activity's token against OpenID metadata and keys this script
serves, get their own token for the Bot Connector from this script's mock of
Entra ID, and send their replies to this script's mock Bot Connector (the
activities' serviceUrl), all over HTTP on this machine
(tests/teams/microsoft_mock.py, tests/teams/conftest.py's MockConnector).

The load: message activities in personal chats from 200 people, half
"kudos <at>…</at> thanks for the fix #teamwork", half "ask it Printer jammed",
at concurrency 8 and 32, each carrying a channel token signed once per run
(the Bot Framework reuses its tokens too). A Teams bot answers inside the
turn, so a command is *completed* when its reply (a POST to
/v3/conversations/…/activities/<the command's id>) reached the mock
connector: completed commands per second, Tandem against bare botbuilder's
completed replies per second. With them, each server's CPU per command
(/proc), p50/p99 latency of the POST, and, at concurrency 32, the same on
PostgreSQL (a fresh database) against a bare run right before it.

    python bench/teams.py [--requests 1000] [--no-postgres]     # TANDEM_BENCH_LOG=1: tandem serve's log too
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import aiohttp  # noqa: E402
from botframework_local import LOGIN_URL_VAR, OPENID_URL_VAR  # noqa: E402
from common import (  # noqa: E402
    ROOT,
    Results,
    cpu_seconds,
    free_port,
    percentile,
    postgres_reachable,
    temporary_postgres,
    wait_answered,
)
from slash_commands import Server, _serving  # noqa: E402

from tests.teams.conftest import APP_ID, MockConnector  # noqa: E402
from tests.teams.microsoft_mock import ACCESS_TOKEN, MicrosoftMock  # noqa: E402
from tests.teams.payloads import TENANT, TeamsUser, message  # noqa: E402

USERS = 200
CONCURRENCY = (8, 32)
RATIO_TARGET = 0.5
APP_PASSWORD = "bench-app-password"
COMPLETION_TIMEOUT = 60.0


def person(n: int) -> TeamsUser:
    index = n % USERS
    return TeamsUser(f"Person {index}", f"29:bench-{index}", f"aad-bench-{index}")


def activity_id(n: int) -> str:
    return f"bench-{n}"


def command(n: int, *, service_url: str) -> dict[str, Any]:
    """The n-th message: even numbers thank a colleague, odd ones ask IT for something."""
    who = person(n)
    if n % 2 == 0:
        shown, entity = person(n + 1).mention()
        return message(who, f"kudos {shown} thanks for the fix #teamwork ({n})", entities=[entity],
                       service_url=service_url, activity_id=activity_id(n))
    return message(who, f"ask it Printer jammed on floor {n % 9} ({n})", service_url=service_url,
                   activity_id=activity_id(n))


def server_env(microsoft: MicrosoftMock) -> dict[str, str]:
    """What both servers get: the app's credentials, Microsoft local, and a dead proxy for
    anything else that would try to leave the machine."""
    env = {**os.environ, "TEAMS_APP_ID": APP_ID, "TEAMS_APP_PASSWORD": APP_PASSWORD, "TEAMS_APP_TENANT_ID": TENANT,
           OPENID_URL_VAR: microsoft.openid_url, LOGIN_URL_VAR: microsoft.login_url,
           "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9",
           "NO_PROXY": "127.0.0.1,localhost", "PYTHONPATH": str(ROOT)}
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_CLIENT_ID",
                 "SLACK_CLIENT_SECRET", "TANDEM_TEAMS_EMULATOR"):
        env.pop(name, None)
    return env


@asynccontextmanager
async def tandem_server(session: aiohttp.ClientSession, microsoft: MicrosoftMock, *, database_url: str,
                        workdir: Path) -> AsyncIterator[Server]:
    """`tandem serve` (bench/serve_teams.py) on `database_url`; its log (a line a request) goes to
    stderr with TANDEM_BENCH_LOG=1, else nowhere."""
    port = free_port()
    queries_file = workdir / f"statements-{port}"
    env = {**server_env(microsoft), "DATABASE_URL": database_url, "TANDEM_HOST": "127.0.0.1",
           "TANDEM_PORT": str(port), "TANDEM_BENCH_QUERIES": str(queries_file)}
    log = None if os.environ.get("TANDEM_BENCH_LOG") else subprocess.DEVNULL
    process = subprocess.Popen([sys.executable, str(ROOT / "bench" / "serve_teams.py")], cwd=workdir, env=env,
                               stdin=subprocess.DEVNULL, stderr=log)
    async with _serving(session, Server("tandem serve", process, f"http://127.0.0.1:{port}",
                                        queries_file=queries_file)) as server:
        yield server


@asynccontextmanager
async def bare_server(session: aiohttp.ClientSession, microsoft: MicrosoftMock, *,
                      tuned: bool = False) -> AsyncIterator[Server]:
    port = free_port()
    process = subprocess.Popen([sys.executable, str(ROOT / "bench" / "bare_botbuilder.py"), "--port", str(port),
                                *(["--tuned"] if tuned else [])], env=server_env(microsoft), stdin=subprocess.DEVNULL)
    name = "bare botbuilder, tuned" if tuned else "bare botbuilder"
    async with _serving(session, Server(name, process, f"http://127.0.0.1:{port}")) as server:
        yield server


class Load:
    """Numbers the messages, signs one token for them and counts the replies that came back."""

    def __init__(self, connector: MockConnector, microsoft: MicrosoftMock) -> None:
        self.connector = connector
        self.token = microsoft.signed_token(audience=APP_ID, service_url=connector.url)
        self._next = 0

    def numbers(self, count: int) -> list[int]:
        start = self._next
        self._next += count
        return list(range(start, start + count))

    def body(self, n: int) -> dict[str, Any]:
        return command(n, service_url=self.connector.url)

    def replies(self, numbers: list[int]) -> list[Any]:
        """The connector calls that answered one of `numbers`."""
        wanted = {activity_id(n) for n in numbers}
        return [call for call in self.connector.calls if call.activity_id in wanted]

    async def wait_replies(self, numbers: list[int], *, timeout: float = COMPLETION_TIMEOUT) -> float:
        """Wait until every message in `numbers` was answered; returns when (monotonic)."""
        wanted = {activity_id(n) for n in numbers}
        return await wait_answered(lambda: self.connector.calls, lambda call: call.activity_id in wanted,
                                   len(numbers), timeout=timeout, what="messages")


async def post(session: aiohttp.ClientSession, server: Server, load: Load, n: int) -> float:
    """Send one activity; returns the seconds until the server answered (raises unless 200/201)."""
    started = time.perf_counter()
    async with session.post(server.url + "/api/messages", json=load.body(n),
                            headers={"Authorization": f"Bearer {load.token}"}) as response:
        await response.read()
        if response.status not in (200, 201):
            raise RuntimeError(f"{server.name} answered {response.status}")
    return time.perf_counter() - started


@dataclass
class LevelResult:
    concurrency: int
    done_per_s: float
    p50_ms: float
    p99_ms: float
    cpu_ms_per_command: float
    statements_per_command: float | None
    apologies: int  # replies that said a turn failed (carry no card)


async def measure(session: aiohttp.ClientSession, server: Server, load: Load, *, requests: int,
                  concurrency: int) -> LevelResult:
    """`concurrency` clients, each sending its next message as soon as the last was answered."""
    numbers = load.numbers(requests)
    queue: Iterator[int] = iter(numbers)
    latencies: list[float] = []

    async def client() -> None:
        for n in queue:
            latencies.append(await post(session, server, load, n))

    before = await server.statements() if server.queries_file else None
    cpu_before = cpu_seconds(server.pid)
    start = time.monotonic()
    await asyncio.gather(*[client() for _ in range(concurrency)])
    done = await load.wait_replies(numbers)
    if before is not None:
        await asyncio.sleep(0.2)  # the outbox's deliveries after the last turn
    cpu_ms = (cpu_seconds(server.pid) - cpu_before) * 1000 / requests
    statements = (await server.statements() - before) / requests if before is not None else None
    apologies = sum(1 for call in load.replies(numbers) if server.queries_file and not call.body.get("attachments"))
    return LevelResult(concurrency, requests / (done - start), percentile(latencies, 0.5) * 1000,
                       percentile(latencies, 0.99) * 1000, cpu_ms, statements, apologies)


async def set_up_tandem(session: aiohttp.ClientSession, server: Server, load: Load) -> None:
    """The IT team the asks go to, made by a message like a person would send, then every
    person's first message (people and their chats recorded) so the levels measure the steady state."""
    (number,) = load.numbers(1)
    body = message(person(0), 'tandem team add it "IT Help"', service_url=load.connector.url,
                   activity_id=activity_id(number))
    async with session.post(server.url + "/api/messages", json=body,
                            headers={"Authorization": f"Bearer {load.token}"}) as response:
        assert response.status in (200, 201), response.status
    await load.wait_replies([number], timeout=30)


async def warm_up(session: aiohttp.ClientSession, server: Server, load: Load) -> None:
    await measure(session, server, load, requests=USERS, concurrency=4)


async def run(*, requests: int, postgres: bool = True) -> Results:
    microsoft = MicrosoftMock().start()
    connector = MockConnector()
    await connector.start()
    load = Load(connector, microsoft)
    results = Results(f"Benchmark 7: Teams commands over HTTP ({requests} per level, {USERS} people, "
                      f"{os.cpu_count()} CPUs)")
    levels: dict[int, tuple[LevelResult, LevelResult]] = {}
    tuned_level: LevelResult | None = None
    on_postgres: tuple[LevelResult, LevelResult] | None = None
    try:
        with tempfile.TemporaryDirectory(prefix="tandem-bench-teams-") as tmp:
            async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session, \
                    bare_server(session, microsoft) as bare:
                async with tandem_server(session, microsoft, database_url=f"sqlite:///{tmp}/tandem.db",
                                         workdir=Path(tmp)) as tandem, \
                        bare_server(session, microsoft, tuned=True) as tuned:
                    await set_up_tandem(session, tandem, load)
                    for server in (bare, tandem, tuned):
                        await warm_up(session, server, load)
                    for concurrency in CONCURRENCY:
                        bare_level = await measure(session, bare, load, requests=requests, concurrency=concurrency)
                        tandem_level = await measure(session, tandem, load, requests=requests,
                                                     concurrency=concurrency)
                        levels[concurrency] = (tandem_level, bare_level)
                    tuned_level = await measure(session, tuned, load, requests=requests, concurrency=CONCURRENCY[-1])
                if postgres and postgres_reachable():
                    with temporary_postgres() as url:
                        async with tandem_server(session, microsoft, database_url=url, workdir=Path(tmp)) as pg:
                            await set_up_tandem(session, pg, load)
                            await warm_up(session, pg, load)
                            concurrency = CONCURRENCY[-1]
                            bare_level = await measure(session, bare, load, requests=requests,
                                                       concurrency=concurrency)
                            pg_level = await measure(session, pg, load, requests=requests, concurrency=concurrency)
                            on_postgres = (pg_level, bare_level)
        tokens_used = {call.authorization for call in connector.calls}
    finally:
        await connector.stop()
        microsoft.stop()

    for concurrency, (t, b) in levels.items():
        add_level(results, f"c={concurrency}", t, b)
    if tuned_level is not None:
        t, label = levels[CONCURRENCY[-1]][0], f"c={CONCURRENCY[-1]}"
        results.add(f"{label} bare botbuilder tuned (Tandem's botbuilder fixes) replies/s", f"{tuned_level.done_per_s:,.0f}")
        results.add(f"{label} Tandem/tuned bare (completed)", f"{t.done_per_s / tuned_level.done_per_s:.2f}")
        results.add(f"{label} server CPU per command, tuned bare / Tandem",
                    f"{tuned_level.cpu_ms_per_command:.2f} / {t.cpu_ms_per_command:.2f} ms")
    if on_postgres is not None:
        add_level(results, f"PostgreSQL c={CONCURRENCY[-1]}", *on_postgres)
    results.add("replies sent with the token from the local Entra ID",
                "all" if tokens_used == {f"Bearer {ACCESS_TOKEN}"} else f"no: {sorted(map(str, tokens_used))[:3]}")
    results.add("tokens fetched from the local Entra ID (all servers)", f"{microsoft.token_requests:,}")
    return results


def add_level(results: Results, label: str, t: LevelResult, b: LevelResult) -> None:
    ratio = t.done_per_s / b.done_per_s
    results.add(f"{label} bare botbuilder replies/s", f"{b.done_per_s:,.0f}")
    results.add(f"{label} Tandem completed/s", f"{t.done_per_s:,.0f}")
    results.add(f"{label} Tandem/bare (completed)", f"{ratio:.2f}", target=f">= {RATIO_TARGET}",
                met=ratio >= RATIO_TARGET)
    results.add(f"{label} server CPU per command, bare / Tandem",
                f"{b.cpu_ms_per_command:.2f} / {t.cpu_ms_per_command:.2f} ms")
    results.add(f"{label} latency p50 / p99 bare", f"{b.p50_ms:.1f} / {b.p99_ms:.1f} ms")
    results.add(f"{label} latency p50 / p99 Tandem", f"{t.p50_ms:.1f} / {t.p99_ms:.1f} ms")
    if t.statements_per_command is not None:
        results.add(f"{label} statements per completed command (all, with delivery)",
                    f"{t.statements_per_command:.1f}")
    results.add(f"{label} Tandem replies that were apologies", str(t.apologies))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=1000, help="messages per concurrency level")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    args = parser.parse_args(argv)
    asyncio.run(run(requests=args.requests, postgres=not args.no_postgres)).print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
