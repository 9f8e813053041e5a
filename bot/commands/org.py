"""`/tandem digest …` and `/tandem kudos …`: where the HR digest and kudos
go, when the digest goes out, and the kudos allowance and size."""

from __future__ import annotations

from bot import access
from bot.commands import args
from bot.context import Context
from bot.events import Place
from bot.messages import Reply
from bot.ports import Recipient
from bot.problems import Problem
from bot.registry import registry
from bot.services import audit, digest, settings


@registry.command("tandem digest channel", allow=access.HR_OR_ADMIN, doing="choose where HR's digest goes",
                  usage="#channel", example="/tandem digest channel #people")
def digest_channel(ctx: Context, text: str) -> Reply:
    """Where the weekly recognition digest is posted (it names people: pick HR's own channel)."""
    place = _channel(ctx, text, "/tandem digest channel #people")
    _put_channel(ctx, settings.DIGEST_CHANNEL, place)
    return Reply.say(f"The weekly recognition digest will go to #{place.name or place.channel}.")


@registry.command("tandem digest schedule", allow=access.HR_OR_ADMIN, doing="change when HR's digest goes out",
                  usage="<day> <HH:MM>", example="/tandem digest schedule mon 09:00")
def digest_schedule(ctx: Context, text: str) -> Reply:
    """When the digest goes out, in the organisation's time zone."""
    weekday, moment = digest.parse_schedule(text)
    value = f"{digest.DAYS[weekday]} {moment:%H:%M}"
    _put(ctx, settings.DIGEST_SCHEDULE, value, default=digest.DEFAULT_SCHEDULE)
    return Reply.say(f"The digest will go out every {digest.DAYS[weekday].capitalize()} at {moment:%H:%M} "
                     f"({ctx.default_tz}), covering the week before.")


@registry.command("tandem kudos channel", allow=access.ADMINS, doing="choose where kudos are announced",
                  usage="#channel", example="/tandem kudos channel #kudos")
def kudos_channel(ctx: Context, text: str) -> Reply:
    """Where kudos are announced (else where they were given)."""
    place = _channel(ctx, text, "/tandem kudos channel #kudos")
    _put_channel(ctx, settings.KUDOS_CHANNEL, place)
    return Reply.say(f"Kudos will be announced in #{place.name or place.channel}.")


@registry.command("tandem kudos allowance", allow=access.ADMINS, doing="change the kudos allowance",
                  usage="<n>|off", example="/tandem kudos allowance 5")
def kudos_allowance(ctx: Context, text: str) -> Reply:
    """How many kudos each person may give a week (off: no limit)."""
    amount = text.strip().lower()
    if amount in {"off", "0", "none"}:
        _put(ctx, settings.KUDOS_ALLOWANCE, "0", default="0")
        return Reply.say("No weekly kudos allowance: thank as often as you like.")
    if not (amount.isascii() and amount.isdigit()) or not 0 < int(amount) <= 1000:
        raise Problem("The allowance is a number of kudos a week, like 5, or off.")
    _put(ctx, settings.KUDOS_ALLOWANCE, str(int(amount)), default="0")
    return Reply.say(f"Everyone can now give {int(amount)} kudos a week.")


@registry.command("tandem kudos max-people", allow=access.ADMINS, doing="change how many people one kudos may name",
                  usage="<n>", example="/tandem kudos max-people 10")
def kudos_max_people(ctx: Context, text: str) -> Reply:
    """How many people one kudos may thank (default 20)."""
    amount = text.strip()
    if not (amount.isascii() and amount.isdigit()) or not 1 <= int(amount) <= 100:
        raise Problem("Say how many people one kudos may thank, from 1 to 100, like `/tandem kudos max-people 10`.")
    _put(ctx, settings.KUDOS_MAX_PEOPLE, str(int(amount)), default="20")
    return Reply.say(f"One kudos can now thank up to {int(amount)} people.")


def _channel(ctx: Context, text: str, example: str) -> Place:
    if not text.strip():
        raise Problem(f"Say which channel: `{example}`.")
    return args.channel(ctx, text)


def _put_channel(ctx: Context, key: str, place: Place) -> None:
    before = settings.get(ctx.session, key)
    settings.put_channel(ctx.session, key, Recipient(kind="channel", platform=place.platform, tenant=place.tenant,
                                                     address=place.channel))
    audit.record(ctx.session, actor=ctx.person, action="setting", subject=key, old=before,
                 new=settings.get(ctx.session, key), now=ctx.now())


def _put(ctx: Context, key: str, value: str, *, default: str) -> None:
    before = settings.get(ctx.session, key, default)
    settings.put(ctx.session, key, value)
    audit.record(ctx.session, actor=ctx.person, action="setting", subject=key, old=before, new=value, now=ctx.now())
