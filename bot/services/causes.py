"""A team's own list of causes, and reading `cause:<tag>` at close against it.

A cause tag says why a request was needed at all (`missing-docs`), so a
team's report can say which causes were preventable. Free tags split one
cause across spellings (`missing-doc`, `missingdocs`); a team that keeps a
list (`/tandem team edit it causes add missing-docs`) has every close checked
against it, with near-misses suggested (difflib). An empty `cause:` is
refused whether or not the team keeps a list.
"""

from __future__ import annotations

import difflib
import re

from bot.problems import Problem
from bot.texts import causes as say
from storage.models import Team

TAG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
CAUSE = re.compile(r"(?:^|\s)cause:(\S*)", re.I)
LIMIT = 30


def listed(team: Team) -> list[str]:
    """The team's causes, in the order they were added."""
    return [tag for tag in (team.causes or "").split(",") if tag]


def edit(team: Team, value: str) -> str:
    """`add a b`, `remove a`, `off`, or a list that replaces the old one; returns the new stored value."""
    words = value.lower().replace(",", " ").split()
    if not words:
        raise Problem(say.USAGE)
    verb, tags = words[0], words[1:]
    current = listed(team)
    if verb == "off" and not tags:
        return ""
    if verb in ("add", "remove") and not tags:
        raise Problem(say.USAGE, echo=value)
    if verb not in ("add", "remove"):
        verb, tags, current = "add", words, []
    for tag in tags:
        tag = tag.removeprefix("cause:")
        if not TAG.match(tag):
            raise Problem(say.BAD_TAG.format(tag=tag[:40]), echo=value)
    tags = [t.removeprefix("cause:") for t in tags]
    if verb == "add":
        result = current + [t for t in dict.fromkeys(tags) if t not in current]
    else:
        missing = [t for t in tags if t not in current]
        if missing:
            raise Problem(say.NOT_LISTED.format(tag=missing[0], team=team.name, known=_known(current)), echo=value)
        result = [t for t in current if t not in tags]
    if len(result) > LIMIT:
        raise Problem(say.TOO_MANY.format(limit=LIMIT), echo=value)
    return ",".join(result)


def read(team: Team, note: str) -> tuple[str | None, str]:
    """The cause a closing note names, checked against the team's list, and
    the note without it.

    Raises:
        Problem: an empty `cause:`, a tag that isn't a tag, or one not on the
            team's list (with the closest ones suggested).
    """
    found = CAUSE.search(note)
    if found is None:
        return None, note
    tag = found.group(1).lower().rstrip(".,;:!?")
    known = listed(team)
    if not tag:
        raise Problem(say.EMPTY.format(known=_known(known)), field="note", echo=note)
    if not TAG.match(tag):
        raise Problem(say.BAD_TAG.format(tag=tag[:40]), field="note", echo=note)
    if known and tag not in known:
        close = difflib.get_close_matches(tag, known, n=3, cutoff=0.6)
        hint = say.DID_YOU_MEAN.format(tags=" or ".join(f"cause:{c}" for c in close)) if close else ""
        raise Problem(say.UNKNOWN.format(tag=tag[:40], team=team.name, hint=hint, known=_known(known),
                                         handle=team.handle), field="note", echo=note)
    return tag, CAUSE.sub(" ", note, count=1).strip()


def _known(tags: list[str]) -> str:
    return ", ".join(tags) if tags else "none yet"
