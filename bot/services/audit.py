"""The audit trail: every change to settings, roles, teams, values and people,
with who made it, when, and what it was before and after.

Written in the same transaction as the change, so a refused or failed
command leaves no entry and no committed change goes unrecorded.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from storage.models import AuditEntry, Person

LIMIT = 200


def record(session: Session, *, actor: Person | None, action: str, subject: str, old: object = "",
           new: object = "", now: datetime) -> AuditEntry:
    """Note one change. `actor` None means Tandem itself (a platform event)."""
    entry = AuditEntry(created_at=now, actor_id=actor.id if actor is not None else None, action=action[:60],
                       subject=subject[:200], old=_shown(old), new=_shown(new))
    session.add(entry)
    return entry


def latest(session: Session, limit: int = 20) -> list[tuple[AuditEntry, Person | None]]:
    """The newest entries first, with who made them."""
    rows = session.exec(select(AuditEntry).order_by(col(AuditEntry.created_at).desc(), col(AuditEntry.id).desc())
                        .limit(max(1, min(limit, LIMIT)))).all()
    return [(row, session.get(Person, row.actor_id) if row.actor_id else None) for row in rows]


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)[:2000]
