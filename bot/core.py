"""The one door into Tandem: adapters hand in commands, button presses and
forms, and get a neutral `Reply` back.

Each call is one database transaction in a worker thread (SQL is blocking;
the event loop must stay free for Slack's 3-second acks), run in the same
steps whatever the platform:

1. a platform delivery seen before replays its stored reply (the receipt);
2. the person is found (and, in a fresh organisation, made its first admin);
3. the registration is looked up, its subject found and its roles checked
   (`bot.access.check`): the only place rights are decided;
4. the body runs; a `Problem` rolls everything back into a polite refusal,
   a `Conflict` (someone moved the same request first) runs it once more on
   fresh state, and any other failure rolls back into an apology with a
   short error id that is also in the log;
5. after the commit, the process's deliverer is told there is mail, so
   notifications go out at once on every platform.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import bindparam, insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlmodel import Session, select

import bot.commands  # noqa: F401  (registers the commands)
from bot import access, failures
from bot.context import Context
from bot.events import Action, Actor, Command, ConversationEvent, FormSubmission, PersonUpdate, Place
from bot.messages import Message, Reply, Section
from bot.problems import Conflict, Problem
from bot.registry import REQUEST_ID, TEAM_HANDLE, Match, Once, SubjectKind, registry, split_subject
from bot.services import conversation as conversation_service
from bot.services import home as home_service
from bot.services import outbox, people, roles
from bot.services import requests as request_service
from bot.services import teams as team_service
from bot.services.clock import Clock, SystemClock
from bot.services.dates import DEFAULT_HORIZON, canonical_locale
from bot.text_safety import shown, storable
from bot.texts import core as say
from storage.models import CommandReceipt, Person, Request, Team

log = logging.getLogger(__name__)

Body = Callable[[Context], Reply]
PEOPLE_CHOICES = 500
# the stored reply of a command seen before; a Core select built once: the ORM's get cost more
# than the lookup, on every command
_RECEIPT = select(CommandReceipt.reply_json).where(CommandReceipt.key == bindparam("key"))


@dataclass(frozen=True)
class _Outcome:
    reply: Reply
    queued: bool  # the transaction wrote notifications: the deliverer has work


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
        self._after_commit: Callable[[], None] | None = None
        # the organisation has its first admin: a committed fact that never reverts, so
        # once a transaction has seen it no command needs to ask again
        self._first_admin_seen = False
        # called with (command/button/form name, outcome, seconds) after each call: the process's metrics
        self.observers: list[Callable[[str, str, float], None]] = []

    def on_commit(self, hook: Callable[[], None] | None) -> None:
        """What to call (on the event loop) after a command committed
        notifications: the process's deliverer. Edges never deliver."""
        self._after_commit = hook

    # --- the ways in ---------------------------------------------------------

    async def handle_command(self, command: Command) -> Reply:
        return self._settled(await asyncio.to_thread(self._command_safely, command))

    async def handle_action(self, action: Action) -> Reply:
        return self._settled(await asyncio.to_thread(self._action_safely, action))

    async def handle_form(self, submission: FormSubmission) -> Reply:
        return self._settled(await asyncio.to_thread(self._form_safely, submission))

    async def handle_event(self, event: ConversationEvent) -> Reply:
        """Something done in a conversation (a message, a reaction, "turn into
        request"). What it causes is delivered through the outbox; the reply
        is for an edge that can show the actor something privately."""
        return self._settled(await asyncio.to_thread(self._event, event))

    def cares(self, event: ConversationEvent) -> bool:
        """A look at an event before an edge spends lookups on it: False means
        Tandem would do nothing with it (most messages thank nobody). Reads no
        database, so it may be called for every message."""
        spec = registry.listeners.get(event.kind)
        return spec is not None and (spec.wants is None or spec.wants(event))

    async def watches(self, emoji: str) -> bool:
        """Whether a reaction means something to Tandem (the kudos or the
        request emoji), so an edge fetches the message only for those."""
        name = conversation_service.emoji_name(emoji)
        if name is None:
            return False

        def read() -> bool:
            with Session(self.engine) as session:
                return name in conversation_service.watched_emoji(session)
        return await asyncio.to_thread(read)

    def is_command(self, name: str) -> bool:
        """Whether `name` is the first word of a chat command (Teams tells a
        command to @Tandem from a thanks that mentions it by this)."""
        return name.lstrip("/").lower() in registry.commands

    async def handle_person_update(self, update: PersonUpdate) -> None:
        """A platform says someone left or came back."""
        self._settled(await asyncio.to_thread(self._safely, "person update", lambda: self._person_update(update)))

    def _settled(self, outcome: _Outcome) -> Reply:
        if outcome.queued and self._after_commit is not None:
            try:
                self._after_commit()
            except Exception:  # noqa: BLE001 - the command committed; delivery catches up on its next tick
                failures.record(log, "waking the deliverer failed")
        return outcome.reply

    # --- synchronous bodies (tests and the terminal call these directly) ---

    def run_command(self, command: Command) -> Reply:
        return self._command_safely(command).reply

    def run_action(self, action: Action) -> Reply:
        return self._action_safely(action).reply

    def run_form(self, submission: FormSubmission) -> Reply:
        return self._form_safely(submission).reply

    def _command_safely(self, command: Command) -> _Outcome:
        return self._safely(f"/{command.name[:30]}", lambda: self._command(_clean_command(command)))

    def _action_safely(self, action: Action) -> _Outcome:
        return self._safely(f"button {action.action_id[:60]}", lambda: self._action(_clean_action(action)))

    def _form_safely(self, submission: FormSubmission) -> _Outcome:
        return self._safely(f"form {submission.form_id[:60]}", lambda: self._form(_clean_form(submission)))

    def _safely(self, label: str, step: Callable[[], _Outcome]) -> _Outcome:
        """The core answers every call: whatever breaks outside a command's
        own transaction (matching it, building its key) is an apology too."""
        try:
            return step()
        except Exception:  # noqa: BLE001 - every call gets an answer, whatever broke
            return _Outcome(failures.apology(failures.record(log, f"{label} failed")), False)

    def run_event(self, event: ConversationEvent) -> Reply:
        return self._event(event).reply

    def _command(self, command: Command) -> _Outcome:
        name = command.name.lstrip("/").lower()
        match = registry.match(name, command.text.strip())
        if match is None:
            return _Outcome(Reply.refuse(say.UNKNOWN_COMMAND.format(name=name[:30])), False)
        key = _receipt_key(command.actor, "cmd", command.command_id)
        return self._run(command.actor, command.place, key, command.mentions, command.channels,
                         lambda ctx: _invoke(ctx, match), label=" ".join(match.spec.path))

    def _action(self, action: Action) -> _Outcome:
        if action.action_id == "form.open":
            form_id, _, metadata = action.value.partition(":")
            form = registry.forms.get(form_id)
            if form is None:
                return _Outcome(Reply.refuse(say.STALE_BUTTON), False)

            def open_form(ctx: Context) -> Reply:
                _authorize(ctx, form.subject, split_subject(form.subject, metadata)[0], form.allow, form.doing)
                return Reply(form=form.build(ctx, metadata))

            return self._run(action.actor, action.place, None, (), (), open_form, label=f"form.open {form_id}")
        spec = registry.actions.get(action.action_id)
        if spec is None:
            return _Outcome(Reply.refuse(say.STALE_BUTTON), False)
        subject_words, argument = split_subject(spec.subject, action.value)

        def press(ctx: Context) -> Reply:
            _authorize(ctx, spec.subject, subject_words, spec.allow, spec.doing)
            return spec.func(ctx, argument)

        return self._run(action.actor, action.place, _action_key(action, spec.once), (), (), press,
                         label=spec.action_id)

    def _form(self, submission: FormSubmission) -> _Outcome:
        form = registry.forms.get(submission.form_id)
        if form is None:
            return _Outcome(Reply.refuse(say.STALE_FORM), False)
        key = _receipt_key(submission.actor, "form", submission.submission_id)
        metadata = submission.private_metadata

        def submit(ctx: Context) -> Reply:
            _authorize(ctx, form.subject, split_subject(form.subject, metadata)[0], form.allow, form.doing)
            return form.func(ctx, submission.values, metadata)

        return self._run(submission.actor, submission.place, key, submission.mentions, (), submit, form=True,
                         label=f"form {form.form_id}")

    def _event(self, event: ConversationEvent) -> _Outcome:
        spec = registry.listeners.get(event.kind)
        if spec is None or not self.cares(event):
            return _Outcome(Reply(), False)  # nothing for Tandem: no transaction, nobody recorded
        key = _receipt_key(event.actor, "evt", event.event_id)

        def react(ctx: Context) -> Reply:
            _authorize(ctx, None, None, spec.allow, spec.doing)
            return spec.func(ctx, event)

        mentions = (event.said.author, *event.said.mentions)  # what the edge knew of the author, then of the mentioned
        return self._run(event.actor, event.said.place, key, mentions, (), react, label=f"event {event.kind}",
                         passive=True)

    def _person_update(self, update: PersonUpdate) -> _Outcome:
        def apply(ctx: Context) -> Reply:
            if update.active:
                roles.platform_reactivate(ctx.session, ctx.person, now=ctx.now())
            else:
                roles.set_active(ctx.session, ctx.person, active=False, by=None, now=ctx.now())
            return Reply.say("ok")

        return self._run(update.actor, Place(platform=update.actor.platform, tenant=update.actor.tenant, channel=""),
                         None, (), (), apply, label="person update", inactive_ok=True)

    def introduce(self, actor: Actor) -> Person:
        """Make sure `actor` is a known person (the terminal's `--as NAME`);
        in a fresh organisation the first one becomes its admin."""
        return self.welcome(actor)[0]

    def welcome(self, actor: Actor) -> tuple[Person, str | None]:
        """`introduce`, and what to tell the person about it (that they are
        the first admin), if anything."""
        with Session(self.engine, expire_on_commit=False) as session:
            person = people.ensure(session, actor, now=self.clock.now(), default_tz=self.default_tz)
            assert person is not None
            first = roles.claim_first_admin(session, person, now=self.clock.now())
            session.commit()
            return person, say.FIRST_ADMIN if first else None

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
                return Message(title=(say.SAY_HELLO,))
            message = home_service.home_message(session, person, now=self.clock.now())
            session.commit()
            return message

    async def known_people(self, platform: str, tenant: str) -> list[tuple[str, str]]:
        """(name, user id) of the active people Tandem knows on a platform's
        tenant, by name: what a form's people picker offers where the platform
        has no people search of its own (Teams)."""
        def query() -> list[tuple[str, str]]:
            with Session(self.engine) as session:
                rows = session.exec(select(Person).where(Person.platform == platform, Person.tenant == tenant,
                                                         Person.active == True)  # noqa: E712
                                    .order_by(Person.display_name).limit(PEOPLE_CHOICES)).all()
                return [(shown(p.display_name), p.user_id) for p in rows]
        return await asyncio.to_thread(query)

    # --- the transaction ---------------------------------------------------

    def _run(self, actor: Actor, place: Place, key: str | None, mentions: tuple[Actor, ...],
             channels: tuple[Place, ...], body: Body, *, form: bool = False, label: str,
             inactive_ok: bool = False, passive: bool = False) -> _Outcome:
        started = time.perf_counter()
        outcome, result = self._attempts(actor, place, key, mentions, channels, body, form=form, label=label,
                                         inactive_ok=inactive_ok, passive=passive)
        seconds = time.perf_counter() - started
        log.info("%s: %s in %.0f ms", label, result, seconds * 1000)
        for observe in self.observers:
            observe(label, result, seconds)
        return outcome

    def _attempts(self, actor: Actor, place: Place, key: str | None, mentions: tuple[Actor, ...],
                  channels: tuple[Place, ...], body: Body, *, form: bool, label: str,
                  inactive_ok: bool, passive: bool = False) -> tuple[_Outcome, str]:
        for attempt in (1, 2):
            try:
                outcome = self._once(actor, place, key, mentions, channels, body, form=form, inactive_ok=inactive_ok,
                                     passive=passive)
                return outcome, "ok" if outcome.reply.ok else "refused"
            except Conflict:
                if attempt == 2:
                    return _Outcome(Reply.refuse(say.CHANGED_MEANWHILE), False), "conflict"
            except IntegrityError:
                if key is not None:
                    replay = self._replay(key)
                    if replay is not None:
                        return _Outcome(replay, False), "replayed"
                if attempt == 2:
                    return self._broken(label, "integrity error"), "failed"
            except (OperationalError, DBAPIError) as error:
                # a dropped connection or a locked database: worth one more try
                if attempt == 2 or not _transient(error):
                    return self._broken(label, "database error"), "failed"
            except Exception:  # noqa: BLE001 - every call gets an answer, whatever broke
                return self._broken(label, "unexpected error"), "failed"
        raise AssertionError("unreachable")

    def _broken(self, label: str, what: str) -> _Outcome:
        return _Outcome(failures.apology(failures.record(log, f"{label} failed with an {what}")), False)

    def _replay(self, key: str) -> Reply | None:
        with Session(self.engine) as session:
            seen = session.execute(_RECEIPT, {"key": key}).scalar()
            return Reply.model_validate_json(seen) if seen is not None else None

    def _once(self, actor: Actor, place: Place, key: str | None, mentions: tuple[Actor, ...],
              channels: tuple[Place, ...], body: Body, *, form: bool, inactive_ok: bool,
              passive: bool = False) -> _Outcome:
        """One try of one transaction. `passive`: something done in a conversation,
        not to Tandem; it makes nobody the first admin, and a person who left is ignored."""
        now: datetime = self.clock.now()
        with Session(self.engine, expire_on_commit=False) as session:
            if key is not None:
                seen = session.execute(_RECEIPT, {"key": key}).scalar()
                if seen is not None:
                    return _Outcome(Reply.model_validate_json(seen), False)
            people.prefetch(session, platform=actor.platform, tenant=actor.tenant,
                            user_ids=[actor.user_id, *(m.user_id for m in mentions
                                                       if (m.platform, m.tenant) == (actor.platform, actor.tenant))])
            person = people.ensure(session, actor, now=now, default_tz=self.default_tz)
            if person is None:
                return _Outcome(Reply.refuse(say.UNKNOWN_YOU), False)
            if not person.active and passive:
                return _Outcome(Reply(), False)
            if not person.active and not inactive_ok:
                return _Outcome(Reply.refuse(roles.deactivated_text(session)), False)
            ctx = Context(session=session, clock=self.clock, actor=actor, person=person, place=place,
                          default_tz=self.default_tz, horizon=self.horizon, default_locale=self.default_locale,
                          mentions={m.user_id: m for m in mentions}, channels={c.channel: c for c in channels})
            if not inactive_ok and not passive and not self._first_admin_seen:
                if roles.first_admin_chosen(session):  # read before this transaction wrote anything: committed
                    self._first_admin_seen = True
                elif roles.claim_first_admin(session, person, now=now):
                    ctx.notes.append((say.FIRST_ADMIN,))
            try:
                reply = _privately(_with_notes(body(ctx), ctx), ctx)
            except Problem as problem:
                session.rollback()
                return _Outcome(_refusal(problem, form=form), False)
            if key is not None:
                # Core, not the ORM: the receipt is written once and never read back in this transaction
                session.execute(insert(CommandReceipt.__table__),  # type: ignore[attr-defined]
                                {"key": key, "reply_json": reply.model_dump_json(), "created_at": now})
            queued = outbox.queued(session)
            session.commit()
            return _Outcome(reply, queued)


