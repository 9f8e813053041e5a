"""Thanks and requests in the flow of conversation: what a message posted or a
reaction does, and the admins' settings for it.

The listeners are registered like commands (`registry.listener`), so who may
set them off and whether a retried event acts again are decided by the core;
an edge only says what happened.
"""

from __future__ import annotations

import uuid

from bot import access
from bot.commands import args
from bot.context import Context
from bot.events import ConversationEvent
from bot.messages import Reply
from bot.problems import Problem
from bot.registry import registry
from bot.services import audit, inline_thanks, outbox, people, settings
from bot.services import conversation as service
from bot.services import kudos as kudos_service
from bot.services import requests as request_service
from bot.texts import flow as say
from bot.texts import requests as request_say
from storage.models import Kudos, Person


def _may_thank(event: ConversationEvent) -> bool:
    return event.actor.user_id == event.said.author.user_id and inline_thanks.parse(event.said.text) is not None


@registry.listener("message", doing="give kudos in a conversation", wants=_may_thank)
def thanks_in_message(ctx: Context, event: ConversationEvent) -> Reply:
    """`@sam++ for the demo` or `thanks @sam` posted where Tandem is: kudos to Sam."""
    said = event.said
    thanks = inline_thanks.parse(said.text, thanks_form=service.thanks_form_on(ctx.session))
    if thanks is None:
        return Reply()
    key = event.event_id or uuid.uuid4().hex
    others = [user_id for user_id in thanks.user_ids if user_id != ctx.actor.user_id]
    reason = args.as_written(ctx, thanks.reason) or (
        say.PLUSPLUS_REASON if thanks.form == "plusplus" else say.THANKS_REASON)
    try:
        if not others:
            raise Problem(say.SELF_INLINE)
        receivers = people.resolve_mentions(ctx.session, others, ctx.mentions, platform=ctx.actor.platform,
                                            tenant=ctx.actor.tenant, now=ctx.now(), default_tz=ctx.default_tz)
        kudos = kudos_service.give(ctx.session, giver=ctx.person, receivers=receivers, message=reason,
                                   place=ctx.place, now=ctx.now(), link_requests=False)
    except Problem as problem:
        # nothing was written yet; the author alone hears why, in their own chat
        outbox.notify(ctx.session, outbox.to_person(ctx.person), say.refused(problem.message, problem.echo),
                      key=f"inline:{key}:refused", now=ctx.now(), kind="thanks_refused")
        return Reply.refuse(problem.message)
    assert kudos.id is not None
    service.record_source(ctx.session, kudos_id=kudos.id, kind="inline", said=said, giver=ctx.person,
                          author=ctx.person, now=ctx.now())
    service.answer_in_thread(ctx.session, said, say.thanked_in_thread(receivers), key=f"inline:{key}:thread",
                             now=ctx.now())
    return Reply(message=say.thanked_in_thread(receivers))


@registry.command("tandem kudos thanks", allow=access.ADMINS, doing="change how thanks in conversations work",
                  usage="on|off", example="/tandem kudos thanks off")
def kudos_thanks(ctx: Context, text: str) -> Reply:
    """Whether `thanks @name` in a conversation gives kudos (`@name++` always does)."""
    choice = text.strip().lower()
    if choice not in {"on", "off"}:
        raise Problem(say.THANKS_USAGE, echo=text.strip() or None)
    _put(ctx, service.INLINE_THANKS, choice, default="on")
    return Reply.say(say.THANKS_ON if choice == "on" else say.THANKS_OFF)


@registry.command("tandem kudos emoji", allow=access.ADMINS, doing="change the kudos emoji",
                  usage="<emoji>", example="/tandem kudos emoji clap")
def kudos_emoji(ctx: Context, text: str) -> Reply:
    """The reaction that thanks a message's author (default :raised_hands:)."""
    emoji = _emoji(ctx, text, other=service.request_emoji(ctx.session), other_name="request",
                   example="/tandem kudos emoji clap")
    _put(ctx, service.KUDOS_EMOJI, emoji, default=service.DEFAULT_KUDOS_EMOJI)
    return Reply.say(say.KUDOS_EMOJI_SET.format(emoji=emoji))


@registry.command("tandem request emoji", allow=access.ADMINS, doing="change the request emoji",
                  usage="<emoji>", example="/tandem request emoji ticket")
def request_emoji(ctx: Context, text: str) -> Reply:
    """The reaction that turns a message in a team's channel into a request (default :ticket:)."""
    emoji = _emoji(ctx, text, other=service.kudos_emoji(ctx.session), other_name="kudos",
                   example="/tandem request emoji ticket")
    _put(ctx, service.REQUEST_EMOJI, emoji, default=service.DEFAULT_REQUEST_EMOJI)
    return Reply.say(say.REQUEST_EMOJI_SET.format(emoji=emoji))


def _emoji(ctx: Context, text: str, *, other: str, other_name: str, example: str) -> str:
    emoji = service.emoji_name(text)
    if emoji is None:
        raise Problem(say.EMOJI_USAGE.format(example=example), echo=text.strip() or None)
    if emoji == other:
        raise Problem(say.SAME_EMOJI.format(emoji=emoji, other=other_name), echo=text.strip())
    return emoji


def _put(ctx: Context, key: str, value: str, *, default: str) -> None:
    before = settings.get(ctx.session, key, default)
    settings.put(ctx.session, key, value)
    audit.record(ctx.session, actor=ctx.person, action="setting", subject=key, old=before, new=value, now=ctx.now())


def _reacted(event: ConversationEvent) -> bool:
    return service.emoji_name(event.emoji) is not None and bool(event.said.message_ref)


