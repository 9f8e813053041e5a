"""A conversation a port holds back (its own pacing, a platform's rate limit)
is slow, never lost, and costs one write per pause, not one per message.

Found by bench/delivery_rate_limits.py and bench/slash_commands.py: with a
backlog for one channel paced at a message a second, every queued message
was claimed and released again every second (the SQLite writer lock was busy
with nothing else), and the later ones were marked failed after
`MAX_ATTEMPTS` claims without ever being tried.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.messages import Message
from bot.ports import Delivered, Recipient, RetryLater
from bot.services import outbox
from bot.services.clock import FrozenClock
from scheduler.delivery import MAX_ATTEMPTS, deliver_due
from storage.models import Notification

BUSY = Recipient(kind="channel", platform="bench", tenant="T1", address="C-BUSY")
QUIET = Recipient(kind="channel", platform="bench", tenant="T1", address="C-QUIET")


class PacingPort:
    """Like the Slack port: one message a second per conversation, and a
    held-back send is refused before anything is tried."""

    platform = "bench"

    def __init__(self, clock: FrozenClock) -> None:
        self.clock = clock
        self.next_post: dict[str, float] = {}
        self.asked: list[str] = []
        self.delivered: list[tuple[str, str]] = []

    async def send(self, recipient: Recipient, message: Message, *, thread_of: Delivered | None = None,
                   replace: Delivered | None = None) -> Delivered:
        self.asked.append(recipient.address)
        now = self.clock.now().timestamp()
        wait = self.next_post.get(recipient.address, 0.0) - now
        if wait > 0:
            raise RetryLater(wait, f"pacing {recipient.address}", held=True)
        self.next_post[recipient.address] = now + 1.0
        self.delivered.append((recipient.address, message.title[0]))
        return Delivered(message_ref=str(len(self.delivered)), channel=recipient.address)


class FailingPort:
    """Slack answering 503 every time: a real failure, not a hold."""

    platform = "bench"

    def __init__(self) -> None:
        self.asked = 0

    async def send(self, recipient: Recipient, message: Message, *, thread_of: Delivered | None = None,
                   replace: Delivered | None = None) -> Delivered:
        self.asked += 1
        raise RetryLater(1.0, "Slack answered 503")


def queue(engine: Engine, clock: FrozenClock, recipient: Recipient, titles: list[str]) -> None:
    with Session(engine) as session:
        for title in titles:
            outbox.notify(session, recipient, Message(title=(title,)), key=f"held:{recipient.address}:{title}",
                          now=clock.now())
        session.commit()


def rows(engine: Engine, recipient: Recipient) -> list[Notification]:
    with Session(engine) as session:
        return list(session.exec(select(Notification).where(Notification.address == recipient.address)
                                 .order_by(Notification.id)).all())


async def test_a_held_channel_is_asked_once_per_run_and_its_backlog_waits_together(engine: Engine,
                                                                                 clock: FrozenClock) -> None:
    queue(engine, clock, BUSY, [f"busy {n}" for n in range(30)])
    queue(engine, clock, QUIET, ["quiet 0"])
    port = PacingPort(clock)

    assert await deliver_due(engine, {"bench": port}, clock) == 2

    assert port.delivered == [("C-BUSY", "busy 0"), ("C-QUIET", "quiet 0")]
    assert port.asked.count("C-BUSY") == 2  # the first message, then the hold; the other 28 were not tried
    waiting = [row for row in rows(engine, BUSY) if row.status == "pending"]
    assert len(waiting) == 29
    assert {row.due_at for row in waiting} == {clock.now() + timedelta(seconds=1)}
    assert {row.attempts for row in waiting} == {0}
    assert {row.lease_until for row in waiting} == {None}


async def test_a_held_backlog_goes_out_in_order_one_a_second(engine: Engine, clock: FrozenClock) -> None:
    queue(engine, clock, BUSY, [f"busy {n}" for n in range(5)])
    port = PacingPort(clock)
    for _ in range(5):
        await deliver_due(engine, {"bench": port}, clock)
        assert await deliver_due(engine, {"bench": port}, clock) == 0  # nothing due until the pause ends
        clock.advance(seconds=1)
    assert port.delivered == [("C-BUSY", f"busy {n}") for n in range(5)]
    assert {row.status for row in rows(engine, BUSY)} == {"sent"}


async def test_a_message_held_back_more_than_max_attempts_times_is_still_delivered(engine: Engine,
                                                                                 clock: FrozenClock) -> None:
    queue(engine, clock, BUSY, [f"busy {n}" for n in range(MAX_ATTEMPTS * 2)])
    port = PacingPort(clock)
    for _ in range(MAX_ATTEMPTS * 2):
        await deliver_due(engine, {"bench": port}, clock)
        clock.advance(seconds=1)
    last = rows(engine, BUSY)[-1]
    assert (last.status, last.attempts) == ("sent", 1)
    assert len(port.delivered) == MAX_ATTEMPTS * 2


async def test_a_message_that_keeps_failing_is_given_up_after_max_attempts(engine: Engine,
                                                                          clock: FrozenClock) -> None:
    queue(engine, clock, BUSY, ["busy 0"])
    port = FailingPort()
    for _ in range(MAX_ATTEMPTS * 3):
        await deliver_due(engine, {"bench": port}, clock)
        clock.advance(seconds=2)
    (row,) = rows(engine, BUSY)
    assert (row.status, row.attempts, port.asked) == ("failed", MAX_ATTEMPTS, MAX_ATTEMPTS)
