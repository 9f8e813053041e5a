"""Organisation-wide settings (kudos channel, HR digest channel, allowance),
kept as key/value rows so a new setting needs no migration."""

from __future__ import annotations

from sqlmodel import Session

from bot.ports import Recipient
from storage.models import Setting

KUDOS_CHANNEL = "kudos.channel"
DIGEST_CHANNEL = "digest.channel"
DIGEST_SCHEDULE = "digest.schedule"  # "mon 09:00"
KUDOS_ALLOWANCE = "kudos.weekly_allowance"
KUDOS_MAX_PEOPLE = "kudos.max_people"


def get(session: Session, key: str, default: str = "") -> str:
    row = session.get(Setting, key)
    return row.value if row is not None else default


def put(session: Session, key: str, value: str) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value


def channel(session: Session, key: str) -> Recipient | None:
    """A channel setting, stored as "platform|tenant|channel"."""
    raw = get(session, key)
    if not raw:
        return None
    platform, tenant, address = raw.split("|", 2)
    return Recipient(kind="channel", platform=platform, tenant=tenant, address=address)


def put_channel(session: Session, key: str, recipient: Recipient) -> None:
    put(session, key, f"{recipient.platform}|{recipient.tenant}|{recipient.address}")
