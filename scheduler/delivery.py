"""Drain the outbox through the port that owns each recipient's platform.

At least once: a row is marked sent only after the port returns, so a crash
in between re-sends it after its lease runs out; the port's idempotency
(and `posted_message` for in-place updates) keeps that to one retry at most.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.messages import Message
from bot.ports import ChatPort, Delivered, DeliveryFailed, Recipient, RetryLater
from bot.services import thanks
from bot.services.clock import Clock
from scheduler.metrics import DELIVERIES
from storage import outbox
from storage.models import Notification, PostedMessage

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
UPDATE_INTERVAL = timedelta(seconds=1.5)
"""The least time between two sends of one growing announcement (a topic of
one of `GROWING`): 40 a minute, under Slack's chat.update (Tier 3, ~50 a
minute per workspace) and its one post a second per channel. States queued
meanwhile wait, and only the newest goes (`storage.outbox._coalesce`), so
the last state always goes out, at most this late."""
GROWING = frozenset({"kudos", "kudos_dm"})
"""Kinds whose topic grows with a crowd (reactions, "Say thanks" presses).
A request card changes at the pace of the people working it, one click per
change guarded by its state, and shows each change at once."""


@dataclass(frozen=True)
class Batch:
    """What one batch did: rows claimed, sent, held back (and until when:
    the earliest moment, and every one, to be woken at each)."""

    claimed: int
    sent: int
    held: int
    held_until: datetime | None
    moments: tuple[datetime, ...] = ()


async def deliver_due(engine: Engine, ports: Mapping[str, ChatPort], clock: Clock, *, limit: int = 100) -> int:
    """Send what is due on the platforms in `ports`; returns how many were sent."""
    return (await deliver_batch(engine, ports, clock, limit=limit)).sent


async def deliver_batch(engine: Engine, ports: Mapping[str, ChatPort], clock: Clock, *, limit: int = 100) -> Batch:
    """Claim up to `limit` due rows and send them. The database calls run in
    worker threads: this runs on the loop that answers Slack and Teams."""
    rows = await asyncio.to_thread(outbox.claim_due, engine, now=clock.now(), platforms=set(ports), limit=limit)
    held: dict[tuple[str, str, str], _Hold] = {}
    paused: list[int] = []
    paused_at: dict[int, datetime] = {}
    sent = 0
    for row in rows:
        assert row.id is not None
        recipient = Recipient(kind=row.recipient_kind, platform=row.platform, tenant=row.tenant, address=row.address)
        hold = held.get((row.platform, row.tenant, row.address))
        if hold is not None:  # the port is holding this conversation back: don't even ask
            hold.claimed.append(row.id)
            continue
        found = await asyncio.to_thread(outbox.posted, engine, topic=row.topic, platform=row.platform,
                                        tenant=row.tenant, address=row.address) if row.topic else None
        if found is not None and outbox.coalesces(row) and row.kind in GROWING:
            free_at = found.updated_at + UPDATE_INTERVAL
            if free_at > clock.now():  # this topic went out a moment ago: its newest state waits its turn
                paused.append(row.id)
                DELIVERIES.labels(platform=row.platform, result="paced").inc()
                paused_at[row.id] = free_at
                continue
        try:
            delivered = await _send(engine, ports[row.platform], row, recipient, found)
        except RetryLater as later:
            at = clock.now() + timedelta(seconds=later.seconds)
            if later.held:
                held[(row.platform, row.tenant, row.address)] = _Hold(until=at, reason=later.reason, claimed=[row.id])
            else:
                give_up = row.attempts >= MAX_ATTEMPTS
                await asyncio.to_thread(outbox.mark_retry, engine, row.id, at=at, error=later.reason or "retry later",
                                        give_up=give_up)
                DELIVERIES.labels(platform=row.platform, result="failed" if give_up else "retried").inc()
            continue
        except DeliveryFailed as failure:
            DELIVERIES.labels(platform=row.platform, result="failed").inc()
            log.warning("notification %s failed for good: %s", row.id, failure)
            await asyncio.to_thread(outbox.mark_retry, engine, row.id, at=clock.now(), error=str(failure),
                                    give_up=True)
            continue
        if row.topic and not row.in_thread and (row.replace or delivered.fresh):
            await asyncio.to_thread(outbox.remember_posted, engine, topic=row.topic, platform=row.platform,
                                    tenant=row.tenant, address=row.address, channel=delivered.sent.channel,
                                    message_ref=delivered.sent.message_ref, now=clock.now())
        await asyncio.to_thread(outbox.mark_sent, engine, row.id, now=clock.now())
        DELIVERIES.labels(platform=row.platform, result="sent").inc()
        sent += 1
    for (platform, tenant, address), hold in held.items():
        DELIVERIES.labels(platform=platform, result="held").inc(len(hold.claimed))
        await asyncio.to_thread(outbox.hold_recipient, engine, platform=platform, tenant=tenant, address=address,
                                until=hold.until, now=clock.now(), claimed=hold.claimed,
                                reason=hold.reason or "held back")
    for moment in sorted(set(paused_at.values())):
        ids = [row_id for row_id, at in paused_at.items() if at == moment]
        await asyncio.to_thread(outbox.postpone, engine, ids, until=moment, reason="topic updated just now")
    held_rows = sum(len(h.claimed) for h in held.values()) + len(paused)
    moments = sorted({h.until for h in held.values()} | set(paused_at.values()))
    return Batch(claimed=len(rows), sent=sent, held=held_rows, held_until=moments[0] if moments else None,
                 moments=tuple(moments))


@dataclass
class _Hold:
    """A conversation the port is holding back, and this batch's rows for it."""

    until: datetime
    reason: str
    claimed: list[int]


@dataclass(frozen=True)
class _Sent:
    sent: Delivered
    fresh: bool  # posted anew, not an update or a reply to an earlier message


async def _send(engine: Engine, port: ChatPort, row: Notification, recipient: Recipient,
                found: PostedMessage | None) -> _Sent:
    """One notification through its port, updating or replying to the earlier
    message on its topic (`found`) when the row asks for that. A thanks
    announcement is built afresh from what is committed (`thanks.current`):
    the row was built by its press, which may not have seen one beside it."""
    message = Message.model_validate_json(row.message_json)
    if row.topic and outbox.coalesces(row) and row.topic.startswith(thanks.TOPIC_PREFIX):
        fresh = await asyncio.to_thread(_current, engine, row.topic)
        message = fresh or message
    earlier = None
    first_in: Delivered | None = None  # the thread the topic's first message goes into
    if row.topic:
        if found is not None and found.message_ref.startswith(outbox.FIRST_IN_THREAD):
            first_in = Delivered(message_ref=found.message_ref.removeprefix(outbox.FIRST_IN_THREAD),
                                 channel=found.channel)
        elif found is not None and (row.replace or row.in_thread):
            earlier = Delivered(message_ref=found.message_ref, channel=found.channel)
    delivered = await port.send(recipient, message, replace=earlier if row.replace else None,
                                thread_of=earlier if row.in_thread else first_in)
    return _Sent(delivered, fresh=earlier is None)


def _current(engine: Engine, topic: str) -> Message | None:
    with Session(engine) as session:
        return thanks.current(session, topic)
