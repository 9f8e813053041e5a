"""Work that runs after Slack has had its ack.

Slack wants an answer within 3 seconds whatever the database or its own API
is doing, so every listener acks first and hands the slow part here. The
tasks are kept (asyncio only holds weak references), their errors logged, and
`settle()` waits for them: at shutdown, and in tests instead of sleeping.

At most `LIMIT` pieces of work run at once; the rest wait their turn, in
order. Under a burst the event loop then holds a few dozen running tasks,
not thousands, so the next request's ack is not queued behind all of them
(the work itself is serialised by the database anyway: SQLite takes one
writer, the core's transactions share one connection).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

log = logging.getLogger(__name__)
LIMIT = 16


class Background:
    def __init__(self, *, limit: int = LIMIT) -> None:
        self._tasks: set[asyncio.Future[Any]] = set()
        self._slots = asyncio.Semaphore(limit)

    def spawn(self, work: Coroutine[Any, Any, Any], *, name: str = "slack") -> asyncio.Task[Any]:
        """Run `work` after the ack, when one of the `limit` slots is free;
        failures are logged, never lost silently."""
        task = asyncio.get_running_loop().create_task(self._in_turn(work), name=name)
        self.track(task)
        return task

    async def _in_turn(self, work: Coroutine[Any, Any, Any]) -> Any:
        async with self._slots:
            return await work

    def track(self, future: asyncio.Future[Any]) -> None:
        """Count `future` (work started elsewhere, e.g. a delivery run) as this
        adapter's work: `settle()` waits for it and its failure is logged once."""
        if future in self._tasks:
            return
        self._tasks.add(future)
        future.add_done_callback(self._done)

    def _done(self, future: asyncio.Future[Any]) -> None:
        self._tasks.discard(future)
        if not future.cancelled() and future.exception() is not None:
            name = future.get_name() if isinstance(future, asyncio.Task) else "delivery"
            log.error("Slack background work %s failed", name, exc_info=future.exception())

    async def settle(self) -> None:
        """Wait until no background work is left (work may spawn more work)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
