"""`/tandem values …`: the company values people tag kudos with."""

from __future__ import annotations

import re

from sqlmodel import select

from bot import access
from bot.commands import args
from bot.context import Context
from bot.messages import Reply
from bot.problems import Problem
from bot.registry import registry
from bot.services import audit
from bot.texts import tandem as say
from storage.models import CompanyValue

TAG = re.compile(r"^#?([a-z][a-z0-9_-]{0,39})$")


@registry.command("tandem values", rest=r"(?:list)?", example="/tandem values")
def list_values(ctx: Context, text: str) -> Reply:
    """The company values, for #tags in kudos."""
    rows = list(ctx.session.exec(select(CompanyValue).order_by(CompanyValue.tag)).all())
    return Reply(message=say.values_list(rows))


@registry.command("tandem values add", allow=access.ADMINS, doing="change the company values",
                  usage='<tag> "<what it means>"', example='/tandem values add ownership "Own the outcome"')
def add(ctx: Context, text: str) -> Reply:
    """Add a company value (or change what it means)."""
    tag, description = _tag(ctx, text)
    existing = ctx.session.get(CompanyValue, tag)
    description = description[:300]
    if existing is not None:
        before = existing.description
        existing.description = description or existing.description
        audit.record(ctx.session, actor=ctx.person, action="value.edit", subject=f"#{tag}", old=before,
                     new=existing.description, now=ctx.now())
        return Reply.say(f"Updated #{tag}.")
    ctx.session.add(CompanyValue(tag=tag, description=description))
    audit.record(ctx.session, actor=ctx.person, action="value.add", subject=f"#{tag}", new=description,
                 now=ctx.now())
    return Reply.say(f"Added #{tag}. Use it in kudos: /kudos @name thanks for … #{tag}")


@registry.command("tandem values remove", allow=access.ADMINS, doing="change the company values", usage="<tag>",
                  example="/tandem values remove ownership")
def remove(ctx: Context, text: str) -> Reply:
    """Remove a company value; past kudos keep it as a plain tag."""
    tag, _ = _tag(ctx, text)
    existing = ctx.session.get(CompanyValue, tag)
    if existing is None:
        raise Problem(f"There is no value #{tag}.")
    audit.record(ctx.session, actor=ctx.person, action="value.remove", subject=f"#{tag}", old=existing.description,
                 now=ctx.now())
    ctx.session.delete(existing)
    return Reply.say(f"Removed #{tag}. Past kudos keep it as a plain tag.")


def _tag(ctx: Context, text: str) -> tuple[str, str]:
    parts = args.words(args.as_written(ctx, text))
    if not parts:
        raise Problem(say.VALUES_USAGE)
    match = TAG.match(parts[0].lower())
    if not match:
        raise Problem("A value is one short word, like ownership or customer-first.")
    return match.group(1), " ".join(parts[1:])
