"""Thanks for a finished request from colleagues: the "Say thanks" button on
its card, pressed by anyone who may see the request but its requester (whose
press is an ordinary kudos, `bot.commands.kudos`).

Each colleague thanks once per request, whichever card or replica the press
came through: the kudos' `kudos_source` row (kind "request", unique per giver
and request) is the proof, so two presses at once store one kudos and the
other is told "you already thanked". Every press grows ONE channel
announcement and ONE DM to the receiver per request, each an outbox topic
updated in place; the delivery job sends only a topic's newest state, built
afresh when it is sent (`current`), and paces it (`storage.outbox`,
`scheduler.delivery`), so a burst of 500 presses is a handful of Slack
calls, not 500 posts, and the last one counts everyone.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from bot.events import Place
from bot.messages import Message
from bot.ports import Recipient
from bot.services import kudos as kudos_service
from bot.services import outbox, settings
from bot.services.conversation import grown
from bot.texts import flow as flow_say
from storage.flow import KudosSource
from storage.models import Kudos, Person, Request, Team

KIND = "request"  # kudos_source.kind of a colleague's "Say thanks"
TOPIC_PREFIX = "thanks:request:"


def source_key(req: Request) -> str:
    return f"request:{req.id}"


def announcement_topic(req: Request) -> str:
    return f"{TOPIC_PREFIX}{req.id}"


def dm_topic(req: Request) -> str:
    return f"{TOPIC_PREFIX}{req.id}:dm"


def already_thanked(session: Session, req: Request, giver: Person) -> bool:
    return session.exec(select(KudosSource.kudos_id).where(
        KudosSource.kind == KIND, KudosSource.message_key == source_key(req),
        KudosSource.giver_id == giver.id)).first() is not None


def reason(req: Request) -> str:
    """What the announcement says the thanks are for; a private request by number only."""
    return f"for #{req.id}" if req.private else f"for #{req.id}: {req.title[:100]}"


def thank(session: Session, *, req: Request, giver: Person, receiver: Person, place: Place, now: datetime) -> Kudos:
    """Record `giver`'s kudos to `receiver` for `req`, and queue the grown
    announcement and DM as this transaction sees them.

    Two presses committing side by side each count without the other, so
    the newest row of a topic may count one short: the delivery job sends
    `current()` instead, built from what is committed when it sends. That
    keeps presses from taking turns (a lock on the request held to the
    commit held PostgreSQL to half the burst's rate).
    """
    kudos = kudos_service.give(session, giver=giver, receivers=[receiver], message=f"Thanks for #{req.id}: {req.title[:200]}",
                               place=place, now=now, for_request=req, announce=False, tell_receivers=False)
    assert kudos.id is not None and giver.id is not None
    session.add(KudosSource(kudos_id=kudos.id, kind=KIND, message_key=source_key(req), giver_id=giver.id,
                            author_id=receiver.id, created_at=now))
    session.flush()
    announcement, dm = messages(session, req, receiver)
    outbox.notify_many(session, [
        outbox.Outgoing(announced_where(session, req, place), announcement, key=f"thanks:{kudos.id}:announce",
                        topic=announcement_topic(req), replace=True, kind="kudos"),
        outbox.Outgoing(outbox.to_person(receiver), dm,
                        key=f"thanks:{kudos.id}:dm", topic=dm_topic(req), replace=True, kind="kudos_dm"),
    ], now=now)
    return kudos


def messages(session: Session, req: Request, receiver: Person) -> tuple[Message, Message]:
    """The request's announcement and the receiver's DM, as they stand."""
    now_grown = grown(session, kind=KIND, message_key=source_key(req))
    announcement = flow_say.grown_announcement(now_grown.givers, receiver, reason(req), now_grown.values, "",
                                               total=now_grown.total)
    return announcement, flow_say.grown_dm(now_grown.givers, now_grown.total, reason(req))


def current(session: Session, topic: str) -> Message | None:
    """The message of a thanks topic ("thanks:request:42", "…:dm") built from
    what is committed now: what the delivery job sends for it. None for any
    other topic, or a request gone."""
    if not topic.startswith(TOPIC_PREFIX):
        return None
    number, _, which = topic.removeprefix(TOPIC_PREFIX).partition(":")
    req = session.get(Request, int(number)) if number.isascii() and number.isdigit() and len(number) < 10 else None
    if req is None:
        return None
    receiver_id = session.exec(select(KudosSource.author_id).where(
        KudosSource.kind == KIND, KudosSource.message_key == source_key(req))
        .order_by(col(KudosSource.created_at).desc()).limit(1)).first()
    receiver = session.get(Person, receiver_id) if receiver_id is not None else None
    if receiver is None:
        return None
    announcement, dm = messages(session, req, receiver)
    return dm if which == "dm" else announcement


def announced_where(session: Session, req: Request, place: Place) -> Recipient:
    """The kudos channel; else the team's intake channel, where the card is; else where the press was."""
    chosen = settings.channel(session, settings.KUDOS_CHANNEL)
    if chosen is not None:
        return chosen
    team = session.get(Team, req.team_id)
    if team is not None and team.intake_channel and team.intake_platform and team.intake_tenant is not None:
        return outbox.to_channel(team.intake_platform, team.intake_tenant, team.intake_channel)
    return kudos_service.announcement_place(session, place)
