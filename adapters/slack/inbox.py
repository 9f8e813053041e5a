"""Slash commands written down before Slack gets its ack (`storage.inbox`).

A command is acked only once its inbox row is committed: then a crash, a
dropped connection or a kill right after the ack loses nothing, because the
row is replayed when Tandem starts again (the core's command receipt, keyed
by the same delivery, keeps it from acting twice). The row must be written
within `BUDGET` seconds, so the ack stays inside Slack's 3; a write that fails
or is too slow acks with a request to try again instead of "received", and a
slow write that lands later is marked refused, so it is never replayed.

A replayed command answers at its response_url, which Slack keeps valid for
30 minutes; rows older than that are marked expired, not run.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from adapters.slack import PLATFORM
from bot.services.clock import Clock
from storage import inbox as store

log = logging.getLogger(__name__)
BUDGET = 2.0  # seconds for the inbox write; Slack wants the whole ack within 3
REPLY_ROUTE_LIFETIME = timedelta(minutes=30)  # how long a response_url answers
KEEP_FINISHED = timedelta(days=1)  # finished rows are forgotten at the next start after this
NOT_TAKEN_IN = ("Sorry — I couldn't take that in just now, so I haven't done anything with it. "
                "Please try again in a moment.")
KEPT = ("command", "text", "user_id", "user_name", "channel_id", "channel_name", "trigger_id", "response_url",
        "team_id", "team_domain", "enterprise_id", "enterprise_name", "is_enterprise_install", "api_app_id")


def delivery_key(tenant: str, body: dict[str, Any]) -> str:
    """The delivery's key: a hash of workspace, user and `trigger_id` (Slack's
    id for this one command); without a trigger_id, a fresh id, so two such
    commands never share a key."""
    trigger_id = str(body.get("trigger_id") or "")
    if not trigger_id:
        return "inbox-" + uuid.uuid4().hex
    return hashlib.sha256("\x1f".join((tenant, str(body.get("user_id") or ""), trigger_id)).encode()).hexdigest()[:40]


class Inbox:
    """Write before the ack, finish after the answer, replay at start."""

    def __init__(self, engine: Engine, clock: Clock, *, budget: float = BUDGET) -> None:
        self.engine = engine
        self.clock = clock
        self.budget = budget
        self._pending: list[tuple[store.Delivery, asyncio.Future[store.Entry]]] = []
        self._finishing: list[tuple[int, str, asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None
        # its own thread, so a write never queues behind the core's work in the default pool
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="slack-inbox")

    async def write(self, body: dict[str, Any], tenant: str) -> store.Entry | None:
        """The committed row for this command, or None if it couldn't be
        written in time (then the command must not be acked as received).
        Commands arriving together are written in one transaction."""
        kept = {key: body[key] for key in KEPT if isinstance(body.get(key), str)}
        delivery = store.Delivery(platform=PLATFORM, tenant=tenant, delivery_key=delivery_key(tenant, kept),
                                  body_json=json.dumps(kept, ensure_ascii=False))
        loop = asyncio.get_running_loop()
        written: asyncio.Future[store.Entry] = loop.create_future()
        self._pending.append((delivery, written))
        self._kick()
        try:
            return await asyncio.wait_for(asyncio.shield(written), timeout=self.budget)
        except TimeoutError:
            log.warning("the inbox write took longer than %.1f s; the command is refused", self.budget)
            written.add_done_callback(self._refuse_late)
            return None
        except Exception:
            log.exception("could not write a command to the inbox; the person is asked to try again")
            return None

    def _kick(self) -> None:
        if self._writer is None or self._writer.done():
            self._writer = asyncio.get_running_loop().create_task(self._drain(), name="slack-inbox")

    async def _drain(self) -> None:
        """Write what waits to be written, then mark what was answered, each
        batch in one transaction on the inbox's thread, until nothing waits."""
        loop = asyncio.get_running_loop()
        while self._pending or self._finishing:
            if self._finishing and not self._pending:
                done, self._finishing = self._finishing, []
                await loop.run_in_executor(self._executor, self._finish_quietly, [(i, o) for i, o, _ in done])
                for _, _, finished in done:
                    if not finished.done():
                        finished.set_result(None)
                continue
            batch, self._pending = self._pending, []
            try:
                entries = await loop.run_in_executor(self._executor, self._write, [d for d, _ in batch])
            except Exception as error:  # noqa: BLE001 - each waiting command is told, and refused
                for _, written in batch:
                    if not written.done():
                        written.set_exception(error)
                continue
            for (_, written), entry in zip(batch, entries, strict=True):
                if not written.done():
                    written.set_result(entry)

    def _write(self, deliveries: list[store.Delivery]) -> list[store.Entry]:
        try:
            return store.record_many(self.engine, deliveries, now=self.clock.now())
        except DBAPIError as error:  # a dropped connection: one more try
            if not error.connection_invalidated:
                raise
            return store.record_many(self.engine, deliveries, now=self.clock.now())

    def _refuse_late(self, work: asyncio.Future[store.Entry]) -> None:
        if work.cancelled() or work.exception() is not None:
            return
        entry = work.result()
        self._finishing.append((entry.entry_id, "refused", asyncio.get_running_loop().create_future()))
        self._kick()

    async def finish(self, entry_id: int, outcome: str = "answered") -> None:
        """Mark a command answered (with the others answered meanwhile, in one
        transaction); a failure here only means it is replayed at the next
        start, where its receipt answers for it."""
        finished: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._finishing.append((entry_id, outcome, finished))
        self._kick()
        await finished

    def _finish_quietly(self, finished: list[tuple[int, str]]) -> None:
        try:
            store.finish_many(self.engine, finished, now=self.clock.now())
        except Exception:  # noqa: BLE001 - see `finish`
            log.warning("could not mark %d inbox entries done; they will be replayed", len(finished), exc_info=True)

    async def unfinished(self) -> list[tuple[store.Entry, dict[str, Any]]]:
        """Commands acked but never answered, with their bodies, oldest first."""
        now = self.clock.now()
        await asyncio.to_thread(store.prune, self.engine, before=now - KEEP_FINISHED)
        entries = await asyncio.to_thread(store.unfinished, self.engine, platform=PLATFORM, now=now,
                                          max_age=REPLY_ROUTE_LIFETIME)
        out: list[tuple[store.Entry, dict[str, Any]]] = []
        for entry in entries:
            try:
                body = json.loads(entry.body_json)
            except ValueError:
                body = None
            if isinstance(body, dict):
                out.append((entry, body))
            else:
                await self.finish(entry.entry_id, "unreadable")
        return out
