"""`/requests`: list requests and move them through their life.

The verbs that move a request are registered from the lifecycle table
(`bot.services.lifecycle.TRANSITIONS`), each as a command and, where the
card offers it, a button, with the roles the table names.
"""

from __future__ import annotations

import re

from sqlmodel import select

from bot import access
from bot.commands import args
from bot.context import Context
from bot.messages import Form, FormInput, Message, Reply
from bot.problems import Problem
from bot.registry import CommandFunc, FormBuilder, Once, registry
from bot.services import feedback, history, lifecycle, people, team_report, teams
from bot.services import requests as service
from bot.texts import feedback as feedback_say
from bot.texts import handover as handover_say
from bot.texts import history as history_say
from bot.texts import requests as say
from bot.texts import team_report as report_say
from storage.models import Feedback, Person, Request, Team

RATING = re.compile(r"^[1-5]$")
EXAMPLES = {"claim": "/requests 1 claim", "start": "/requests 1 start", "wait": "/requests 1 wait which floor are you on?",
            "done": "/requests 1 done set up and handed over", "cancel": "/requests 1 cancel filed twice",
            "reopen": "/requests 2 reopen", "snooze": "/requests 1 snooze tomorrow 10am"}


@registry.command("requests", usage="[mine|team <team>|overdue]", rest=r"(?:mine|overdue|team(?:\s+\S+)?)?",
                  example="/requests team it")
def requests(ctx: Context, text: str) -> Reply:
    """List requests you can see.

    `/requests` shows what you asked for and what you own; `/requests team it`
    a team's queue; `/requests overdue` what is late. `/requests 42` shows one.
    """
    word, rest = args.head(text)
    if not word or word == "mine":
        rows = _shown(ctx, service.visible_requests(ctx.session, ctx.person, scope="mine", team=None, now=ctx.now()))
        return Reply(message=say.listing("Your open requests", rows, ctx.person, ctx.now()))
    if word == "team":
        handle = rest.strip()
        if not handle:
            mine = teams.teams_of(ctx.session, ctx.person)
            if not mine:
                raise Problem("Which team? `/requests team it`.")
            handle = mine[0].handle
        team = teams.by_handle(ctx.session, handle)
        rows = _shown(ctx, service.visible_requests(ctx.session, ctx.person, scope="team", team=team, now=ctx.now()))
        return Reply(message=say.listing(f"{team.name}'s queue", rows, ctx.person, ctx.now()))
    rows = _shown(ctx, service.visible_requests(ctx.session, ctx.person, scope="overdue", team=None, now=ctx.now()))
    return Reply(message=say.listing("Overdue", rows, ctx.person, ctx.now()))


def _shown(ctx: Context, rows: list[tuple[Request, Team, Person | None]]) -> list[tuple[Request, Team, Person | None]]:
    for req, _, _ in rows:
        ctx.shows(req)
    return rows


@registry.command("requests <request>", rest="", doing="see #{id}", example="/requests 1")
def show(ctx: Context, text: str) -> Reply:
    """Show one request: what, who, when, what happened (comments too) and what can happen next."""
    req = ctx.request
    ctx.shows(req)
    card = service.card_message(ctx.session, req, ctx.now())
    row = [(req, ctx.session.get(Team, req.team_id), None)]
    unrated = req.id in history.unrated(ctx.session, ctx.person, row)  # type: ignore[arg-type]
    return Reply(message=history_say.with_timeline(card, history.timeline(ctx.session, req), tz=ctx.person.timezone,
                                                   now=ctx.now(), unrated=unrated, request_id=req.id or 0))


@registry.command("requests search", usage="<words>", example="/requests search thing")
def search(ctx: Context, text: str) -> Reply:
    """Find requests by words in their title or comments, open or finished."""
    words = args.words(args.as_written(ctx, text))
    if not words:
        raise Problem(history_say.SEARCH_USAGE)
    rows = _shown(ctx, history.search(ctx.session, ctx.person, words))
    if not rows:
        raise Problem(history_say.NOTHING_FOUND.format(words=" ".join(words)[:80]))
    return Reply(message=_with_rating_hints(ctx, say.listing(f"Found “{' '.join(words)[:60]}”", rows, ctx.person,
                                                              ctx.now()), rows))


