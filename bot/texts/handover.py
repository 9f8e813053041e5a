"""What Tandem says when a request is assigned, moved or edited."""

from __future__ import annotations

from datetime import datetime

from bot.messages import Message, MessageField, Section, Text, text
from bot.services.dates import describe
from bot.services.people import ref
from bot.texts.requests import shown_title
from storage.models import Person, Request, Team

ASSIGN_WHOM = "Assign #{id} to whom? `/requests {id} assign @name`, or `@me` to take it yourself."
ASSIGN_ONE = "One person holds a request: `/requests {id} assign @name`."
ASSIGN_OUTSIDER = (" isn't in {team}, so they can't hold its requests. Only its members and lead can; "
                   "they can ask to join with `/tandem team join {handle}`.")
ASSIGN_ALREADY = "#{id} is already with "
MOVE_WHERE = "Move #{id} to which team? `/requests {id} move <team> [why]`."
MOVE_SAME = "#{id} is already with {team}; nothing changed. Name the team it should go to."
EDIT_WHAT = ("Change what? `/requests {id} edit title <new title>` or `/requests {id} edit due <when>` "
             "(say “friday”, “tomorrow 3pm”, “2026-12-01”).")
EDIT_EMPTY_TITLE = "A title needs some text: `/requests {id} edit title <new title>`."
EDIT_SAME = "#{id} already says that; nothing changed."
EDIT_NO_DUE = "Due when? `/requests {id} edit due friday`."


def taken_over(req: Request, *, actor: Person, holder: Person) -> Message:
    """To whoever held the request before."""
    who: Text = ("they took it",) if actor.id == holder.id else text("it's now with ", ref(holder, ping=False))
    return Message(title=text(ref(actor, ping=False), f" took over #{req.id} from you: ", who, "."),
                   context=((f"/requests {req.id} shows it.",),))


def assigned_to_you(req: Request, *, actor: Person) -> Message:
    return Message(title=text(ref(actor, ping=False), f" gave you #{req.id}: ", req.title[:150]),
                   context=((f"/requests {req.id} shows it; /requests {req.id} start when you begin.",),))


def picked_up(req: Request, *, holder: Person) -> Message:
    return Message(title=text(ref(holder, ping=False), f" is on your request #{req.id}: ", req.title[:150]))


def moved_card(req: Request, *, old: Team, new: Team, actor: Person, why: str, shared: bool) -> Message:
    """The old team's card, updated in place: where the request went, no buttons."""
    context: list[Text] = [text("Moved by ", ref(actor, ping=False), f" to {new.name}" + (f": {why}" if why and
                                                                                        not (req.private and shared)
                                                                                        else "."))]
    return Message(title=text(f"#{req.id} · {old.name}: ", shown_title(req, shared=shared)),
                   fields=(MessageField(label="Status", value=(f"Moved to {new.name}",)),),
                   context=tuple(context))


def moved_away(req: Request, *, new: Team, actor: Person, why: str, shared: bool) -> Message:
    shown = why if why and not (req.private and shared) else ""
    return Message(title=text(ref(actor, ping=False), f" moved #{req.id} to {new.name}."),
                   sections=(Section(text=(shown,)),) if shown else ())


def moved_here(req: Request, *, old: Team, actor: Person, why: str, shared: bool) -> Message:
    shown = why if why and not (req.private and shared) else ""
    return Message(title=text(ref(actor, ping=False), f" of {old.name} moved #{req.id} here; "
                              "your service standard starts now."),
                   sections=(Section(text=(shown,)),) if shown else ())


def moved_notice(req: Request, *, old: Team, new: Team, actor: Person, why: str, tz: str, now: datetime) -> Message:
    """To the requester: who has it now and when it is due."""
    return Message(title=text(ref(actor, ping=False), f" of {old.name} moved your request #{req.id} to {new.name}: ",
                              req.title[:150]),
                   sections=(Section(text=(why,)),) if why else (),
                   context=((f"Due {describe(req.due_at, tz, now=now)}. /requests {req.id} follows it.",),))


def edited_notice(req: Request, *, actor: Person, what: str) -> Message:
    """To the other side of an edit: the requester, or the team."""
    return Message(title=text(ref(actor, ping=False), f" changed #{req.id}: {what}."),
                   context=((f"/requests {req.id} shows it.",),))
