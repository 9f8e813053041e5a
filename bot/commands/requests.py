"""`/requests`: list requests and move them through their life."""

from __future__ import annotations

from bot.commands import args
from bot.context import Context
from bot.messages import Form, FormInput, Reply
from bot.problems import Problem
from bot.registry import FormBuilder, registry
from bot.services import feedback, teams
from bot.services import requests as service
from bot.texts import feedback as feedback_say
from bot.texts import requests as say
from sqlmodel import select

from storage.models import Feedback, Request

VERBS = ("claim", "start", "wait", "done", "cancel", "reopen", "snooze")


@registry.command(
    "requests",
    usage="/requests [mine|team <team>|overdue] | /requests <id> claim|start|wait <why>|done [note] [cause:<tag>]"
          "|cancel|reopen|comment <text>|snooze <when>|rate <1-5> [comment]|handled [note]",
)
def requests(ctx: Context, text: str) -> Reply:
    """List requests, or act on one.

    `/requests` shows what you asked for and what you own; `/requests team it`
    a team's queue; `/requests overdue` what is late. `/requests 42 claim`
    (then start, wait <why>, done [note] [cause:missing-docs], cancel,
    reopen, comment <text>, snooze <when>) moves request 42;
    `/requests 42 rate 4 quick and friendly` rates it once it's done.
    """
    word, rest = args.head(text)
    if not word or word == "mine":
        rows = service.visible_requests(ctx.session, ctx.person, scope="mine", team=None, now=ctx.now())
        return Reply(message=say.listing("Your open requests", rows, ctx.person, ctx.now()))
    if word == "team":
        handle = rest.strip()
        if not handle:
            mine = teams.teams_of(ctx.session, ctx.person)
            if not mine:
                raise Problem("Which team? `/requests team it`.")
            handle = mine[0].handle
        team = teams.by_handle(ctx.session, handle)
        rows = service.visible_requests(ctx.session, ctx.person, scope="team", team=team, now=ctx.now())
        return Reply(message=say.listing(f"{team.name}'s queue", rows, ctx.person, ctx.now()))
    if word == "overdue":
        rows = service.visible_requests(ctx.session, ctx.person, scope="overdue", team=None, now=ctx.now())
        return Reply(message=say.listing("Overdue", rows, ctx.person, ctx.now()))
    request_id = _request_id(word)
    req = service.get_visible(ctx.session, request_id, ctx.person)
    verb, note = args.head(rest)
    note = args.plain(ctx, note)
    now = ctx.now()
    if not verb:
        return Reply(message=service.card_message(ctx.session, req, now))
    if verb in VERBS:
        return Reply.say(service.transition(ctx.session, req, actor=ctx.person, verb=verb, note=note, now=now,
                                            reading=ctx.dates()))
    if verb == "comment":
        return Reply.say(service.comment(ctx.session, req, actor=ctx.person, body=note, now=now))
    if verb == "rate":
        score, comment = args.head(note)
        if not score.isdigit():
            raise Problem(feedback_say.BAD_RATING.format(id=req.id))
        rated_before = _has_feedback(ctx, req)
        result = feedback.rate(ctx.session, req, actor=ctx.person, rating=int(score), comment=comment, now=now)
        return Reply(message=feedback_say.thanks(req, result.rating, rated_before))
    if verb == "handled":
        feedback.handled(ctx.session, req, actor=ctx.person, note=note, now=now)
        return Reply.say(f"Thanks for closing the loop on #{req.id}; the requester has been told.")
    raise Problem(say.UNKNOWN_VERB.format(verb=verb[:30]))


def _request_id(word: str) -> int:
    digits = word.lstrip("#")
    if not digits.isdigit() or len(digits) > 9:
        raise Problem(f"“{word[:30]}” isn't a request number. Try `/requests 42 claim` or `/requests mine`.")
    return int(digits)


def _has_feedback(ctx: Context, req: Request) -> bool:
    return ctx.session.exec(select(Feedback.id).where(Feedback.request_id == req.id)).first() is not None


def _note_form(form_id: str, title: str, label: str, *, optional: bool) -> FormBuilder:
    def build(ctx: Context, metadata: str) -> Form:
        return Form(form_id=form_id, title=title, submit_label="Save", private_metadata=metadata,
                    inputs=(FormInput(input_id="note", label=label, kind="long_text", optional=optional,
                                      max_length=service.TITLE_LIMIT),))
    return build


def _run_verb(ctx: Context, metadata: str, verb: str, note: str) -> Reply:
    req = service.get_visible(ctx.session, _request_id(metadata), ctx.person)
    if verb == "handled":
        feedback.handled(ctx.session, req, actor=ctx.person, note=note, now=ctx.now())
        return Reply.say(f"Thanks for closing the loop on #{req.id}; the requester has been told.")
    return Reply.say(service.transition(ctx.session, req, actor=ctx.person, verb=verb, note=note, now=ctx.now(),
                                        reading=ctx.dates()))


@registry.form("wait", build=_note_form("wait", "Waiting on the requester", "What do you need from them?", optional=False))
def submit_wait(ctx: Context, values: dict[str, str | list[str]], metadata: str) -> Reply:
    """Put a request on hold with a question for its requester."""
    note = str(values.get("note") or "")
    if not note.strip():
        raise Problem(say.WAIT_NEEDS_WHY.format(id=metadata), field="note")
    return _run_verb(ctx, metadata, "wait", note)


@registry.form("done", build=_note_form("done", "Finish the request", "A note for the requester (optional)",
                                        optional=True))
def submit_done(ctx: Context, values: dict[str, str | list[str]], metadata: str) -> Reply:
    """Finish a request with an optional note (and cause:<tag>)."""
    return _run_verb(ctx, metadata, "done", str(values.get("note") or ""))


@registry.form("handled", build=_note_form("handled", "Close the loop", "What did you do about it?", optional=True))
def submit_handled(ctx: Context, values: dict[str, str | list[str]], metadata: str) -> Reply:
    """Mark low-rating feedback as followed up."""
    return _run_verb(ctx, metadata, "handled", str(values.get("note") or ""))


def feedback_form(ctx: Context, metadata: str) -> Form:
    request_id, _, rating = metadata.partition(":")
    return Form(form_id="feedback", title=f"Feedback on #{request_id}", submit_label="Send",
                private_metadata=metadata,
                inputs=(FormInput(input_id="rating", label="Rating (1–5)", kind="rating", initial=rating or ""),
                        FormInput(input_id="comment", label="Comment", kind="long_text", optional=True,
                                  max_length=feedback.COMMENT_LIMIT)))


@registry.form("feedback", build=feedback_form)
def submit_feedback(ctx: Context, values: dict[str, str | list[str]], metadata: str) -> Reply:
    """Rate a finished request, with a comment."""
    request_id, _, _ = metadata.partition(":")
    req = service.get_visible(ctx.session, _request_id(request_id), ctx.person)
    score = str(values.get("rating") or "").strip()
    if not score.isdigit():
        raise Problem("Pick a rating from 1 to 5.", field="rating")
    rated_before = _has_feedback(ctx, req)
    result = feedback.rate(ctx.session, req, actor=ctx.person, rating=int(score),
                           comment=str(values.get("comment") or ""), now=ctx.now())
    return Reply(message=feedback_say.thanks(req, result.rating, rated_before))
