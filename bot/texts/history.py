"""What Tandem says about a request's history and when finding past ones."""

from __future__ import annotations

import re
from datetime import datetime

from bot.messages import Button, Message, Section, Span, Text, text
from bot.services.dates import describe
from bot.services.history import Entry
from bot.services.people import ref

SEARCH_USAGE = "Search for what? `/requests search printer toner` finds requests by their title or comments."
NOTHING_FOUND = "Nothing found for “{words}” among the requests you can see."
CLOSED_NONE = "No finished or cancelled requests here yet."
RATE_HINT = "Not rated yet: /requests {id} rate <1-5> [comment], or press a number."
LIST_RATE_HINT = "#{id} isn't rated yet: /requests {id} rate <1-5> [comment]."
CANCEL_WHY = ("Say why you're cancelling #{id}, so {name} knows: `/requests {id} cancel <why>`. "
              "Nothing changed.")

STORED_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?\+00:00")

# How each kind of event reads after its actor's name.
DOING = {
    "filed": "asked for it",
    "claim": "claimed it",
    "start": "started on it",
    "wait": "asked the requester",
    "done": "finished it",
    "cancel": "cancelled it",
    "reopen": "reopened it",
    "snooze": "snoozed it until",
    "comment": "commented",
    "assign": "assigned it",
    "move": "moved it",
    "edit": "changed it",
    "unassigned": "gave it back to the team",
    "rated": "rated it",
    "handled": "closed the loop on the rating",
}


def timeline_section(entries: list[Entry], *, tz: str, now: datetime) -> Section:
    """One line per event, in the viewer's time zone."""
    lines: list[Span] = []
    for i, entry in enumerate(entries):
        if i:
            lines.append("\n")
        lines.append(f"{describe(entry.at, tz, now=now)} · ")
        lines.extend(text(ref(entry.actor, ping=False)) if entry.actor is not None else ("Tandem",))
        lines.append(f" {DOING.get(entry.kind, entry.kind)}")
        if entry.note:
            shown = STORED_MOMENT.sub(lambda m: describe(datetime.fromisoformat(m.group(0)), tz, now=now), entry.note)
            lines.append(f": {shown[:300]}")
    return Section(heading="What happened", text=tuple(lines) or ("Nothing yet.",))


def rate_buttons(request_id: int) -> tuple[Button, ...]:
    return tuple(Button(label=str(n), action_id="request.rate", value=f"{request_id}:{n}") for n in range(1, 6))


def with_timeline(card: Message, entries: list[Entry], *, tz: str, now: datetime, unrated: bool,
                  request_id: int) -> Message:
    """The request's card followed by its timeline; a requester who hasn't
    rated a finished request gets the rating buttons back."""
    context: tuple[Text, ...] = card.context
    buttons = card.buttons
    if unrated:
        context = (*context, (RATE_HINT.format(id=request_id),))
        buttons = (*buttons, *rate_buttons(request_id))
    return card.model_copy(update={"sections": (*card.sections, timeline_section(entries, tz=tz, now=now)),
                                   "context": context, "buttons": buttons})
