"""What Tandem says about requests: cards, notices and refusals."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from bot.messages import Button, Message, MessageField, Section, Text, text
from bot.services.dates import describe, describe_day
from bot.services.people import ref
from bot.texts import calendar as calendar_say
from storage.models import Person, Request, Team

if TYPE_CHECKING:
    from bot.services.requests import Due

STATUS_LABEL = {
    "open": "Open",
    "claimed": "Claimed",
    "in_progress": "In progress",
    "waiting": "Waiting on requester",
    "done": "Done",
    "cancelled": "Cancelled",
}
FINAL = {"done", "cancelled"}

NOT_FOUND = "I can't find request #{id}. `/requests` lists the ones you can see."
NOT_MEMBER = "Only members of {team} can {verb} #{id}. `/tandem team join {handle}` if you're one of them."
NOT_REQUESTER_OR_MEMBER = "Only the requester or a member of {team} can {verb} #{id}."
ALREADY = "#{id} is already {status}; nothing changed."
BAD_TRANSITION = "#{id} is {status}, so it can't be {verb} now."
WAIT_NEEDS_WHY = "Say what you're waiting for, so the requester knows: `/requests {id} wait <what you need>`."
EMPTY_COMMENT = "A comment needs some text: `/requests {id} comment <text>`."
UNKNOWN_VERB = "I don't know “{verb}”. Try claim, start, wait, done, cancel, reopen, comment, snooze, rate or handled."
ASK_USAGE = "Tell me which team and what you need: `/ask <team> <what> [by <when>] [private]`, e.g. `/ask it new laptop for Sam by friday`."
ASK_EMPTY = "What do you need from {team}? `/ask {handle} <what> [by <when>]`."
TITLE_TOO_LONG = "Requests are kept to {limit:,} characters; yours has {length:,}. Here it is so you can shorten it:"


def status_label(status: str) -> str:
    return STATUS_LABEL.get(status, status)


def card(req: Request, *, team: Team, requester: Person, assignee: Person | None, now: datetime) -> Message:
    """The request's card in the team's channel: what, who, when, and the next actions."""
    fields = [
        MessageField(label="Status", value=(status_label(req.status),)),
        MessageField(label="Requester", value=(ref(requester, ping=False),)),
        MessageField(label="Owner", value=(ref(assignee, ping=False),) if assignee else ("unassigned",)),
        MessageField(label="Due", value=(describe(req.due_at, team.timezone, now=now),)),
    ]
    context: list[Text] = []
    if req.private:
        context.append(("Private: visible to the requester and the team only.",))
    if req.snoozed_until and req.snoozed_until > now and req.status not in FINAL:
        context.append((f"Snoozed until {describe(req.snoozed_until, team.timezone, now=now)}",))
    if req.cause:
        context.append((f"Cause: {req.cause}",))
    return Message(
        title=text(f"#{req.id} · {team.name}: ", req.title),
        fields=tuple(fields),
        buttons=card_buttons(req),
        context=tuple(context),
    )


def card_buttons(req: Request) -> tuple[Button, ...]:
    rid = req.id
    claim = Button(label="Claim", action_id="cmd", value=f"requests {rid} claim", style="primary")
    start = Button(label="Start", action_id="cmd", value=f"requests {rid} start")
    waiting = Button(label="Waiting", action_id="form.open", value=f"wait:{rid}")
    done = Button(label="Done", action_id="form.open", value=f"done:{rid}", style="primary")
    reopen = Button(label="Reopen", action_id="cmd", value=f"requests {rid} reopen")
    return {
        "open": (claim, start, done),
        "claimed": (start, waiting, done),
        "in_progress": (waiting, done),
        "waiting": (start, done),
        "done": (reopen,),
        "cancelled": (reopen,),
    }.get(req.status, ())


def filed_reply(req: Request, team: Team, requester: Person, now: datetime, due: "Due | None" = None) -> Message:
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


def comment_message(req: Request, *, author: Person, comment: str) -> Message:
    return Message(title=text(ref(author, ping=False), f" on #{req.id}:"), sections=(Section(text=text(comment)),))


def feedback_prompt(req: Request, *, team: Team, finisher: Person, note: str) -> Message:
    sections = [Section(text=text(note))] if note else []
    sections.append(Section(text=("How did it go? Your rating goes to the team, and a low one to its lead.",)))
    buttons = [Button(label=str(n), action_id="cmd", value=f"requests {req.id} rate {n}") for n in range(1, 6)]
    buttons.append(Button(label="Say thanks", action_id="kudos.thank", value=str(req.id), style="primary"))
    return Message(
        title=text(ref(finisher, ping=False), f" of {team.name} finished your request #{req.id}: ", req.title[:150]),
        sections=tuple(sections),
        buttons=tuple(buttons),
    )
