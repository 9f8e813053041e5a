"""Drain the outbox through the port that owns each recipient's platform.

At least once: a row is marked sent only after the port returns, so a crash
in between re-sends it after its lease runs out; the port's idempotency
(and `posted_message` for in-place updates) keeps that to one retry at most.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import timedelta

from sqlalchemy.engine import Engine

from bot.messages import Message
from bot.ports import ChatPort, Delivered, DeliveryFailed, Recipient, RetryLater
from bot.services.clock import Clock
from storage import outbox

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


async def deliver_due(engine: Engine, ports: Mapping[str, ChatPort], clock: Clock, *, limit: int = 100) -> int:
    """Send what is due on the platforms in `ports`; returns how many were sent."""
    rows = outbox.claim_due(engine, now=clock.now(), platforms=set(ports), limit=limit)
    sent = 0
    for row in rows:
        assert row.id is not None
        port = ports[row.platform]
        recipient = Recipient(kind=row.recipient_kind, platform=row.platform, tenant=row.tenant, address=row.address)
        message = Message.model_validate_json(row.message_json)
        earlier = None
        if row.topic and (row.replace or row.in_thread):
            found = outbox.posted(engine, topic=row.topic, platform=row.platform, tenant=row.tenant,
                                  address=row.address)
            earlier = Delivered(message_ref=found.message_ref, channel=found.channel) if found else None
        try:
            delivered = await port.send(
                recipient, message,
                replace=earlier if row.replace else None,
                thread_of=earlier if row.in_thread else None,
            )
        except RetryLater as later:
            give_up = row.attempts >= MAX_ATTEMPTS
            outbox.mark_retry(engine, row.id, at=clock.now() + timedelta(seconds=later.seconds),
                              error=later.reason or "retry later", give_up=give_up)
            continue
        except DeliveryFailed as failure:
            log.warning("notification %s failed for good: %s", row.id, failure)
            outbox.mark_retry(engine, row.id, at=clock.now(), error=str(failure), give_up=True)
            continue
        if row.topic and not row.in_thread and (row.replace or earlier is None):
            outbox.remember_posted(engine, topic=row.topic, platform=row.platform, tenant=row.tenant,
                                   address=row.address, channel=delivered.channel,
                                   message_ref=delivered.message_ref, now=clock.now())
        outbox.mark_sent(engine, row.id, now=clock.now())
        sent += 1
    return sent
