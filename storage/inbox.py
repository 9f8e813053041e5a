"""The inbox: a command a platform delivered, written down before it is acked.

Slack wants its ack within 3 seconds and Tandem does the work after it. So
that an acked command can't be lost (the database drops a connection, the
process is killed right after the ack), the edge first writes the delivery
here, as the platform sent it, then acks, then works, then marks the row
done. At start, rows that were acked but never finished are replayed; the
core's command receipt (keyed by the same delivery) keeps a replay from
acting twice. If the row can't be written, the edge doesn't ack the command
as received: the person is asked to try again.

This module knows nothing of Slack or of the core: a row is a platform, a
tenant, a unique delivery key and the delivery's body as JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Column, Text, UniqueConstraint, bindparam, insert, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, col, select

from storage.types import UTCDateTime

KEY_LENGTH = 250


class InboxEntry(SQLModel, table=True):
    """One delivered command: `done_at` is set once it has been answered."""

    __tablename__ = "inbox_entry"
    __table_args__ = (UniqueConstraint("platform", "delivery_key", name="uq_inbox_delivery"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=20)
    tenant: str = Field(max_length=120)
    delivery_key: str = Field(max_length=KEY_LENGTH)
    body_json: str = Field(sa_column=Column(Text, nullable=False))
    received_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    done_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True, index=True))
    outcome: str | None = Field(default=None, max_length=20)  # "answered" | "expired" | "refused"


@dataclass(frozen=True)
class Entry:
    """An inbox row as the edge needs it back."""

    entry_id: int
    tenant: str
    delivery_key: str
    body_json: str
    received_at: datetime
    new: bool  # False: the same delivery was written before (a platform retry)


def record(engine: Engine, *, platform: str, tenant: str, delivery_key: str, body_json: str,
           now: datetime) -> Entry:
    """Write a delivery down durably (committed when this returns); the same
    delivery twice gives the first row back, with `new` False."""
    key = delivery_key[:KEY_LENGTH]
    try:
        with Session(engine) as session:
            row = InboxEntry(platform=platform, tenant=tenant[:120], delivery_key=key, body_json=body_json,
                             received_at=now)
            session.add(row)
            session.commit()
            assert row.id is not None
            return Entry(row.id, row.tenant, key, body_json, now, new=True)
    except IntegrityError:
        with Session(engine) as session:
            seen = session.exec(select(InboxEntry).where(InboxEntry.platform == platform,
                                                         InboxEntry.delivery_key == key)).one()
            assert seen.id is not None
            return Entry(seen.id, seen.tenant, key, seen.body_json, seen.received_at, new=False)


@dataclass(frozen=True)
class Delivery:
    """A delivery to write down."""

    platform: str
    tenant: str
    delivery_key: str
    body_json: str


def record_many(engine: Engine, deliveries: list[Delivery], *, now: datetime) -> list[Entry]:
    """`record` for several deliveries in one transaction (one commit for a
    burst of commands); if one of them was seen before, each is written on
    its own."""
    rows: list[dict[str, object]] = [
        {"platform": d.platform, "tenant": d.tenant[:120], "delivery_key": d.delivery_key[:KEY_LENGTH],
         "body_json": d.body_json, "received_at": now} for d in deliveries]
    table = InboxEntry.__table__  # type: ignore[attr-defined]
    try:
        with Session(engine) as session:
            # Core, with the ids returned in the rows' order: the ORM's unit of work cost more than the insert
            ids = session.connection().execute(insert(table).returning(table.c.id, sort_by_parameter_order=True),
                                               rows).scalars().all()
            session.commit()
    except IntegrityError:
        return [record(engine, platform=d.platform, tenant=d.tenant, delivery_key=d.delivery_key,
                       body_json=d.body_json, now=now) for d in deliveries]
    return [Entry(int(entry_id), d.tenant[:120], d.delivery_key[:KEY_LENGTH], d.body_json, now, new=True)
            for entry_id, d in zip(ids, deliveries, strict=True)]


def finish(engine: Engine, entry_id: int, *, now: datetime, outcome: str = "answered") -> None:
    """Mark a row done: it will not be replayed."""
    with Session(engine) as session:
        session.execute(update(InboxEntry).where(col(InboxEntry.id) == entry_id, col(InboxEntry.done_at).is_(None))
                        .values(done_at=now, outcome=outcome))
        session.commit()


def finish_many(engine: Engine, finished: list[tuple[int, str]], *, now: datetime) -> None:
    """`finish` for several (row id, outcome) pairs in one transaction: a busy
    process answers many commands between two commits."""
    if not finished:
        return
    table = InboxEntry.__table__  # type: ignore[attr-defined]
    statement = (update(table).where(table.c.id == bindparam("entry_id"), table.c.done_at.is_(None))
                 .values(done_at=now, outcome=bindparam("entry_outcome")))
    with Session(engine) as session:
        session.connection().execute(statement, [{"entry_id": entry_id, "entry_outcome": outcome}
                                                 for entry_id, outcome in finished])
        session.commit()


def unfinished(engine: Engine, *, platform: str, now: datetime, max_age: timedelta,
               limit: int = 1000) -> list[Entry]:
    """Rows acked but never answered, oldest first; rows older than `max_age`
    (their reply route has expired) are marked "expired" instead."""
    with Session(engine) as session:
        session.execute(update(InboxEntry).where(col(InboxEntry.platform) == platform,
                                                 col(InboxEntry.done_at).is_(None),
                                                 col(InboxEntry.received_at) < now - max_age)
                        .values(done_at=now, outcome="expired"))
        session.commit()
        rows = session.exec(select(InboxEntry).where(InboxEntry.platform == platform,
                                                     col(InboxEntry.done_at).is_(None))
                            .order_by(col(InboxEntry.id)).limit(limit)).all()
        return [Entry(r.id, r.tenant, r.delivery_key, r.body_json, r.received_at, new=False)
                for r in rows if r.id is not None]


def prune(engine: Engine, *, before: datetime) -> int:
    """Forget finished rows older than `before`; returns how many went."""
    from sqlalchemy import delete

    with Session(engine) as session:
        result = session.execute(delete(InboxEntry).where(col(InboxEntry.done_at).is_not(None),
                                                          col(InboxEntry.done_at) < before))
        session.commit()
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
