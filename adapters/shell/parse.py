"""A typed terminal line → a neutral `Command`."""

from __future__ import annotations

import re
import uuid

from bot.events import Actor, Command, Place

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
    rest = rest.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    mentions: list[Actor] = []

    def token(match: re.Match[str]) -> str:
        user_id = match.group(1).rstrip(".").lower()
        mentions.append(Actor(platform=PLATFORM, tenant=TENANT, user_id=user_id, display_name=match.group(1),
                              known=False))
        trailing = match.group(1)[len(user_id):] if match.group(1).endswith(".") else ""
        return f"<@{user_id}>{trailing}"

    text = MENTION.sub(token, rest)
    return Command(actor=who, place=PLACE, name=name.lower(), text=text, command_id=str(uuid.uuid4()),
                   mentions=tuple(mentions))
