"""Builders for the scheduler tests: a small company made through real
commands, a port that records what it was asked to deliver and when, and a
driver that moves the clock the way the running scheduler would."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session, select

from bot.core import Tandem
from bot.messages import Message, plain
from bot.ports import Delivered, Recipient
from bot.services.clock import FrozenClock
from scheduler import jobs
from storage.models import Notification, Request
from tests.helpers import command, join, person


@dataclass
class Sent:
    at: datetime
    to: str  # "@bob" or "#it-help"
    title: str
    message: Message
    replaced: bool


@dataclass
class RecordingPort:
    """A ChatPort for the shell platform that keeps every send, stamped with
    the clock's time."""

    clock: FrozenClock
    platform: str = "shell"
    sent: list[Sent] = field(default_factory=list)

    async def send(self, recipient: Recipient, message: Message, *, thread_of: Delivered | None = None,
                   replace: Delivered | None = None) -> Delivered:
        where = ("@" if recipient.kind == "person" else "#") + recipient.address
        self.sent.append(Sent(self.clock.now(), where, plain(message.title), message, replace is not None))
        return Delivered(message_ref=str(len(self.sent)), channel=recipient.address)

    def to(self, who: str, containing: str = "") -> list[Sent]:
        return [s for s in self.sent if s.to == who and containing in s.title]

    def nudges(self) -> list[Sent]:
        return [s for s in self.sent if any(w in s.title for w in (
            "has waited", "three quarters", "is due now", "fell due", "overdue by", "more reminder"))]


def run(core: Tandem, who: str, line: str, tz: str | None = None) -> str:
    reply = core.run_command(command(person(who, tz) if tz else who, line))
    assert reply.message is not None
    text = plain(reply.message.title)
    assert reply.ok, text
    return text


def it_team(core: Tandem, *, tz: str = "Europe/London", lead_tz: str | None = None) -> None:
    """Team "it" led by alice with bob, its channel #it-help, in `tz`."""
    run(core, "alice", 'tandem team add it "IT Help"', lead_tz)
    run(core, "alice", f"tandem team edit it timezone {tz}")
    run(core, "alice", "tandem team edit it channel #it-help")
    join(core, "it", "bob")


async def settle(core: Tandem, port: RecordingPort) -> jobs.TickReport:
    """One scheduler round at the clock's time: tick, then deliver."""
    report = await jobs.tick(core.engine, core.clock, default_tz=core.default_tz)
    await jobs.deliver(core.engine, core.clock, {"shell": port})
    return report


async def run_until(core: Tandem, port: RecordingPort, until: datetime, *,
                    step: timedelta = timedelta(minutes=15)) -> None:
    """Tick and deliver every `step` from now to `until`, like `tandem serve`."""
    clock = core.clock
    assert isinstance(clock, FrozenClock)
    while clock.now() <= until:
        await settle(core, port)
        clock.advance(step)


def pending_keys(core: Tandem) -> list[str]:
    with Session(core.engine) as session:
        return list(session.exec(select(Notification.idempotency_key).where(Notification.status == "pending")).all())


def request(core: Tandem, request_id: int) -> Request:
    with Session(core.engine) as session:
        found = session.get(Request, request_id)
        assert found is not None
        return found
