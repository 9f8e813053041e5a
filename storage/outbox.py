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
from typing import Any

from sqlalchemy import or_, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import aliased
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
    skips rows another replica has locked. A message updated in place
    (`replace=True`) is not claimed while another claimer is sending its
    topic, so two replicas never race two states of one message; and only
    the newest state of a topic is kept (`_coalesce`).
    """
    other = aliased(Notification)
    in_flight = (select(other.id).where(
        col(other.topic) == col(Notification.topic), col(other.platform) == col(Notification.platform),
        col(other.tenant) == col(Notification.tenant), col(other.address) == col(Notification.address),
        col(other.replace) == True, col(other.in_thread) == False, col(other.status) == "pending",  # noqa: E712
        col(other.lease_until) >= now).exists())
    due = (
        select(Notification.id)
        .where(Notification.status == "pending", Notification.due_at <= now,
               or_(col(Notification.lease_until) == None, col(Notification.lease_until) < now),  # noqa: E711
               or_(col(Notification.replace) == False, col(Notification.in_thread) == True,  # noqa: E712
                   col(Notification.topic) == None, ~in_flight))  # noqa: E711
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
        rows = _coalesce(session, rows, now=now, lease=lease)
        session.commit()
    return sorted(rows, key=lambda row: row.id or 0)


SUPERSEDED = "superseded"
"""The status of a state of a message updated in place that a newer state
made pointless before it went out: kept (not deleted), never sent."""


def coalesces(row: Notification) -> bool:
    """Whether a row is one state of a message updated in place (a card, a growing announcement)."""
    return bool(row.topic) and row.replace and not row.in_thread


def _coalesce(session: Session, rows: list[Notification], *, now: datetime,
              lease: timedelta) -> list[Notification]:
    """Of the states of one topic's message, keep only the newest.

    For each topic among the claimed rows: the newest state that is due is
    found whoever holds it (or if it went out already); if it is ours or
    nobody's it is claimed, and every older pending state nobody else holds is
    marked superseded, in the claim's transaction. 500 presses queue 500 states of one announcement; a batch
    sends one of them. A claimer that finds the newest state held elsewhere
    supersedes its own: that one goes instead.
    """
    topics = {(r.topic, r.platform, r.tenant, r.address) for r in rows if coalesces(r)}
    if not topics:
        return rows
    mine = {r.id for r in rows}
    kept = [r for r in rows if not coalesces(r)]
    for topic, platform, tenant, address in sorted(topics, key=str):
        same = (col(Notification.topic) == topic, col(Notification.platform) == platform,
                col(Notification.tenant) == tenant, col(Notification.address) == address,
                col(Notification.replace) == True, col(Notification.in_thread) == False,  # noqa: E712
                col(Notification.status) == "pending")
        free = or_(col(Notification.id).in_(mine), col(Notification.lease_until) == None,  # noqa: E711
                   col(Notification.lease_until) < now)
        # the newest state due, whoever holds it or even if it went out already: a state older than
        # one another replica holds or has sent must not go out after it. Only rows newer than our
        # oldest state of the topic can be newer than ours: the id range keeps this to the recent
        # rows (the table keeps every message ever sent, and topic has no index of its own)
        oldest_ours = min(r.id or 0 for r in rows if (r.topic, r.platform, r.tenant, r.address) ==
                          (topic, platform, tenant, address))
        later = session.exec(select(Notification.id, Notification.status, Notification.due_at).where(
            col(Notification.id) >= oldest_ours, *same[:-1])).all()
        newest_id = max((i for i, status, due in later if i is not None
                         and (status == "sent" or (status == "pending" and due <= now))), default=None)
        newest = next((r for r in rows if r.id == newest_id), None)
        if newest is None and newest_id is not None:  # queued after our claim's pick: take it too
            newest = session.scalars(
                update(Notification).where(_unlocked(session, col(Notification.id) == newest_id,
                                                     col(Notification.status) == "pending",
                                                     or_(col(Notification.lease_until) == None,  # noqa: E711
                                                         col(Notification.lease_until) < now)))
                .values(lease_until=now + lease, attempts=Notification.attempts + 1)
                .returning(Notification).execution_options(synchronize_session=False)).first()
            if newest is not None:
                mine.add(newest.id)
        if newest is None:  # a newer state is on its way elsewhere: ours are all stale
            newest_id = max(r.id or 0 for r in rows if (r.topic, r.platform, r.tenant, r.address) ==
                            (topic, platform, tenant, address)) + 1
        else:
            kept.append(newest)
        session.execute(update(Notification).where(_unlocked(session, *same, free, col(Notification.id) < newest_id))
                        .values(status=SUPERSEDED, lease_until=None, sent_at=now, last_error="a newer state went instead")
                        .execution_options(synchronize_session=False))
    return kept


def _unlocked(session: Session, *conditions: Any) -> Any:
    """`id IN (rows matching conditions)`, skipping on PostgreSQL the rows
    another claimer holds: two claimers coalescing one topic each take what
    the other doesn't hold, instead of waiting on each other (a deadlock)."""
    pick = select(Notification.id).where(*conditions)
    if session.get_bind().dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    return col(Notification.id).in_(pick.scalar_subquery())


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


def postpone(engine: Engine, notification_ids: list[int], *, until: datetime, reason: str) -> None:
    """Put claimed rows back, due at `until`, their claim's attempt taken
    back: no try was made (a topic updated less than its interval ago)."""
    if not notification_ids:
        return
    with engine.begin() as connection:
        connection.execute(update(Notification).where(Notification.id.in_(notification_ids))  # type: ignore[union-attr]
                           .values(lease_until=None, due_at=until, attempts=Notification.attempts - 1,
                                   last_error=reason[:500]))


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
