"""Slack's escaped message text → the core's text convention.

With `should_escape: true` Slack sends mentions as `<@U123|name>`, channels as
`<#C123|name>`, links as `<https://…|label>` and broadcasts as `<!channel>`.
The core wants exactly two kinds of token, `<@id>` and `<#id>`, and every other
character escaped Slack's way. Broadcasts, user groups and links become plain
text here, so nothing typed into a command can ping a crowd.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

TOKEN = re.compile(r"<([@#!][^<>\s|][^<>]*|[a-z][a-z0-9+.-]*:[^<>\s|][^<>]*)>", re.I)
CORE_TOKEN = re.compile(r"(<[@#][^<>|\s]+>)")
_SPECIAL_FALLBACK = {"channel": "@channel", "here": "@here", "everyone": "@everyone"}


@dataclass
class ParsedText:
    """Command text in the core's convention, with what it mentioned.

    `channels` maps channel id → the name Slack gave with the token, if any.
    """

    text: str
    user_ids: list[str] = field(default_factory=list)
    channels: dict[str, str] = field(default_factory=dict)


def parse(raw: str) -> ParsedText:
    """Turn Slack's escaped command text into core text.

    Args:
        raw: the `text` of a slash command sent with `should_escape: true`.

    Returns:
        The text with `<@id>`/`<#id>` tokens only, and the ids it mentions.
    """
    parsed = ParsedText(text="")

    def token(match: re.Match[str]) -> str:
        inner = match.group(1)
        target, _, label = inner.partition("|")
        if target.startswith("@") and len(target) > 1:
            user_id = target[1:]
            if user_id not in parsed.user_ids:
                parsed.user_ids.append(user_id)
            return f"<@{user_id}>"
        if target.startswith("#") and len(target) > 1:
            parsed.channels[target[1:]] = html.unescape(label)
            return f"<#{target[1:]}>"
        if target.startswith("!"):
            return _broadcast_as_text(target[1:], label)
        # a link: keep what was shown, which Slack already escaped
        return label or target

    converted = TOKEN.sub(token, raw)
    # a stray "<" or ">" (text sent without escaping) must not pass for a token
    pieces = CORE_TOKEN.split(converted)
    parsed.text = "".join(
        piece if CORE_TOKEN.fullmatch(piece) else piece.replace("<", "&lt;").replace(">", "&gt;")
        for piece in pieces
    )
    return parsed


def _broadcast_as_text(target: str, label: str) -> str:
    """`<!channel>` → "@channel", `<!subteam^S1|@design>` → "@design": text that pings nobody."""
    name = target.split("^", 1)[0]
    if name in _SPECIAL_FALLBACK:
        return _SPECIAL_FALLBACK[name]
    if label:
        return label
    return f"@{name}" if name else ""


def to_plain(raw: str, names: dict[str, str] | None = None) -> str:
    """Slack message text as a person would read it (for a form's initial value).

    Mentions become `@name`, channels `#name`, links their label, and Slack's
    `&amp;`/`&lt;`/`&gt;` go back to the characters.
    """
    names = names or {}

    def token(match: re.Match[str]) -> str:
        target, _, label = match.group(1).partition("|")
        if target.startswith("@"):
            return "@" + (names.get(target[1:]) or label or target[1:])
        if target.startswith("#"):
            return "#" + (label or target[1:])
        if target.startswith("!"):
            return _broadcast_as_text(target[1:], label)
        return label or target

    return html.unescape(TOKEN.sub(token, raw))
