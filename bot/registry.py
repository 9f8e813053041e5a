"""Where chat commands, button actions and forms are registered.

A command is one decorated function whose docstring is its help text; the
decorator returns the function unchanged, so it can also be called directly
in tests. Adapters never see this table: they hand the core a name and text.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.context import Context
    from bot.messages import Form, Reply

CommandFunc = Callable[["Context", str], "Reply"]
FormFunc = Callable[["Context", dict[str, "str | list[str]"], str], "Reply"]
FormBuilder = Callable[["Context", str], "Form"]


@dataclass(frozen=True)
class CommandSpec:
    name: str
    usage: str
    summary: str
    help: str
    func: CommandFunc


class Registry:
    def __init__(self) -> None:
        self.commands: dict[str, CommandSpec] = {}
        self.forms: dict[str, FormFunc] = {}
        self.form_builders: dict[str, FormBuilder] = {}

    def command(self, name: str, *, usage: str) -> Callable[[CommandFunc], CommandFunc]:
        def register(func: CommandFunc) -> CommandFunc:
            doc = inspect.cleandoc(func.__doc__ or "")
            summary = doc.splitlines()[0] if doc else name
            self.commands[name] = CommandSpec(name, usage, summary, doc, func)
            return func

        return register

    def form(self, form_id: str, *, build: FormBuilder) -> Callable[[FormFunc], FormFunc]:
        """Register the handler of a submitted form and the function that builds it."""

        def register(func: FormFunc) -> FormFunc:
            self.forms[form_id] = func
            self.form_builders[form_id] = build
            return func

        return register


registry = Registry()
