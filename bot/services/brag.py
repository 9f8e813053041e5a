"""The brag file: every kudos a person received, as Markdown and CSV.

People keep one for reviews and promotions; Tandem writes it for them from
its records: who thanked them, when (in their time zone), why, the values
named, and the request it was for. A private request is named by number
only, as in the announcements. Only the person themself gets their file.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.messages import Attachment
from storage.models import Kudos, KudosReceiver, KudosTag, Person, Request

CSV_COLUMNS = ("date", "from", "why", "values", "request")


@dataclass(frozen=True)
class Thanks:
    """One kudos received, as the file shows it."""

    at: datetime
    giver: str
    why: str
    values: tuple[str, ...]
    request: str


def received(session: Session, person: Person) -> list[Thanks]:
    """Every kudos `person` received, oldest first, in their time zone."""
    zone = ZoneInfo(person.timezone)
    rows = session.exec(select(Kudos, Person).join(KudosReceiver, col(KudosReceiver.kudos_id) == col(Kudos.id))
                        .join(Person, col(Person.id) == col(Kudos.giver_id))
                        .where(KudosReceiver.person_id == person.id)
                        .order_by(col(Kudos.created_at), col(Kudos.id))).all()
    ids = [k.id for k, _ in rows]
    values: dict[int, list[str]] = {}
    if ids:
        for kudos_id, tag in session.exec(select(KudosTag.kudos_id, KudosTag.tag).where(
                KudosTag.kudos_id.in_(ids), KudosTag.is_value == True)  # type: ignore[attr-defined]  # noqa: E712
                .order_by(KudosTag.tag)).all():
            values.setdefault(kudos_id, []).append(tag)
    found: list[Thanks] = []
    for kudos, giver in rows:
        assert kudos.id is not None
        req = session.get(Request, kudos.request_id) if kudos.request_id else None
        linked = "" if req is None else f"#{req.id}" if req.private else f"#{req.id} {req.title[:200]}"
        found.append(Thanks(at=kudos.created_at.astimezone(zone), giver=giver.display_name, why=kudos.message,
                            values=tuple(values.get(kudos.id, ())), request=linked))
    return found


def markdown(person: Person, thanks: list[Thanks], *, now: datetime) -> str:
    """The file to read: a heading, then one entry per kudos."""
    lines = [f"# Kudos for {person.display_name}", "",
             f"{len(thanks)} kudos received, as of {now.astimezone(ZoneInfo(person.timezone)):%-d %B %Y}.", ""]
    for item in thanks:
        lines.append(f"## {item.at:%-d %b %Y, %H:%M} — from {_md(item.giver)}")
        lines.append("")
        lines.append("> " + "\n> ".join(_md(item.why).splitlines() or [""]))
        if item.values:
            lines.append("")
            lines.append("Values: " + ", ".join(f"#{v}" for v in item.values))
        if item.request:
            lines.append("")
            lines.append(f"Request: {_md(item.request)}")
        lines.append("")
    return "\n".join(lines)


def table(thanks: list[Thanks]) -> str:
    """The file to sort and filter: one row per kudos."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for item in thanks:
        writer.writerow([item.at.isoformat(timespec="minutes"), _cell(item.giver), _cell(item.why),
                         " ".join(f"#{v}" for v in item.values), _cell(item.request)])
    return buffer.getvalue()


def files(session: Session, person: Person, *, now: datetime) -> tuple[int, tuple[Attachment, Attachment]]:
    """How many kudos, and the two files."""
    thanks = received(session, person)
    stem = f"kudos-{person.display_name.lower().replace(' ', '-')[:40] or 'me'}-{now:%Y-%m-%d}"
    return len(thanks), (Attachment(filename=f"{stem}.md", media_type="text/markdown",
                                    content=markdown(person, thanks, now=now)),
                         Attachment(filename=f"{stem}.csv", media_type="text/csv", content=table(thanks)))


def _md(value: str) -> str:
    """Text as Markdown shows it literally: no headings, links or emphasis smuggled in."""
    return "".join("\\" + c if c in "\\`*_{}[]()#+!<>|" else c for c in value)


def _cell(value: str) -> str:
    """A CSV cell no spreadsheet runs as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