def _clean_actor(actor: Actor) -> Actor:
    return replace(actor, display_name=storable(actor.display_name)) if "\x00" in actor.display_name else actor


def _clean_command(command: Command) -> Command:
    """What came in, without NULs (no database keeps them): a text typed
    with one is still read, and stored without it."""
    return replace(command, actor=_clean_actor(command.actor), name=storable(command.name),
                   text=storable(command.text), mentions=tuple(_clean_actor(m) for m in command.mentions))


def _clean_action(action: Action) -> Action:
    return replace(action, actor=_clean_actor(action.actor), action_id=storable(action.action_id),
                   value=storable(action.value))


def _clean_form(submission: FormSubmission) -> FormSubmission:
    values = {storable(key): storable(value) if isinstance(value, str) else [storable(v) for v in value]
              for key, value in submission.values.items()}
    return replace(submission, actor=_clean_actor(submission.actor), values=values,
                   private_metadata=storable(submission.private_metadata),
                   mentions=tuple(_clean_actor(m) for m in submission.mentions))


def _invoke(ctx: Context, match: Match) -> Reply:
    spec = match.spec
    words = match.team if spec.subject == "team" else str(match.request) if spec.subject == "request" else None
    _authorize(ctx, spec.subject, words, spec.allow, spec.doing, rest=match.rest)
    return spec.func(ctx, match.rest)


