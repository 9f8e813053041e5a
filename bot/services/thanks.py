"""Thanks for a finished request from colleagues: the "Say thanks" button on
its card, pressed by anyone who may see the request but its requester (whose
press is an ordinary kudos, `bot.commands.kudos`).

Each colleague thanks once per request, whichever card or replica the press
came through: the kudos' `kudos_source` row (kind "request", unique per giver
and request) is the proof, so two presses at once store one kudos and the
other is told "you already thanked". Every press grows ONE channel
announcement and ONE DM to the receiver per request, each an outbox topic
updated in place; the delivery job sends only a topic's newest state, and
paces it (`storage.outbox`, `scheduler.delivery`), so a burst of 500 presses
is a handful of Slack calls, not 500 posts.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from bot.events import Place
from bot.ports import Recipient
from bot.services import kudos as kudos_service
from bot.services import outbox, settings
from bot.services.conversation import grown
from bot.texts import flow as flow_say
from storage.flow import KudosSource
from storage.models import Kudos, Person, Request, Team

KIND = "request"  # kudos_source.kind of a colleague's "Say thanks"


def source_key(req: Request) -> str:
    return f"request:{req.id}"


def announcement_topic(req: Request) -> str:
    return f"thanks:request:{req.id}"


def dm_topic(req: Request) -> str:
    return f"thanks:request:{req.id}:dm"


def already_thanked(session: Session, req: Request, giver: Person) -> bool:
    return session.exec(select(KudosSource.kudos_id).where(
        KudosSource.kind == KIND, KudosSource.message_key == source_key(req),
        KudosSource.giver_id == giver.id)).first() is not None


def reason(req: Request) -> str:
    """What the announcement says the thanks are for; a private request by number only."""
    return f"for #{req.id}" if req.private else f"for #{req.id}: {req.title[:100]}"


def thank(session: Session, *, req: Request, giver: Person, receiver: Person, place: Place, now: datetime) -> Kudos:
    """Record `giver`'s kudos to `receiver` for `req`, and queue the grown
    announcement and DM as they stand with it.

    On PostgreSQL the request's row is locked before the count, so presses
    for one request take turns counting: each counts everyone committed
    before it, and the newest notification of a topic (the one the delivery
    job keeps) counts everyone. SQLite has one writer at a time anyway.
    """
    kudos = kudos_service.give(session, giver=giver, receivers=[receiver], message=f"Thanks for #{req.id}: {req.title[:200]}",
                               place=place, now=now, for_request=req, announce=False, tell_receivers=False)
    assert kudos.id is not None and giver.id is not None
    session.add(KudosSource(kudos_id=kudos.id, kind=KIND, message_key=source_key(req), giver_id=giver.id,
                            author_id=receiver.id, created_at=now))
    session.flush()
    # the turn is taken as late as it can be: only counting and queueing wait for it. FOR NO KEY
    # UPDATE, because the kudos' foreign key already holds a KEY SHARE lock on the row: FOR UPDATE
    # would deadlock two presses that both hold one
    session.exec(select(Request.id).where(col(Request.id) == req.id).with_for_update(key_share=True))
    now_grown = grown(session, kind=KIND, message_key=source_key(req))
    announcement = flow_say.grown_announcement(now_grown.givers, receiver, reason(req), now_grown.values, "",
                                               total=now_grown.total)
    dm = flow_say.grown_dm(now_grown.givers, now_grown.total, reason(req))
    outbox.notify_many(session, [
        outbox.Outgoing(announced_where(session, req, place), announcement, key=f"thanks:{kudos.id}:announce",
                        topic=announcement_topic(req), replace=True, kind="kudos"),
        outbox.Outgoing(outbox.to_person(receiver), dm,
                        key=f"thanks:{kudos.id}:dm", topic=dm_topic(req), replace=True, kind="kudos_dm"),
    ], now=now)
    return kudos


def announced_where(session: Session, req: Request, place: Place) -> Recipient:
    """The kudos channel; else the team's intake channel, where the card is; else where the press was."""
    chosen = settings.channel(session, settings.KUDOS_CHANNEL)
    if chosen is not None:
        return chosen
    team = session.get(Team, req.team_id)
    if team is not None and team.intake_channel and team.intake_platform and team.intake_tenant is not None:
        return outbox.to_channel(team.intake_platform, team.intake_tenant, team.intake_channel)
    return kudos_service.announcement_place(session, place)
