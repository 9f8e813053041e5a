"""The scheduler's jobs as plain async functions of (engine, clock, ports):
APScheduler calls them on a timer, tests call them with a FrozenClock.

Database work runs in a worker thread (SQL blocks); delivery runs on the
event loop, since the ports are async HTTP clients.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from bot.ports import ChatPort
from bot.services import celebration, digest, suggestions
from bot.services.clock import Clock
from scheduler.delivery import deliver_due
from scheduler.metrics import DIGEST_BUILD_SECONDS, NUDGES_QUEUED, REMINDERS_QUEUED
from scheduler.nudging import run_nudges
from scheduler.reminders import run_feedback_reminders

DELIVERY_BATCH = 20


@dataclass(frozen=True)
class TickReport:
    """What one tick queued: nudges, feedback reminders, the digest's week."""

    nudges: int
    reminders: int
    digest: str | None
    celebration: str | None = None  # the month whose celebration was queued


async def tick(engine: Engine, clock: Clock, *, default_tz: str = "UTC") -> TickReport:
    """Queue whatever is due at `clock.now()`: nudges, reminders, the digest, the monthly celebration,
    and the leads' weekly reminder of unanswered suggestions."""
    now = clock.now()
    nudged = await asyncio.to_thread(run_nudges, engine, now=now)
    NUDGES_QUEUED.inc(nudged)
    reminded = await asyncio.to_thread(run_feedback_reminders, engine, now=now)
    REMINDERS_QUEUED.inc(reminded)
    started = time.perf_counter()
    week = await asyncio.to_thread(digest.queue_if_due, engine, now=now, tz=default_tz)
    if week is not None:  # a digest was built and queued (most ticks only find it is not due)
        DIGEST_BUILD_SECONDS.observe(time.perf_counter() - started)
    month = await asyncio.to_thread(celebration.queue_if_due, engine, now=now, tz=default_tz)
    await asyncio.to_thread(suggestions.remind_leads, engine, now=now)
    return TickReport(nudges=nudged, reminders=reminded, digest=week, celebration=month)


async def deliver(engine: Engine, clock: Clock, ports: Mapping[str, ChatPort]) -> int:
    """Drain the outbox through `ports` until nothing more is due."""
    total = 0
    while True:
        # small batches: a claim's lease must outlast sending the whole batch
        sent = await deliver_due(engine, ports, clock, limit=DELIVERY_BATCH)
        total += sent
        if sent == 0:
            return total
