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

    def _finished(self, future: asyncio.Future[None]) -> None:
        self._pending.discard(future)
        if not future.cancelled() and future.exception() is not None:
            log.error("outbox delivery failed; the next run retries", exc_info=future.exception())

    async def _drain(self) -> None:
        earliest: datetime | None = None
        for _ in range(MAX_BATCHES):
            batch = await deliver_batch(self.engine, self.ports, self.clock, limit=BATCH)
            self.sent += batch.sent
            if batch.held_until is not None:
                earliest = batch.held_until if earliest is None else min(earliest, batch.held_until)
            # held rows were moved past now, so the next batch reaches other conversations;
            # a batch that neither sent nor held anything has nothing left that is due
            postponed = batch.held_until is not None and batch.held_until > self.clock.now()
            if batch.claimed == 0 or (batch.sent == 0 and not postponed):
                break
        if earliest is not None:
            self._wake_at(earliest)

    def _wake_at(self, moment: datetime) -> None:
        """Come back when a held conversation may be written to again."""
        delay = min(max((moment - self.clock.now()).total_seconds(), 0.05), MAX_WAKEUP_SECONDS)
        if self._wakeup is not None:
            if self._wakeup.when() <= asyncio.get_running_loop().time() + delay:
                return
            self._wakeup.cancel()
        self._wakeup = asyncio.get_running_loop().call_later(delay, self._woken)

    def _woken(self) -> None:
        self._wakeup = None
        self.kick()
