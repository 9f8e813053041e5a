"""Benchmark 8: the "Say thanks" burst — 500 presses within 10 s on one done
request's card (issue #15, target 3).

`tandem serve` runs as its own process (like bench/slash_commands.py starts
it: the real Bolt stack, a file SQLite database, then a fresh PostgreSQL
one), with Slack's Web API a local mock in this process that keeps to
Slack's published rates: chat.postMessage one a second per channel,
chat.update Tier 3 (50 a minute per workspace); beyond them it answers 429
with Retry-After. After setting up a team, its channel and a done request
with signed slash commands, 500 distinct users press the card's "Say
thanks" button (signed block_actions payloads, open loop, evenly spread
over 10 s; latency counted from each press's planned moment).

Printed: ack p50/p99/max (target all under 3 s), every press answered,
kudos stored (one per presser, none twice), the announcement's
chat.postMessage + chat.update calls (and the receiver's DM's), 429s
received (target 0), and how long after the last press the announcement's
text counted everyone: split into the core's share (when the last press was
answered) and the delivery's (from then on; target one update interval + 1 s). The baseline is the same burst in the same run:
announcement calls per press, where one announcement per press (before
coalescing) is 1.00.

    python bench/burst.py [--presses 500] [--seconds 10] [--no-postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sys
import tempfile
import time
from collections import Counter, deque
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import aiohttp  # noqa: E402
from aiohttp import web  # noqa: E402
from common import Results, percentile, postgres_reachable, signed_headers, temporary_postgres  # noqa: E402
from slash_commands import Server, tandem_server  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from scheduler.delivery import UPDATE_INTERVAL  # noqa: E402
from storage.db import make_engine  # noqa: E402
from storage.models import Kudos  # noqa: E402
from tests.slack import payloads  # noqa: E402
from tests.slack.mock_web_api import TEAM_ID, Call, MockSlackApi  # noqa: E402

CHANNEL = "C0ITHELP"
LEAD, REQUESTER = "U0LEAD", "U0ASKS"
ACK_TARGET_MS = 3000.0
POST_SECONDS = 1.0  # chat.postMessage: one a second per channel
UPDATES_PER_MINUTE = 50  # chat.update: Tier 3, per workspace
SETTLE_SECONDS = 60.0


class SlackAtPublishedRates(MockSlackApi):
    """The test mock, answering 429 + Retry-After beyond Slack's published
    rates for chat.postMessage (per channel) and chat.update (per workspace)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.posted_at: dict[str, float] = {}
        self.updated_at: deque[float] = deque()
        self.refused: Counter[str] = Counter()
        self.stamps: dict[int, float] = {}  # id(call) → when it arrived (monotonic)

    async def _response_url(self, request: web.Request) -> web.Response:
        known = len(self.calls)
        response = await super()._response_url(request)
        self._stamp(known)
        return response

    def _stamp(self, known: int) -> None:
        now = time.monotonic()
        for call in self.calls[known:]:
            self.stamps.setdefault(id(call), now)

    async def _api(self, request: web.Request) -> web.Response:
        known = len(self.calls)
        try:
            return await self._limited(request)
        finally:
            self._stamp(known)

    async def _limited(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if method in ("chat.postMessage", "chat.update"):
            body = await self._body(request)  # aiohttp keeps the body: the parent reads it again
            wait = self._wait(method, str(body.get("channel")), time.monotonic())
            if wait > 0:
                self.refused[method] += 1
                self.calls.append(Call(method, body, accepted=False))
                return web.json_response({"ok": False, "error": "ratelimited"}, status=429,
                                         headers={"Retry-After": str(math.ceil(wait))})
        return await super()._api(request)

    def _wait(self, method: str, channel: str, now: float) -> float:
        if method == "chat.postMessage":
            wait = self.posted_at.get(channel, -math.inf) + POST_SECONDS - now
            if wait <= 0:
                self.posted_at[channel] = now
            return wait
        while self.updated_at and self.updated_at[0] <= now - 60:
            self.updated_at.popleft()
        if len(self.updated_at) >= UPDATES_PER_MINUTE:
            return self.updated_at[0] + 60 - now
        self.updated_at.append(now)
        return 0.0


def presser(n: int) -> str:
    return f"U1{n:06d}"


class Burst:
    """Signs what Slack would send and reads back what the mock received."""

    def __init__(self, api: SlackAtPublishedRates, session: aiohttp.ClientSession, server: Server) -> None:
        self.api = api
        self.session = session
        self.server = server
        self._replies = 0

    async def post(self, body: str) -> float:
        started = time.perf_counter()
        async with self.session.post(self.server.url + "/slack/events", data=body.encode(),
                                     headers=signed_headers(body)) as response:
            await response.read()
            if response.status != 200:
                raise RuntimeError(f"tandem serve answered {response.status}")
        return time.perf_counter() - started

    async def command(self, user: str, name: str, text: str) -> None:
        """A signed slash command, waited for until its reply arrived."""
        self._replies += 1
        label = f"setup{self._replies}"
        await self.post(urlencode({
            "team_id": TEAM_ID, "channel_id": "C0GENERAL", "channel_name": "general", "user_id": user,
            "command": name, "text": text, "api_app_id": "A0TANDEM", "trigger_id": f"bench-{label}",
            "response_url": self.api.response_url(label)}))
        await self.wait(lambda: any(c.method == f"response_url:{label}" for c in self.api.calls), 30)

    async def wait(self, done: object, timeout: float) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if done():  # type: ignore[operator]
                return time.monotonic()
            await asyncio.sleep(0.01)
        raise TimeoutError(f"not done within {timeout} s")

    def card(self) -> tuple[str, dict[str, str]]:
        """The done card's ts and its "Say thanks" button as rendered (Block Kit), from its last update."""
        posted = [c.body for c in self.api.calls if c.method == "chat.postMessage" and c.accepted
                  and c.body.get("channel") == CHANNEL and "#1 · IT Help" in str(c.body.get("text"))]
        updated = [c.body for c in self.api.calls if c.method == "chat.update" and c.accepted
                   and c.body.get("ts") == posted[0]["_posted_ts"]]
        button = next(element for block in updated[-1]["blocks"] if block["type"] == "actions"
                      for element in block["elements"] if element["text"]["text"] == "Say thanks")
        return str(posted[0]["_posted_ts"]), button

    def announcement_calls(self, channel: str = CHANNEL) -> list[Call]:
        return [c for c in self.api.calls if c.method in ("chat.postMessage", "chat.update")
                and c.body.get("channel") == channel and " thanked " in str(c.body.get("text"))]

    def press_body(self, n: int, ts: str, button: dict[str, str]) -> str:
        return payloads.block_actions(user_id=presser(n), action_id=button["action_id"], value=button["value"],
                                      channel_id=CHANNEL,
                                      message_ts=ts, response_url=self.api.response_url(f"press{n}"),
                                      action_ts=f"1700000200.{n:06d}", trigger_id=f"bench-press-{n}")


def counts_everyone(call: Call, presses: int) -> bool:
    text = str(call.body.get("text"))
    return f"and {presses - 2} others thanked" in text if presses > 3 else text.count("Presser") == presses


async def one_burst(label: str, database_url: str, *, presses: int, seconds: float, results: Results,
                    workdir: Path) -> None:
    api = SlackAtPublishedRates()
    api.add_user(LEAD, "Sam Lead")
    api.add_user(REQUESTER, "Ann Asks")
    for n in range(presses):
        api.add_user(presser(n), f"Presser {n}")
    await api.start()
    try:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session, \
                tandem_server(session, api_url=api.api_url, database_url=database_url, workdir=workdir) as server:
            burst = Burst(api, session, server)
            await burst.command(LEAD, "/tandem", 'team add it "IT Help"')
            await burst.command(LEAD, "/tandem", f"team edit it channel <#{CHANNEL}|it-help>")
            await burst.command(REQUESTER, "/ask", "it a new laptop for the new hire")
            await burst.command(LEAD, "/requests", "1 done on your desk")
            await burst.wait(lambda: any("Say thanks" in str(c.body.get("blocks")) for c in api.calls
                                         if c.method == "chat.update" and c.accepted), 30)
            ts, button = burst.card()
            await asyncio.sleep(POST_SECONDS)  # the setup's own posts are past Slack's per-channel second
            api.refused.clear()
            before = len(burst.announcement_calls())
            latencies: list[float] = []
            start = time.perf_counter() + 0.05

            async def press(n: int) -> None:
                planned = start + n * seconds / presses
                delay = planned - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                await burst.post(burst.press_body(n, ts, button))
                latencies.append(time.perf_counter() - planned)

            began = time.monotonic()
            await asyncio.gather(*[press(n) for n in range(presses)])
            last_press = began + seconds
            wanted = {f"response_url:press{n}" for n in range(presses)}
            await burst.wait(lambda: len({c.method for c in api.calls if c.method in wanted}) == presses,
                             SETTLE_SECONDS)
            await burst.wait(lambda: any(counts_everyone(c, presses) for c in burst.announcement_calls()
                                                    if c.accepted), SETTLE_SECONDS)
            await asyncio.sleep(2 * UPDATE_INTERVAL.total_seconds())  # anything still on its way arrives
            calls = burst.announcement_calls()[before:]
            dm_calls = burst.announcement_calls(f"D{LEAD}")
            final = [c for c in calls if c.accepted][-1]
            answered = max(api.stamps[id(c)] for c in api.calls if c.method in wanted)
            right_at = min(api.stamps[id(c)] for c in burst.announcement_calls()
                           if c.accepted and counts_everyone(c, presses))
        engine = make_engine(database_url)
        try:
            with engine.connect() as connection:
                stored = connection.execute(select(func.count()).select_from(Kudos)
                                            .where(Kudos.request_id == 1)).scalar_one()
                givers = connection.execute(select(func.count(func.distinct(Kudos.giver_id)))
                                            .where(Kudos.request_id == 1)).scalar_one()
        finally:
            engine.dispose()
    finally:
        await api.stop()

    accepted = [c for c in calls if c.accepted]
    posts = sum(1 for c in accepted if c.method == "chat.postMessage")
    updates = sum(1 for c in accepted if c.method == "chat.update")
    refused = sum(api.refused.values())
    worst = max(latencies) * 1000
    bound = 2 + math.ceil((seconds + 1) / UPDATE_INTERVAL.total_seconds())
    results.add(f"{label} acks p50 / p99", f"{percentile(latencies, 0.5) * 1000:.0f} / "
                f"{percentile(latencies, 0.99) * 1000:.0f} ms")
    results.add(f"{label} ack max", f"{worst:.0f} ms", target=f"< {ACK_TARGET_MS:g} ms", met=worst < ACK_TARGET_MS)
    results.add(f"{label} presses answered", f"{len({c.method for c in api.calls if c.method in wanted})}")
    results.add(f"{label} kudos stored (distinct givers)", f"{stored} ({givers})", target=f"{presses} ({presses})",
                met=stored == givers == presses)
    results.add(f"{label} announcement posts + updates", f"{posts} + {updates}", target=f"<= {bound} calls",
                met=posts == 1 and posts + updates <= bound)
    results.add(f"{label} announcement calls per press", f"{(posts + updates) / presses:.3f}",
                target="baseline 1.00 (a post per press)", met=(posts + updates) / presses < 1)
    results.add(f"{label} receiver's DM posts + updates",
                f"{sum(1 for c in dm_calls if c.accepted and c.method == 'chat.postMessage')} + "
                f"{sum(1 for c in dm_calls if c.accepted and c.method == 'chat.update')}")
    results.add(f"{label} 429s received", str(refused), target="0", met=refused == 0)
    results.add(f"{label} all presses answered after the last press", f"{max(answered - last_press, 0.0):.1f} s")
    results.add(f"{label} final text right after the last press", f"{max(right_at - last_press, 0.0):.1f} s")
    lag = right_at - answered
    results.add(f"{label} final text right after the last answer", f"{max(lag, 0.0):.1f} s",
                target=f"<= {UPDATE_INTERVAL.total_seconds() + 1:g} s",
                met=lag <= UPDATE_INTERVAL.total_seconds() + 1 and counts_everyone(final, presses))


async def run(*, presses: int, seconds: float, postgres: bool) -> Results:
    results = Results(f"Benchmark 8: {presses} \"Say thanks\" presses on one card within {seconds:g} s, "
                      f"mock Slack at its published rates")
    with tempfile.TemporaryDirectory(prefix="tandem-burst-") as tmp:
        await one_burst("SQLite", f"sqlite:///{tmp}/tandem.db", presses=presses, seconds=seconds, results=results,
                        workdir=Path(tmp))
        if postgres and postgres_reachable():
            with temporary_postgres() as url:
                await one_burst("PostgreSQL", url, presses=presses, seconds=seconds, results=results,
                                workdir=Path(tmp))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--presses", type=int, default=500, help="distinct people pressing (default 500)")
    parser.add_argument("--seconds", type=float, default=10.0, help="over how long (default 10)")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    args = parser.parse_args(argv)
    asyncio.run(run(presses=args.presses, seconds=args.seconds, postgres=not args.no_postgres)).print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
