"""A message updated in place (an outbox topic with `replace=True`) goes out
as its newest state only: older pending states are marked superseded, a
growing announcement is sent at most once per `UPDATE_INTERVAL`, the last
state always goes out, and two claimers never hold two states of one topic.
On SQLite and PostgreSQL (the `engine` fixture runs both)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.messages import Message
from bot.services import outbox
from bot.services.clock import FrozenClock, SystemClock
from scheduler import delivery
from scheduler.deliverer import Deliverer
from scheduler.delivery import UPDATE_INTERVAL, deliver_batch
from storage import outbox as claims
from storage.db import make_engine
from storage.models import Notification
from tests.conftest import MONDAY_10_UTC
from tests.scheduler.support import RecordingPort

KUDOS = outbox.to_channel("shell", "local", "kudos")
TOPIC = "thanks:request:42"


def queue(engine: Engine, clock: FrozenClock, states: range, *, topic: str = TOPIC, kind: str = "kudos") -> None:
    with Session(engine) as session:
        for n in states:
            outbox.notify(session, KUDOS, Message(title=(f"{n + 1} thanked",)), key=f"{topic}:{n}", now=clock.now(),
                          topic=topic, replace=True, kind=kind)
        session.commit()


def statuses(engine: Engine, topic: str = TOPIC) -> dict[str, int]:
    with Session(engine) as session:
        rows = session.exec(select(Notification).where(Notification.topic == topic)).all()
    counted: dict[str, int] = {}
    for row in rows:
        counted[row.status] = counted.get(row.status, 0) + 1
    return counted


async def test_fifty_states_of_one_announcement_go_out_as_one_post_of_the_newest(engine: Engine) -> None:
    clock = FrozenClock(MONDAY_10_UTC)
    port = RecordingPort(clock)
    queue(engine, clock, range(50))
    batch = await deliver_batch(engine, {"shell": port}, clock, limit=20)
    assert [s.title for s in port.sent] == ["50 thanked"]  # the newest, though the batch claimed the oldest 20
    assert batch.sent == 1
    assert statuses(engine) == {"sent": 1, "superseded": 49}  # kept, not deleted


async def test_a_growing_announcement_waits_its_interval_and_its_last_state_always_goes(engine: Engine) -> None:
    clock = FrozenClock(MONDAY_10_UTC)
    port = RecordingPort(clock)
    queue(engine, clock, range(1))
    await deliver_batch(engine, {"shell": port}, clock)
    queue(engine, clock, range(1, 10))
    paced = await deliver_batch(engine, {"shell": port}, clock)
    assert len(port.sent) == 1 and paced.sent == 0
    assert paced.held_until == MONDAY_10_UTC + UPDATE_INTERVAL  # the deliverer wakes then
    clock.advance(UPDATE_INTERVAL / 2)
    queue(engine, clock, range(10, 12))  # more presses while it waits
    await deliver_batch(engine, {"shell": port}, clock)
    assert len(port.sent) == 1
    clock.advance(UPDATE_INTERVAL / 2)
    await deliver_batch(engine, {"shell": port}, clock)
    assert [(s.title, s.replaced) for s in port.sent] == [("1 thanked", False), ("12 thanked", True)]
    assert statuses(engine) == {"sent": 2, "superseded": 10}
    with Session(engine) as session:  # waiting its turn was no failed attempt
        assert max(r.attempts for r in session.exec(select(Notification))) == 1


async def test_a_request_card_is_coalesced_but_not_paced(engine: Engine) -> None:
    clock = FrozenClock(MONDAY_10_UTC)
    port = RecordingPort(clock)
    queue(engine, clock, range(1), topic="request:7", kind="request_card")
    await deliver_batch(engine, {"shell": port}, clock)
    queue(engine, clock, range(1, 3), topic="request:7", kind="request_card")
    await deliver_batch(engine, {"shell": port}, clock)
    assert [(s.title, s.replaced) for s in port.sent] == [("1 thanked", False), ("3 thanked", True)]


async def test_two_claimers_never_hold_two_states_of_one_topic(engine: Engine) -> None:
    clock = FrozenClock(MONDAY_10_UTC)
    queue(engine, clock, range(3))
    first = claims.claim_due(engine, now=clock.now())
    assert [r.message_json.count("3 thanked") for r in first] == [1]  # replica A holds the newest
    queue(engine, clock, range(3, 5))  # two more presses while A sends
    assert claims.claim_due(engine, now=clock.now()) == []  # replica B leaves the topic alone
    assert first[0].id is not None
    claims.mark_sent(engine, first[0].id, now=clock.now())
    second = claims.claim_due(engine, now=clock.now())
    assert len(second) == 1 and "5 thanked" in second[0].message_json
    assert statuses(engine) == {"sent": 1, "superseded": 3, "pending": 1}


async def test_a_claimer_that_died_leaves_the_topic_to_the_next_after_its_lease(engine: Engine) -> None:
    clock = FrozenClock(MONDAY_10_UTC)
    queue(engine, clock, range(2))
    assert len(claims.claim_due(engine, now=clock.now())) == 1  # and then the replica died
    queue(engine, clock, range(2, 3))
    assert claims.claim_due(engine, now=clock.now()) == []
    clock.advance(claims.LEASE + timedelta(seconds=1))
    taken = claims.claim_due(engine, now=clock.now())
    assert len(taken) == 1 and "3 thanked" in taken[0].message_json
    with Session(engine) as session:
        left = session.exec(select(Notification).where(col(Notification.status) == "pending")).all()
    assert [r.id for r in left] == [taken[0].id]


async def test_the_deliverer_wakes_for_every_paced_topic_not_only_the_first(engine: Engine,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Two growing topics paced to different moments: both newest states go out
    from the deliverer's own wake-ups, with no periodic run."""
    monkeypatch.setattr(delivery, "UPDATE_INTERVAL", timedelta(seconds=0.3))
    clock = SystemClock()
    port = RecordingPort(clock)  # type: ignore[arg-type]
    deliverer = Deliverer(engine, clock, {"shell": port})
    try:
        queue(engine, clock, range(1), topic="thanks:a")  # type: ignore[arg-type]
        deliverer.kick()
        await deliverer.settle()
        await asyncio.sleep(0.15)
        queue(engine, clock, range(1), topic="thanks:b")  # type: ignore[arg-type]
        deliverer.kick()
        await deliverer.settle()
        queue(engine, clock, range(1, 3), topic="thanks:a")  # type: ignore[arg-type]
        queue(engine, clock, range(1, 3), topic="thanks:b")  # type: ignore[arg-type]
        deliverer.kick()  # both paced: a until ~0.3 s, b until ~0.45 s
        for _ in range(100):
            if len(port.sent) == 4:
                break
            await asyncio.sleep(0.02)
        await deliverer.settle()
    finally:
        deliverer.close()
    assert sorted((s.title, s.replaced) for s in port.sent) == [
        ("1 thanked", False), ("1 thanked", False), ("3 thanked", True), ("3 thanked", True)]


async def test_two_replicas_coalescing_one_topic_at_once_send_its_newest_state_once(engine: Engine,
                                                                                    db_url: str) -> None:
    other = make_engine(db_url)  # the second replica's own connections
    try:
        clock = FrozenClock(MONDAY_10_UTC)
        first, second = RecordingPort(clock), RecordingPort(clock)
        for round_number in range(5):
            queue(engine, clock, range(round_number * 40, (round_number + 1) * 40))
            await asyncio.gather(deliver_batch(engine, {"shell": first}, clock, limit=20),
                                 deliver_batch(other, {"shell": second}, clock, limit=20))
            clock.advance(UPDATE_INTERVAL)
            await asyncio.gather(deliver_batch(engine, {"shell": first}, clock, limit=20),
                                 deliver_batch(other, {"shell": second}, clock, limit=20))
            sent = sorted(first.sent + second.sent, key=lambda s: s.at)
            assert sent[-1].title == f"{(round_number + 1) * 40} thanked"  # the newest state, whoever sent it
            clock.advance(UPDATE_INTERVAL)
        assert len(first.sent + second.sent) == 5  # one state per round, never two
        assert statuses(engine) == {"sent": 5, "superseded": 195}
    finally:
        other.dispose()
