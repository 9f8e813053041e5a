"""Delivering notifications in the terminal: printed, with who they are for."""

from __future__ import annotations

import itertools
from typing import TextIO

from adapters.shell import render
from adapters.shell.buttons import Board
from adapters.shell.parse import PLATFORM
from bot.messages import Message
from bot.ports import Delivered, Recipient


class ShellPort:
    platform = PLATFORM

    def __init__(self, out: TextIO, board: Board | None = None) -> None:
        self.out = out
        self.board = board or Board()
        self._ids = itertools.count(1)

    async def send(self, recipient: Recipient, message: Message, *, thread_of: Delivered | None = None,
                   replace: Delivered | None = None) -> Delivered:
        where = f"@{recipient.address}" if recipient.kind == "person" else f"#{recipient.address}"
        how = " (updated)" if replace else " (in thread)" if thread_of else ""
        numbers = self.board.show(message)
        self.out.write(f"  → {where}{how}:\n{render.message(message, indent='    ', numbers=numbers)}\n")
        for attached in message.attachments:  # a file, printed whole: the terminal is stdout
            self.out.write(f"    --- {attached.filename} ---\n{attached.content.rstrip()}\n    --- end of "
                           f"{attached.filename} ---\n")
        self.out.flush()
        ref = replace.message_ref if replace else str(next(self._ids))
        return Delivered(message_ref=ref, channel=recipient.address)
