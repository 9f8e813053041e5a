"""What Tandem says about kudos."""

from __future__ import annotations

from bot.messages import Message, MessageField, Section, Span, Text, text
from bot.services.people import ref
from storage.models import Person

USAGE = "Thank someone: `/kudos @name thanks for staying late on the release #ownership`."
NO_RECEIVER = "Who would you like to thank? Mention them: `/kudos @name <why>`."
NO_REASON = "Say what you're thanking them for — that's the part people remember."
SELF = "Kudos are for others — you can't thank yourself (but well done!)."
TOO_LONG = "Kudos are kept to {limit:,} characters; yours has {length:,}. Here it is so you can shorten it:"
ALLOWANCE = ("You've given your {allowance} kudos for this week; the allowance renews on Monday. "
             "Here is your message, to send then:")
UNKNOWN_REQUEST = "I can't find a finished request #{id} to link these kudos to."
LEFT = "{name} has left the company, so they can't get kudos any more."
TOO_MANY = "One kudos can thank up to {most} people; this one names {count}. Split it, or thank the team's channel instead."
LINKED = "Linked to your request."
PERIOD_USAGE = "Choose week, month or all: `/kudos top month`."
PERIODS = {"week": "this week", "month": "this month", "all": "all time"}


def announcement(giver: Person, receivers: list[Person], message: str, values: list[str],
                 request_ref: str | None) -> Message:
    names: list[Span] = []
    for i, person in enumerate(receivers):
        if i:
            names.append(" and " if i == len(receivers) - 1 else ", ")
        names.append(ref(person))
    context: list[Text] = []
    if values:
        context.append((" · ".join(f"#{v}" for v in values),))
    if request_ref:
        context.append((request_ref,))
    return Message(
        title=text("🎉 ", ref(giver, ping=False), " thanked ", tuple(names)),
        sections=(Section(text=text(message)),),
        context=tuple(context),
    )


def received(giver: Person, message: str) -> Message:
    return Message(title=text("You got kudos from ", ref(giver, ping=False), "!"), sections=(Section(text=text(message)),))


def sent(receivers: list[Person]) -> Message:
    names: list[Span] = []
    for i, person in enumerate(receivers):
        if i:
            names.append(", ")
        names.append(ref(person, ping=False))
    return Message(title=text("Sent! ", tuple(names), " will hear about it."))


def leaderboard(period: str, rows: list[tuple[Person, int]]) -> Message:
    if not rows:
        return Message(title=(f"No kudos {PERIODS[period]} yet. Be the first: /kudos @name <why>",))
    lines = tuple(
        Section(text=text(f"{i}. ", ref(person, ping=False), f" — {count}")) for i, (person, count) in enumerate(rows, 1)
    )
    return Message(title=(f"Most thanked, {PERIODS[period]}",), sections=lines)


def stats(person: Person, received_n: int, given_n: int, month_n: int, values: list[tuple[str, int]]) -> Message:
    top = ", ".join(f"#{tag} ({n})" for tag, n in values) or "none yet"
    return Message(
        title=text("Kudos for ", ref(person, ping=False)),
        fields=(
            MessageField(label="Received", value=(str(received_n),)),
            MessageField(label="Given", value=(str(given_n),)),
            MessageField(label="This month", value=(str(month_n),)),
            MessageField(label="Values", value=(top,)),
        ),
    )


OWN_WORK = "You finished #{id} yourself: the thanks are for others to give (well done!)."


def thanks_joined(receiver: Person, req_id: int) -> Message:
    """The reply to a colleague's "Say thanks": their thanks joined the request's one announcement."""
    return Message(title=text("🙌 Thanks sent to ", ref(receiver, ping=False), f" for #{req_id}; "
                              "yours joins everyone else's in one announcement."))


def already_thanked(receiver: Person, req_id: int) -> Message:
    """A second "Say thanks" by the same person, from any card: polite, and nothing changes."""
    return Message(title=text("You already thanked ", ref(receiver, ping=False), f" for #{req_id}: "
                              "thanks count once per person, and yours counted. 🙌"))
