"""Where chat commands, buttons and forms are registered, with who may use them.

A command is one decorated function whose docstring is its help text; the
decorator returns the function unchanged, so it can be called directly in
tests. Its registration is the permission table's row: the words that call
it, the roles allowed, and what it does in the words of a refusal. The
words may hold placeholders, `<team>` and `<request>`, naming the command's
subject; the core finds the subject, checks the roles against it, and only
then runs the body, with the rest of the text.

Buttons (`action`) are registered the same way, plus their idempotency rule,
so the core, not an edge, decides whether a repeated press acts again.
Adapters never see this table: they hand the core a name and text, or an
action id and value.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

from bot.access import EVERYONE, Role

if TYPE_CHECKING:
    from bot.context import Context
    from bot.events import ConversationEvent
    from bot.messages import Form, Reply

CommandFunc = Callable[["Context", str], "Reply"]
ActionFunc = Callable[["Context", str], "Reply"]
FormFunc = Callable[["Context", dict[str, "str | list[str]"], str], "Reply"]
FormBuilder = Callable[["Context", str], "Form"]
ListenerFunc = Callable[["Context", "ConversationEvent"], "Reply"]
SubjectKind = Literal["team", "request"] | None

TEAM = "<team>"
REQUEST = "<request>"
PLACEHOLDERS = {TEAM: "team", REQUEST: "request"}
REQUEST_ID = re.compile(r"^#?([0-9]{1,9})$")
TEAM_HANDLE = re.compile(r"^@?[A-Za-z][\w-]{0,39}$")
WORD = re.compile(r"\s*(\S+)")


class Once(StrEnum):
    """How often repeated presses of one button act.

    PER_CLICK: every click acts; what it does is guarded by state (claiming
    a claimed request says so), so a button on a card updated in place keeps
    working. PER_PERSON_PER_MESSAGE: a person's presses of this button on one
    message act once (a rating, a thanks), however many times or platforms
    deliver them.
    """

    PER_CLICK = "click"
    PER_PERSON_PER_MESSAGE = "message"


@dataclass(frozen=True)
class CommandSpec:
    """One row of the permission table: a command or sub-command."""

    path: tuple[str, ...]
    usage: str
    summary: str
    help: str
    func: CommandFunc
    allow: frozenset[Role]
    doing: str
    rest: re.Pattern[str] | None
    example: str
    hidden: bool = False  # a catch-all that explains mistakes; not listed in help

    @property
    def name(self) -> str:
        return self.path[0]

    @property
    def words(self) -> str:
        """How a person types it: "/tandem team edit <team> <field> <value>"."""
        shown = ("<id>" if word == REQUEST else word for word in self.path)
        return "/" + " ".join((*shown, self.usage)).strip()

    @property
    def subject(self) -> SubjectKind:
        for word in self.path:
            if word in PLACEHOLDERS:
                return PLACEHOLDERS[word]  # type: ignore[return-value]
        return None


@dataclass(frozen=True)
class ActionSpec:
    """A button: who may press it, what it is about, and how often it acts.

    Its value is `<subject>` or `<subject>:<argument>` (a request id, a team
    handle); the body gets the argument.
    """

    action_id: str
    func: ActionFunc
    allow: frozenset[Role]
    doing: str
    subject: SubjectKind
    once: Once


@dataclass(frozen=True)
class FormSpec:
    """A form: the function that builds it, the one that takes it, and who
    may open and submit it (its metadata starts with the subject)."""

    form_id: str
    build: FormBuilder
    func: FormFunc
    allow: frozenset[Role]
    doing: str
    subject: SubjectKind


@dataclass(frozen=True)
class ListenerSpec:
    """What Tandem does with a kind of conversation event (a message posted,
    a reaction, "turn into request"), and who may set it off. Every delivery
    of one event acts once: the core keys it by the platform's event id."""

    kind: str
    func: ListenerFunc
    allow: frozenset[Role]
    doing: str
    wants: Callable[[ConversationEvent], bool] | None = None  # a cheap look first: no transaction if False


@dataclass(frozen=True)
class Match:
    """A typed command matched to its registration."""

    spec: CommandSpec
    team: str | None
    request: int | None
    rest: str


