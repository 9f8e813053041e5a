"""What Tandem says when it nudges: each nudge names the request, says what
is late and by how much, and carries the buttons that settle it."""

from __future__ import annotations

from datetime import datetime

from bot.messages import Button, Message, MessageField, Section, text
from bot.services.dates import describe, describe_span
from bot.services.people import ref
from bot.texts.requests import shown_title
from storage.models import Person, Request, Team


def claim_button(req: Request) -> Button:
    return Button(label="Claim", action_id="request.claim", value=str(req.id), style="primary")


def done_button(req: Request) -> Button:
    return Button(label="Done", action_id="form.open", value=f"done:{req.id}", style="primary")


def snooze_button(req: Request) -> Button:
    return Button(label="Snooze till tomorrow", action_id="request.snooze", value=f"{req.id}:tomorrow 9am")


def _fields(req: Request, team: Team, requester: Person, assignee: Person | None, tz: str,
            now: datetime, shared: bool) -> tuple[MessageField, ...]:
    return (
        MessageField(label="Requester", value=("private",) if req.private and shared
                     else (ref(requester, ping=False),)),
        MessageField(label="Owner", value=(ref(assignee, ping=False),) if assignee else ("unassigned",)),
        MessageField(label="Due", value=(describe(req.due_at, tz, now=now),)),
        MessageField(label="Team", value=(team.name,)),
    )


def nudge(rule: str, req: Request, *, team: Team, requester: Person, assignee: Person | None, tz: str,
          at: datetime, first_response_hours: float, shared: bool = False) -> Message:
    """The nudge for `rule`, worded for the moment `at` it will be read;
    `shared`: it goes to a channel, where a private request's title is not shown."""
    shown = shown_title(req, shared=shared)[:150]
    late = describe_span(at - req.due_at)
    left = describe_span(req.due_at - at)
    if rule in FOR_THE_REQUESTER:
        return _to_requester(rule, req, team=team, assignee=assignee, tz=tz, at=at)
    if rule == "waited_too_long":
        held = describe_span(at - req.waiting_since) if req.waiting_since else "a while"
        title = text(f"#{req.id} has been on hold for {held} and its requester hasn't answered. ", shown)
        return Message(title=title, fields=_fields(req, team, requester, assignee, tz, at, shared),
                       buttons=(done_button(req),),
                       context=((f"Ask again with /requests {req.id} comment <text>, or close it with "
                                 f"/requests {req.id} cancel <why>.",),))
    if rule == "unclaimed_lead":
        waited = describe_span(at - req.created_at)
        title = text(f"Nobody in {team.name} has picked up #{req.id} in {waited} "
                     f"(first-response target: {first_response_hours:g} h). ", shown)
        return Message(title=title, fields=_fields(req, team, requester, assignee, tz, at, shared),
                       buttons=(claim_button(req),),
                       context=((f"Give it to someone with /requests {req.id} assign @name.",),))
    buttons: tuple[Button, ...]
    if rule == "unclaimed":
        waited = describe_span(at - req.created_at)
        title = text(f"#{req.id} has waited {waited} for someone in {team.name} to pick it up "
                     f"(first-response target: {first_response_hours:g} h): ", shown)
        buttons = (claim_button(req), snooze_button(req))
    elif rule == "three_quarter":
        title = text(f"#{req.id} is due in {left}: three quarters of its time has gone. ", shown)
        buttons = (done_button(req), snooze_button(req))
    elif rule == "due":
        if at > req.due_at:  # it fell due outside the recipient's hours
            title = text(f"#{req.id} fell due {late} ago. ", shown)
        else:
            title = text(f"#{req.id} is due now. ", shown)
        buttons = (done_button(req), snooze_button(req))
    elif rule == "overdue":
        title = text(f"#{req.id} is overdue by {late}. ", shown)
        buttons = (done_button(req), snooze_button(req))
    elif rule == "escalate":
        owner = (ref(assignee, ping=False),) if assignee else ("nobody has claimed it",)
        title = text(f"Escalation: #{req.id} for {team.name} is overdue by {late} (owner: ", owner, "). ",
                     shown)
        buttons = ((claim_button(req),) if assignee is None else ()) + (done_button(req), snooze_button(req))
    else:
        raise ValueError(rule)
    if assignee is None and rule in {"three_quarter", "due", "overdue"}:
        buttons = (claim_button(req),) + buttons
    return Message(title=title, fields=_fields(req, team, requester, assignee, tz, at, shared), buttons=buttons,
                   context=(("Snoozing keeps me quiet until then (the lead still hears when it's late); done and cancelled "
                             "requests never nudge.",),))


FOR_THE_REQUESTER = frozenset({"late", "escalated", "waiting_reminder"})


def _to_requester(rule: str, req: Request, *, team: Team, assignee: Person | None, tz: str,
                  at: datetime) -> Message:
    """What the requester hears: their request is late, was escalated, or
    waits on their answer. Their own request: its title is shown."""
    due = describe(req.due_at, tz, now=at)
    if rule == "late":
        title = text(f"Your request #{req.id} to {team.name} is past its due date ({due}): ", req.title[:150])
        context = f"{team.name} has been reminded; the lead hears of it if it stays late."
    elif rule == "escalated":
        title = text(f"Your request #{req.id} to {team.name} is late, so I've told the team's lead: ",
                     req.title[:150])
        context = f"Due {due}. /requests {req.id} shows what happened so far."
    else:
        title = text(f"{team.name} is still waiting for your answer on #{req.id}: ", req.title[:150])
        context = f"Answer with /requests {req.id} comment <your answer>; the clock is paused until then."
    owner = (MessageField(label="Owner", value=(ref(assignee, ping=False),) if assignee else ("unassigned",)),)
    return Message(title=title, fields=owner, context=((context,),))


def summary_line(rule: str, req: Request, *, at: datetime) -> str:
    """One folded nudge, as a line of the day's summary."""
    if rule == "waiting_reminder":
        return f"#{req.id} is waiting for your answer: {req.title[:80]}"
    if rule == "waited_too_long":
        return f"#{req.id} is on hold and its requester hasn't answered: {req.title[:80]}"
    if rule in {"overdue", "escalate", "late", "escalated"} or (rule == "due" and at > req.due_at):
        state = f"overdue by {describe_span(at - req.due_at)}"
    elif rule in {"unclaimed", "unclaimed_lead"}:
        state = f"waiting {describe_span(at - req.created_at)} for someone to claim it"
    else:
        state = f"due in {describe_span(req.due_at - at)}"
    return f"#{req.id} {state}: {req.title[:80]}"


def summary(lines: list[str], *, budget: int) -> Message:
    """The day's folded nudges in one message (updated in place as it grows)."""
    return Message(
        title=(f"{len(lines)} more reminder{'s' if len(lines) != 1 else ''} today "
               f"(you already had {budget}, so I'm keeping the rest in one message):",),
        sections=tuple(Section(text=(line,)) for line in lines),
        context=(("Open one with /requests <id>; /requests mine lists everything on your plate.",),),
    )


def feedback_reminder(req: Request, *, team: Team) -> Message:
    """The one reminder to rate a finished request."""
    buttons = tuple(Button(label=str(n), action_id="request.rate", value=f"{req.id}:{n}") for n in range(1, 6))
    return Message(
        title=text(f"A last reminder: how did {team.name} do on #{req.id}? ", req.title[:150]),
        sections=(Section(text=("One click rates it; I won't ask again.",)),),
        buttons=buttons + (Button(label="Say thanks", action_id="kudos.thank", value=str(req.id)),),
    )
