"""The process's one delivery runner: what `tandem serve` and `tandem chat`
hand the core as its after-commit hook, and what the scheduler's periodic
delivery job runs.

After every command that queued notifications the core calls `kick()`:
one coalesced run drains the outbox through every platform's port, so a
Teams DM goes out as soon as a Slack one, and the periodic run is only the
backstop (for work the scheduler queued, and for rows another replica let
go). A conversation the platform holds back (pacing, 429) wakes the runner
again when the pause ends, so a backlog drains at the platform's rate. The
database work runs in worker threads; the loop only awaits the ports' HTTP.
"""

from __future__ import annotations

import asyncio
import heapq
import logging
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy.engine import Engine

from bot.ports import ChatPort
from bot.services.clock import Clock
from scheduler.coalesced import Coalesced
from scheduler.delivery import deliver_batch

log = logging.getLogger(__name__)
BATCH = 20  # a claim's lease must outlast sending the whole batch
MAX_WAKEUP_SECONDS = 300.0
MAX_BATCHES = 500  # one run's bound; the next kick or tick goes on


class Deliverer:
    """Drains the outbox through `ports`, one run at a time.

    Args:
        engine: the database.
        clock: the core's clock (due times and pacing).
        ports: platform name → the port that delivers there.
    """

    def __init__(self, engine: Engine, clock: Clock, ports: Mapping[str, ChatPort]) -> None:
        self.engine = engine
        self.clock = clock
        self.ports = ports
        self._coalesced = Coalesced(self._drain)
        self._pending: set[asyncio.Future[None]] = set()
        self._wakeup: asyncio.TimerHandle | None = None
        self._wakeup_at: datetime | None = None
        self._moments: list[datetime] = []  # a heap: every moment a run asked to be woken at
        self.sent = 0

    def kick(self) -> None:
        """Ask for a run soon, without waiting (the core's after-commit hook)."""
        if not self.ports:
            return
        future = self._coalesced.kick()
        if future not in self._pending:
            self._pending.add(future)
            future.add_done_callback(self._finished)

    async def run(self) -> None:
        """Run now (or join the run about to start) and wait for it: the
        scheduler's periodic backstop."""
        if self.ports:
            await self._coalesced()

    async def settle(self) -> None:
        """Wait until every run asked for so far has ended (tests, the terminal, shutdown)."""
        while self._pending:
            await asyncio.gather(*list(self._pending), return_exceptions=True)

    def close(self) -> None:
        if self._wakeup is not None:
            self._wakeup.cancel()
            self._wakeup = None
        self._wakeup_at = None
        self._moments.clear()

    def _finished(self, future: asyncio.Future[None]) -> None:
        self._pending.discard(future)
        if not future.cancelled() and future.exception() is not None:
            log.error("outbox delivery failed; the next run retries", exc_info=future.exception())

    async def _drain(self) -> None:
        moments: set[datetime] = set()
        for _ in range(MAX_BATCHES):
            batch = await deliver_batch(self.engine, self.ports, self.clock, limit=BATCH)
            self.sent += batch.sent
            moments.update(batch.moments)
            # held rows were moved past now, so the next batch reaches other conversations;
            # a batch that neither sent nor held anything has nothing left that is due
            postponed = batch.held_until is not None and batch.held_until > self.clock.now()
            if batch.claimed == 0 or (batch.sent == 0 and not postponed):
                break
        for moment in sorted(moments):
            self._wake_at(moment)

    def _wake_at(self, moment: datetime) -> None:
        """Come back when a held conversation (or a paced topic) may be written to again.

        Every moment asked for is kept, and the timer is set for the earliest:
        keeping only the earliest lost the wake-up of a growing announcement
        paced a moment after another topic (the earlier run found nothing due,
        and its newest state waited for the periodic run).
        """
        if moment not in self._moments:
            heapq.heappush(self._moments, moment)
        self._arm()

    def _arm(self) -> None:
        if not self._moments:
            return
        first = self._moments[0]
        if self._wakeup is not None and self._wakeup_at is not None:
            if self._wakeup_at <= first:
                return
            self._wakeup.cancel()
        delay = min(max((first - self.clock.now()).total_seconds(), 0.05), MAX_WAKEUP_SECONDS)
        self._wakeup = asyncio.get_running_loop().call_later(delay, self._woken)
        self._wakeup_at = first

    def _woken(self) -> None:
        fired = self._wakeup_at
        self._wakeup = None
        self._wakeup_at = None
        while self._moments and fired is not None and self._moments[0] <= fired:
            heapq.heappop(self._moments)  # the run this starts asks again for what is still held
        self.kick()
        self._arm()
