"""How the monthly celebration reads in the kudos channel: warm and short.

Names appear as `PersonRef(ping=False)`: everyone sees who, nobody is
pinged by a post they didn't ask for.
"""

from __future__ import annotations

from bot.messages import Message, Section, Span, text
from bot.services.celebration import Celebration
from bot.services.people import ref

KUDOS_QUOTE = 200


def celebration(c: Celebration) -> Message:
    """The month's post: who was thanked most for each value, the best service, a kudos for finished work."""
    sections: list[Section] = []
    if c.per_value:
        lines: list[Span] = []
        for i, (tag, person, n) in enumerate(c.per_value):
            lines.extend([("\n" if i else "") + f"#{tag}: ", ref(person, ping=False),
                          f" ({n} kudos)"])
        sections.append(Section(heading="Most thanked, value by value", text=tuple(lines)))
    if c.service is not None:
        s = c.service
        rating = f", rated {s.rating:.1f} out of 5" if s.rating is not None else ""
        sections.append(Section(heading="Best service", text=(
            f"{s.team.name}: {s.on_time} of {s.finished} requests finished on time{rating}. Thank you!",)))
    if c.kudos is not None and c.kudos_giver is not None:
        quote = c.kudos.message if len(c.kudos.message) <= KUDOS_QUOTE else c.kudos.message[:KUDOS_QUOTE] + "…"
        names: list[Span] = []
        for i, person in enumerate(c.kudos_receivers):
            names.extend([", " if i else "", ref(person, ping=False)])
        done = f" for #{c.kudos_request.id}, now done" if c.kudos_request is not None else ""
        sections.append(Section(heading="A thank-you for finished work", text=text(
            ref(c.kudos_giver, ping=False), " thanked ", tuple(names), f"{done}: “{quote}”")))
    return Message(
        title=(f"🎉 Celebrating {c.month.name}: thank you, everyone!",),
        sections=tuple(sections),
        context=(("Posted on the first working day of each month. Rather not be named? `/tandem me celebrate off`.",),),
    )


TURNED_ON = "The monthly celebration is on: on the first working day of each month, {channel} celebrates the month before."
TURNED_OFF = "The monthly celebration is off. `/tandem celebration on` brings it back."
NO_CHANNEL = " Set where it goes with `/tandem kudos channel #kudos`."
STATUS = "The monthly celebration is {state}. Switch it with `/tandem celebration on` or `/tandem celebration off`."
ONE_OF = "Say on or off, like `{example}` (you typed “{typed}”)."
OPTED_OUT = "You won't be named in the monthly celebration. `/tandem me celebrate on` if you change your mind."
OPTED_IN = "You may be named in the monthly celebration again."
ALREADY_OUT = "You had already asked not to be named in the monthly celebration; nothing changed."
ALREADY_IN = "You may already be named in the monthly celebration; nothing changed."
