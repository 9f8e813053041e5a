"""`/kudos`: thank people in public, with company values."""

from __future__ import annotations

import re

from sqlmodel import select

from bot import access
from bot.commands import args
from bot.context import Context
from bot.messages import Choice, Form, FormInput, Reply, Section
from bot.problems import Problem
from bot.registry import Once, registry
from bot.services import kudos as service
from bot.services import people, thanks
from bot.texts import kudos as say
from storage.models import CompanyValue, Person, Request

LEADING_PUNCTUATION = re.compile(r"^[\s,;:.\-–—]+")


@registry.command("kudos", usage="@name [@name…] <why, with #values>",
                  example="/kudos @sam thanks for staying late on the release #ownership")
def kudos(ctx: Context, text: str) -> Reply:
    """Thank colleagues in public.

    `/kudos @sam @kim thanks for staying late on the release #ownership` posts
    the thanks and tells each of them. `/kudos` alone opens a form.
    """
    if not text.strip():
        return Reply(form=kudos_form(ctx, ""))
    named = len(set(people.MENTION.findall(text)))
    most = service.max_people(ctx.session)
    if named > most:  # counted before anyone is looked up, so a crowd of strangers leaves nothing behind
        raise Problem(say.TOO_MANY.format(most=most, count=named), field="people", echo=_typed(ctx, text))
    receivers = args.mentioned(ctx, text)
    message = args.as_written(ctx, people.MENTION.sub("", text) if _only_leading(text) else text)
    message = LEADING_PUNCTUATION.sub("", " ".join(message.split(" ")).strip())
    try:
        service.give(ctx.session, giver=ctx.person, receivers=receivers, message=message, place=ctx.place,
                     now=ctx.now())
    except Problem as problem:
        if problem.field == "message" and problem.echo:
            raise  # the reason is what to fix (too long, an unknown #42): it is handed back alone
        # otherwise the whole command as typed, the people named included (`/kudos @bob @bob thanks`
        # by bob handed back only "thanks")
        raise Problem(*problem.message, field=problem.field, echo=_typed(ctx, text)) from problem
    return Reply(message=say.sent(receivers))


def _typed(ctx: Context, text: str) -> str:
    return args.as_written(ctx, text).strip()


@registry.command("kudos top", usage="[week|month|all]", rest=r"\S*", example="/kudos top month")
def top(ctx: Context, text: str) -> Reply:
    """The most thanked people this week, this month or of all time."""
    period = text.strip().lower() or "week"
    if period not in say.PERIODS:
        raise Problem(say.PERIOD_USAGE)
    return Reply(message=service.top(ctx.session, period=period, now=ctx.now(), tz=ctx.person.timezone))


@registry.command("kudos stats", usage="[@name]", rest=r"(?:<@[^<>\s]+>)?", example="/kudos stats @sam")
def stats(ctx: Context, text: str) -> Reply:
    """Someone's kudos record: received, given, this month, values."""
    who = args.mentioned(ctx, text) if text.strip() else [ctx.person]
    return Reply(message=service.stats(ctx.session, who[0], now=ctx.now()))


def _only_leading(text: str) -> bool:
    """True when every mention comes before the message (the usual shape)."""
    stripped = text.strip()
    while stripped.startswith("<@"):
        end = stripped.find(">")
        if end < 0:
            return False
        stripped = stripped[end + 1:].lstrip(" ,;:")
    return "<@" not in stripped


def kudos_form(ctx: Context, metadata: str) -> Form:
    values = ctx.session.exec(select(CompanyValue).order_by(CompanyValue.tag)).all()
    initial = ""
    if metadata.startswith("request:"):
        req = _linkable(ctx, metadata.split(":")[1])
        initial = f"Thanks for #{req.id}: {req.title[:100]}" if req else ""
    elif metadata.startswith("message:"):
        initial = "Thanks for this: " + metadata.split(":", 1)[1][:200]
    return Form(
        form_id="kudos",
        title="Give kudos",
        submit_label="Send",
        private_metadata=metadata,
        inputs=(
            FormInput(input_id="people", label="Who are you thanking?", kind="people"),
            FormInput(input_id="message", label="What for?", kind="long_text", initial=initial,
                      placeholder="Thanks for staying late on the release", max_length=service.LIMIT),
            FormInput(input_id="values", label="Company values", kind="values", optional=True,
                      choices=tuple(Choice(label=f"#{v.tag}", value=v.tag) for v in values)),
        ),
    )


def _linkable(ctx: Context, words: str) -> Request | None:
    """A request the giver may link kudos to: one they can see and took part in."""
    if not words.isascii() or not words.isdigit() or len(words) > 9:
        return None
    req = ctx.session.get(Request, int(words))
    return req if req is not None and service.may_link(ctx.session, req, ctx.person) else None


@registry.form("kudos", build=kudos_form)
def submit_kudos(ctx: Context, values: dict[str, str | list[str]], metadata: str) -> Reply:
    """The kudos form: people, message, values."""
    ids = values.get("people") or []
    ids = [ids] if isinstance(ids, str) else ids
    receivers = people.resolve_mentions(ctx.session, list(ids), ctx.mentions, platform=ctx.actor.platform,
                                        tenant=ctx.actor.tenant, now=ctx.now(), default_tz=ctx.default_tz)
    message = str(values.get("message") or "").strip()
    chosen = values.get("values") or []
    chosen = [chosen] if isinstance(chosen, str) else chosen
    missing = [v for v in chosen if f"#{v}".lower() not in message.lower()]
    if missing and message:
        message = f"{message} " + " ".join(f"#{v}" for v in missing)
    linked = _linkable(ctx, metadata.split(":")[1]) if metadata.startswith("request:") else None
    service.give(ctx.session, giver=ctx.person, receivers=receivers, message=message, place=ctx.place,
                 now=ctx.now(), request_id=linked.id if linked else None)
    return Reply(message=say.sent(receivers))


@registry.action("kudos.thank", allow=access.EVERYONE, doing="say thanks for #{id}", subject="request",
                 once=Once.PER_PERSON_PER_MESSAGE)
def thank_for_request(ctx: Context, argument: str) -> Reply:
    """The "Say thanks" button: kudos to whoever finished the request.

    Anyone who may see the request may press it (a private one is found only
    by its requester, its team and admins), once: the requester's press is
    their own kudos, as always; a colleague's joins the request's one growing
    announcement (`bot.services.thanks`).
    """
    req = ctx.request
    if req.status != "done" or req.assignee_id is None:
        raise Problem(say.UNKNOWN_REQUEST.format(id=req.id))
    assignee = ctx.session.get(Person, req.assignee_id)
    assert assignee is not None and req.id is not None
    if req.requester_id != ctx.person.id:
        if assignee.id == ctx.person.id:
            return Reply.say(say.OWN_WORK.format(id=req.id))
        if thanks.already_thanked(ctx.session, req, ctx.person):
            return Reply(message=say.already_thanked(assignee, req.id))
        thanks.thank(ctx.session, req=req, giver=ctx.person, receiver=assignee, place=ctx.place, now=ctx.now())
        return Reply(message=say.thanks_joined(assignee, req.id))
    service.give(ctx.session, giver=ctx.person, receivers=[assignee], message=f"Thanks for #{req.id}: {req.title[:200]}",
                 place=ctx.place, now=ctx.now(), request_id=req.id)
    reply = say.sent([assignee])
    return Reply(message=reply.model_copy(update={"sections": (Section(text=(say.LINKED,)),)}))
