"""A polite refusal raised from anywhere in the core.

Raising `Problem` rolls the whole command back (nothing changes) and the
message reaches the person as a private reply; `field` lets a form show it
next to the input that caused it.
"""

from __future__ import annotations

from bot.messages import Span, Text, text


class Problem(Exception):
    def __init__(self, *parts: Span | Text, field: str | None = None, echo: str | None = None) -> None:
        self.message: Text = text(*parts)
        self.field = field
        self.echo = echo
        super().__init__("".join(p if isinstance(p, str) else p.name for p in self.message))


class Conflict(Exception):
    """Another transaction changed what this command read (two Claim clicks at
    once). The core rolls back and runs the command once more on fresh state,
    where the loser is told what happened instead."""
