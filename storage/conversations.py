"""Stored conversation references: where a platform lets the bot speak later.

Teams (and Bot Framework in general) lets a bot post on its own only into a
conversation it has seen: a person's personal chat with the bot, a team
channel, a group chat. Each time an adapter sees one it keeps the platform's
reference here as opaque JSON, keyed by (platform, tenant, kind, key), so the
outbox delivery job can reach people and channels hours or days later.

`alias` is a second id the platform uses for the same person (a Teams
"29:…" id beside the Entra object id), so a mention carrying only the alias
still resolves to the person Tandem knows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import Column, Text, UniqueConstraint
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, select

from storage.types import UTCDateTime


class ConversationReference(SQLModel, table=True):
    """One conversation the bot may post into later."""

    __tablename__ = "conversation_reference"
    __table_args__ = (UniqueConstraint("platform", "tenant", "kind", "key", name="uq_conversation_reference"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    platform: str = Field(max_length=20)
    tenant: str = Field(max_length=120)
    # "personal" (a person's chat, by user id) | "chat" (the same, by conversation id) | "channel" |
    # "groupchat" | "member" (a person seen in Teams, with no conversation: enough to open one)
    kind: str = Field(max_length=20)
    key: str = Field(max_length=250)  # user id for "personal", else the conversation/channel id
    alias: Optional[str] = Field(default=None, max_length=250, index=True)
    reference_json: str = Field(sa_column=Column(Text, nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


def remember(engine: Engine, *, platform: str, tenant: str, kind: str, key: str, reference_json: str,
             now: datetime, alias: str | None = None) -> None:
    """Insert or refresh the reference for one conversation.

    Two replicas may see the same conversation at once; the loser of the
    insert race updates the winner's row instead of failing.
    """
    for _ in range(2):
        try:
            with Session(engine) as session:
                row = session.exec(_by_key(platform, tenant, kind, key)).first()
                if row is None:
                    session.add(ConversationReference(platform=platform, tenant=tenant, kind=kind, key=key[:250],
                                                      alias=alias and alias[:250], reference_json=reference_json,
                                                      updated_at=now))
                elif row.reference_json != reference_json or (alias and row.alias != alias):
                    row.reference_json, row.updated_at = reference_json, now
                    row.alias = alias[:250] if alias else row.alias
                session.commit()
                return
        except IntegrityError:
            continue


def find(engine: Engine, *, platform: str, tenant: str, kind: str, key: str) -> str | None:
    """The stored reference JSON for one conversation, or None."""
    with Session(engine) as session:
        row = session.exec(_by_key(platform, tenant, kind, key)).first()
        return row.reference_json if row else None


def any_of_kind(engine: Engine, *, platform: str, tenant: str, kind: str) -> str | None:
    """The most recently seen reference of `kind` in a tenant (its service URL
    is what a post to a not-yet-seen channel of the same tenant needs)."""
    with Session(engine) as session:
        row = session.exec(
            select(ConversationReference)
            .where(ConversationReference.platform == platform, ConversationReference.tenant == tenant,
                   ConversationReference.kind == kind)
            .order_by(ConversationReference.updated_at.desc())  # type: ignore[attr-defined]
        ).first()
        return row.reference_json if row else None


def key_for_alias(engine: Engine, *, platform: str, tenant: str, alias: str) -> str | None:
    """The person key stored for a platform alias id (e.g. a Teams "29:…" id)."""
    with Session(engine) as session:
        row = session.exec(
            select(ConversationReference).where(
                ConversationReference.platform == platform, ConversationReference.tenant == tenant,
                ConversationReference.kind.in_(("personal", "member")),  # type: ignore[attr-defined]
                ConversationReference.alias == alias)
        ).first()
        return row.key if row else None


def _by_key(platform: str, tenant: str, kind: str, key: str):  # type: ignore[no-untyped-def]
    return select(ConversationReference).where(
        ConversationReference.platform == platform, ConversationReference.tenant == tenant,
        ConversationReference.kind == kind, ConversationReference.key == key[:250])
