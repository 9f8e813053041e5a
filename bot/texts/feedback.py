"""What Tandem says about ratings and follow-ups."""

from __future__ import annotations

from bot.messages import Button, Message, Section, text
from bot.services.people import ref
from storage.models import Feedback, Person, Request, Team

STARS = "★★★★★"
BAD_RATING = "A rating is a whole number from 1 to 5, like `/requests {id} rate 4 quick and friendly`."
NOT_REQUESTER = "Only the person who asked for #{id} can rate it."
NOT_DONE = "#{id} isn't done yet; you can rate it once the team finishes it."
TOO_LATE = "Ratings can be changed for 7 days; #{id} was rated on {day}."
NOT_LEAD = "Only {team}'s lead can mark feedback on #{id} as handled."
NO_FOLLOW_UP = "There is no open follow-up on #{id}."


def stars(rating: int) -> str:
    return STARS[:rating] + "☆" * (5 - rating)


def thanks(req: Request, rating: int, changed: bool) -> Message:
    verb = "updated your rating of" if changed else "rated"
    return Message(
        title=(f"Thanks — you {verb} #{req.id} {stars(rating)}.",),
        buttons=(Button(label="Add a comment", action_id="form.open", value=f"feedback:{req.id}:{rating}"),),
    )


def low_rating_alert(req: Request, feedback: Feedback, team: Team, requester: Person) -> Message:
    sections = [Section(text=text(feedback.comment), heading="Their comment")] if feedback.comment else []
    return Message(
        title=text(f"{stars(feedback.rating)} for #{req.id} ({team.name}) from ", ref(requester, ping=False)),
        sections=(Section(text=text(req.title[:300])), *sections),
        context=((f"Talk to them, then close the loop with /requests {req.id} handled <what you did>.",),),
        buttons=(Button(label="Mark handled", action_id="form.open", value=f"handled:{req.id}"),),
    )


def handled_notice(req: Request, lead: Person, note: str) -> Message:
    sections = (Section(text=text(note)),) if note else ()
    return Message(title=text(ref(lead, ping=False), f" followed up on your feedback about #{req.id}."),
                   sections=sections)
