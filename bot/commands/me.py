"""`/tandem me …`: a person's own settings."""

from __future__ import annotations

from bot.commands import args
from bot.context import Context
from bot.messages import Reply
from bot.registry import registry
from bot.services import people, teams


@registry.command("tandem me", usage="[timezone <zone>|locale <locale>]", example="/tandem me timezone Europe/Paris")
def me(ctx: Context, text: str) -> Reply:
    """Your name, time zone and how you write dates; `/tandem me timezone Europe/Paris`
    and `/tandem me locale en-GB` change them."""
    sub, value = args.head(text)
    if sub in {"timezone", "tz"} and value.strip():
        ctx.person.timezone = teams.check_timezone(value.strip())
        return Reply.say(f"Your time zone is now {ctx.person.timezone}.")
    if sub == "locale" and value.strip():
        ctx.person.locale = people.check_locale(value.strip())
        return Reply.say(people.locale_reply(ctx.person.locale))
    return Reply.say(f"You are {ctx.person.display_name}, in {ctx.person.timezone}"
                     f"{', writing dates as ' + ctx.person.locale if ctx.person.locale else ''}. "
                     "Change it with `/tandem me timezone Europe/Paris` or `/tandem me locale en-GB`.")
