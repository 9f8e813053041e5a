"""Many callers, one run at a time: the "deliver now" after each interaction.

Under load every slash command asks for the outbox to be drained right
after it. Run once per ask, those drains compete for the same rows and, on
SQLite, for the one writer lock, and each starts its own thread and event
loop. Coalesced, a caller that arrives while a run is going waits for the
*next* run, which starts once the current one ends and serves everyone who
asked meanwhile: what a caller queued before asking is always covered, and
at most two runs exist at any moment (one going, one waiting to start).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


class Coalesced:
    """Wraps `work`; `await coalesced()` returns once a run that began after
    the call has ended; `kick()` asks for the same without waiting."""

    def __init__(self, work: Callable[[], Awaitable[object]]) -> None:
        self._work = work
        self._next: asyncio.Future[None] | None = None  # the run the newest callers wait for
        self._runner: asyncio.Task[None] | None = None
        self.runs = 0

    def kick(self) -> asyncio.Future[None]:
        """Ask for a run without waiting: the future of the run that will cover
        this ask. Callers that need not wait (a chat command whose reply is
        already out) keep nothing alive while the run goes on."""
        if self._next is None:
            self._next = asyncio.get_running_loop().create_future()
        covering = self._next
        if self._runner is None or self._runner.done():
            self._runner = asyncio.get_running_loop().create_task(self._run_while_asked(), name="coalesced")
        return covering

    async def __call__(self) -> None:
        """Ask for a run and wait for it; its failure is raised to every caller who waited for it."""
        await asyncio.shield(self.kick())

    async def _run_while_asked(self) -> None:
        while self._next is not None:
            current, self._next = self._next, None
            self.runs += 1
            try:
                await self._work()
            except Exception as error:  # noqa: BLE001 - handed to the callers of this run
                current.set_exception(error)
                current.exception()  # retrieved here: a caller that was cancelled meanwhile must not warn
            else:
                current.set_result(None)
