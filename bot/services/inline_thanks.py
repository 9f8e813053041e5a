"""Reading thanks typed into a conversation: `@sam++ for the demo`, `thanks @sam @kim`.

Karma bots have learned what people mean and what they don't, and this
parser keeps to it: `@sam++`, `@sam ++`, `@sam: ++` and `@sam @kim ++` give,
`@sam--` does nothing (Tandem only gives), and anything inside code (inline
or fenced), a quote or a URL is not a thanks, so pasting a log or quoting
someone never hands out kudos. The `thanks @sam` form is optional per
organisation; `++` is always on.

The text is in the core's convention (`<@id>` mention tokens, everything
else escaped Slack's way: a quote line starts `&gt;`), so it is the same
whether it came from Slack, Teams or the terminal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Form = Literal["plusplus", "thanks"]

FENCE = re.compile(r"```.*?(?:```|\Z)", re.S)
INLINE_CODE = re.compile(r"`[^`\n]*`")
QUOTE_BLOCK = re.compile(r"^[ \t]*&gt;&gt;&gt;.*\Z", re.M | re.S)  # Slack's ">>>": the rest is quoted
QUOTE_LINE = re.compile(r"^[ \t]*&gt;.*$", re.M)
URL = re.compile(r"(?:\b[a-z][a-z0-9+.-]*://|\bwww\.)\S+", re.I)
MENTION = r"<@([^<>|\s]+)>"
GROUP = re.compile(rf"{MENTION}(?:(?:\s*,\s*|\s+and\s+|\s*&amp;\s*|\s+){MENTION})*", re.I)
ONE = re.compile(MENTION)
PLUSPLUS = re.compile(r"\s*:?\s*\+\+\+*(?![-\w])")
THANKS = re.compile(r"(?<![\w-])(?:many\s+|big\s+|huge\s+)?(?:thanks|thank\s+you|thank\s+u|thx|ty)"
                    r"(?:\s*,)?(?:\s+(?:to|so\s+much|a\s+lot))?[\s,:!]*$", re.I)
NOT_THANKS = re.compile(r"(?<![\w-])no\s+(?:thanks|thank\s+you|thx)[\s,:!]*$", re.I)
LEADING = re.compile(r"^[\s,;:.!\-–—]+")
TRAILING = re.compile(r"[\s,;:\-–—]+$")


@dataclass(frozen=True)
class Thanks:
    """Who a message thanks (user ids, in order, once each), for what, and how it was said."""

    user_ids: tuple[str, ...]
    reason: str
    form: Form


def visible_text(text: str) -> str:
    """The message without code, quotes and URLs: the part that can thank.

    Each cut-out becomes a space, so words on either side stay apart.
    """
    text = FENCE.sub(" ", text)
    text = INLINE_CODE.sub(" ", text)
    text = QUOTE_BLOCK.sub(" ", text)
    text = QUOTE_LINE.sub(" ", text)
    return URL.sub(" ", text)


def parse(text: str, *, thanks_form: bool = True) -> Thanks | None:
    """The thanks in a message, or None when it thanks nobody.

    Args:
        text: the message in the core's text convention.
        thanks_form: whether "thanks @sam" counts (the organisation's setting);
            `++` always does.

    Returns:
        The people thanked and the reason: the rest of the visible text, with
        the `@name++` markers and the leading "thanks" taken out. Mentions
        that are not thanked stay in the reason as tokens.
    """
    visible = visible_text(text)
    thanked: list[str] = []
    cuts: list[tuple[int, int, str]] = []  # (start, end, replacement) taken out of the reason
    form: Form | None = None
    for group in GROUP.finditer(visible):
        ids = ONE.findall(group.group(0))
        after = PLUSPLUS.match(visible, group.end())
        if after is not None:
            thanked.extend(ids)
            cuts.append((group.start(), after.end(), " "))
            form = form or "plusplus"
            continue
        if not thanks_form:
            continue
        before = visible[:group.start()]
        said = THANKS.search(before)
        if said is None or NOT_THANKS.search(before):
            continue
        thanked.extend(ids)
        cuts.append((said.start(), group.end(), " "))
        form = form or "thanks"
    if not thanked or form is None:
        return None
    reason_parts: list[str] = []
    position = 0
    for start, end, replacement in sorted(cuts):
        if start < position:
            continue
        reason_parts.append(visible[position:start])
        reason_parts.append(replacement)
        position = end
    reason_parts.append(visible[position:])
    reason = " ".join("".join(reason_parts).split())
    reason = TRAILING.sub("", LEADING.sub("", reason))
    return Thanks(user_ids=tuple(dict.fromkeys(thanked)), reason=reason, form=form)
