"""The process's one deliverer: a held-back conversation's backlog drains
at the platform's pace because the deliverer wakes itself when the pause
ends, not one message per periodic run; its database work never runs on
the event loop."""

from __future__ import annotations

import asyncio
import threading

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.messages import Message
from bot.ports import Delivered, Recipient, RetryLater
from bot.services import outbox
from bot.services.clock import SystemClock
from scheduler.deliverer import Deliverer

CHANNEL = Recipient(kind="channel", platform="bench", tenant="T1", address="C-BUSY")
PAUSE = 0.05


class PacedPort:
    """A message per `PAUSE` seconds per conversation, on the real clock."""

    platform = "bench"

    def __init__(self) -> None:
        self.next_post = 0.0
        self.sent: list[str] = []
        self.loop_threads: set[int] = set()

    async def send(self, recipient: Recipient, message: Message, *, thread_of: Delivered | None = None,
                   replace: Delivered | None = None) -> Delivered:
        self.loop_threads.add(threading.get_ident())
        now = asyncio.get_running_loop().time()
        if now < self.next_post:
            raise RetryLater(self.next_post - now, "pacing", held=True)
        self.next_post = now + PAUSE
        self.sent.append(str(message.title[0]))
        return Delivered(message_ref=str(len(self.sent)), channel=recipient.address)


async def test_a_held_back_backlog_drains_at_the_platforms_pace_without_a_periodic_run(engine: Engine) -> None:
    clock = SystemClock()
    with Session(engine) as session:
        for n in range(5):
            outbox.notify(session, CHANNEL, Message(title=(f"message {n}",)), key=f"backlog-{n}", now=clock.now())
        session.commit()
    port = PacedPort()
    sql_threads: set[int] = set()

    def record(*_: object) -> None:
        sql_threads.add(threading.get_ident())

    event.listen(engine, "before_cursor_execute", record)
    deliverer = Deliverer(engine, clock, {"bench": port})
    deliverer.kick()
    for _ in range(200):  # no periodic run here: only the deliverer's own wake-ups
        if len(port.sent) == 5:
            break
        await asyncio.sleep(0.02)
    await deliverer.settle()
    deliverer.close()
    event.remove(engine, "before_cursor_execute", record)
    assert port.sent == [f"message {n}" for n in range(5)]
    assert port.loop_threads == {threading.get_ident()}  # the sends run on the loop…
    assert sql_threads and threading.get_ident() not in sql_threads  # …and no SQL ever does
