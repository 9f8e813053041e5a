"""What Tandem says about requests: cards, notices and refusals."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from bot.messages import Button, Message, MessageField, Section, Text, text
from bot.services import lifecycle
from bot.services.dates import describe, describe_day
from bot.services.people import ref
from bot.texts import calendar as calendar_say
from storage.models import Person, Request, Team

if TYPE_CHECKING:
    from bot.services.requests import Due

FINAL = lifecycle.FINAL

NOT_FOUND = "I can't find request #{id}. `/requests` lists the ones you can see."
ALREADY = "#{id} is already {status}; nothing changed."
HELD_BY_ANOTHER = "#{id} is already {status} by "
BAD_TRANSITION = "#{id} is {status}, so it can't be {verb} now."
WAIT_NEEDS_WHY = "Say what you're waiting for, so the requester knows: `/requests {id} wait <what you need>`."
NOTE_NEEDED = {
    "wait": WAIT_NEEDS_WHY,
    "snooze": "Until when? `/requests {id} snooze tomorrow 10am`.",
}
EMPTY_COMMENT = "A comment needs some text: `/requests {id} comment <text>`."
UNKNOWN_VERB = "I don't know “{verb}”. Try claim, start, wait, done, cancel, reopen, comment, snooze, rate or handled."
PRIVATE_TITLE = "🔒 a private request"
PRIVATE_IN_CHANNEL = "Private: its details are for {team} only: /requests {id}."
PRIVATE_COMMENT = "A comment was added to private request #{id}: /requests {id} to read it."
HANDLED = "Thanks for closing the loop on #{id}; the requester has been told."
NOT_A_NUMBER = "“{word}” isn't a request number. Try `/requests 42 claim` or `/requests mine`."
ASK_EMPTY = "What do you need from {team}? `/ask {handle} <what> [by <when>]`."
TITLE_TOO_LONG = "Requests are kept to {limit:,} characters; yours has {length:,}. Here it is so you can shorten it:"


def status_label(status: str) -> str:
    return lifecycle.label(status)


def shown_title(req: Request, *, shared: bool) -> str:
    """A request's title, or — for a private request in a conversation others
    can read (a channel) — only that it is private."""
    return PRIVATE_TITLE if req.private and shared else req.title


def card(req: Request, *, team: Team, requester: Person, assignee: Person | None, now: datetime,
         shared: bool = False) -> Message:
    """The request's card: what, who, when, and the next actions. `shared`:
    it goes where people outside the team may read it (the intake channel), so
    a private request shows neither its title nor who asked."""
    hidden = req.private and shared
    fields = [
        MessageField(label="Status", value=(status_label(req.status),)),
        MessageField(label="Requester", value=("private",) if hidden else (ref(requester, ping=False),)),
        MessageField(label="Owner", value=(ref(assignee, ping=False),) if assignee else ("unassigned",)),
        MessageField(label="Due", value=(describe(req.due_at, team.timezone, now=now),)),
    ]
    context: list[Text] = []
    if hidden:
        context.append((PRIVATE_IN_CHANNEL.format(team=team.name, id=req.id),))
    elif req.private:
        context.append(("Private: visible to the requester and the team only.",))
    if req.snoozed_until and req.snoozed_until > now and req.status not in FINAL:
        context.append((f"Snoozed until {describe(req.snoozed_until, team.timezone, now=now)}",))
    if req.cause:
        context.append((f"Cause: {req.cause}",))
    return Message(
        title=text(f"#{req.id} · {team.name}: ", shown_title(req, shared=shared)),
        fields=tuple(fields),
        buttons=card_buttons(req),
        context=tuple(context),
    )


def card_buttons(req: Request) -> tuple[Button, ...]:
    """The next steps the lifecycle table offers in the request's state; a
    done request's card also lets anyone who can see it say thanks."""
    out = []
    if req.status == "done" and req.assignee_id is not None:
        out.append(Button(label="Say thanks", action_id="kudos.thank", value=str(req.id), style="primary"))
    for step in lifecycle.buttons_for(req.status):
        if step.form:
            out.append(Button(label=step.button or step.verb, action_id="form.open", value=f"{step.verb}:{req.id}",
                              style=step.style))  # type: ignore[arg-type]
        else:
            out.append(Button(label=step.button or step.verb, action_id=f"request.{step.verb}", value=str(req.id),
                              style=step.style))  # type: ignore[arg-type]
    return tuple(out)


