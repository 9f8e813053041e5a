"""`/tandem me …`: a person's own settings."""

from __future__ import annotations

from bot.commands import args
from bot.context import Context
from bot.messages import Reply
from bot.registry import registry
from bot.services import teams


@registry.command("tandem me", usage="[timezone <zone>]", example="/tandem me timezone Europe/Paris")
def me(ctx: Context, text: str) -> Reply:
    """Your name and time zone; `/tandem me timezone Europe/Paris` changes the zone."""
    sub, value = args.head(text)
    if sub in {"timezone", "tz"} and value.strip():
        ctx.person.timezone = teams.check_timezone(value.strip())
        return Reply.say(f"Your time zone is now {ctx.person.timezone}.")
    return Reply.say(f"You are {ctx.person.display_name}, in {ctx.person.timezone}. "
                     "Change it with `/tandem me timezone Europe/Paris`.")
