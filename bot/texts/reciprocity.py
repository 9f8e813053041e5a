"""How the digest words reciprocity signals: as patterns worth a look, never accusations."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.messages import Section, Span, text
from bot.services.people import ref
from bot.services.reciprocity import Signals

HEADING = "Patterns worth a look"
INTRO = ("Over the {weeks} weeks to {until}. These are patterns, not conclusions: there is often a good reason "
         "(a project two people share, a newcomer finding their feet); a friendly conversation tells.")
PAIR = " gave most of their thanks to each other ({between} of {given}); worth checking that others' work is seen too."
GIVER = " thanked people {n} times and was thanked by nobody; their own work may deserve a look."
TEAM = ("{asking} asked {asked} for things {n} times and thanked nobody in {asked}; perhaps the help "
        "goes unremarked.")


def section(found: Signals, *, tz: str, weeks: int) -> Section:
    """One digest section listing each pattern on its own line."""
    until = (found.until - timedelta(seconds=1)).astimezone(ZoneInfo(tz))  # the window's last day
    lines: list[Span | tuple[Span, ...]] = [INTRO.format(weeks=weeks, until=f"{until:%a %-d %b}")]
    for pair in found.pairs:
        lines.append(text("\n• ", ref(pair.first, ping=False), " and ", ref(pair.second, ping=False),
                          PAIR.format(between=pair.between, given=pair.given)))
    for giver in found.givers:
        lines.append(text("\n• ", ref(giver.person, ping=False), GIVER.format(n=giver.given)))
    for team in found.teams:
        lines.append("\n• " + TEAM.format(asking=team.asking.name, asked=team.asked.name, n=team.requests))
    return Section(heading=HEADING, text=text(*lines))