def _authorize(ctx: Context, kind: SubjectKind, words: str | None, allowed: frozenset[access.Role], doing: str,
               *, rest: str = "") -> None:
    """Find the subject the words name, check `allowed` against it, and keep it on `ctx`."""
    subject: Team | Request | None = None
    if kind == "team":
        if words is None or not TEAM_HANDLE.match(words):
            raise Problem(say.STALE_BUTTON)
        subject = team_service.by_handle(ctx.session, words)
    elif kind == "request":
        number = REQUEST_ID.match(words or "")
        if number is None:
            raise Problem(say.STALE_BUTTON)
        subject = request_service.get_visible(ctx.session, int(number.group(1)), ctx.person)
    team = access.team_of(ctx.session, subject)
    phrase = doing.format(team=team.name if team else "this team",
                          id=subject.id if isinstance(subject, Request) else "",
                          word=(rest.split() or ["settings"])[0].lower()[:30])
    access.check(ctx.session, ctx.person, subject, allowed, phrase)
    ctx.subject = subject


def _privately(reply: Reply, ctx: Context) -> Reply:
    """A reply that shows a private request, typed where everyone would read
    the answer (a Teams channel), goes to the person's own chat instead."""
    if not (ctx.private_content and ctx.place.shared and reply.message is not None):
        return reply
    outbox.notify(ctx.session, outbox.to_person(ctx.person), reply.message,
                  key=f"private-reply:{uuid.uuid4().hex}", now=ctx.now())
    return Reply.say(say.SENT_PRIVATELY)


