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


def _change(now: int, before: int, *, so_far: bool = False) -> str:
    then = "by this point the week before" if so_far else "the week before"
    if before == 0:
        return f"none {then}" if now else f"none {then} either"
    delta = now - before
    sign = "+" if delta >= 0 else "−"
    return f"{sign}{abs(delta)} ({sign}{abs(delta) * 100 // before}%) vs {before} {then}"


def _share(part: float | None) -> str:
    return f"{part:.0%}" if part is not None else "—"


def kudos_section(d: Digest) -> Section:
    """Given and received, against the week before; a running week says "so far"
    and compares with the same part of the week before (pro rata)."""
    label = "so far" if d.so_far else ""
    given = f"Given{' ' + label if label else ''}: {d.kudos_given} ({_change(d.kudos_given, d.previous_given, so_far=d.so_far)})."
    received = (f"Received{' ' + label if label else ''}: {d.kudos_received} "
                f"({_change(d.kudos_received, d.previous_received, so_far=d.so_far)}).")
    lines = [given, received]
    if d.so_far and d.cutoff is not None:
        lines.insert(0, f"This week is still running: counted to {d.cutoff.astimezone(ZoneInfo(d.week.tz)):%a %H:%M}.")
    return Section(heading="Kudos (week so far)" if d.so_far else "Kudos", text=("\n".join(lines),))


def participation_section(d: Digest) -> Section | None:
    """Who took part, and whether recognition reaches many people or a few."""
    p = d.participation
    if p is None or not p.people:
        return None
    lines = [f"{_share(p.gave_share)} of people gave kudos ({p.gave} of {p.people}); "
             f"{_share(p.received_share)} received some ({p.received} of {p.people})."]
    if p.top_share is not None and p.gini is not None:
        lines.append(f"The most thanked {p.top_people} ({_share(p.top_people / p.people)} of people) got "
                     f"{_share(p.top_share)} of kudos received. Spread (Gini): {p.gini:.2f} — "
                     "0 is everyone thanked equally, 1 is one person thanked for all.")
    return Section(heading="Participation", text=("\n".join(lines),))


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
            f"{f'{share:.0%} of {record.finished} finished on time' if share is not None else 'none finished'} · "
            f"{f'average rating {rating:.1f} ({record.ratings})' if rating is not None else 'no ratings'} · "
            f"backlog {record.backlog} ({record.overdue} overdue) · "
            f"{record.low_unhandled} low {'rating' if record.low_unhandled == 1 else 'ratings'} unhandled")


def digest(d: Digest) -> Message:
    """The digest as one message: sections in the order HR reads them."""
    first = d.week.start.astimezone(ZoneInfo(d.week.tz))
    last = first + timedelta(days=6)
    sections = [kudos_section(d)]
    participation = participation_section(d)
    if participation is not None:
        sections.append(participation)
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
        title=text(f"Recognition digest, {d.week.label} ({first:%a %-d %b} – {last:%a %-d %b})"
                   f"{', so far' if d.so_far else ''}"),
        sections=tuple(sections),
        context=((f"Weeks run Monday to Sunday in {d.week.tz}. Names here notify nobody.",),),
    )
