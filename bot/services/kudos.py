"""Peer kudos: public thanks, tagged with company values.

All people mentioned are thanked; the message keeps everything else the
giver wrote. `#tags` that are company values count as values, others are
kept as plain tags, and `#42` links the kudos to a finished request.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert
from sqlmodel import Session, col, select

from bot import access
from bot.events import Place
from bot.messages import Message
from bot.ports import Recipient
from bot.problems import Problem
from bot.services import outbox, settings
from bot.texts import kudos as say
from storage.models import Kudos, KudosReceiver, KudosTag, Person, Request, Team
from storage.rows import insert_loaded

LIMIT = 2000
DEFAULT_MAX_PEOPLE = 20
TAG = re.compile(r"(?<![\w&])#([A-Za-z][\w-]{0,39})")
REQUEST_LINK = re.compile(r"(?<![\w&])#(\d{1,9})\b")


def week_start(now: datetime, tz: str) -> datetime:
    local = now.astimezone(ZoneInfo(tz))
    monday = (local - timedelta(days=local.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    return monday


def give(session: Session, *, giver: Person, receivers: list[Person], message: str, place: Place,
         now: datetime, request_id: int | None = None, link_requests: bool = True,
         announce: bool = True, tell_receivers: bool = True, for_request: Request | None = None) -> Kudos:
    """Record kudos and queue the announcement and each receiver's DM.

    `link_requests=False` reads `#42` as plain text (a message quoted from a
    conversation, where numbers are anybody's); `announce=False` leaves the
    announcement to the caller (reactions on one message grow one
    announcement instead of one each). `for_request` links a request the
    caller has already let the giver thank for (the "Say thanks" button, which
    anyone who can see the request may press), and `tell_receivers=False`
    leaves the receivers' DM to the caller too (those presses grow one).

    Raises:
        Problem: nobody to thank, self-kudos, empty or over-long message,
            weekly allowance used, or an unknown request link.
    """
    message = message.strip()
    if not receivers:
        raise Problem(say.NO_RECEIVER, field="people", echo=message or None)
    if any(p.id == giver.id for p in receivers):
        raise Problem(say.SELF, field="people", echo=message or None)
    gone = [p for p in receivers if not p.active]
    if gone:
        raise Problem(say.LEFT.format(name=gone[0].display_name), field="people", echo=message or None)
    most = max_people(session)
    if len(receivers) > most:
        raise Problem(say.TOO_MANY.format(most=most, count=len(receivers)), field="people", echo=message or None)
    if not message:
        raise Problem(say.NO_REASON, field="message")
    if len(message) > LIMIT:
        raise Problem(say.TOO_LONG.format(limit=LIMIT, length=len(message)), field="message", echo=message)
    allowance = int(settings.get(session, settings.KUDOS_ALLOWANCE, "0") or 0)
    if allowance:
        given = session.exec(
            select(func.count()).select_from(KudosReceiver).join(Kudos, col(Kudos.id) == KudosReceiver.kudos_id)
            .where(Kudos.giver_id == giver.id, Kudos.created_at >= week_start(now, giver.timezone))
        ).one()
        if given + len(receivers) > allowance:
            raise Problem(say.ALLOWANCE.format(allowance=allowance), field="people", echo=message)
    if request_id is None and link_requests:
        link = REQUEST_LINK.search(message)
        request_id = int(link.group(1)) if link else None
    request_ref = None
    if for_request is not None:
        request_id = for_request.id
        request_ref = f"For request #{for_request.id}"
    elif request_id is not None:
        req = session.get(Request, request_id)
        if req is None or req.status != "done" or not may_link(session, req, giver):
            raise Problem(say.UNKNOWN_REQUEST.format(id=request_id), field="message", echo=message)
        # the announcement is public: a private request is named by number only
        request_ref = f"For request #{req.id}" if req.private else f"For request #{req.id}: {req.title[:100]}"
    known_values = settings.value_tags(session)
    tags = list(dict.fromkeys(t.lower() for t in TAG.findall(message)))
    assert giver.id is not None  # a stored person has an id
    kudos = Kudos(giver_id=giver.id, message=message, request_id=request_id, platform=place.platform,
                  tenant=place.tenant, channel=place.channel, created_at=now)
    insert_loaded(session, kudos)
    assert kudos.id is not None  # inserted, so it has its id
    # Core inserts: the rows are never read back as objects in this transaction, and the ORM's
    # unit of work cost more than the statements (benchmark 1)
    session.execute(insert(KudosReceiver.__table__),  # type: ignore[attr-defined]
                    [{"kudos_id": kudos.id, "person_id": person.id} for person in receivers])
    if tags:
        session.execute(insert(KudosTag.__table__),  # type: ignore[attr-defined]
                        [{"kudos_id": kudos.id, "tag": tag, "is_value": tag in known_values} for tag in tags])
    values = [t for t in tags if t in known_values]
    outgoing: list[outbox.Outgoing] = []
    if announce:
        announcement = say.announcement(giver, receivers, message, values, request_ref)
        outgoing.append(outbox.Outgoing(announcement_place(session, place), announcement,
                                        key=f"kudos:{kudos.id}:announce", kind="kudos"))
    if tell_receivers:
        outgoing += [outbox.Outgoing(outbox.to_person(person), say.received(giver, message),
                                     key=f"kudos:{kudos.id}:dm:{person.id}", kind="kudos_dm") for person in receivers]
    outbox.notify_many(session, outgoing, now=now)
    return kudos


def announcement_place(session: Session, place: Place) -> Recipient:
    """Where kudos are announced: the kudos channel, else where they were given."""
    return settings.channel(session, settings.KUDOS_CHANNEL) or outbox.to_channel(
        place.platform, place.tenant, place.channel)


def may_link(session: Session, req: Request, giver: Person) -> bool:
    """Kudos may point at a request the giver could see and took part in:
    they asked for it, or they are in the team that did it."""
    if not access.can_see(session, req, giver):
        return False
    if req.requester_id == giver.id or req.assignee_id == giver.id:
        return True
    team = session.get(Team, req.team_id)
    return team is not None and access.is_member(session, team, giver)


def max_people(session: Session) -> int:
    """How many people one kudos may name (`/tandem kudos max-people`)."""
    raw = settings.get(session, settings.KUDOS_MAX_PEOPLE, str(DEFAULT_MAX_PEOPLE))
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < int(raw) < 10_000 else DEFAULT_MAX_PEOPLE


def top(session: Session, *, period: str, now: datetime, tz: str, limit: int = 10) -> Message:
    query = (select(Person, func.count(col(KudosReceiver.kudos_id)))
             .join(KudosReceiver, col(KudosReceiver.person_id) == Person.id)
             .join(Kudos, col(Kudos.id) == KudosReceiver.kudos_id)
             .where(Person.active == True))  # noqa: E712  (people who left drop out of leaderboards)
    if period == "week":
        query = query.where(Kudos.created_at >= week_start(now, tz))
    elif period == "month":
        local = now.astimezone(ZoneInfo(tz))
        query = query.where(Kudos.created_at >= local.replace(day=1, hour=0, minute=0, second=0, microsecond=0))
    rows = session.exec(query.group_by(col(Person.id)).order_by(func.count(col(KudosReceiver.kudos_id)).desc(), col(Person.id))
                        .limit(limit)).all()
    return say.leaderboard(period, [(p, int(n)) for p, n in rows])


def stats(session: Session, person: Person, *, now: datetime) -> Message:
    received_n = session.exec(select(func.count()).select_from(KudosReceiver)
                              .where(KudosReceiver.person_id == person.id)).one()
    given_n = session.exec(select(func.count()).select_from(Kudos).where(Kudos.giver_id == person.id)).one()
    local = now.astimezone(ZoneInfo(person.timezone))
    month_start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    month_n = session.exec(select(func.count()).select_from(KudosReceiver)
                           .join(Kudos, col(Kudos.id) == KudosReceiver.kudos_id)
                           .where(KudosReceiver.person_id == person.id, Kudos.created_at >= month_start)).one()
    values = session.exec(select(KudosTag.tag, func.count()).join(KudosReceiver, col(KudosReceiver.kudos_id) == KudosTag.kudos_id)
                          .where(KudosReceiver.person_id == person.id, KudosTag.is_value == True)  # noqa: E712
                          .group_by(KudosTag.tag).order_by(func.count().desc()).limit(5)).all()
    return say.stats(person, int(received_n), int(given_n), int(month_n), [(t, int(n)) for t, n in values])
