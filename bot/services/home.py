"""A person's own page (Slack's App Home, a Teams personal tab): what they
asked for and own, their teams' queues, and the kudos they got this month.

One read-only query set, platform-neutral, so every adapter shows the same
page; `bot/texts/home.py` words it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.messages import Message
from bot.services import requests as request_service
from bot.services import teams
from bot.texts import home as say
from storage.models import Kudos, KudosReceiver, Person, Request, Team

KUDOS_SHOWN = 5


@dataclass(frozen=True)
class HomePage:
    """What the home page shows, before wording."""

    person: Person
    mine: list[tuple[Request, Team, Person | None]]
    queues: list[tuple[Team, list[tuple[Request, Team, Person | None]]]]
    kudos_this_month: int
    recent_kudos: list[tuple[Kudos, Person]]


def page(session: Session, person: Person, *, now: datetime) -> HomePage:
    """Everything on `person`'s home page, private requests hidden from outsiders."""
    mine = request_service.visible_requests(session, person, scope="mine", team=None, now=now)
    queues = [(team, request_service.visible_requests(session, person, scope="team", team=team, now=now))
              for team in teams.teams_of(session, person)]
    local = now.astimezone(ZoneInfo(person.timezone))
    month_start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    received = session.exec(
        select(Kudos, Person)
        .join(KudosReceiver, col(KudosReceiver.kudos_id) == Kudos.id)
        .join(Person, col(Person.id) == Kudos.giver_id)
        .where(KudosReceiver.person_id == person.id, Kudos.created_at >= month_start)
        .order_by(Kudos.created_at.desc(), Kudos.id.desc())  # type: ignore[union-attr, attr-defined]
    ).all()
    return HomePage(person=person, mine=mine, queues=queues, kudos_this_month=len(received),
                    recent_kudos=[(k, giver) for k, giver in received[:KUDOS_SHOWN]])


def home_message(session: Session, person: Person, *, now: datetime) -> Message:
    """The home page as one neutral message."""
    return say.home(page(session, person, now=now), now=now)