class Registry:
    def __init__(self) -> None:
        self.commands: dict[str, list[CommandSpec]] = {}
        self.actions: dict[str, ActionSpec] = {}
        self.forms: dict[str, FormSpec] = {}
        self.listeners: dict[str, ListenerSpec] = {}

    def command(self, path: str, *, allow: frozenset[Role] = EVERYONE, doing: str = "", usage: str = "",
                rest: str | None = None, example: str = "", hidden: bool = False) -> Callable[[CommandFunc], CommandFunc]:
        """Register a command under the words of `path` ("tandem team edit <team>").

        Args:
            path: the command's words; `<team>`/`<request>` name its subject.
            allow: the roles that may use it (towards the subject).
            doing: what it does, as a refusal finishes "Only … can {doing}."
                `{team}`, `{id}` and `{word}` (the first word after the path)
                are filled in.
            usage: what follows the path, for help ("<field> <value>").
            rest: a regular expression the rest of the text must match fully
                for this registration to apply (else a shorter one is tried).
            example: a working invocation, for help and for the permission test.
        """
        words = tuple(path.split())

        def register(func: CommandFunc) -> CommandFunc:
            doc = inspect.cleandoc(func.__doc__ or "")
            summary = doc.splitlines()[0] if doc else path
            spec = CommandSpec(path=words, usage=usage, summary=summary, help=doc, func=func, allow=allow,
                               doing=doing or f"use /{path}", rest=re.compile(rest, re.I | re.S) if rest is not None
                               else None, example=example or f"/{path}", hidden=hidden)
            self.commands.setdefault(words[0], []).append(spec)
            # longest first, so "tandem team edit <team>" is tried before "tandem"
            self.commands[words[0]].sort(key=lambda s: len(s.path), reverse=True)
            return func

        return register

    def action(self, action_id: str, *, allow: frozenset[Role] = EVERYONE, doing: str = "",
               subject: SubjectKind = None, once: Once = Once.PER_CLICK) -> Callable[[ActionFunc], ActionFunc]:
        """Register a button's body under `action_id`."""

        def register(func: ActionFunc) -> ActionFunc:
            self.actions[action_id] = ActionSpec(action_id=action_id, func=func, allow=allow,
                                                 doing=doing or "press that button", subject=subject, once=once)
            return func

        return register

    def form(self, form_id: str, *, build: FormBuilder, allow: frozenset[Role] = EVERYONE, doing: str = "",
             subject: SubjectKind = None) -> Callable[[FormFunc], FormFunc]:
        """Register a submitted form's handler and the function that builds it."""

        def register(func: FormFunc) -> FormFunc:
            self.forms[form_id] = FormSpec(form_id=form_id, build=build, func=func, allow=allow,
                                           doing=doing or "use that form", subject=subject)
            return func

        return register

    def listener(self, kind: str, *, allow: frozenset[Role] = EVERYONE, doing: str = "",
                 wants: Callable[[ConversationEvent], bool] | None = None) -> Callable[[ListenerFunc], ListenerFunc]:
        """Register what a conversation event of `kind` does (see `bot.events.ConversationEvent`).

        Args:
            kind: "message", "reaction_added", "reaction_removed", "message_to_request".
            allow: the roles that may set it off.
            doing: what it does, for a refusal.
            wants: a look at the event without the database; False ends it there
                (most messages thank nobody, and must cost nothing).
        """

        def register(func: ListenerFunc) -> ListenerFunc:
            self.listeners[kind] = ListenerSpec(kind=kind, func=func, allow=allow, doing=doing or "do that",
                                                wants=wants)
            return func

        return register

    def match(self, name: str, text: str) -> Match | None:
        """The registration a typed command belongs to, with its subject's
        words and the rest of the text; None for an unknown command."""
        for spec in self.commands.get(name, []):
            found = _match(spec, text)
            if found is not None:
                return found
        return None

    def specs(self, *, hidden: bool = False) -> Iterator[CommandSpec]:
        """Every command, in the order help lists them (catch-alls only if asked)."""
        for name in self.commands:
            yield from sorted((s for s in self.commands[name] if hidden or not s.hidden), key=lambda s: s.path)


def _match(spec: CommandSpec, text: str) -> Match | None:
    position = 0
    team: str | None = None
    request: int | None = None
    for word in spec.path[1:]:
        found = WORD.match(text, position)
        if found is None:
            return None
        typed = found.group(1)
        if word == TEAM:
            if not TEAM_HANDLE.match(typed):
                return None
            team = typed.lstrip("@").lower()
        elif word == REQUEST:
            number = REQUEST_ID.match(typed)
            if number is None:
                return None
            request = int(number.group(1))
        elif typed.lower() != word:
            return None
        position = found.end()
    rest = text[position:].strip()
    if spec.rest is not None and not spec.rest.fullmatch(rest):
        return None
    return Match(spec=spec, team=team, request=request, rest=rest)


def split_subject(kind: SubjectKind, value: str) -> tuple[str | None, str]:
    """A button value or form metadata: its subject's words, and the rest.

    "42:5" → ("42", "5") for a request; "it:17" → ("it", "17") for a team.
    """
    if kind is None:
        return None, value
    subject, _, argument = value.partition(":")
    return subject, argument


registry = Registry()
