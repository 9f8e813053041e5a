"""The one door into Tandem: adapters hand in commands, button presses and
forms, and get a neutral `Reply` back.

Each call is one database transaction in a worker thread (SQL is blocking;
the event loop must stay free for Slack's 3-second acks). A `Problem` rolls
the transaction back, so a refused command changes nothing. A platform
delivery id seen before replays the stored reply instead of acting again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

import bot.commands  # noqa: F401  (registers the commands)
from bot.commands import kudos as kudos_commands
from bot.context import Context
from bot.events import Action, Actor, Command, FormSubmission, Place
from bot.messages import Message, Reply, Section
from bot.problems import Problem
from bot.registry import registry
from bot.services import home as home_service
from bot.services import people
from bot.services.clock import Clock, SystemClock
from bot.services.dates import DEFAULT_HORIZON, canonical_locale
from storage.models import CommandReceipt, Person

log = logging.getLogger(__name__)

UNKNOWN_COMMAND = "I don't know /{name}. Try /tandem help."
BROKEN = "Sorry — something went wrong on my side and nothing was changed. Please try again in a moment."


class Tandem:
    def __init__(self, engine: Engine, *, clock: Clock | None = None, default_tz: str = "UTC",
                 horizon: timedelta = DEFAULT_HORIZON, default_locale: str | None = None) -> None:
        self.engine = engine
        self.clock: Clock = clock or SystemClock()
        self.default_tz = default_tz if people.valid_timezone(default_tz) else "UTC"
        self.horizon = horizon  # how far ahead a due date or snooze may be
        self.default_locale = canonical_locale(default_locale)  # TANDEM_LOCALE: how dates are written
        if default_locale and self.default_locale is None:
            log.warning("TANDEM_LOCALE %r is not a locale I know; numeric dates that read two ways are refused",
                        default_locale[:40])

    # --- the three ways in -------------------------------------------------

    async def handle_command(self, command: Command) -> Reply:
        return await asyncio.to_thread(self.run_command, command)

    async def handle_action(self, action: Action) -> Reply:
        return await asyncio.to_thread(self.run_action, action)

    async def handle_form(self, submission: FormSubmission) -> Reply:
        return await asyncio.to_thread(self.run_form, submission)

    # --- synchronous bodies (tests and the terminal call these directly) ---

    def run_command(self, command: Command) -> Reply:
        spec = registry.commands.get(command.name.lstrip("/").lower())
        if spec is None:
            return Reply.refuse(UNKNOWN_COMMAND.format(name=command.name.lstrip("/")[:30]))
        key = _receipt_key(command.actor, "cmd", command.command_id)
        return self._transaction(command.actor, command.place, key, command.mentions, command.channels,
                                 lambda ctx: spec.func(ctx, command.text.strip()))

    def run_action(self, action: Action) -> Reply:
        key = _receipt_key(action.actor, "act", action.action_key)
        if action.action_id == "cmd":
            name, _, text = action.value.partition(" ")
            spec = registry.commands.get(name)
            if spec is None:
                return Reply.refuse(UNKNOWN_COMMAND.format(name=name[:30]))
            return self._transaction(action.actor, action.place, key, (), (), lambda ctx: spec.func(ctx, text))
        if action.action_id == "form.open":
            form_id, _, metadata = action.value.partition(":")
            build = registry.form_builders.get(form_id)
            if build is None:
                return Reply.refuse("That button no longer works; try the command instead.")
            return self._transaction(action.actor, action.place, None, (), (),
                                     lambda ctx: Reply(form=build(ctx, metadata)))
        if action.action_id == "kudos.thank":
            if not action.value.isdigit():
                return Reply.refuse("That button no longer works; try /kudos instead.")
            return self._transaction(action.actor, action.place, key, (), (),
                                     lambda ctx: kudos_commands.thank_for_request(ctx, int(action.value)))
        return Reply.refuse("That button no longer works; try the command instead.")

    def run_form(self, submission: FormSubmission) -> Reply:
        handler = registry.forms.get(submission.form_id)
        if handler is None:
            return Reply.refuse("That form is out of date; please open it again.")
        key = _receipt_key(submission.actor, "form", submission.submission_id)
        metadata = submission.private_metadata
        return self._transaction(submission.actor, submission.place, key, submission.mentions, (),
                                 lambda ctx: handler(ctx, submission.values, metadata), form=True)

    def introduce(self, actor: Actor) -> Person:
        """Make sure `actor` is a known person (the terminal's `--as NAME`)."""
        with Session(self.engine, expire_on_commit=False) as session:
            person = people.ensure(session, actor, now=self.clock.now(), default_tz=self.default_tz)
            session.commit()
            assert person is not None
            return person

    def open_form(self, actor: Actor, place: Place, form_id: str, metadata: str = "") -> Reply:
        """A form by id, e.g. the "Give kudos for this" shortcut's."""
        return self.run_action(Action(actor=actor, place=place, action_id="form.open", value=f"{form_id}:{metadata}"))

    async def home(self, actor: Actor) -> Message:
        """`actor`'s home page (Slack App Home): their requests, their teams'
        queues, kudos received this month."""
        return await asyncio.to_thread(self.run_home, actor)

    def run_home(self, actor: Actor) -> Message:
        with Session(self.engine, expire_on_commit=False) as session:
            person = people.ensure(session, actor, now=self.clock.now(), default_tz=self.default_tz)
            if person is None:
                return Message(title=("Say hello to Tandem first: try /tandem help.",))
            message = home_service.home_message(session, person, now=self.clock.now())
            session.commit()
            return message

    # --- the transaction ---------------------------------------------------

    def _transaction(self, actor: Actor, place: Place, key: str | None, mentions: tuple[Actor, ...],
                     channels: tuple[Place, ...], body: Callable[[Context], Reply], *, form: bool = False) -> Reply:
        now: datetime = self.clock.now()
        try:
            with Session(self.engine, expire_on_commit=False) as session:
                if key is not None:
                    seen = session.get(CommandReceipt, key)
                    if seen is not None:
                        return Reply.model_validate_json(seen.reply_json)
                person = people.ensure(session, actor, now=now, default_tz=self.default_tz)
                if person is None:
                    return Reply.refuse("Say hello to Tandem first: I don't know you yet.")
                ctx = Context(session=session, clock=self.clock, actor=actor, person=person, place=place,
                              default_tz=self.default_tz, horizon=self.horizon,
                              default_locale=self.default_locale, mentions={m.user_id: m for m in mentions},
                              channels={c.channel: c for c in channels})
                try:
                    reply = body(ctx)
                except Problem as problem:
                    session.rollback()
                    return _refusal(problem, form=form)
                if key is not None:
                    session.add(CommandReceipt(key=key, reply_json=reply.model_dump_json(), created_at=now))
                session.commit()
                return reply
        except IntegrityError:
            if key is not None:
                with Session(self.engine) as session:
                    seen = session.get(CommandReceipt, key)
                    if seen is not None:
                        return Reply.model_validate_json(seen.reply_json)
            log.exception("integrity error")
            return Reply.refuse(BROKEN)


def _receipt_key(actor: Actor, kind: str, delivery_id: str | None) -> str | None:
    if not delivery_id:
        return None
    return f"{actor.platform}:{actor.tenant}:{kind}:{delivery_id}"[:250]


def _refusal(problem: Problem, *, form: bool) -> Reply:
    sections = (Section(heading="What you wrote", text=(problem.echo,)),) if problem.echo else ()
    message = Message(title=problem.message, sections=sections)
    errors = {problem.field: "".join(p if isinstance(p, str) else p.name for p in problem.message)} \
        if form and problem.field else {}
    return Reply(message=message, ok=False, errors=errors)
