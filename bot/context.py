"""Everything one command needs while it runs, in one object.

A `Context` lives for one transaction: the session, the clock, the acting
person, where they typed, and what the adapter knew of the people and
channels they mentioned.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.events import Actor, Place
from bot.services.clock import Clock
from bot.services.dates import DEFAULT_HORIZON, DateReading, date_order
from storage.models import Person


@dataclass
class Context:
    session: Session
    clock: Clock
    actor: Actor
    person: Person
    place: Place
    default_tz: str = "UTC"
    horizon: timedelta = DEFAULT_HORIZON
    default_locale: str | None = None
    mentions: dict[str, Actor] = field(default_factory=dict)
    channels: dict[str, Place] = field(default_factory=dict)

    def now(self) -> datetime:
        return self.clock.now()

    def dates(self) -> DateReading:
        """How the acting person's typed dates are read: their zone, the day/month
        order of their locale (else the organisation's), and the horizon."""
        return DateReading(tz=self.person.timezone, order=date_order(self.person.locale or self.default_locale),
                           horizon=self.horizon)
