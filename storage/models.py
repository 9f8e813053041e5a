"""The tables. They are the domain's records: people, teams, requests and
their events, feedback, kudos, settings, the outbox and command receipts.

Indexes follow what is asked often: open requests by next nudge time (the
scheduler), kudos by creation time (the digest), the outbox by due time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import Column, Index, Text, UniqueConstraint, false, true
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


def _ts(nullable: bool = True, index: bool = False) -> Column:  # type: ignore[type-arg]
    return Column(UTCDateTime(), nullable=nullable, index=index)


class Person(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("platform", "tenant", "user_id"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    platform: str = Field(max_length=20)
    tenant: str = Field(max_length=120)
    user_id: str = Field(max_length=120)
    display_name: str = Field(max_length=200)
    timezone: str = Field(default="UTC", max_length=64)
    locale: Optional[str] = Field(default=None, max_length=35)  # "de-DE": how they write dates (0501)
    created_at: datetime = Field(sa_column=_ts(nullable=False))
    # Roles (revision 0401). `platform_admin` mirrors the platform's own say
    # (Slack workspace owners and admins) at each visit; `is_admin` is granted
    # in Tandem. Either makes a person a Tandem admin.
    is_admin: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    is_hr: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    platform_admin: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    active: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    deactivated_at: Optional[datetime] = Field(default=None, sa_column=_ts())


class Team(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    handle: str = Field(max_length=40, unique=True)
    name: str = Field(max_length=120)
    lead_id: Optional[int] = Field(default=None, foreign_key="person.id")
    intake_platform: Optional[str] = Field(default=None, max_length=20)
    intake_tenant: Optional[str] = Field(default=None, max_length=120)
    intake_channel: Optional[str] = Field(default=None, max_length=120)
    timezone: str = Field(default="UTC", max_length=64)
    work_days: str = Field(default="0,1,2,3,4", max_length=20)
    work_start: str = Field(default="09:00", max_length=5)
    work_end: str = Field(default="17:00", max_length=5)
    first_response_hours: float = 4.0
    resolution_days: float = 3.0
    holidays: Optional[str] = Field(default=None, max_length=40)  # "DE-BY": a `holidays` calendar (0501)
    # closed days, inclusive ranges: "2026-12-24..2026-12-31,2027-01-02..2027-01-02"; NULL or "" for none (0501)
    closed_days: Optional[str] = Field(default="", sa_column=Column(Text, nullable=True, default="", server_default=""))
    # the tags requests are closed with ("missing-docs,duplicate"); NULL or "" for no list (0801)
    causes: Optional[str] = Field(default="", sa_column=Column(Text, nullable=True, default="", server_default=""))
    created_at: datetime = Field(sa_column=_ts(nullable=False))


class TeamMember(SQLModel, table=True):
    __tablename__ = "team_member"
    team_id: int = Field(foreign_key="team.id", primary_key=True)
    person_id: int = Field(foreign_key="person.id", primary_key=True)
    joined_at: datetime = Field(sa_column=_ts(nullable=False))


class CompanyValue(SQLModel, table=True):
    __tablename__ = "company_value"
    tag: str = Field(primary_key=True, max_length=40)
    description: str = Field(default="", max_length=300)


class Setting(SQLModel, table=True):
    key: str = Field(primary_key=True, max_length=80)
    value: str = Field(default="", max_length=400)


class Request(SQLModel, table=True):
    __table_args__ = (Index("ix_request_open_nudge", "status", "next_nudge_at"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True)
    requester_id: int = Field(foreign_key="person.id", index=True)
    assignee_id: Optional[int] = Field(default=None, foreign_key="person.id", index=True)
    title: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default="open", max_length=20)
    private: bool = False
    due_at: datetime = Field(sa_column=_ts(nullable=False))
    due_requested: bool = False
    first_response_due_at: datetime = Field(sa_column=_ts(nullable=False))
    first_response_at: Optional[datetime] = Field(default=None, sa_column=_ts())
    waiting_since: Optional[datetime] = Field(default=None, sa_column=_ts())
    snoozed_until: Optional[datetime] = Field(default=None, sa_column=_ts())
    next_nudge_at: Optional[datetime] = Field(default=None, sa_column=_ts())
    done_at: Optional[datetime] = Field(default=None, sa_column=_ts(index=True))
    cause: Optional[str] = Field(default=None, max_length=40)
    origin_platform: str = Field(default="", max_length=20)
    origin_tenant: str = Field(default="", max_length=120)
    origin_channel: str = Field(default="", max_length=120)
    created_at: datetime = Field(sa_column=_ts(nullable=False, index=True))
    updated_at: datetime = Field(sa_column=_ts(nullable=False))


class RequestEvent(SQLModel, table=True):
    __tablename__ = "request_event"
    id: Optional[int] = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="request.id", index=True)
    actor_id: Optional[int] = Field(default=None, foreign_key="person.id")
    kind: str = Field(max_length=30)
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime = Field(sa_column=_ts(nullable=False))


class Feedback(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="request.id", unique=True)
    requester_id: int = Field(foreign_key="person.id")
    rating: int
    comment: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    follow_up: Optional[str] = Field(default=None, max_length=20)  # None | open | handled
    follow_up_note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    handled_by_id: Optional[int] = Field(default=None, foreign_key="person.id")
    handled_at: Optional[datetime] = Field(default=None, sa_column=_ts())
    created_at: datetime = Field(sa_column=_ts(nullable=False, index=True))
    updated_at: datetime = Field(sa_column=_ts(nullable=False))


class Kudos(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    giver_id: int = Field(foreign_key="person.id", index=True)
    message: str = Field(sa_column=Column(Text, nullable=False))
    request_id: Optional[int] = Field(default=None, foreign_key="request.id")
    platform: str = Field(default="", max_length=20)
    tenant: str = Field(default="", max_length=120)
    channel: str = Field(default="", max_length=120)
    created_at: datetime = Field(sa_column=_ts(nullable=False, index=True))


class KudosReceiver(SQLModel, table=True):
    __tablename__ = "kudos_receiver"
    kudos_id: int = Field(foreign_key="kudos.id", primary_key=True)
    person_id: int = Field(foreign_key="person.id", primary_key=True, index=True)


class KudosTag(SQLModel, table=True):
    __tablename__ = "kudos_tag"
    kudos_id: int = Field(foreign_key="kudos.id", primary_key=True)
    tag: str = Field(primary_key=True, max_length=40)
    is_value: bool = False


class Notification(SQLModel, table=True):
    """The transactional outbox: written with the change, delivered later.

    `topic` names the thing a message is about ("request:42"), so a later
    notification with `replace=True` updates the earlier message in place and
    one with `in_thread=True` answers in its thread.
    """

    __table_args__ = (Index("ix_notification_pending", "status", "due_at"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    idempotency_key: str = Field(max_length=200, unique=True)
    recipient_kind: str = Field(max_length=10)  # person | channel
    platform: str = Field(max_length=20)
    tenant: str = Field(max_length=120)
    address: str = Field(max_length=120)
    message_json: str = Field(sa_column=Column(Text, nullable=False))
    topic: Optional[str] = Field(default=None, max_length=80)
    replace: bool = False
    in_thread: bool = False
    kind: str = Field(default="notice", max_length=30)
    status: str = Field(default="pending", max_length=12)  # pending | sent | failed
    attempts: int = 0
    last_error: str = Field(default="", max_length=500)
    due_at: datetime = Field(sa_column=_ts(nullable=False))
    lease_until: Optional[datetime] = Field(default=None, sa_column=_ts())
    sent_at: Optional[datetime] = Field(default=None, sa_column=_ts())
    created_at: datetime = Field(sa_column=_ts(nullable=False))


class PostedMessage(SQLModel, table=True):
    """Where a topic's message landed on a platform, to update or thread it."""

    __tablename__ = "posted_message"
    __table_args__ = (UniqueConstraint("topic", "platform", "tenant", "address"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    topic: str = Field(max_length=80)
    platform: str = Field(max_length=20)
    tenant: str = Field(max_length=120)
    address: str = Field(max_length=120)
    channel: str = Field(max_length=120)
    message_ref: str = Field(max_length=200)
    updated_at: datetime = Field(sa_column=_ts(nullable=False))


class AuditEntry(SQLModel, table=True):
    """Who changed what, when: settings, roles, teams, values, people (revision 0401)."""

    __tablename__ = "audit_entry"
    id: Optional[int] = Field(default=None, primary_key=True)
    created_at: datetime = Field(sa_column=_ts(nullable=False, index=True))
    actor_id: Optional[int] = Field(default=None, foreign_key="person.id")
    action: str = Field(max_length=60)
    subject: str = Field(max_length=200)
    old: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    new: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class JoinRequest(SQLModel, table=True):
    """Someone asking to join a team, until its lead (or an admin) decides (revision 0401)."""

    __tablename__ = "join_request"
    team_id: int = Field(foreign_key="team.id", primary_key=True)
    person_id: int = Field(foreign_key="person.id", primary_key=True)
    created_at: datetime = Field(sa_column=_ts(nullable=False))


class CommandReceipt(SQLModel, table=True):
    """One row per platform command id: a second delivery replays the reply."""

    __tablename__ = "command_receipt"
    key: str = Field(primary_key=True, max_length=250)
    reply_json: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(sa_column=_ts(nullable=False))
