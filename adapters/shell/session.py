"""`tandem chat`: read lines, run them as the current person, print replies
and then whatever the outbox has for the terminal.

`/as NAME` switches who is typing (terminal only), so one scripted session
can play a whole company.
"""

from __future__ import annotations

import asyncio
from typing import TextIO

from adapters.shell import parse, render
from adapters.shell.port import ShellPort
from bot.core import Tandem
from bot.events import Actor
from scheduler.delivery import deliver_due

PROMPT = "{name}> "


class ShellSession:
    def __init__(self, core: Tandem, name: str, out: TextIO) -> None:
        self.core = core
        self.out = out
        self.port = ShellPort(out)
        self.who = self._become(name)

    def _become(self, name: str) -> Actor:
        who = parse.actor(name)
        person = self.core.introduce(who)
        return parse.actor(person.display_name, person.timezone)

    async def line(self, line: str) -> str:
        """Run one typed line; returns what was printed for the reply."""
        stripped = line.strip()
        if stripped.startswith("/as ") or stripped.startswith("as "):
            name = stripped.split(None, 1)[1].strip().lstrip("@")
            if not parse.MENTION.fullmatch("@" + name):
                return self._print("A name is one word of letters, digits, ., - or _.")
            self.who = self._become(name)
            return self._print(f"You are now {self.who.display_name}.")
        command = parse.command(line, self.who)
        if command is None:
            return ""
        reply = await self.core.handle_command(command)
        printed = self._print(render.reply(reply))
        await deliver_due(self.core.engine, {parse.PLATFORM: self.port}, self.core.clock)
        return printed

    def _print(self, value: str) -> str:
        if value:
            self.out.write(value + "\n")
            self.out.flush()
        return value


async def run(core: Tandem, name: str, lines: TextIO, out: TextIO, *, interactive: bool) -> None:
    session = ShellSession(core, name, out)
    loop = asyncio.get_running_loop()
    while True:
        if interactive:
            out.write(PROMPT.format(name=session.who.display_name))
            out.flush()
        line = await loop.run_in_executor(None, lines.readline)
        if not line:
            break
        if line.strip() in {"exit", "quit", "/exit", "/quit"}:
            break
        if not interactive and line.strip() and not line.startswith("#"):
            out.write(PROMPT.format(name=session.who.display_name) + line.rstrip("\n") + "\n")
        if line.startswith("#"):
            continue
        await session.line(line)