def _with_notes(reply: Reply, ctx: Context) -> Reply:
    if not ctx.notes or reply.message is None:
        return reply
    message = reply.message.model_copy(update={"context": (*reply.message.context, *ctx.notes)})
    return reply.model_copy(update={"message": message})


def _transient(error: DBAPIError) -> bool:
    """A failure that a second try may not meet: a connection that went away,
    a lock that was busy."""
    if error.connection_invalidated:
        return True
    text = str(error.orig).lower() if error.orig is not None else ""
    return any(sign in text for sign in ("database is locked", "server closed", "connection", "deadlock",
                                         "could not serialize"))


def _receipt_key(actor: Actor, kind: str, delivery_id: str | None) -> str | None:
    if not delivery_id:
        return None
    return f"{actor.platform}:{actor.tenant}:{kind}:{delivery_id}"[:250]


def _action_key(action: Action, once: Once) -> str | None:
    """The receipt key of a press, by its button's rule (see `Once`)."""
    actor = action.actor
    if once == Once.PER_PERSON_PER_MESSAGE and action.message_ref:
        digest = hashlib.sha256("\x1f".join((action.action_id, action.value, action.message_ref, actor.user_id))
                                .encode()).hexdigest()[:40]
        return f"{actor.platform}:{actor.tenant}:act:{digest}"
    return _receipt_key(actor, "act", action.click_id)


def _refusal(problem: Problem, *, form: bool) -> Reply:
    sections = (Section(heading=say.WHAT_YOU_WROTE, text=(problem.echo,)),) if problem.echo else ()
    message = Message(title=problem.message, sections=sections)
    errors = {problem.field: "".join(p if isinstance(p, str) else p.name for p in problem.message)} \
        if form and problem.field else {}
    return Reply(message=message, ok=False, errors=errors)