@registry.command("requests closed", usage="[team]", rest=r"(?:\S+)?", example="/requests closed it")
def closed(ctx: Context, text: str) -> Reply:
    """Finished and cancelled requests: yours, or a team's, so you can still rate or reopen one."""
    team = teams.by_handle(ctx.session, text.strip()) if text.strip() else None
    rows = _shown(ctx, history.closed(ctx.session, ctx.person, team))
    title = f"{team.name}: closed" if team is not None else "Your closed requests"
    if not rows:
        return Reply(message=Message(title=(f"{title}: {history_say.CLOSED_NONE}",)))
    return Reply(message=_with_rating_hints(ctx, say.listing(title, rows, ctx.person, ctx.now()), rows))


REPORT_PERIOD = r"(?:week|month|quarter)?"


def _own_report(period: str) -> CommandFunc:
    def own(ctx: Context, text: str) -> Reply:
        mine = teams.teams_of(ctx.session, ctx.person)
        if not mine:
            raise Problem(report_say.WHICH_TEAM)
        return _report(ctx, mine[0], period)
    return own


# `/requests report [week|month|quarter]`: your own team's (registered before the `<team>` row is tried,
# so "week" is never read as a team)
for _period in ("week", "month", "quarter"):
    registry.command(f"requests report {_period}", rest="", hidden=True)(_own_report(_period))
registry.command("requests report", rest="", hidden=True)(_own_report("week"))


@registry.command("requests report", rest=r".+", hidden=True)
def report_usage(ctx: Context, text: str) -> Reply:
    """What's wrong with a `/requests report` line no registration took."""
    raise Problem(report_say.USAGE, echo=args.as_written(ctx, text))


@registry.command("requests report <team>", allow=access.TEAM, doing="see {team}'s report",
                  usage="[week|month|quarter]", rest=REPORT_PERIOD, example="/requests report it month")
def report(ctx: Context, text: str) -> Reply:
    """A team's own service record over the last week, month or quarter, with a chart (alone: your team's).

    Received, median first response and resolution in working time, on time,
    ratings and the low ones, causes, overdue now."""
    return _report(ctx, ctx.team, text.strip().lower() or "week")


def _report(ctx: Context, team: Team, period: str) -> Reply:
    record = team_report.compute(ctx.session, team, period=period, now=ctx.now())
    message = report_say.report(record).model_copy(update={"images": (team_report.chart(record),)})
    return Reply(message=message)


def _with_rating_hints(ctx: Context, message: Message, rows: list[tuple[Request, Team, Person | None]]) -> Message:
    """A requester's finished, unrated requests in a list say how to rate them."""
    unrated = sorted(history.unrated(ctx.session, ctx.person, rows))
    if not unrated:
        return message
    hints = tuple((history_say.LIST_RATE_HINT.format(id=number),) for number in unrated[:5])
    return message.model_copy(update={"context": (*message.context, *hints)})


def _register_transition(step: lifecycle.Transition) -> None:
    """`/requests <id> <verb>` and, for verbs the card offers at once, its button."""

    def move(ctx: Context, text: str) -> Reply:
        return Reply.say(service.transition(ctx.session, ctx.request, actor=ctx.person, verb=step.verb,
                                            note=args.as_written(ctx, text), now=ctx.now(), reading=ctx.dates()))

    if step.verb == "claim":
        plain_move = move

        def move(ctx: Context, text: str) -> Reply:  # noqa: F811 - `claim @bob` reads as `assign @bob`
            if _names_someone(ctx, text):
                return assign(ctx, text)
            return plain_move(ctx, text)

    move.__doc__ = step.help[:1].upper() + step.help[1:] + "."
    registry.command(f"requests <request> {step.verb}", allow=step.roles, doing=step.doing,
                     usage=step.usage,
                     example=EXAMPLES[step.verb])(move)
    if not step.form:
        registry.action(f"request.{step.verb}", allow=step.roles, doing=step.doing, subject="request",
                        once=Once.PER_CLICK)(move)


ASSIGN = lifecycle.TRANSITIONS["assign"]
MOVE = lifecycle.TRANSITIONS["move"]
EDIT = lifecycle.TRANSITIONS["edit"]
ME = re.compile(r"(?<![\w<])@me\b|<@me>", re.I)


@registry.command("requests <request> assign", allow=ASSIGN.roles, doing=ASSIGN.doing, usage=ASSIGN.usage,
                  example="/requests 1 assign @mia")
