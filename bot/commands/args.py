"""Reading command text: words, quoted phrases, mention and channel tokens."""

from __future__ import annotations

import html
import re
import shlex

from bot.context import Context
from bot.events import Place
from bot.problems import Problem
from bot.services import people
from storage.models import Person

# Plain `#name`s may be ids too: Teams channel ids look like 19:abc@thread.tacv2.
CHANNEL = re.compile(r"^<#([^<>|\s]+)(?:\|[^<>]*)?>$|^#([\w.:@-]{1,120})$")


def words(value: str) -> list[str]:
    """Split like a shell, forgiving an unbalanced quote."""
    try:
        return shlex.split(value)
    except ValueError:
        return value.split()


def head(value: str) -> tuple[str, str]:
    """The first word (lower-cased) and the rest, unchanged."""
    parts = value.strip().split(None, 1)
    if not parts:
        return "", ""
    return parts[0].lower(), parts[1] if len(parts) > 1 else ""


def mentioned(ctx: Context, value: str) -> list[Person]:
    """The people a text mentions, in order."""
    return people.resolve_mentions(
        ctx.session, people.MENTION.findall(value), ctx.mentions, platform=ctx.actor.platform,
        tenant=ctx.actor.tenant, now=ctx.now(), default_tz=ctx.default_tz)


def channel(ctx: Context, token: str) -> Place:
    """A channel named by a `<#C123>` token or a plain `#name`."""
    match = CHANNEL.match(token.strip())
    if not match:
        raise Problem(f"“{token[:40]}” isn't a channel; mention one like #people.")
    channel_id = match.group(1) or match.group(2)
    known = ctx.channels.get(channel_id)
    if known is not None:
        return known
    return Place(platform=ctx.actor.platform, tenant=ctx.actor.tenant, channel=channel_id, name=channel_id)


def as_written(ctx: Context, value: str) -> str:
    """Free text as the person meant it: mention tokens as `@name`, typed
    `&lt;` back to `<`. Renderers escape it again on the way out."""
    names = {actor.user_id: actor.display_name or actor.user_id for actor in ctx.mentions.values()}
    for user_id in people.MENTION.findall(value):
        if user_id not in names:
            found = people.find(ctx.session, platform=ctx.actor.platform, tenant=ctx.actor.tenant, user_id=user_id)
            names[user_id] = found.display_name if found else user_id
    value = CHANNEL_TOKEN.sub(lambda m: "#" + (m.group(2) or m.group(1)), value)
    return html.unescape(people.strip_mentions(value, names))


CHANNEL_TOKEN = re.compile(r"<#([^<>|\s]+)(?:\|([^<>]*))?>")
