"""How the weekly recognition digest reads in the HR channel.

Names appear as `PersonRef(ping=False)`: HR sees who, nobody is notified.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.messages import Message, Section, Text, text
from bot.services.dates import describe_span
from bot.services.digest import Digest, TeamRecord
from bot.services.people import ref


def _change(now: int, before: int) -> str:
    if before == 0:
        return "none the week before" if now else "none the week before either"
    delta = now - before
    sign = "+" if delta >= 0 else "−"
    return f"{sign}{abs(delta)} ({sign}{abs(delta) * 100 // before}%) vs {before} the week before"


def _names(people: list, *, total: int) -> Text:  # type: ignore[type-arg]
    parts: list = []  # type: ignore[type-arg]
    for i, person in enumerate(people):
        if i:
            parts.append(", ")
        parts.append(ref(person, ping=False))
    if total > len(people):
        parts.append(f" and {total - len(people)} more")
    return tuple(parts)


def service_line(record: TeamRecord) -> str:
    median = record.median_first_response
    share = record.on_time_share
    rating = record.average_rating
    return (f"{record.name}: {record.received} received · median first response "
            f"{describe_span(median) if median is not None else '—'} (working time) · "
            f"{f'{share:.0%} of {record.finished}' if share is not None else 'none'} finished on time · "
            f"{f'average rating {rating:.1f} ({record.ratings})' if rating is not None else 'no ratings'}")


def digest(d: Digest) -> Message:
    """The digest as one message: sections in the order HR reads them."""
    first = d.week.start.astimezone(ZoneInfo(d.week.tz))
    last = first + timedelta(days=6)
    sections = [
        Section(heading="Kudos", text=(
            f"Given: {d.kudos_given} ({_change(d.kudos_given, d.previous_given)}).\n"
            f"Received: {d.kudos_received} ({_change(d.kudos_received, d.previous_received)}).",)),
    ]
    if d.top:
        top: list = []  # type: ignore[type-arg]
        for i, (person, n) in enumerate(d.top, 1):
            top.extend([f"{i}. ", ref(person, ping=False), f" — {n}\n"])
        sections.append(Section(heading="Most recognized", text=tuple(top)))
    sections.append(Section(heading="Values", text=(
        " · ".join(f"#{tag} {n}" for tag, n in d.values) if d.values else "No company values were tagged.",)))
    lines = [f"{a} → {b}: {n}" for (a, b), n in sorted(d.thanks.items(), key=lambda item: (-item[1], item[0]))]
    sections.append(Section(heading="Who thanks whom (team → team)", text=("\n".join(lines) or "No kudos.",)))
    quiet = []
    if d.gave_none:
        quiet.append("Gave none: " + ", ".join(d.gave_none) + ".")
    if d.got_none:
        quiet.append("Received none: " + ", ".join(d.got_none) + ".")
    if quiet:
        sections.append(Section(heading="Teams without kudos", text=("\n".join(quiet),)))
    sections.append(Section(
        heading=f"Unrecognized for 4 weeks: {d.unrecognized_count}",
        text=_names(d.unrecognized, total=d.unrecognized_count) if d.unrecognized else ("Everyone was thanked.",)))
    sections.append(Section(heading="Service record (requests to each team)",
                            text=("\n".join(service_line(r) for r in d.service) or "No teams yet.",)))
    return Message(
        title=text(f"Recognition digest, {d.week.label} ({first:%a %-d %b} – {last:%a %-d %b})"),
        sections=tuple(sections),
        context=((f"Weeks run Monday to Sunday in {d.week.tz}. Names here notify nobody.",),),
    )
