"""Where kudos and requests that came from a conversation came from (revision 0901).

Kudos given by a reaction or by `@sam++` in a channel, and requests filed
from a message, remember the message: a reaction removed within minutes
finds its kudos to withdraw, several reactions on one message grow one
announcement, and the same person reacting twice to one message gives once
(the unique key), whichever replica received the event.
"""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


class KudosSource(SQLModel, table=True):
    """The conversation message a kudos came from, and how: a reaction or inline thanks."""

    __tablename__ = "kudos_source"
    __table_args__ = (UniqueConstraint("kind", "message_key", "giver_id"),)

    kudos_id: int = Field(foreign_key="kudos.id", primary_key=True)
    kind: str = Field(max_length=20)  # "reaction" | "inline"
    message_key: str = Field(max_length=200, index=True)  # platform|tenant|channel|message ref
    giver_id: int = Field(foreign_key="person.id")
    author_id: Optional[int] = Field(default=None, foreign_key="person.id")
    link: str = Field(default="", max_length=500)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class RequestSource(SQLModel, table=True):
    """The conversation message a request was filed from (one request per message)."""

    __tablename__ = "request_source"

    message_key: str = Field(max_length=200, primary_key=True)
    request_id: int = Field(foreign_key="request.id", index=True)
    link: str = Field(default="", max_length=500)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
