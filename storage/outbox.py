"""Claiming outbox rows for delivery, safely from several processes.

A claim sets a lease: on PostgreSQL rows are picked with
`FOR UPDATE SKIP LOCKED`, so two replicas never take the same row; on SQLite
the single writer lock does the same job. A claimer that dies leaves its
lease to expire, and the row is claimed again: delivery is at least once,
and the adapters use the idempotency key to make a retry harmless.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from storage.models import Notification, PostedMessage

LEASE = timedelta(seconds=60)


def claim_due(engine: Engine, *, now: datetime, platforms: set[str] | None = None, limit: int = 100,
              lease: timedelta = LEASE) -> list[Notification]:
    """Take up to `limit` pending notifications that are due, with a lease.

    One `UPDATE … WHERE id IN (SELECT …) RETURNING` statement, so the pick
    and the lease are atomic on SQLite too; on PostgreSQL the inner select
    skips rows another replica has locked.
    """
    due = (
        select(Notification.id)
        .where(Notification.status == "pending", Notification.due_at <= now,
               or_(Notification.lease_until == None, Notification.lease_until < now))  # noqa: E711
        .order_by(Notification.due_at, Notification.id)
        .limit(limit)
    )
    if platforms is not None:
        due = due.where(Notification.platform.in_(sorted(platforms)))  # type: ignore[attr-defined]
    if engine.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    claim = (
        update(Notification)
        .where(Notification.id.in_(due.scalar_subquery()))  # type: ignore[union-attr]
        .values(lease_until=now + lease, attempts=Notification.attempts + 1)
        .returning(Notification)
        .execution_options(synchronize_session=False)
    )
    with Session(engine, expire_on_commit=False) as session:
        rows = list(session.scalars(claim).all())
        session.commit()
    return sorted(rows, key=lambda row: (row.due_at, row.id or 0))


def mark_sent(engine: Engine, notification_id: int, *, now: datetime) -> None:
    with Session(engine) as session:
        session.exec(update(Notification).where(Notification.id == notification_id)  # type: ignore[call-overload]
                     .values(status="sent", sent_at=now, lease_until=None))
        session.commit()


def mark_retry(engine: Engine, notification_id: int, *, at: datetime, error: str, give_up: bool = False) -> None:
    with Session(engine) as session:
        values: dict[str, object] = {"lease_until": None, "last_error": error[:500], "due_at": at}
        if give_up:
            values["status"] = "failed"
        session.exec(update(Notification).where(Notification.id == notification_id)  # type: ignore[call-overload]
                     .values(**values))
        session.commit()


def posted(engine: Engine, *, topic: str, platform: str, tenant: str, address: str) -> PostedMessage | None:
    with Session(engine) as session:
        return session.exec(select(PostedMessage).where(
            PostedMessage.topic == topic, PostedMessage.platform == platform,
            PostedMessage.tenant == tenant, PostedMessage.address == address)).first()


def remember_posted(engine: Engine, *, topic: str, platform: str, tenant: str, address: str, channel: str,
                    message_ref: str, now: datetime) -> None:
    with Session(engine) as session:
        row = session.exec(select(PostedMessage).where(
            PostedMessage.topic == topic, PostedMessage.platform == platform,
            PostedMessage.tenant == tenant, PostedMessage.address == address)).first()
        if row is None:
            session.add(PostedMessage(topic=topic, platform=platform, tenant=tenant, address=address,
                                      channel=channel, message_ref=message_ref, updated_at=now))
        else:
            row.channel, row.message_ref, row.updated_at = channel, message_ref, now
        session.commit()
