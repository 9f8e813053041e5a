"""Work that runs after Slack has had its ack.

Slack wants an answer within 3 seconds whatever the database or its own API
is doing, so every listener acks first and hands the slow part here. The
tasks are kept (asyncio only holds weak references), their errors logged, and
`settle()` waits for them: at shutdown, and in tests instead of sleeping.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

log = logging.getLogger(__name__)


class Background:
    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, work: Coroutine[Any, Any, Any], *, name: str = "slack") -> asyncio.Task[Any]:
        """Run `work` after the ack; failures are logged, never lost silently."""
        task = asyncio.get_running_loop().create_task(work, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("Slack background work %s failed", task.get_name(), exc_info=task.exception())

    async def settle(self) -> None:
        """Wait until no background work is left (work may spawn more work)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
