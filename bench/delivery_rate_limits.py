"""Benchmark 4: delivering a backlog under Slack's rate limits.

10,000 channel notifications across 200 channels wait in the outbox. The real
delivery job (`scheduler.jobs.deliver`, i.e. `deliver_due` in batches, with the
real `SlackPort`) sends them over HTTP to a mock Slack that accepts one
message per second per channel and answers 429 with `Retry-After` beyond it.
The mock runs in its own process (Slack's work is not Tandem's). The clock is real.
Every message must arrive exactly once; the wall time is
compared with the rate-limit floor (messages per channel, in seconds).

Between two runs of the job this script waits `--interval` seconds (the
metronome; `tandem serve` uses `scheduler.runner.DELIVERY_SECONDS`).

    python bench/delivery_rate_limits.py [--notifications 10000] [--channels 200] [--interval 0.2]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import multiprocessing
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import aiohttp  # noqa: E402
from aiohttp import web  # noqa: E402
from common import BOT_TOKEN, Results  # noqa: E402
from company import NOW, BulkWriter, naive  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from adapters.slack.port import SlackPort  # noqa: E402
from bot.messages import Message  # noqa: E402
from bot.services.clock import SystemClock  # noqa: E402
from scheduler.jobs import deliver  # noqa: E402
from storage.db import make_engine, upgrade  # noqa: E402
from storage.models import Notification  # noqa: E402
from tests.slack.mock_web_api import TEAM_ID, Call, MockSlackApi  # noqa: E402

WITHIN = 0.20  # target: wall time within 20% of the floor
PER_CHANNEL_SECONDS = 1.0


class RateLimitedSlack(MockSlackApi):
    """The test mock, plus Slack's chat.postMessage limit: one message per second per channel."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.last_accepted: dict[str, float] = {}
        self.refused = 0

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["method"] == "chat.postMessage":
            body = await self._body(request)  # aiohttp keeps the body: the parent reads it again
            channel = str(body.get("channel"))
            now = time.monotonic()
            wait = self.last_accepted.get(channel, -math.inf) + PER_CHANNEL_SECONDS - now
            if wait > 0:
                self.refused += 1
                self.calls.append(Call("chat.postMessage", body, accepted=False))
                return web.json_response({"ok": False, "error": "ratelimited"}, status=429,
                                         headers={"Retry-After": str(math.ceil(wait))})
            self.last_accepted[channel] = now
        return await super()._api(request)

    async def _stats(self, _request: web.Request) -> web.Response:
        accepted = Counter(str(body.get("text")) for body in self.of("chat.postMessage"))
        return web.json_response({"accepted": accepted, "refused": self.refused})

    async def start(self) -> None:
        await super().start()
        assert self.runner is not None
        self.runner.app.router._frozen = False  # the parent froze it at setup; add one read-only route
        self.runner.app.router.add_get("/stats", self._stats)


def _serve_mock(ready: multiprocessing.connection.Connection) -> None:
    """The mock Slack's own process: Slack's CPU is not Tandem's, so it must
    not share Tandem's interpreter. Sends its base URL through `ready`."""
    async def serve() -> None:
        api = RateLimitedSlack()
        await api.start()
        ready.send(api.url)
        await asyncio.Event().wait()

    asyncio.run(serve())


def queue_backlog(engine: Any, *, notifications: int, channels: int) -> None:
    """`notifications` notices, round-robin over `channels` channels, all due now."""
    writer = BulkWriter(engine)
    created = naive(NOW)
    writer.write("notification", ({
        "id": i + 1, "idempotency_key": f"bench:{i}", "recipient_kind": "channel", "platform": "slack",
        "tenant": TEAM_ID, "address": f"C{i % channels:05d}",
        "message_json": Message(title=(f"Notice {i}",)).model_dump_json(), "topic": None, "replace": False,
        "in_thread": False, "kind": "notice", "status": "pending", "attempts": 0, "last_error": "",
        "due_at": created, "created_at": created,
    } for i in range(notifications)))
    writer.finish()


async def drain(engine: Any, port: SlackPort, *, total: int, interval: float, deadline: float) -> float:
    """Run the delivery job until nothing is pending; returns the wall time."""
    clock = SystemClock()
    started = time.monotonic()
    while time.monotonic() < deadline:
        await deliver(engine, clock, {"slack": port})
        with engine.connect() as connection:
            pending = connection.execute(select(func.count()).select_from(Notification)
                                         .where(Notification.status == "pending")).scalar_one()
        if pending == 0:
            return time.monotonic() - started
        await asyncio.sleep(interval)
    return time.monotonic() - started


async def run_async(*, notifications: int, channels: int, interval: float) -> Results:
    per_channel = math.ceil(notifications / channels)
    floor = per_channel * PER_CHANNEL_SECONDS
    parent, child = multiprocessing.Pipe()
    mock = multiprocessing.get_context("spawn").Process(target=_serve_mock, args=(child,), daemon=True)
    mock.start()
    if not parent.poll(30):
        raise RuntimeError("the mock Slack did not start")
    url = str(parent.recv())
    results = Results(f"Benchmark 4: {notifications:,} notifications to {channels} channels at 1 message/s/channel "
                      f"(SQLite, job every {interval:g} s)")
    try:
        with tempfile.TemporaryDirectory(prefix="tandem-bench-") as tmp:
            engine = make_engine(f"sqlite:///{tmp}/delivery.db")
            upgrade(engine)
            queue_backlog(engine, notifications=notifications, channels=channels)
            async def token_for(_tenant: str) -> str:
                return BOT_TOKEN

            port = SlackPort(token_for=token_for, base_url=url + "api/", clock=SystemClock())
            wall = await drain(engine, port, total=notifications, interval=interval,
                               deadline=time.monotonic() + floor * 4 + 60)
            with engine.connect() as connection:
                statuses = dict(connection.execute(select(Notification.status, func.count())
                                                   .group_by(Notification.status)).all())
                most_attempts = connection.execute(select(func.max(Notification.attempts))).scalar_one()
            engine.dispose()
        async with aiohttp.ClientSession() as session, session.get(url + "stats") as response:
            stats = await response.json()
    finally:
        mock.terminate()
        mock.join(10)
    accepted = Counter(stats["accepted"])
    refused = int(stats["refused"])
    twice = sum(1 for n in accepted.values() if n > 1)
    results.add("delivered (accepted by Slack)", f"{len(accepted):,} of {notifications:,}",
                target="all", met=len(accepted) == notifications)
    results.add("delivered twice", f"{twice}", target="0", met=twice == 0)
    results.add("outbox rows by status", ", ".join(f"{k} {v:,}" for k, v in sorted(statuses.items())),
                target=f"sent {notifications:,}", met=statuses.get("sent") == notifications)
    results.add("429 answers from Slack", f"{refused:,}")
    results.add("most claims of one row (attempts)", f"{most_attempts}")
    results.add("rate-limit floor", f"{floor:.0f} s")
    results.add("wall time", f"{wall:.1f} s", target=f"<= {floor * (1 + WITHIN):.0f} s (floor +20%)",
                met=wall <= floor * (1 + WITHIN) and len(accepted) == notifications)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notifications", type=int, default=10_000)
    parser.add_argument("--channels", type=int, default=200)
    parser.add_argument("--scale", type=float, default=1.0, help="shrink the notifications (floor shrinks too)")
    parser.add_argument("--interval", type=float, default=0.2, help="seconds between two runs of the job")
    args = parser.parse_args(argv)
    notifications = max(args.channels, round(args.notifications * args.scale))
    asyncio.run(run_async(notifications=notifications, channels=args.channels, interval=args.interval)).print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
