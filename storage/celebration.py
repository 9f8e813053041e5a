"""The digest's and the monthly celebration's own records (revision 0601,
branch "celebration"): chart pictures kept for serving by link, the months
celebrated, and the people who asked never to be named in a celebration.

Chart pictures are kept by the SHA-256 of their PNG, so the same picture is
stored once and its address (`/charts/<sha256>.png`) never changes.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import Column, LargeBinary
from sqlmodel import Field, Session, SQLModel

from storage.schedule import insert_ignore
from storage.types import UTCDateTime


class ChartFile(SQLModel, table=True):
    """One chart picture, served at /charts/<sha256>.png for a platform that
    takes a link instead of the bytes (a Teams card over its size limit)."""

    __tablename__ = "chart_file"
    sha256: str = Field(primary_key=True, max_length=64)
    png: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class CelebrationRun(SQLModel, table=True):
    """A month whose celebration was queued: taken before it is built, so
    several replicas ticking at once queue it once."""

    __tablename__ = "celebration_run"
    month: str = Field(primary_key=True, max_length=7)  # 2026-11: the month celebrated
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class CelebrationOptOut(SQLModel, table=True):
    """A person who asked (`/tandem me celebrate off`) never to be named in the monthly celebration."""

    __tablename__ = "celebration_opt_out"
    person_id: int = Field(foreign_key="person.id", primary_key=True)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


def sha256_of(png: bytes) -> str:
    return hashlib.sha256(png).hexdigest()


def keep_chart(session: Session, png: bytes, *, now: datetime) -> str:
    """Store `png` once (whoever else stores it at the same time); returns its SHA-256."""
    digest = sha256_of(png)
    if session.get(ChartFile, digest) is None:
        insert_ignore(session, ChartFile(sha256=digest, png=png, created_at=now))
    return digest


def chart(session: Session, sha256: str) -> bytes | None:
    row = session.get(ChartFile, sha256.lower())
    return row.png if row is not None else None
