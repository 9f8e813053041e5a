"""How a team's own report reads."""

from __future__ import annotations

from datetime import timedelta

from bot.messages import Message, MessageField, Section
from bot.services.dates import describe_span
from bot.services.team_report import TeamReport

WHICH_TEAM = "Which team? `/requests report it [week|month|quarter]` (you're in no team yet)."
USAGE = ("A report covers a week, a month or a quarter: `/requests report it month` "
         "(or `/requests report month` for your own team).")
PERIOD_WORDS = {"week": "7 days", "month": "30 days", "quarter": "91 days"}


def _span(value: timedelta | None) -> str:
    return describe_span(value) if value is not None else "–"


def report(record: TeamReport) -> Message:
    """The figures as fields, then the low ratings, the causes and what is overdue."""
    share = f"{record.on_time_share:.0%} ({record.on_time} of {record.finished})" \
        if record.on_time_share is not None else "nothing finished"
    rating = f"{record.average_rating:.1f} from {len(record.ratings)}" if record.average_rating is not None \
        else "no ratings"
    fields = (
        MessageField(label="Received", value=(str(record.received),)),
        MessageField(label="Median first response", value=(_span(record.median_first_response),)),
        MessageField(label="Median resolution", value=(_span(record.median_resolution),)),
        MessageField(label="On time", value=(share,)),
        MessageField(label="Average rating", value=(rating,)),
        MessageField(label="Overdue now", value=(str(len(record.overdue)),)),
    )
    sections = []
    if record.low:
        lines = [f"#{low.request_id}: {low.rating}/5 — " + (f"followed up: {low.note[:120]}" if low.handled and low.note
                                                           else "followed up" if low.handled
                                                           else f"not followed up yet (/requests {low.request_id} "
                                                                "handled <note>)")
                 for low in record.low]
        sections.append(Section(heading="Low ratings", text=("\n".join(lines),)))
    if record.causes:
        lines = [f"cause:{tag} — {count} request{'s' if count != 1 else ''}" for tag, count in record.causes]
        sections.append(Section(heading="What caused the requests (preventable ones)", text=("\n".join(lines),)))
    if record.overdue:
        shown = ", ".join(f"#{n}" for n in record.overdue[:10]) + (" …" if len(record.overdue) > 10 else "")
        sections.append(Section(heading="Overdue now", text=(shown,)))
    return Message(title=(f"{record.team.name}: the last {PERIOD_WORDS[record.period]}",), fields=fields,
                   sections=tuple(sections),
                   context=(("Times count the team's working hours, holidays and closed days; waiting on the "
                             "requester pauses the clock.",),))
