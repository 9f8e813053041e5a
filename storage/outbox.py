"""Claiming outbox rows for delivery, safely from several processes.

A claim sets a lease: on PostgreSQL rows are picked with
`FOR UPDATE SKIP LOCKED`, so two replicas never take the same row; on SQLite
the single writer lock does the same job. A claimer that dies leaves its
lease to expire, and the row is claimed again: delivery is at least once,
and the adapters use the idempotency key to make a retry harmless.

Among the rows that are due, the oldest go first (by id), not the soonest
due. A conversation the platform holds back has its whole backlog postponed
to one moment (`hold_recipient`); ordered by due time, those rows would come
back as one clump and fill whole batches with messages for a single channel,
one of which can go out. By id, backlogs for different channels interleave
as they were queued (bench/delivery_rate_limits.py: 64 s against 57 s for a
50 s floor).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from storage.models import Notification, PostedMessage

LEASE = timedelta(seconds=60)


FIRST_IN_THREAD = "thread:"
"""A `posted_message` ref with this prefix is no message of the topic yet: it
names the thread the topic's first message goes into (a request filed from a
message gets its card in that message's thread); the first delivery then
records where the message itself landed."""


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
               or_(col(Notification.lease_until) == None, col(Notification.lease_until) < now))  # noqa: E711
        .order_by(col(Notification.id))  # oldest first, not soonest due: see the module's note on holds
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
    return sorted(rows, key=lambda row: row.id or 0)


def mark_sent(engine: Engine, notification_id: int, *, now: datetime) -> None:
    """One Core UPDATE in its own transaction: this runs once per message
    delivered, and the ORM's bulk-update path cost more than the SQL itself
    (bench/delivery_rate_limits.py)."""
    with engine.begin() as connection:
        connection.execute(update(Notification).where(Notification.id == notification_id)  # type: ignore[arg-type]
                           .values(status="sent", sent_at=now, lease_until=None))


def mark_retry(engine: Engine, notification_id: int, *, at: datetime, error: str, give_up: bool = False) -> None:
    """Put a claimed row back for `at` after a failed try (or fail it for good)."""
    values: dict[str, object] = {"lease_until": None, "last_error": error[:500], "due_at": at}
    if give_up:
        values["status"] = "failed"
    with engine.begin() as connection:
        connection.execute(update(Notification).where(Notification.id == notification_id)  # type: ignore[arg-type]
                           .values(**values))


def hold_recipient(engine: Engine, *, platform: str, tenant: str, address: str, until: datetime,
                   now: datetime, claimed: list[int], reason: str) -> int:
    """Move a recipient's whole backlog to `until`, in one transaction.

    A port that holds one message back (its own pacing, a platform rate
    limit) would hold every other message to the same conversation too.
    Postponing them together keeps a long backlog for one busy channel at one
    write per pause instead of one claim and release per message per pause,
    and keeps its order (same `due_at`, then id). `claimed` are this
    claimer's rows for the recipient: released, their claim's attempt taken
    back, since no try was made. Returns how many rows were moved.
    """
    recipient = (col(Notification.platform) == platform, col(Notification.tenant) == tenant,
                 col(Notification.address) == address)
    with engine.begin() as connection:
        moved = 0
        if claimed:
            moved += connection.execute(
                update(Notification).where(Notification.id.in_(claimed))  # type: ignore[union-attr]
                .values(lease_until=None, due_at=until, attempts=Notification.attempts - 1,
                        last_error=reason[:500])).rowcount
        moved += connection.execute(
            update(Notification).where(
                *recipient, col(Notification.status) == "pending", col(Notification.due_at) < until,
                or_(col(Notification.lease_until) == None, col(Notification.lease_until) < now))  # noqa: E711
            .values(due_at=until)).rowcount
    return moved


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
