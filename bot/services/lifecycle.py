"""The request lifecycle as one table: which verbs move a request from which
states to which, who may use them, what is recorded and who is told.

`bot.services.requests.transition` looks a verb up here, checks, applies and
notifies; the card's buttons, the help text, the registry's permission rows
and the scheduler's sets of active and final states all come from this
table, so a state or a right is changed in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.access import PARTIES, TEAM, Role


class RequestStatus(StrEnum):
    """A request's state; the values are what the `request.status` column holds."""

    OPEN = "open"
    CLAIMED = "claimed"
    IN_PROGRESS = "in_progress"
    WAITING = "waiting"
    DONE = "done"
    CANCELLED = "cancelled"


S = RequestStatus
FINAL = frozenset({S.DONE, S.CANCELLED})
OPEN_STATES = frozenset(set(S) - FINAL)
# States the nudge clock runs in: waiting pauses it, final states end it.
ACTIVE = frozenset({S.OPEN, S.CLAIMED, S.IN_PROGRESS})

LABEL = {
    S.OPEN: "Open",
    S.CLAIMED: "Claimed",
    S.IN_PROGRESS: "In progress",
    S.WAITING: "Waiting on requester",
    S.DONE: "Done",
    S.CANCELLED: "Cancelled",
}


@dataclass(frozen=True)
class Transition:
    """One verb of the lifecycle.

    Attributes:
        verb: what people type (`/requests 42 claim`).
        sources: the states it may start from.
        target: the state it leads to; None keeps the state (snooze) or lets
            the verb decide (reopen: claimed if someone holds it, else open).
        roles: who may use it, towards the request.
        doing: the refusal's words ("claim #{id}").
        past: how a refusal names it ("claimed").
        reply: what the actor is told ("#{id} is yours.").
        tells: what the requester hears when someone else did it: a phrase
            ("picked up"), "waiting" (the question), "feedback" (the rating
            prompt), or None.
        note: "required", "optional" or "none": what may follow the verb.
        button: the card's button label, if the card offers it.
        form: the button opens a form for the note instead of acting at once.
        style: the button's style.
        help: one line for help.
        usage: what may follow the verb, for help ("<when>").
        own_command: the verb reads more than a note (a person, a team, a
            field), so its command is its own function in
            `bot.commands.requests`, not the generic one; it still runs
            through `transition` and this row.
    """

    verb: str
    sources: frozenset[RequestStatus]
    target: RequestStatus | None
    roles: frozenset[Role]
    doing: str
    past: str
    reply: str
    tells: str | None = None
    note: str = "none"
    button: str | None = None
    form: bool = False
    style: str | None = None
    help: str = ""
    usage: str = ""
    own_command: bool = False


TRANSITIONS: dict[str, Transition] = {t.verb: t for t in (
    Transition("claim", frozenset({S.OPEN}), S.CLAIMED, TEAM, "claim #{id}", "claimed", "#{id} is yours.",
               tells="picked up", button="Claim", style="primary", help="take it: it's yours (`claim @name` assigns it)",
               usage="[@name]"),
    Transition("start", frozenset({S.OPEN, S.CLAIMED, S.WAITING}), S.IN_PROGRESS, TEAM, "start #{id}", "started",
               "#{id} is in progress.", tells="started on", button="Start", help="start work on it"),
    Transition("wait", frozenset({S.OPEN, S.CLAIMED, S.IN_PROGRESS}), S.WAITING, TEAM, "put #{id} on hold",
               "put on hold", "#{id} is waiting on its requester; the service clock is paused.", tells="waiting",
               note="required", button="Waiting", form=True,
               help="ask the requester for something; the service clock pauses", usage="<what you need>"),
    Transition("done", frozenset({S.OPEN, S.CLAIMED, S.IN_PROGRESS, S.WAITING}), S.DONE, TEAM, "finish #{id}",
               "finished", "#{id} is done. I've asked the requester for feedback.", tells="feedback",
               note="optional", button="Done", form=True, style="primary",
               help="finish it; the requester is asked for feedback", usage="[note] [cause:<tag>]"),
    Transition("cancel", OPEN_STATES, S.CANCELLED, PARTIES, "cancel #{id}", "cancelled", "#{id} is cancelled.",
               tells="cancelled", note="optional", usage="[why]",
               help="drop it (the requester or the team; cancelling someone else's request needs a reason, "
               "which they are told)"),
    Transition("reopen", FINAL, None, PARTIES, "reopen #{id}", "reopened", "#{id} is open again.",
               tells="reopened", button="Reopen", help="open a finished or cancelled request again"),
    Transition("snooze", OPEN_STATES, None, TEAM, "snooze #{id}", "snoozed",
               "#{id} is snoozed until {until}; no reminders until then.", note="required",
               help="no reminders until then", usage="<when>"),
    Transition("assign", OPEN_STATES, None, TEAM, "assign #{id}", "assigned", "#{id} is now with {who}.",
               tells="picked up", note="required", help="give it to someone in the team (or `@me`)",
               usage="@person|@me", own_command=True),
    Transition("move", OPEN_STATES, S.OPEN, TEAM, "move #{id} to another team", "moved",
               "#{id} is now with {to}; the requester and both teams have been told.", tells="moved",
               note="required", help="hand it to the team that should have had it; their service standard "
               "starts afresh", usage="<team> [why]", own_command=True),
    Transition("edit", OPEN_STATES, None, PARTIES, "edit #{id}", "edited", "#{id}: {what}.", tells="edited",
               note="required", help="change its title or due date; the card updates in place",
               usage="title <text>|due <when>", own_command=True),
)}


def label(status: str) -> str:
    """How a state reads ("In progress"); an unknown stored value as itself."""
    try:
        return LABEL[RequestStatus(status)]
    except ValueError:
        return status


def buttons_for(status: str) -> list[Transition]:
    """The transitions a card in `status` offers as buttons, in table order."""
    return [t for t in TRANSITIONS.values() if t.button and status in t.sources]
