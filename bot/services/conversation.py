"""Thanks and requests in the flow of conversation: the rules behind `@sam++`,
`thanks @sam`, a kudos reaction and a ticket reaction.

They are the same rules as the commands' (`bot.services.kudos.give`: no
self-kudos, the allowance, the announcement and the receiver's DM); what is
added here is where the answers go: briefly into the message's thread for
everyone, a refusal to its author alone, and nobody pinged whom the author
didn't mention.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from bot.events import Place, Said
from bot.messages import Message
from bot.ports import Recipient
from bot.services import kudos as kudos_service
from bot.services import outbox, settings
from bot.services import requests as request_service
from bot.services.requests import Due
from bot.texts import flow as say
from storage.flow import KudosSource, RequestSource
from storage.models import Kudos, KudosReceiver, KudosTag, Person, PostedMessage, Request, Team
from storage.outbox import FIRST_IN_THREAD

KUDOS_EMOJI = "kudos.emoji"
REQUEST_EMOJI = "request.emoji"
INLINE_THANKS = "kudos.inline_thanks"
DEFAULT_KUDOS_EMOJI = "raised_hands"
DEFAULT_REQUEST_EMOJI = "ticket"
EMOJI_NAME = re.compile(r"^:?([a-z0-9][a-z0-9_+'-]{0,79}?)(?:::skin-tone-\d)?:?$")


def emoji_name(typed: str) -> str | None:
    """`:raised_hands:`, `raised_hands` and Slack's `raised_hands::skin-tone-3`
    all name `raised_hands`; None for anything that is not one emoji name."""
    found = EMOJI_NAME.match(typed.strip().lower())
    return found.group(1) if found else None


def kudos_emoji(session: Session) -> str:
    return settings.get(session, KUDOS_EMOJI, DEFAULT_KUDOS_EMOJI)


def request_emoji(session: Session) -> str:
    return settings.get(session, REQUEST_EMOJI, DEFAULT_REQUEST_EMOJI)


def watched_emoji(session: Session) -> frozenset[str]:
    return frozenset({kudos_emoji(session), request_emoji(session)})


def thanks_form_on(session: Session) -> bool:
    """Whether `thanks @sam` gives kudos (`/tandem kudos thanks on|off`); `++` always does."""
    return settings.get(session, INLINE_THANKS, "on") != "off"


def topic_of(said: Said) -> str:
    """The outbox topic of a conversation message, short enough for any table."""
    return "said:" + hashlib.sha256(said.key.encode()).hexdigest()[:40]


def answer_in_thread(session: Session, said: Said, message: Message, *, key: str, now: datetime) -> None:
    """Queue `message` as a reply in `said`'s thread (its own, if it is a root).

    The message is recorded as posted under its topic (as the delivery job
    records Tandem's own messages), so the port answers in its thread.
    """
    topic = topic_of(said)
    place = said.place
    root = said.thread_ref or said.message_ref
    row = session.exec(select(PostedMessage).where(
        PostedMessage.topic == topic, PostedMessage.platform == place.platform,
        PostedMessage.tenant == place.tenant, PostedMessage.address == place.channel)).first()
    if row is None:
        session.add(PostedMessage(topic=topic, platform=place.platform, tenant=place.tenant, address=place.channel,
                                  channel=place.channel, message_ref=root[:200], updated_at=now))
        session.flush()
    where = Recipient(kind="channel", platform=place.platform, tenant=place.tenant, address=place.channel)
    outbox.notify(session, where, message, key=key, now=now, topic=topic, in_thread=True, kind="thanks_thread")


def record_source(session: Session, *, kudos_id: int, kind: str, said: Said, giver: Person, author: Person | None,
                  now: datetime) -> KudosSource:
    """Remember which message a kudos came from, and how."""
    assert giver.id is not None
    row = KudosSource(kudos_id=kudos_id, kind=kind, message_key=said.key, giver_id=giver.id,
                      author_id=author.id if author else None, link=said.link[:500], created_at=now)
    session.add(row)
    return row


REACTION_TEXT = 150  # how much of a thanked message its kudos and announcement quote
WITHDRAW_WINDOW = timedelta(minutes=10)


def announcement_topic(said: Said) -> str:
    """The topic of the one announcement that grows with a message's reactions."""
    return "thanked:" + hashlib.sha256(said.key.encode()).hexdigest()[:40]


def shortened(value: str, limit: int = REACTION_TEXT) -> str:
    flat = " ".join(value.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def reaction_kudos(session: Session, said: Said, giver: Person) -> KudosSource | None:
    return session.exec(select(KudosSource).where(KudosSource.kind == "reaction",
                                                  KudosSource.message_key == said.key,
                                                  KudosSource.giver_id == giver.id)).first()


def announce_reactions(session: Session, said: Said, receiver: Person, *, reason: str, key: str,
                       now: datetime) -> None:
    """Queue the message's one announcement as it stands now: posted the first
    time, updated in place after (the outbox topic remembers where it went)."""
    message = grown_message(session, kind="reaction", message_key=said.key, receiver=receiver, reason=reason,
                            link=said.link)
    where = kudos_service.announcement_place(session, said.place)
    outbox.notify(session, where, message, key=key, now=now, topic=announcement_topic(said), replace=True,
                  kind="kudos")


@dataclass(frozen=True)
class Grown:
    """Who gave on one thanked thing, as a grown announcement shows it."""

    givers: list[Person]  # the first few, in order
    total: int
    values: list[str]


def grown(session: Session, *, kind: str, message_key: str) -> Grown:
    """The first few givers, how many gave and their values, in three queries
    however many gave (a burst of 500 presses rebuilds this 500 times)."""
    sources = (col(KudosSource.kind) == kind, col(KudosSource.message_key) == message_key)
    total = session.exec(select(func.count()).select_from(KudosSource).where(*sources)).one()
    givers = session.exec(select(Person).join(KudosSource, col(KudosSource.giver_id) == col(Person.id))
                          .where(*sources).order_by(col(KudosSource.created_at), col(KudosSource.kudos_id))
                          .limit(say.SHOWN_GIVERS + 1)).all()
    values = session.exec(select(KudosTag.tag).distinct()
                          .where(col(KudosTag.is_value) == True,  # noqa: E712
                                 col(KudosTag.kudos_id).in_(select(KudosSource.kudos_id).where(*sources)))).all()
    return Grown(givers=list(givers), total=int(total), values=sorted(values))


def grown_message(session: Session, *, kind: str, message_key: str, receiver: Person, reason: str,
                  link: str) -> Message:
    """The grown announcement as it stands now."""
    now_grown = grown(session, kind=kind, message_key=message_key)
    return say.grown_announcement(now_grown.givers, receiver, reason, now_grown.values, link, total=now_grown.total)


def withdraw(session: Session, source: KudosSource) -> None:
    """Take back a reaction's kudos: the kudos, its receivers, tags and source."""
    kudos_id = source.kudos_id
    for model in (KudosTag, KudosReceiver):
        for row in session.exec(select(model).where(model.kudos_id == kudos_id)).all():
            session.delete(row)
    session.delete(source)
    session.flush()
    kudos = session.get(Kudos, kudos_id)
    if kudos is not None:
        session.delete(kudos)
    session.flush()


def intake_team(session: Session, place: Place) -> Team | None:
    """The team whose requests land in `place` (its intake channel), if any."""
    return session.exec(select(Team).where(Team.intake_platform == place.platform, Team.intake_tenant == place.tenant,
                                           Team.intake_channel == place.channel).order_by(col(Team.id))).first()


def request_from(session: Session, said: Said) -> RequestSource | None:
    return session.get(RequestSource, said.key)


def file_from_message(session: Session, said: Said, *, team: Team, author: Person, title: str,
                      now: datetime) -> tuple[Request, Due]:
    """File `said` as a request from its author to `team`, its card in the message's thread.

    The request is filed as `/ask` files one (the team's standard sets the due
    date); the card's first post goes into the thread of the message, and is
    updated in place there after.
    """
    due = request_service.due_for(team=team, requester=author, when=None, now=now)
    req = request_service.file(session, request_service.Ask(team=team, title=title, due=due), requester=author,
                               now=now, origin=(said.place.platform, said.place.tenant, said.place.channel))
    assert req.id is not None
    session.add(RequestSource(message_key=said.key, request_id=req.id, link=said.link[:500], created_at=now))
    place = said.place
    session.add(PostedMessage(topic=f"request:{req.id}", platform=place.platform, tenant=place.tenant,
                              address=place.channel, channel=place.channel,
                              message_ref=(FIRST_IN_THREAD + (said.thread_ref or said.message_ref))[:200],
                              updated_at=now))
    return req, due
