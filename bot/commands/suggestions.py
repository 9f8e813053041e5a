"""`/suggest` and `/suggestions`: ideas and feedback for a team that are not requests.

Anyone suggests; the team's lead (admins too, to read) lists them and answers.
An anonymous suggestion's author is never stored on it nor shown to the team
(see `storage.suggestions`).
"""

from __future__ import annotations

from bot import access
from bot.commands import args
from bot.context import Context
from bot.messages import Message, Reply, Section
from bot.problems import Problem
from bot.registry import registry
from bot.services import suggestions
from storage.models import Team

USAGE = "Say what you suggest: `/suggest {handle} <text> [anonymous]`."
ANSWER = r"#?\d{1,9}\s+(answer|accept|decline)(\s.*)?"


@registry.command("suggest <team>", usage="<text> [anonymous]", example="/suggest it a second printer anonymous")
def suggest(ctx: Context, text: str) -> Reply:
    """Send a team an idea or feedback that is not a request; add `anonymous` and they never learn who."""
    typed = f"/suggest {ctx.team.handle} {args.as_written(ctx, text)}".strip()
    body, anonymous = suggestions.split_anonymous(args.as_written(ctx, text))
    if not body:
        raise Problem(USAGE.format(handle=ctx.team.handle), echo=typed)
    row = suggestions.send(ctx.session, ctx.team, ctx.person, body, anonymous=anonymous, now=ctx.now())
    how = " anonymously: they will not learn who sent it" if anonymous else ""
    return Reply.say(f"Sent to {ctx.team.name}{how} (suggestion #{row.id}). You will hear their answer.")


@registry.command("suggestions <team>", allow=access.LEAD_OR_ADMIN, doing="read {team}'s suggestions", rest="",
                  example="/suggestions it")
def list_team(ctx: Context, text: str) -> Reply:
    """A team's open suggestions, with ids (anonymous ones without an author)."""
    return _listing(ctx, [ctx.team])


@registry.command("suggestions", rest="", example="/suggestions")
def list_mine(ctx: Context, text: str) -> Reply:
    """Open suggestions to the teams you lead (an admin: every team)."""
    return _listing(ctx, suggestions.led_by(ctx.session, ctx.person))


@registry.command("suggestions <team>", allow=access.LEAD, doing="answer {team}'s suggestions", rest=ANSWER,
                  usage="<id> answer|accept|decline [text]", example="/suggestions it 1 accept good idea")
def answer(ctx: Context, text: str) -> Reply:
    """Answer, accept or decline a suggestion; its sender is told, even an anonymous one."""
    written = args.as_written(ctx, text)
    number, verb, *note = written.split(maxsplit=2)
    typed = f"/suggestions {ctx.team.handle} {written}"
    note_text = note[0].strip() if note else ""
    if verb.lower() == "answer" and not note_text:
        raise Problem(f"Say your answer: `/suggestions {ctx.team.handle} {number} answer <text>`.", echo=typed)
    row = suggestions.find(ctx.session, ctx.team, int(number.lstrip("#")), typed)
    suggestions.reply(ctx.session, row, verb.lower(), note_text, by=ctx.person, now=ctx.now())
    return Reply.say(f"Suggestion #{row.id} {row.status}; its sender is told.")


def _listing(ctx: Context, teams: list[Team]) -> Reply:
    rows = suggestions.open_for(ctx.session, teams)
    if not rows:
        return Reply.say("No open suggestions.")
    names = {t.id: t.handle for t in teams}
    return Reply(message=Message(title=(f"{len(rows)} open suggestion(s)",), sections=tuple(
        Section(text=(f"#{r.id} [{names.get(r.team_id, '')}] from {suggestions.author(ctx.session, r)}: {r.body}",))
        for r in rows)))


@registry.command("suggestions", rest=r"#?\d{1,9}(\s.*)?", hidden=True, example="/suggestions 1 accept")
def answer_without_team(ctx: Context, text: str) -> Reply:
    """`/suggestions 3 accept` without the team: explained, nothing changes."""
    raise Problem("Name the team too: `/suggestions <team> <id> answer|accept|decline [text]`.",
                  echo=f"/suggestions {args.as_written(ctx, text)}")
