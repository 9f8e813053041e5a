"""What Tandem says about thanks and requests made in the flow of conversation."""

from __future__ import annotations

from bot.messages import Message, Section, Span, Text, text
from bot.services.people import ref
from storage.models import Person

PLUSPLUS_REASON = "++"
THANKS_REASON = "Thanks!"
SELF_INLINE = "Kudos are for others — your `++` for yourself gave nothing (but well done!)."
INLINE_FAILED = "Your thanks in the conversation gave no kudos:"
THANKS_ON = "`thanks @name` in a conversation now gives kudos too (`@name++` always does)."
THANKS_OFF = "`thanks @name` in a conversation no longer gives kudos; `@name++` still does."
THANKS_USAGE = "Say on or off: `/tandem kudos thanks off`."
EMOJI_USAGE = "Name one emoji, like `{example}` (with or without the colons)."
KUDOS_EMOJI_SET = "Reacting with :{emoji}: to a message now thanks its author."
REQUEST_EMOJI_SET = "Reacting with :{emoji}: to a message in a team's channel now files it as a request to that team."
SAME_EMOJI = "The kudos emoji and the request emoji must differ: :{emoji}: is already the {other} emoji."
WITHDRAWN = "Thanks withdrawn."
REACTION_REASON_EMPTY = "for this message"
REACTION_FAILED = "Your :{emoji}: gave no kudos:"
OTHERS = "{n} others"
NOT_INTAKE = ("This channel isn't where any team takes requests, so there is no team to file this message with. "
              "Ask a team with `/ask <team> <what>`, or use this in the team's channel.")
ALREADY_FILED = "This message is request #{id} already."
NO_AUTHOR = "This message has no colleague as its author (a bot's, or someone who left), so it can't be their request."
NO_TEXT = "This message has no text to make a request of."
FILED_BY_OTHER = "{who} turned your message in #{channel} into request #{id} for {team}; you're its requester."


def thanked_in_thread(receivers: list[Person]) -> Message:
    """The brief answer under an inline thanks: names, never pings."""
    names: list[Span] = []
    for i, person in enumerate(receivers):
        if i:
            names.append(" and " if i == len(receivers) - 1 else ", ")
        names.append(ref(person, ping=False))
    return Message(title=text("🙌 Kudos to ", tuple(names), "."))


def refused(problem: Text, echo: str | None) -> Message:
    """Why an inline thanks gave nothing, to its author only."""
    sections = (Section(text=(echo,), heading="What you wrote"),) if echo else ()
    return Message(title=text(INLINE_FAILED, " ", problem), sections=sections)


def reaction_refused(emoji: str, problem: Text) -> Message:
    """Why a reaction gave nothing, to the person who reacted only."""
    return Message(title=text(REACTION_FAILED.format(emoji=emoji), " ", problem))


def reaction_reason(short_text: str) -> str:
    """The reason a reaction's kudos carries: the message, shortened, in quotes."""
    return f"for “{short_text}”" if short_text else REACTION_REASON_EMPTY


SHOWN_GIVERS = 2  # names a grown announcement shows before "and N others"


def grown_announcement(givers: list[Person], receiver: Person, reason: str, values: list[str], link: str,
                       *, total: int | None = None, shown: int = SHOWN_GIVERS) -> Message:
    """"🙌 Alice, Bob and 3 others thanked @sam for “…”": one message per thanked message, updated as it grows.

    Args:
        givers: the first givers, in order (`shown + 1` are enough: the rest is a count).
        receiver: who was thanked; the only person pinged.
        reason: what for ("for “…”", "for #42: …").
        values: company values the thanks carry.
        link: where the thanked thing is, as a context line.
        total: how many gave in all, when `givers` is only the first few.
        shown: how many names before "and N others".
    """
    count = len(givers) if total is None else total
    if not givers or not count:
        return Message(title=(WITHDRAWN,), context=((link,),) if link else ())
    context: list[Text] = []
    if values:
        context.append((" · ".join(f"#{v}" for v in values),))
    if link:
        context.append((link,))
    return Message(title=text("🙌 ", *giver_names(givers, count, shown), " thanked ", ref(receiver), " ", reason),
                   context=tuple(context))


def grown_dm(givers: list[Person], total: int, reason: str, *, shown: int = SHOWN_GIVERS) -> Message:
    """"🙌 Alice, Bob and 3 others thanked you for #42: …": the receiver's one DM about a request's thanks."""
    return Message(title=text("🙌 ", *giver_names(givers, total, shown), " thanked you ", reason))


def giver_names(givers: list[Person], total: int, shown: int = SHOWN_GIVERS) -> list[Span | Text]:
    """"Alice, Bob and 3 others": the first names (never pinged), then a count."""
    names: list[Span | Text] = []
    named = givers[:total] if total <= shown + 1 else givers[:shown]
    rest = total - len(named)
    for i, giver in enumerate(named):
        if i:
            names.append(" and " if i == len(named) - 1 and not rest else ", ")
        names.append(ref(giver, ping=False))
    if rest:
        names.append(" and " + OTHERS.format(n=rest) if rest > 1 else " and 1 other")
    return names


def filed_for(actor: Person, author: Person, req_id: int, team_name: str) -> Message:
    """The reply to whoever turned a message into a request."""
    whose = "your message" if actor.id == author.id else text("the message by ", ref(author, ping=False))
    return Message(title=text("Filed ", whose, f" as request #{req_id} for {team_name}; its card is in the "
                                               "message's thread."))