def filed_reply(req: Request, team: Team, requester: Person, now: datetime, due: Due | None = None) -> Message:
    """"Request #3 is with IT. Due Fri 27 Nov, 17:00 (CET), read from “friday”." — the
    date echoed with its weekday, and why it moved if it fell on a closed day."""
    when = describe(req.due_at, requester.timezone, now=now)
    if due is not None and due.asap:
        basis = calendar_say.DUE_ASAP.format(team=team.name)
    elif req.due_requested:
        basis = calendar_say.DUE_READ.format(when=due.typed[:60]) if due and due.typed else "as you asked"
    else:
        basis = calendar_say.DUE_STANDARD.format(team=team.name)
    context: list[Text] = []
    if due is not None and due.closure is not None and due.closed_day is not None:
        wording = {"earlier": calendar_say.DUE_MOVED_EARLIER, "later": calendar_say.DUE_MOVED_LATER}.get(
            due.moved, calendar_say.DUE_ON_CLOSED_DAY)
        context.append((wording.format(day=describe_day(due.closed_day, today=now.date()),
                                       why=calendar_say.closure_words(due.closure), team=team.name),))
    context.append((f"Follow it with /requests {req.id}; you'll hear from me when it moves.",))
    return Message(
        title=text(f"Request #{req.id} is with {team.name}. Due {when} ({basis})."),
        sections=(Section(text=text(req.title)),),
        context=tuple(context),
    )


def listing(title: str, rows: list[tuple[Request, Team, Person | None]], viewer: Person, now: datetime) -> Message:
    if not rows:
        return Message(title=(f"{title}: nothing here.",))
    sections = []
    for req, team, assignee in rows:
        owner: Text = (" · ", ref(assignee, ping=False)) if assignee else (" · unassigned",)
        late = " · overdue" if req.status not in FINAL and req.due_at < now else ""
        sections.append(
            Section(
                text=text(
                    f"#{req.id} [{team.handle}] ",
                    req.title[:200],
                    f" — {status_label(req.status)}, due {describe(req.due_at, viewer.timezone, now=now)}{late}",
                    owner,
                )
            )
        )
    return Message(title=(f"{title} ({len(rows)})",), sections=tuple(sections))


def change_notice(req: Request, *, actor: Person, verb: str, note: str = "") -> Message:
    sections = (Section(text=text(note)),) if note else ()
    return Message(title=text(ref(actor, ping=False), f" {verb} your request #{req.id}: ", req.title[:150]),
                   sections=sections)


def waiting_notice(req: Request, *, actor: Person, why: str) -> Message:
    return Message(
        title=text(ref(actor, ping=False), f" needs something from you on #{req.id}: ", req.title[:150]),
        sections=(Section(text=text(why)),),
        context=((f"Answer with /requests {req.id} comment <your answer>; the clock is paused until then.",),),
    )


def comment_message(req: Request, *, author: Person, comment: str, shared: bool = False) -> Message:
    if req.private and shared:
        return Message(title=(PRIVATE_COMMENT.format(id=req.id),))
    return Message(title=text(ref(author, ping=False), f" on #{req.id}:"), sections=(Section(text=text(comment)),))


def feedback_prompt(req: Request, *, team: Team, finisher: Person, note: str) -> Message:
    sections = [Section(text=text(note))] if note else []
    sections.append(Section(text=("How did it go? Your rating goes to the team, and a low one to its lead.",)))
    buttons = [Button(label=str(n), action_id="request.rate", value=f"{req.id}:{n}") for n in range(1, 6)]
    buttons.append(Button(label="Say thanks", action_id="kudos.thank", value=str(req.id), style="primary"))
    return Message(
        title=text(ref(finisher, ping=False), f" of {team.name} finished your request #{req.id}: ", req.title[:150]),
        sections=tuple(sections),
        buttons=tuple(buttons),
    )
