"""`/tandem celebration on|off` (admins) and `/tandem me celebrate on|off`
(everyone): whether the monthly celebration goes out, and whether it may
name you."""

from __future__ import annotations

from bot import access
from bot.context import Context
from bot.messages import Reply
from bot.problems import Problem
from bot.registry import registry
from bot.services import audit, celebration, settings
from bot.texts import celebration as say


def _on_or_off(text: str, example: str) -> bool:
    word = text.strip().lower()
    if word not in {"on", "off"}:
        raise Problem(say.ONE_OF.format(example=example, typed=text.strip()[:40]))
    return word == "on"


@registry.command("tandem celebration", allow=access.ADMINS, doing="switch the monthly celebration on or off",
                  usage="on|off", rest=r".*", example="/tandem celebration off")
def celebration_switch(ctx: Context, text: str) -> Reply:
    """The monthly celebration in the kudos channel: on (the default) or off."""
    before = settings.get(ctx.session, celebration.ENABLED, "on")
    if not text.strip():
        return Reply.say(say.STATUS.format(state=before))
    on = _on_or_off(text, "/tandem celebration off")
    value = "on" if on else "off"
    settings.put(ctx.session, celebration.ENABLED, value)
    audit.record(ctx.session, actor=ctx.person, action="setting", subject=celebration.ENABLED, old=before,
                 new=value, now=ctx.now())
    if not on:
        return Reply.say(say.TURNED_OFF)
    channel = settings.channel(ctx.session, settings.KUDOS_CHANNEL)
    where = f"#{channel.address}" if channel is not None else "the kudos channel"
    return Reply.say(say.TURNED_ON.format(channel=where) + ("" if channel is not None else say.NO_CHANNEL))


@registry.command("tandem me celebrate", usage="on|off", rest=r".*", example="/tandem me celebrate off")
def me_celebrate(ctx: Context, text: str) -> Reply:
    """Whether the monthly celebration may name you (`off`: never)."""
    on = _on_or_off(text, "/tandem me celebrate off")
    changed = celebration.set_opt_out(ctx.session, ctx.person, out=not on, now=ctx.now())
    if on:
        return Reply.say(say.OPTED_IN if changed else say.ALREADY_IN)
    return Reply.say(say.OPTED_OUT if changed else say.ALREADY_OUT)
