"""Suggestions to a team: sent, listed for its lead, answered back to the suggester.

The team never learns who sent an anonymous suggestion: its row keeps no
suggester (`suggester_id` NULL) and nothing sent to the team names them.
The suggester is still told of the answer through `suggestion_reply_route`,
which only `tell_suggester` reads.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot import access
from bot.messages import Message, Section
from bot.problems import Problem
from bot.services import outbox, teams
from storage.db import session_scope
from storage.models import Person, Team
from storage.suggestions import Suggestion, SuggestionReplyRoute

ANONYMOUS = "anonymous"
VERDICTS = {"answer": "answered", "accept": "accepted", "decline": "declined"}
UNANSWERED_AFTER = timedelta(days=7)  # a suggestion open this long is on the lead's weekly reminder


def split_anonymous(body: str) -> tuple[str, bool]:
    """The text without a trailing `anonymous`, and whether it was there."""
    words = body.split()
    if words and words[-1].lower() == ANONYMOUS:
        return " ".join(words[:-1]), True
    return body.strip(), False


def send(session: Session, team: Team, suggester: Person, body: str, *, anonymous: bool, now: datetime) -> Suggestion:
    """Keep the suggestion (no suggester on the row if anonymous) and tell the team's lead or intake."""
    assert team.id is not None and suggester.id is not None
    row = Suggestion(team_id=team.id, suggester_id=None if anonymous else suggester.id, anonymous=anonymous,
                     body=body, created_at=now)
    session.add(row)
    session.flush()
    assert row.id is not None
    session.add(SuggestionReplyRoute(suggestion_id=row.id, person_id=suggester.id))
    lead = access.lead_of(session, team)
    where = outbox.to_person(lead) if lead is not None else outbox.team_intake(team, None)
    if where is not None:
        outbox.notify(session, where, Message(title=(f"New suggestion #{row.id} for {team.name} from "
                                                     f"{author(session, row)}",),
                                              sections=(Section(text=(body,)),)),
                      key=f"suggestion:{row.id}:new", now=now, kind="suggestion")
    return row


def author(session: Session, row: Suggestion) -> str:
    """Who the team sees as the author: a name, or "someone (anonymous)"."""
    if row.suggester_id is None:
        return "someone (anonymous)"
    person = session.get(Person, row.suggester_id)
    return person.display_name if person is not None else "someone"


def open_for(session: Session, teams: list[Team]) -> list[Suggestion]:
    """Open suggestions of these teams, oldest first."""
    ids = [t.id for t in teams if t.id is not None]
    if not ids:
        return []
    return list(session.exec(select(Suggestion).where(col(Suggestion.team_id).in_(ids),
                                                      Suggestion.status == "open")
                             .order_by(col(Suggestion.id))).all())


def led_by(session: Session, person: Person) -> list[Team]:
    """The teams whose suggestions `person` reads: every team for an admin, else those they lead."""
    query = select(Team).order_by(col(Team.handle))
    if not access.is_admin(person):
        query = query.where(Team.lead_id == person.id)
    return list(session.exec(query).all())


def find(session: Session, team: Team, number: int, typed: str) -> Suggestion:
    row = session.get(Suggestion, number)
    if row is None or row.team_id != team.id:
        raise Problem(f"{team.name} has no suggestion #{number}. `/suggestions {team.handle}` lists them.",
                      echo=typed)
    return row


def reply(session: Session, row: Suggestion, verb: str, note: str, *, by: Person, now: datetime) -> None:
    """Record the lead's answer and tell the suggester, anonymous or not."""
    if row.status != "open":
        raise Problem(f"Suggestion #{row.id} was already {row.status}.")
    row.status = VERDICTS[verb]
    row.answer = note
    row.answered_by_id = by.id
    row.answered_at = now
    session.add(row)
    tell_suggester(session, row, now=now)


def tell_suggester(session: Session, row: Suggestion, *, now: datetime) -> None:
    """The only reader of `suggestion_reply_route`: the suggester hears the answer in their DMs."""
    route = session.get(SuggestionReplyRoute, row.id)
    person = session.get(Person, route.person_id) if route is not None else None
    team = session.get(Team, row.team_id)
    if person is None or team is None:
        return
    title = f"{team.name} {row.status} your suggestion #{row.id}" + (": " + row.answer if row.answer else ".")
    outbox.notify(session, outbox.to_person(person),
                  Message(title=(title,), sections=(Section(text=("You suggested: " + row.body,)),)),
                  key=f"suggestion:{row.id}:reply", now=now, kind="suggestion_reply")


def remind_leads(engine: Engine, *, now: datetime) -> int:
    """The scheduler's weekly reminder: each lead whose team has suggestions
    open for a week or more hears once per ISO week. The outbox key (team and
    week) makes it once however many replicas tick; returns the reminders queued."""
    year, week, _ = now.isocalendar()
    queued = 0
    with session_scope(engine) as session:
        waiting = session.exec(select(Suggestion.team_id, func.count())
                               .where(Suggestion.status == "open", Suggestion.created_at <= now - UNANSWERED_AFTER)
                               .group_by(col(Suggestion.team_id))).all()
        for team_id, count in waiting:
            team = session.get(Team, team_id)
            lead = access.lead_of(session, team) if team is not None else None
            if team is None or lead is None:
                continue
            message = Message(title=(f"{team.name} has {count} suggestion(s) waiting a week or more for an answer.",),
                              context=((f"`/suggestions {team.handle}` lists them; answer with "
                                        f"`/suggestions {team.handle} <id> answer|accept|decline [text]`.",),))
            if outbox.notify(session, outbox.to_person(lead), message, key=f"suggestion-reminder:{team_id}:{year}-W{week:02d}",
                             now=now, due_at=teams.calendar(team).next_working_moment(now),
                             kind="suggestion_reminder") is not None:
                queued += 1
    return queued


def received_and_answered(session: Session, start: datetime, end: datetime) -> list[tuple[str, int, int]]:
    """Per team, suggestions received and answered in [start, end): for HR's digest."""
    received = dict(session.exec(select(Suggestion.team_id, func.count())
                                 .where(Suggestion.created_at >= start, Suggestion.created_at < end)
                                 .group_by(col(Suggestion.team_id))).all())
    answered = dict(session.exec(select(Suggestion.team_id, func.count())
                                 .where(col(Suggestion.answered_at) >= start, col(Suggestion.answered_at) < end)
                                 .group_by(col(Suggestion.team_id))).all())
    rows = []
    for team_id in sorted(set(received) | set(answered)):
        team = session.get(Team, team_id)
        if team is not None:
            rows.append((team.name, int(received.get(team_id, 0)), int(answered.get(team_id, 0))))
    return sorted(rows)
