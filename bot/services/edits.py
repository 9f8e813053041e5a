"""`/requests <id> edit title …|due …`: the requester (or the team) fixes a
request's title or due date.

An edit is a verb of the lifecycle table (open states only, so a finished
request is refused there) and runs through `transition`, which updates the
card in place. The other side hears of it: the team when the requester
edits, the requester when the team does.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from bot.access import lead_of
from bot.problems import Problem
from bot.services import outbox
from bot.services.dates import describe
from bot.texts import calendar as calendar_say
from bot.texts import handover as say
from bot.texts.requests import TITLE_TOO_LONG
from storage.models import Person, Request, RequestEvent

if TYPE_CHECKING:
    from bot.services.requests import Change

TITLE_LIMIT = 2000


def apply(session: Session, req: Request, change: Change, *, due_for: Callable[..., Any]) -> str:
    """Change the field the note names; returns the event's note ("due: … → …").

    Args:
        due_for: how a typed due date is read (`bot.services.requests.due_for`),
            so a new date is read exactly as a filed one: in the typist's zone
            and locale, off the team's closed days.
    """
    word, _, rest = change.note.strip().partition(" ")
    rest = rest.strip()
    actor, now = change.actor, change.now
    if word.lower() == "title":
        if not rest:
            raise Problem(say.EDIT_EMPTY_TITLE.format(id=req.id), echo=change.note)
        if len(rest) > TITLE_LIMIT:
            raise Problem(TITLE_TOO_LONG.format(limit=TITLE_LIMIT, length=len(rest)), echo=rest)
        if rest == req.title:
            raise Problem(say.EDIT_SAME.format(id=req.id))
        old, req.title = req.title, rest
        change.words["what"] = f"the title is now “{rest[:150]}”"
        note = f"title: “{old[:150]}” → “{rest[:150]}”"
    elif word.lower() in ("due", "by"):
        if not rest:
            raise Problem(say.EDIT_NO_DUE.format(id=req.id), echo=change.note)
        requester = session.get(Person, req.requester_id)
        assert requester is not None
        due = due_for(team=change.team, requester=requester, when=rest, now=now, reading=change.reading)
        if due.at == req.due_at:
            raise Problem(say.EDIT_SAME.format(id=req.id))
        old_at, req.due_at = req.due_at, due.at
        req.due_requested = True
        shown = describe(due.at, actor.timezone, now=now)
        change.words["what"] = f"due {shown} ({calendar_say.DUE_READ.format(when=rest[:60])})"
        note = f"due: {_utc(old_at)} → {_utc(due.at)}"
    else:
        raise Problem(say.EDIT_WHAT.format(id=req.id), echo=change.note)
    what = change.words["what"]

    def tell(event: RequestEvent) -> None:
        key = f"request:{req.id}:edit:{event.id}"
        message = say.edited_notice(req, actor=actor, what=what)
        if actor.id == req.requester_id:
            intake = outbox.team_intake(change.team, lead_of(session, change.team))
            if intake is not None:
                shown_message = message if not (req.private and intake.kind == "channel") else \
                    say.edited_notice(req, actor=actor, what="its details (it is private)")
                outbox.notify(session, intake, shown_message, key=f"{key}:team", now=now, topic=f"request:{req.id}",
                              in_thread=True)
        else:
            requester = session.get(Person, req.requester_id)
            assert requester is not None
            outbox.notify(session, outbox.to_person(requester), message, key=f"{key}:requester", now=now)
        if req.assignee_id and req.assignee_id != actor.id:
            holder = session.get(Person, req.assignee_id)
            assert holder is not None
            outbox.notify(session, outbox.to_person(holder), message, key=f"{key}:holder", now=now)

    change.then.append(tell)
    return note


def _utc(moment: datetime) -> str:
    """A moment as the timeline stores it (ISO, UTC); shown later in the viewer's zone."""
    return moment.isoformat(timespec="minutes")
