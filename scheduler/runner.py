"""The scheduler `tandem serve` starts: APScheduler 3's `AsyncIOScheduler`
with an in-memory job store, used only as a metronome.

Two interval jobs: every minute the tick (nudges, feedback reminders, the
digest check), and every 15 seconds the delivery backstop: notifications
normally go out at once, through the process's `Deliverer` the core kicks
after each commit; the periodic run picks up what was left (retries, rows
another replica let go). The job store is never
shared (APScheduler's FAQ forbids sharing one between processes): each
replica ticks on its own, and the database decides who does what. On SQLite
a second scheduler is refused at start (see `scheduler.guard`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from datetime import datetime, timezone

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.engine import Engine

from bot.ports import ChatPort
from bot.services.clock import Clock
from scheduler import jobs, metrics
from scheduler.deliverer import Deliverer
from scheduler.guard import SingleSchedulerLock, guard_for

log = logging.getLogger(__name__)
DELIVERY_SECONDS = 15
TICK_SECONDS = 60


class TandemScheduler:
    """Starts and stops the ticking; the work itself is in `scheduler.jobs`."""

    def __init__(self, engine: Engine, *, clock: Clock, ports: Mapping[str, ChatPort], default_tz: str = "UTC",
                 delivery_seconds: float = DELIVERY_SECONDS, tick_seconds: float = TICK_SECONDS,
                 deliverer: Deliverer | None = None) -> None:
        self.engine = engine
        self.clock = clock
        self.ports = ports
        self.deliverer = deliverer or Deliverer(engine, clock, ports)
        self.default_tz = default_tz
        self.delivery_seconds = delivery_seconds
        self.tick_seconds = tick_seconds
        self._lock: SingleSchedulerLock | None = None
        self._aps: AsyncIOScheduler | None = None

    def start(self) -> None:
        """Take the SQLite guard (raises `SchedulerRefused`) and start ticking.
        Must be called with an asyncio event loop running."""
        lock = guard_for(self.engine)
        if lock is not None:
            lock.acquire()
        self._lock = lock
        aps = AsyncIOScheduler(timezone="UTC")
        first = datetime.now(timezone.utc)
        aps.add_job(self.tick, "interval", seconds=self.tick_seconds, id="tick", max_instances=1, coalesce=True,
                    next_run_time=first)
        aps.add_job(self.deliver, "interval", seconds=self.delivery_seconds, id="deliver", max_instances=1,
                    coalesce=True, next_run_time=first)
        aps.start()
        self._aps = aps

    async def tick(self) -> None:
        started = time.perf_counter()
        try:
            report = await jobs.tick(self.engine, self.clock, default_tz=self.default_tz)
            if report.nudges or report.reminders or report.digest:
                log.info("queued %s nudges, %s reminders, digest %s", report.nudges, report.reminders, report.digest)
                self.deliverer.kick()
        except asyncio.CancelledError:
            log.info("tick stopped by shutdown; whatever it had not committed is redone by the next start")
        except Exception:  # noqa: BLE001 - a failed tick is retried by the next one
            metrics.TICK_ERRORS.labels(job="tick").inc()
            log.exception("scheduler tick failed; the next tick retries")
        finally:
            metrics.TICK_SECONDS.labels(job="tick").observe(time.perf_counter() - started)

    async def deliver(self) -> None:
        started = time.perf_counter()
        try:
            await self.deliverer.run()
        except asyncio.CancelledError:
            log.info("delivery stopped by shutdown; unsent rows are picked up after their lease")
        except Exception:  # noqa: BLE001 - leases make the next run pick up where this one failed
            metrics.TICK_ERRORS.labels(job="deliver").inc()
            log.exception("outbox delivery failed; the next run retries")
        finally:
            metrics.TICK_SECONDS.labels(job="deliver").observe(time.perf_counter() - started)

    def shutdown(self) -> None:
        if self._aps is not None:
            self._aps.shutdown(wait=False)
            self._aps = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None
