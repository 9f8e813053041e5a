"""Everything one command needs while it runs, in one object.

A `Context` lives for one transaction: the session, the clock, the acting
person, where they typed, what the adapter knew of the people and channels
they mentioned, and the subject the permission check was made against.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.events import Actor, Place
from bot.messages import Text
from bot.services.clock import Clock
from bot.services.dates import DEFAULT_HORIZON, DateReading, date_order
from storage.models import Person, Request, Team


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
    subject: Team | Request | None = None
    notes: list[Text] = field(default_factory=list)  # said after the reply (e.g. "you're the first admin")
    private_content: bool = False  # the reply shows a private request: never into a shared conversation

    def now(self) -> datetime:
        return self.clock.now()

    def shows(self, req: Request) -> None:
        """Note that the reply shows `req`'s title or text (see `private_content`)."""
        if req.private:
            self.private_content = True

    @property
    def team(self) -> Team:
        """The team the command is about (its registration names `<team>`)."""
        assert isinstance(self.subject, Team), "this command has no <team> subject"
        return self.subject

    @property
    def request(self) -> Request:
        """The request the command is about (its registration names `<request>`)."""
        assert isinstance(self.subject, Request), "this command has no <request> subject"
        return self.subject
    def dates(self) -> DateReading:
        """How the acting person's typed dates are read: their zone, the day/month
        order of their locale (else the organisation's), and the horizon."""
        return DateReading(tz=self.person.timezone, order=date_order(self.person.locale or self.default_locale),
                           horizon=self.horizon)
