"""`kill -9` in the middle of delivery loses nothing, and shows a person the
same message twice at most once (the one in flight when the process died).

A delivery process posts to a local mock endpoint that answers slowly; the
test kills it with SIGKILL after a few messages, starts a new one once the
claim's lease has run out (the clock is moved, nobody sleeps for a minute),
and counts what the endpoint received.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from collections import Counter
from datetime import timedelta

from aiohttp import web
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.messages import Message
from bot.ports import Recipient
from bot.services import outbox
from bot.services.clock import FrozenClock
from storage.models import Notification
from storage.outbox import LEASE

MESSAGES = 12


async def slow_endpoint(received: list[str], delay: float) -> tuple[web.AppRunner, str]:
    async def handle(request: web.Request) -> web.Response:
        body = await request.json()
        received.append(body["title"])
        await asyncio.sleep(delay)
        return web.json_response({"ok": True, "ts": str(len(received))})

    app = web.Application()
    app.router.add_post("/post", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}/post"


async def deliver_in_a_process(db_url: str, url: str, now: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(sys.executable, "-m", "tests.scheduler.delivery_worker",
                                                db_url, url, now)


async def test_kill_9_mid_delivery_loses_nothing_and_repeats_at_most_one(engine: Engine, db_url: str,
                                                                        clock: FrozenClock) -> None:
    with Session(engine) as session:
        for n in range(1, MESSAGES + 1):
            outbox.notify(session, Recipient("person", "shell", "local", "bob"), Message(title=(f"message {n}",)),
                          key=f"test:{n}", now=clock.now())
        session.commit()
    received: list[str] = []
    runner, url = await slow_endpoint(received, delay=0.15)
    try:
        first = await deliver_in_a_process(db_url, url, clock.now().isoformat())
        for _ in range(300):
            if len(received) >= 4:
                break
            await asyncio.sleep(0.02)
        first.send_signal(signal.SIGKILL)
        assert await first.wait() == -signal.SIGKILL
        assert 4 <= len(received) < MESSAGES
        with Session(engine) as session:
            unsent = session.exec(select(Notification).where(Notification.status == "pending")).all()
            assert unsent and all(row.lease_until is not None for row in unsent)  # claimed by the dead process

        # before the lease runs out, a new process leaves the dead one's claims alone
        early = await deliver_in_a_process(db_url, url, (clock.now() + LEASE / 2).isoformat())
        assert await early.wait() == 0
        at_kill = len(received)
        assert at_kill <= 5

        later = await deliver_in_a_process(db_url, url, (clock.now() + LEASE + timedelta(seconds=1)).isoformat())
        assert await later.wait() == 0
    finally:
        await runner.cleanup()
    counts = Counter(received)
    assert set(counts) == {f"message {n}" for n in range(1, MESSAGES + 1)}
    assert sum(n - 1 for n in counts.values()) <= 1, counts
    with Session(engine) as session:
        assert set(session.exec(select(Notification.status)).all()) == {"sent"}
