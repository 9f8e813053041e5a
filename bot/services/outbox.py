"""The transactional outbox, from the core's side: say what to deliver.

Notifications are rows written in the same transaction as the change that
causes them, so a crash can never leave a change without its message or a
message without its change. The idempotency key makes writing the same
notification twice a no-op; the delivery job (scheduler/delivery.py) sends.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

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
) -> Notification | None:
    """Queue `message` for `recipient` unless `key` was queued before."""
    session.info[QUEUED] = True
    if session.exec(select(Notification.id).where(Notification.idempotency_key == key)).first() is not None:
        return None
    row = Notification(
        idempotency_key=key[:200],
        recipient_kind=recipient.kind,
        platform=recipient.platform,
        tenant=recipient.tenant,
        address=recipient.address,
        message_json=message.model_dump_json(),
        topic=topic,
        replace=replace,
        in_thread=in_thread,
        kind=kind,
        due_at=due_at or now,
        created_at=now,
    )
    session.add(row)
    return row
