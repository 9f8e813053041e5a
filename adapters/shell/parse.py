"""A typed terminal line → a neutral `Command`."""

from __future__ import annotations

import itertools
import re
import uuid

from bot.events import Actor, Command, ConversationEvent, Place, Said

PLATFORM = "shell"
TENANT = "local"
MENTION = re.compile(r"(?<![\w<])@([A-Za-z][\w.-]{0,60})")


def actor(name: str, timezone: str | None = None) -> Actor:
    return Actor(platform=PLATFORM, tenant=TENANT, user_id=name.lower(), display_name=name, timezone=timezone)


PLACE = Place(platform=PLATFORM, tenant=TENANT, channel="terminal", name="terminal")


def command(line: str, who: Actor) -> Command | None:
    """`/kudos @bob thanks` → Command("kudos", "<@bob> thanks"); None for a blank line.

    Names become `<@name>` tokens; the core decides whether it knows them.
    What was typed is escaped (`&`, `<`, `>`) before names become tokens, so
    a typed `<@bob>` stays text.
    """
    stripped = line.strip()
    if not stripped:
        return None
    name, _, rest = stripped.lstrip("/").partition(" ")
    text, mentions = _tokens(rest)
    return Command(actor=who, place=PLACE, name=name.lower(), text=text, command_id=str(uuid.uuid4()),
                   mentions=tuple(mentions))


_said = itertools.count(1)


def message(line: str, who: Actor) -> ConversationEvent:
    """A line that is no command (`@bob++ for the demo`): a message posted in
    the terminal's one conversation, as a channel message is on Slack."""
    text, mentions = _tokens(line.strip())
    said = Said(author=who, place=PLACE, message_ref=f"line-{next(_said)}-{uuid.uuid4().hex[:8]}", text=text,
                mentions=tuple(mentions))
    return ConversationEvent(actor=who, kind="message", said=said, event_id=str(uuid.uuid4()))


def _tokens(typed: str) -> tuple[str, list[Actor]]:
    """Typed text escaped (`&`, `<`, `>`), then `@name`s as `<@name>` tokens."""
    rest = typed.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    mentions: list[Actor] = []

    def token(match: re.Match[str]) -> str:
        user_id = match.group(1).rstrip(".").lower()
        mentions.append(Actor(platform=PLATFORM, tenant=TENANT, user_id=user_id, display_name=match.group(1),
                              known=False))
        trailing = match.group(1)[len(user_id):] if match.group(1).endswith(".") else ""
        return f"<@{user_id}>{trailing}"

    return MENTION.sub(token, rest), mentions
