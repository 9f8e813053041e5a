"""`/ask`: file a request to another team."""

from __future__ import annotations

import re
from dataclasses import replace

from sqlmodel import select

from bot.commands import args
from bot.context import Context
from bot.messages import Choice, Form, FormInput, Reply
from bot.problems import Problem
from bot.registry import registry
from bot.services import dates, teams
from bot.services import requests as service
from bot.texts import calendar as calendar_say
from bot.texts import requests as say
from storage.models import Team

PRIVATE = re.compile(r"\s+private\s*$", re.I)


@registry.command("ask", usage="<team> <what> [by <when>|in 2 days|asap] [private]",
                  example="/ask it new laptop for the new hire by friday")
def ask(ctx: Context, text: str) -> Reply:
    """Ask another team for something, tracked to a due date.

    `/ask it new laptop for the new hire by friday` files a request with IT;
    "in 2 days" or "asap" at the end work too. Without a date the team's
    service standard sets the due date. Add
    "private" to keep it between you and the team. `/ask` alone opens a form.
    """
    handle, rest = args.head(text)
    if not handle:
        return Reply(form=ask_form(ctx, ""))
    if not rest.strip():
        team = teams.by_handle(ctx.session, handle)
        raise Problem(say.ASK_EMPTY.format(team=team.name, handle=team.handle))
    team = teams.by_handle(ctx.session, handle)
    private = bool(PRIVATE.search(rest))
    if private:
        rest = PRIVATE.sub("", rest)
    rest, when = dates.split_due(rest)
    return _file(ctx, service.Ask(team=team, title=args.as_written(ctx, rest), when=when and args.as_written(ctx, when),
                                  private=private))


def _file(ctx: Context, ask_: service.Ask) -> Reply:
    if ask_.when and not ask_.title.strip():
        raise Problem(calendar_say.ASK_ONLY_DATE.format(when=ask_.when[:60], team=ask_.team.name,
                                                        handle=ask_.team.handle), field="what")
    due = service.due_for(team=ask_.team, requester=ctx.person, when=ask_.when, now=ctx.now(), reading=ctx.dates())
    req = service.file(ctx.session, replace(ask_, due=due), requester=ctx.person, now=ctx.now(),
                       origin=(ctx.place.platform, ctx.place.tenant, ctx.place.channel))
    ctx.shows(req)
    return Reply(message=say.filed_reply(req, ask_.team, ctx.person, ctx.now(), due=due))


def ask_form(ctx: Context, metadata: str) -> Form:
    team_rows = ctx.session.exec(select(Team).order_by(Team.handle)).all()
    return Form(
        form_id="ask",
        title="Ask a team",
        submit_label="Send request",
        private_metadata=metadata,
        inputs=(
            FormInput(input_id="team", label="Which team?", kind="team",
                      choices=tuple(Choice(label=t.name, value=t.handle) for t in team_rows)),
            FormInput(input_id="what", label="What do you need?", kind="long_text",
                      placeholder="A laptop for the new hire", max_length=service.TITLE_LIMIT),
            FormInput(input_id="due", label="By when?", kind="text", optional=True,
                      placeholder="friday, tomorrow 3pm, in 2 days",
                      hint="Leave empty to use the team's service standard."),
            FormInput(input_id="private", label="Private: only you and the team see it", kind="checkbox",
                      optional=True),
        ),
    )


@registry.form("ask", build=ask_form)
def submit_ask(ctx: Context, values: dict[str, str | list[str]], metadata: str) -> Reply:
    """The ask form: team, what, due, private."""
    handle = str(values.get("team") or "").strip()
    if not handle:
        raise Problem("Pick a team.", field="team")
    team = teams.by_handle(ctx.session, handle)
    when = str(values.get("due") or "").strip() or None
    private = str(values.get("private") or "").lower() in {"true", "yes", "1", "on", "private"}
    reply = _file(ctx, service.Ask(team=team, title=str(values.get("what") or ""), when=when, private=private))
    return reply


