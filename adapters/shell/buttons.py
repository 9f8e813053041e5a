"""Buttons in the terminal: every button printed gets a number, and
`/press N` presses it, as the person typing, on the message it was on.

The message's number is the press's message reference and each press gets
its own click id, so the core's idempotency rules apply in the terminal as
they do in Slack and Teams (pressing "Say thanks" twice thanks once).
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from dataclasses import dataclass

from bot.messages import Button, Message

KEPT = 500


@dataclass(frozen=True)
class Shown:
    button: Button
    message_ref: str


class Board:
    """The buttons shown so far, by number."""

    def __init__(self) -> None:
        self._numbers = itertools.count(1)
        self._messages = itertools.count(1)
        self._shown: OrderedDict[int, Shown] = OrderedDict()

    def show(self, message: Message) -> list[int]:
        """Number `message`'s buttons; returns their numbers in order."""
        if not message.buttons:
            return []
        ref = f"shell-message-{next(self._messages)}"
        numbers = []
        for button in message.buttons:
            number = next(self._numbers)
            self._shown[number] = Shown(button=button, message_ref=ref)
            numbers.append(number)
        while len(self._shown) > KEPT:
            self._shown.popitem(last=False)
        return numbers

    def get(self, number: int) -> Shown | None:
        return self._shown.get(number)