def assign(ctx: Context, text: str) -> Reply:
    """Give it to someone in the team (or `@me`); whoever held it is told."""
    person = _one_person(ctx, text)
    note = args.as_written(ctx, people.MENTION.sub("", ME.sub("", text), count=1)).strip()
    return Reply.say(service.transition(ctx.session, ctx.request, actor=ctx.person, verb="assign", note=note,
                                        now=ctx.now(), person=person))


@registry.command("requests <request> move", allow=MOVE.roles, doing=MOVE.doing, usage=MOVE.usage,
                  example="/requests 1 move fin it's an invoice question")
def move_team(ctx: Context, text: str) -> Reply:
    """Hand it to the team that should have had it; the requester and both teams are told.

    The new team's service standard starts afresh and the card moves to its channel."""
    handle, why = args.head(text)
    if not handle:
        raise Problem(handover_say.MOVE_WHERE.format(id=ctx.request.id))
    to_team = teams.by_handle(ctx.session, handle)
    return Reply.say(service.transition(ctx.session, ctx.request, actor=ctx.person, verb="move",
                                        note=args.as_written(ctx, why).strip(), now=ctx.now(), to_team=to_team))


@registry.command("requests <request> edit", allow=EDIT.roles, doing=EDIT.doing, usage=EDIT.usage,
                  example="/requests 1 edit due friday")
def edit(ctx: Context, text: str) -> Reply:
    """Change its title or due date (the requester or the team); the card updates in place."""
    note = args.as_written(ctx, text).strip()
    if not note:
        raise Problem(handover_say.EDIT_WHAT.format(id=ctx.request.id))
    return Reply.say(service.transition(ctx.session, ctx.request, actor=ctx.person, verb="edit", note=note,
                                        now=ctx.now(), reading=ctx.dates()))


def _names_someone(ctx: Context, text: str) -> bool:
    return bool(ME.search(text) or people.MENTION.search(text))


def _one_person(ctx: Context, text: str) -> Person:
    """The one person an assign names: `@me` is the actor."""
    named = people.MENTION.findall(ME.sub("", text))
    if ME.search(text):
        if named:
            raise Problem(handover_say.ASSIGN_ONE.format(id=ctx.request.id), echo=args.as_written(ctx, text))
        return ctx.person
    if not named:
        raise Problem(handover_say.ASSIGN_WHOM.format(id=ctx.request.id), echo=args.as_written(ctx, text) or None)
    if len(set(named)) > 1:
        raise Problem(handover_say.ASSIGN_ONE.format(id=ctx.request.id), echo=args.as_written(ctx, text))
    return args.mentioned(ctx, f"<@{named[0]}>")[0]


for _step in lifecycle.TRANSITIONS.values():
    if not _step.own_command:
        _register_transition(_step)


@registry.command("requests <request> comment", allow=access.PARTIES, doing="comment on #{id}", usage="<text>",
                  example="/requests 1 comment it's the printer on floor 2")
def comment(ctx: Context, text: str) -> Reply:
    """Add a comment for the team and the requester; a requester's answer
    to a waiting request hands it back to the team."""
    return Reply.say(service.comment(ctx.session, ctx.request, actor=ctx.person, body=args.as_written(ctx, text),
                                     now=ctx.now()))


@registry.command("requests <request> rate", allow=access.REQUESTER, doing="rate #{id}", usage="<1-5> [comment]",
                  example="/requests 2 rate 4 quick and friendly")
def rate(ctx: Context, text: str) -> Reply:
    """Rate a finished request from 1 to 5 (changeable for 7 days); 1 or 2 goes to the team's lead."""
    score, comment_text = args.head(text)
    return _rate(ctx, score, args.as_written(ctx, comment_text))


@registry.action("request.rate", allow=access.REQUESTER, doing="rate #{id}", subject="request",
                 once=Once.PER_PERSON_PER_MESSAGE)
def rate_button(ctx: Context, score: str) -> Reply:
    return _rate(ctx, score, "")


def _rate(ctx: Context, score: str, comment_text: str) -> Reply:
    req = ctx.request
    if not RATING.match(score):
        raise Problem(feedback_say.BAD_RATING.format(id=req.id), field="rating")
    rated_before = _has_feedback(ctx, req)
    result = feedback.rate(ctx.session, req, actor=ctx.person, rating=int(score), comment=comment_text, now=ctx.now())
    return Reply(message=feedback_say.thanks(req, result.rating, rated_before))


@registry.command("requests <request> handled", allow=access.LEAD, doing="close the loop on feedback about #{id}",
                  usage="[note]", example="/requests 3 handled called them and fixed the template")
