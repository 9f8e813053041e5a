"""The transactional outbox, from the core's side: say what to deliver.

Notifications are rows written in the same transaction as the change that
causes them, so a crash can never leave a change without its message or a
message without its change. The idempotency key makes writing the same
notification twice a no-op; the delivery job (scheduler/delivery.py) sends.

Rows are written with one `INSERT … ON CONFLICT DO NOTHING` (Core SQL, not
the ORM's unit of work): no look-up of the key first, and a notification
that another transaction queued a moment ago is skipped instead of failing
the command. `notify_many` writes several in one statement (a kudos'
announcement and each receiver's DM).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from bot.messages import Message
from bot.ports import Recipient
from storage.models import Notification, Person, Team

QUEUED = "tandem.queued"


def queued(session: Session) -> bool:
    """Whether this transaction wrote notifications (the deliverer then has work)."""
    return bool(session.info.get(QUEUED))


def to_person(person: Person) -> Recipient:
    return Recipient(kind="person", platform=person.platform, tenant=person.tenant, address=person.user_id)


def to_channel(platform: str, tenant: str, channel: str) -> Recipient:
    return Recipient(kind="channel", platform=platform, tenant=tenant, address=channel)


def team_intake(team: Team, lead: Person | None) -> Recipient | None:
    """A team's intake channel, or its lead's DMs when it has none."""
    if team.intake_channel and team.intake_platform and team.intake_tenant is not None:
        return to_channel(team.intake_platform, team.intake_tenant, team.intake_channel)
    if lead is not None:
        return to_person(lead)
    return None


@dataclass(frozen=True)
class Outgoing:
    """One notification to queue: `notify`'s arguments, for `notify_many`."""

    recipient: Recipient
    message: Message
    key: str
    due_at: datetime | None = None
    topic: str | None = None
    replace: bool = False
    in_thread: bool = False
    kind: str = "notice"


def notify(
    session: Session,
    recipient: Recipient,
    message: Message,
    *,
    key: str,
    now: datetime,
    due_at: datetime | None = None,
    topic: str | None = None,
    replace: bool = False,
    in_thread: bool = False,
    kind: str = "notice",
) -> int | None:
    """Queue `message` for `recipient` unless `key` was queued before.
    Returns the new row's id, or None when the key was already queued."""
    one = Outgoing(recipient, message, key, due_at=due_at, topic=topic, replace=replace, in_thread=in_thread,
                   kind=kind)
    statement = _insert(session).returning(col(Notification.id))
    row = session.execute(statement, _values(one, now)).first()
    return int(row[0]) if row is not None else None


def notify_many(session: Session, outgoing: list[Outgoing], *, now: datetime) -> None:
    """Queue every one of `outgoing` (those whose key was not queued before), in one statement, in order."""
    if outgoing:
        session.execute(_insert(session), [_values(one, now) for one in outgoing])


def _values(one: Outgoing, now: datetime) -> dict[str, Any]:
    recipient = one.recipient
    return {"idempotency_key": one.key[:200], "recipient_kind": recipient.kind, "platform": recipient.platform,
            "tenant": recipient.tenant, "address": recipient.address, "message_json": one.message.model_dump_json(),
            "topic": one.topic, "replace": one.replace, "in_thread": one.in_thread, "kind": one.kind,
            "status": "pending", "attempts": 0, "last_error": "", "due_at": one.due_at or now, "created_at": now}


def _insert(session: Session) -> Any:
    """INSERT that skips a row whose idempotency key exists (both dialects say it the same way).

    The rows go as parameters, not `.values(rows)`: a statement with its values
    inlined is compiled afresh every time, which cost more than the insert itself."""
    session.info[QUEUED] = True
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(Notification.__table__).on_conflict_do_nothing()  # type: ignore[attr-defined]
