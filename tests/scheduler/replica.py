"""One scheduler replica as its own OS process, for the two-replica test:
it steps through the same simulated moments as its twin (a barrier keeps them
in step, so they really race), ticking and delivering at each, and appends
every message it delivers to a file of its own."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from typing import Any

from bot.messages import Message, plain
from bot.ports import Delivered, Recipient
from bot.services.clock import FrozenClock
from scheduler import jobs
from storage.db import make_engine


class FilePort:
    """Delivers by appending one JSON line per message to `path`."""

    platform = "shell"

    def __init__(self, path: str, clock: FrozenClock) -> None:
        self.path = path
        self.clock = clock
        self.count = 0

    async def send(self, recipient: Recipient, message: Message, *, thread_of: Delivered | None = None,
                   replace: Delivered | None = None) -> Delivered:
        self.count += 1
        line = {"to": recipient.address, "title": plain(message.title),
                "body": [plain(s.text) for s in message.sections], "replace": replace is not None}
        with open(self.path, "a", encoding="utf-8") as out:
            out.write(json.dumps(line, sort_keys=True) + "\n")
        return Delivered(message_ref=f"{self.path}:{self.count}", channel=recipient.address)


def run_replica(db_url: str, moments: list[str], out_path: str, barrier: Any = None) -> None:
    """Tick and deliver at each moment (ISO strings), in step with `barrier`."""
    engine = make_engine(db_url)
    clock = FrozenClock(datetime.fromisoformat(moments[0]))
    port = FilePort(out_path, clock)

    async def main() -> None:
        for moment in moments:
            clock.set(datetime.fromisoformat(moment))
            if barrier is not None:
                await asyncio.to_thread(barrier.wait, 120)
            await jobs.tick(engine, clock, default_tz="UTC")
            await jobs.deliver(engine, clock, {"shell": port})

    asyncio.run(main())
    engine.dispose()