@registry.listener("reaction_added", doing="react to thank", wants=_reacted)
def reaction_added(ctx: Context, event: ConversationEvent) -> Reply:
    """The kudos emoji on a message thanks its author, with the message as the reason."""
    emoji = service.emoji_name(event.emoji)
    if emoji == service.kudos_emoji(ctx.session):
        return _thank_by_reaction(ctx, event, emoji)
    if emoji == service.request_emoji(ctx.session):
        return _file(ctx, event, quiet=True)
    return Reply()


@registry.listener("message_to_request", doing="turn a message into a request")
def message_to_request(ctx: Context, event: ConversationEvent) -> Reply:
    """"Turn into request" on a message in a team's channel: a request to that team from its author."""
    return _file(ctx, event, quiet=False)


def _file(ctx: Context, event: ConversationEvent, *, quiet: bool) -> Reply:
    """File the message as a request; `quiet` (an emoji, which may mean anything
    elsewhere) says nothing where it can't, the shortcut says why."""
    said = event.said
    team = service.intake_team(ctx.session, said.place)
    filed = service.request_from(ctx.session, said)
    author = _author(ctx, event)
    written = args.as_written(ctx, said.text).strip()
    problem = (say.NOT_INTAKE if team is None else say.ALREADY_FILED.format(id=filed.request_id) if filed
               else say.NO_AUTHOR if author is None else say.NO_TEXT if not written else None)
    if problem is not None:
        if quiet:
            return Reply()
        raise Problem(problem)
    assert team is not None and author is not None
    link = f" — {said.link}" if said.link else ""
    title = service.shortened(written, request_service.TITLE_LIMIT - len(link)) + link
    req, due = service.file_from_message(ctx.session, said, team=team, author=author, title=title, now=ctx.now())
    assert req.id is not None
    if author.id != ctx.person.id:
        told = request_say.filed_reply(req, team, author, ctx.now(), due=due)
        note = say.FILED_BY_OTHER.format(who=ctx.person.display_name, channel=said.place.name or said.place.channel,
                                         id=req.id, team=team.name)
        outbox.notify(ctx.session, outbox.to_person(author), told.model_copy(update={"context": ((note,),)}),
                      key=f"request:{req.id}:from-message", now=ctx.now(), kind="request_filed")
    return Reply(message=say.filed_for(ctx.person, author, req.id, team.name))


def _author(ctx: Context, event: ConversationEvent) -> Person | None:
    """The message's author as a person Tandem knows (the edge looked them up), if a colleague."""
    said = event.said
    author = people.find(ctx.session, platform=said.author.platform, tenant=said.author.tenant,
                         user_id=said.author.user_id)
    if author is None and said.author.known:
        author = people.ensure(ctx.session, said.author, now=ctx.now(), default_tz=ctx.default_tz)
    return author if author is not None and author.active else None


@registry.listener("reaction_removed", doing="take back a reaction", wants=_reacted)
def reaction_removed(ctx: Context, event: ConversationEvent) -> Reply:
    """The kudos emoji taken off within 10 minutes takes its kudos back."""
    if service.emoji_name(event.emoji) != service.kudos_emoji(ctx.session):
        return Reply()
    source = service.reaction_kudos(ctx.session, event.said, ctx.person)
    if source is None or ctx.now() - source.created_at > service.WITHDRAW_WINDOW:
        return Reply()  # never given, or given long enough ago to stand
    kudos = ctx.session.get(Kudos, source.kudos_id)
    receiver = ctx.session.get(Person, source.author_id) if source.author_id else None
    reason = kudos.message if kudos is not None else say.REACTION_REASON_EMPTY
    service.withdraw(ctx.session, source)
    if receiver is not None:
        service.announce_reactions(ctx.session, event.said, receiver, reason=_first_line(reason),
                                   key=f"reaction:{event.event_id or uuid.uuid4().hex}:announce", now=ctx.now())
    return Reply.say(say.WITHDRAWN)


def _thank_by_reaction(ctx: Context, event: ConversationEvent, emoji: str) -> Reply:
    said = event.said
    author = _author(ctx, event)
    if author is None or author.id == ctx.person.id:
        return Reply()  # a bot's message, your own, or someone who left: nothing to thank
    if service.reaction_kudos(ctx.session, said, ctx.person) is not None:
        return Reply()  # you thanked this message already
    written = args.as_written(ctx, said.text)
    reason = say.reaction_reason(service.shortened(written))
    tags = " ".join(f"#{tag}" for tag in dict.fromkeys(t.lower() for t in kudos_service.TAG.findall(written))
                    if f"#{tag}" not in reason.lower())
    message = f"{reason} {tags}".strip()
    key = event.event_id or uuid.uuid4().hex
    try:
        kudos = kudos_service.give(ctx.session, giver=ctx.person, receivers=[author], message=message,
                                   place=said.place, now=ctx.now(), link_requests=False, announce=False)
    except Problem as problem:
        outbox.notify(ctx.session, outbox.to_person(ctx.person), say.reaction_refused(emoji, problem.message),
                      key=f"reaction:{key}:refused", now=ctx.now(), kind="thanks_refused")
        return Reply.refuse(problem.message)
    assert kudos.id is not None
    service.record_source(ctx.session, kudos_id=kudos.id, kind="reaction", said=said, giver=ctx.person,
                          author=author, now=ctx.now())
    ctx.session.flush()
    service.announce_reactions(ctx.session, said, author, reason=reason, key=f"reaction:{key}:announce",
                               now=ctx.now())
    return Reply.say(say.thanked_in_thread([author]).title)


def _first_line(reason: str) -> str:
    """The reason without the value tags appended after the quoted message."""
    if "”" in reason:
        return reason[:reason.rindex("”") + 1]
    return kudos_service.TAG.sub("", reason).strip()