def handled(ctx: Context, text: str) -> Reply:
    """The lead closes the loop on a low rating; the requester is told."""
    feedback.handled(ctx.session, ctx.request, actor=ctx.person, note=args.as_written(ctx, text), now=ctx.now())
    return Reply.say(say.HANDLED.format(id=ctx.request.id))


@registry.command("requests", usage="<id> <verb>", rest=r"\S+(?:\s.*)?", example="/requests 1 frobnicate",
                  hidden=True)
def unknown_verb(ctx: Context, text: str) -> Reply:
    """What's wrong with a `/requests` line no registration took."""
    word, rest = args.head(text)
    if not re.fullmatch(r"#?[0-9]{1,9}", word):
        raise Problem(say.NOT_A_NUMBER.format(word=word[:30]))
    service.get_visible(ctx.session, int(word.lstrip("#")), ctx.person)
    verb, _ = args.head(rest)
    raise Problem(say.UNKNOWN_VERB.format(verb=verb[:30]))


def _has_feedback(ctx: Context, req: Request) -> bool:
    return ctx.session.exec(select(Feedback.id).where(Feedback.request_id == req.id)).first() is not None


def _note_form(form_id: str, title: str, label: str, *, optional: bool) -> FormBuilder:
    def build(ctx: Context, metadata: str) -> Form:
        return Form(form_id=form_id, title=title, submit_label="Save", private_metadata=metadata,
                    inputs=(FormInput(input_id="note", label=label, kind="long_text", optional=optional,
                                      max_length=service.TITLE_LIMIT),))
    return build


def _run_verb(ctx: Context, verb: str, note: str) -> Reply:
    return Reply.say(service.transition(ctx.session, ctx.request, actor=ctx.person, verb=verb, note=note,
                                        now=ctx.now(), reading=ctx.dates()))


WAIT = lifecycle.TRANSITIONS["wait"]
DONE = lifecycle.TRANSITIONS["done"]


@registry.form("wait", build=_note_form("wait", "Waiting on the requester", "What do you need from them?",
                                        optional=False), allow=WAIT.roles, doing=WAIT.doing, subject="request")
def submit_wait(ctx: Context, values: dict[str, str | list[str]], metadata: str) -> Reply:
    """Put a request on hold with a question for its requester."""
    note = str(values.get("note") or "")
    if not note.strip():
        raise Problem(say.WAIT_NEEDS_WHY.format(id=ctx.request.id), field="note")
    return _run_verb(ctx, "wait", note)


@registry.form("done", build=_note_form("done", "Finish the request", "A note for the requester",
                                        optional=True), allow=DONE.roles, doing=DONE.doing, subject="request")
def submit_done(ctx: Context, values: dict[str, str | list[str]], metadata: str) -> Reply:
    """Finish a request with an optional note (and cause:<tag>)."""
    return _run_verb(ctx, "done", str(values.get("note") or ""))


@registry.form("handled", build=_note_form("handled", "Close the loop", "What did you do about it?", optional=True),
               allow=access.LEAD, doing="close the loop on feedback about #{id}", subject="request")
def submit_handled(ctx: Context, values: dict[str, str | list[str]], metadata: str) -> Reply:
    """Mark low-rating feedback as followed up."""
    feedback.handled(ctx.session, ctx.request, actor=ctx.person, note=str(values.get("note") or ""), now=ctx.now())
    return Reply.say(say.HANDLED.format(id=ctx.request.id))


def feedback_form(ctx: Context, metadata: str) -> Form:
    request_id, _, rating = metadata.partition(":")
    return Form(form_id="feedback", title=f"Feedback on #{request_id}", submit_label="Send",
                private_metadata=metadata,
                inputs=(FormInput(input_id="rating", label="Rating (1–5)", kind="rating",
                                  initial=rating if RATING.match(rating) else ""),
                        FormInput(input_id="comment", label="Comment", kind="long_text", optional=True,
                                  max_length=feedback.COMMENT_LIMIT)))


@registry.form("feedback", build=feedback_form, allow=access.REQUESTER, doing="rate #{id}", subject="request")
def submit_feedback(ctx: Context, values: dict[str, str | list[str]], metadata: str) -> Reply:
    """Rate a finished request, with a comment."""
    score = str(values.get("rating") or "").strip()
    if not RATING.match(score):
        raise Problem("Pick a rating from 1 to 5.", field="rating")
    return _rate(ctx, score, str(values.get("comment") or ""))
