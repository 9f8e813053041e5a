"""Everything one command needs while it runs, in one object.

A `Context` lives for one transaction: the session, the clock, the acting
person, where they typed, and what the adapter knew of the people and
channels they mentioned.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from bot.events import Actor, Place
from bot.services.clock import Clock
from storage.models import Person


@dataclass
class Context:
    session: Session
    clock: Clock
    actor: Actor
    person: Person
    place: Place
    default_tz: str = "UTC"
    mentions: dict[str, Actor] = field(default_factory=dict)
    channels: dict[str, Place] = field(default_factory=dict)

    def now(self) -> datetime:
        return self.clock.now()
