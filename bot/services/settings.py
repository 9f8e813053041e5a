"""Organisation-wide settings (kudos channel, HR digest channel, allowance),
kept as key/value rows so a new setting needs no migration.

A transaction reads them all at once, the first time it asks for one, with
the company values' tags (the other small table of organisation
configuration): a kudos asks for four settings and the values, and one
statement answers them all. The snapshot lives on the session (one
transaction), so another process's change is seen by the next command; writes
through `put` keep it current within the transaction.
"""

from __future__ import annotations

from sqlalchemy import literal, select, union_all
from sqlmodel import Session, col

from bot.ports import Recipient
from storage.models import CompanyValue, Setting

_SNAPSHOT = "tandem.org_settings"
_VALUE = "\x1fvalue:"  # company value rows in the snapshot; no setting key starts with a control character

# built once (building it cost more than running it, on every command)
_EVERYTHING = union_all(select(col(Setting.key), col(Setting.value)),
                        select(literal(_VALUE) + col(CompanyValue.tag), literal("")))


def _snapshot(session: Session) -> dict[str, str]:
    """Every setting (and every company value's tag) as this transaction sees them, read once."""
    cached: dict[str, str] | None = session.info.get(_SNAPSHOT)
    if cached is None:
        cached = {str(key): str(value) for key, value in session.execute(_EVERYTHING).all()}
        session.info[_SNAPSHOT] = cached
    return cached


def forget(session: Session) -> None:
    """Read settings afresh next time (after writing them other than through `put`)."""
    session.info.pop(_SNAPSHOT, None)


def value_tags(session: Session) -> set[str]:
    """The company values' tags (`#ownership` → "ownership"), from the same snapshot."""
    return {key.removeprefix(_VALUE) for key in _snapshot(session) if key.startswith(_VALUE)}

KUDOS_CHANNEL = "kudos.channel"
DIGEST_CHANNEL = "digest.channel"
DIGEST_SCHEDULE = "digest.schedule"  # "mon 09:00"
KUDOS_ALLOWANCE = "kudos.weekly_allowance"
KUDOS_MAX_PEOPLE = "kudos.max_people"


def get(session: Session, key: str, default: str = "") -> str:
    return _snapshot(session).get(key, default)


def put(session: Session, key: str, value: str) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value
    if _SNAPSHOT in session.info:
        session.info[_SNAPSHOT][key] = value


def channel(session: Session, key: str) -> Recipient | None:
    """A channel setting, stored as "platform|tenant|channel"."""
    raw = get(session, key)
    if not raw:
        return None
    platform, tenant, address = raw.split("|", 2)
    return Recipient(kind="channel", platform=platform, tenant=tenant, address=address)


def put_channel(session: Session, key: str, recipient: Recipient) -> None:
    put(session, key, f"{recipient.platform}|{recipient.tenant}|{recipient.address}")
