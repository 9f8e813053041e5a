"""The scheduler's own records: how many nudges each person got today (the
nudge budget), which feedback reminders are planned, and which weekly
digests were queued.

They are separate from the core's tables so the scheduler's migration
(revision 0301) is a branch of its own. Each row is also a lock: a replica
that wants to change a person's budget or queue a digest takes the row
first, so two replicas never both decide to send.
"""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import Column, Index, Text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlmodel import Field, Session, SQLModel

from storage.types import UTCDateTime


class NudgeBudget(SQLModel, table=True):
    """Nudges one person was sent on one local day; past the budget they fold
    into one summary message whose items are kept here."""

    __tablename__ = "nudge_budget"

    person_id: int = Field(foreign_key="person.id", primary_key=True)
    day: str = Field(primary_key=True, max_length=10)  # local date, YYYY-MM-DD
    sent: int = 0
    folded: int = 0
    summary_json: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    summary_versions: int = 0


class FeedbackReminder(SQLModel, table=True):
    """One planned reminder to rate a finished request; sent at most once."""

    __tablename__ = "feedback_reminder"
    __table_args__ = (Index("ix_feedback_reminder_due", "status", "remind_at"),)

    request_id: int = Field(foreign_key="request.id", primary_key=True)
    remind_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    status: str = Field(default="planned", max_length=12)  # planned | sent | skipped
    settled_at: Optional[datetime] = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class DigestRun(SQLModel, table=True):
    """A weekly digest that was queued: the row is taken before the digest is
    built, so two replicas (or the CLI and the scheduler) queue it once."""

    __tablename__ = "digest_run"

    week: str = Field(primary_key=True, max_length=10)  # 2026-W47
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    trigger: str = Field(default="schedule", max_length=20)


def insert_ignore(session: Session, row: SQLModel) -> bool:
    """Insert `row` unless its primary key exists; True if it was inserted.

    On PostgreSQL a concurrent insert of the same key waits for the other
    transaction and then does nothing, which is what makes it a claim.
    """
    table = type(row).__table__  # type: ignore[attr-defined]
    values = {c.name: getattr(row, c.name) for c in table.columns if getattr(row, c.name) is not None}
    bind: Connection = session.connection()
    dialect = postgresql if bind.dialect.name == "postgresql" else sqlite
    key = list(table.primary_key.columns)[0]
    statement = dialect.insert(table).values(**values).on_conflict_do_nothing().returning(key)
    return session.execute(statement).first() is not None
