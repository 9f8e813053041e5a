"""`tandem chat`: read lines, run them as the current person, print replies
and then whatever the outbox has for the terminal.

`/as NAME` switches who is typing (terminal only), so one scripted session
can play a whole company; `/press N` presses button N of a message above.
Notifications are delivered by the process's deliverer (the core kicks it
after each commit); the session waits for it so they print right after the
reply. Whatever goes wrong, the session answers and reads the next line.
"""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from typing import TextIO

from adapters.shell import parse, render
from adapters.shell.port import ShellPort
from bot import failures
from bot.core import Tandem
from bot.events import Action, Actor, ConversationEvent, Said
from bot.ports import DeliveryRunner

log = logging.getLogger(__name__)
PROMPT = "{name}> "
PRESS = re.compile(r"^/?press\s+(\S+)\s*$", re.I)
REACT = re.compile(r"^/(react|unreact)\s+@?([A-Za-z][\w.-]{0,60})\s+(\S+)\s*$", re.I)
NO_MESSAGE = "{name} hasn't said anything here yet to react to."
REACT_USAGE = "React to someone's last line: `/react @bob :raised_hands:` (`/unreact` takes it back)."
NO_BUTTON = "There is no button {number} above; buttons are numbered like [3 Claim]."


class ShellSession:
    def __init__(self, core: Tandem, name: str, out: TextIO, *, port: ShellPort | None = None,
                 deliverer: DeliveryRunner | None = None) -> None:
        self.core = core
        self.out = out
        self.port = port or ShellPort(out)
        self.deliverer = deliverer
        self.who = self._become(name)
        self.last_said: dict[str, Said] = {}  # each person's last line, for /react

    def _become(self, name: str) -> Actor:
        person, note = self.core.welcome(parse.actor(name))
        if note:
            self._print(note)
        return parse.actor(person.display_name, person.timezone)

    async def line(self, line: str) -> str:
        """Run one typed line; returns what was printed for the reply."""
        try:
            return await self._line(line)
        except Exception:  # noqa: BLE001 - the session goes on to the next line, whatever broke
            return self._print(failures.apology_text(failures.record(log, "the terminal failed on a line")))

    async def _line(self, line: str) -> str:
        stripped = line.strip()
        if stripped.startswith("/as ") or stripped.startswith("as "):
            name = stripped.split(None, 1)[1].strip().lstrip("@")
            if not parse.MENTION.fullmatch("@" + name):
                return self._print("A name is one word of letters, digits, ., - or _.")
            self.who = self._become(name)
            return self._print(f"You are now {self.who.display_name}.")
        pressed = PRESS.match(stripped)
        if pressed:
            return await self._press(pressed.group(1))
        if stripped.lower().startswith(("/react", "/unreact")):
            return await self._react(stripped)
        command = parse.command(line, self.who)
        if command is None:
            return ""
        if not stripped.startswith("/") and not self.core.is_command(command.name):
            # not a command: a message posted in the conversation (`@bob++ for the demo`);
            # what it causes is delivered (the thread's answer, a refusal to its author)
            posted = parse.message(line, self.who)
            self.last_said[self.who.user_id] = posted.said
            if self.core.cares(posted):
                await self.core.handle_event(posted)
                await self._delivered()
                return ""
            # else it is answered as a command would be ("I don't know /…"); /react can still use it
        reply = await self.core.handle_command(command)
        printed = self._print(render.reply(reply, numbers=self._numbers(reply)))
        await self._delivered()
        return printed

    async def _press(self, typed: str) -> str:
        number = int(typed) if typed.isascii() and typed.isdigit() and len(typed) < 9 else -1
        shown = self.port.board.get(number)
        if shown is None:
            return self._print(NO_BUTTON.format(number=typed[:20]))
        action = Action(actor=self.who, place=parse.PLACE, action_id=shown.button.action_id, value=shown.button.value,
                        message_ref=shown.message_ref, click_id=str(uuid.uuid4()))
        reply = await self.core.handle_action(action)
        printed = self._print(render.reply(reply, numbers=self._numbers(reply)))
        await self._delivered()
        return printed

    async def _react(self, typed: str) -> str:
        """`/react @bob :raised_hands:`: the terminal's reactions, on a person's last line."""
        found = REACT.match(typed)
        if not found:
            return self._print(REACT_USAGE)
        said = self.last_said.get(found.group(2).rstrip(".").lower())
        if said is None:
            return self._print(NO_MESSAGE.format(name=found.group(2)[:60]))
        kind = "reaction_added" if found.group(1).lower() == "react" else "reaction_removed"
        reply = await self.core.handle_event(ConversationEvent(actor=self.who, kind=kind, said=said,
                                                               emoji=found.group(3), event_id=str(uuid.uuid4())))
        printed = self._print(render.reply(reply, numbers=None)) if reply.message is not None else ""
        await self._delivered()
        return printed

    def _numbers(self, reply: object) -> list[int] | None:
        message = getattr(reply, "message", None)
        return self.port.board.show(message) if message is not None else None

    async def _delivered(self) -> None:
        if self.deliverer is not None:
            await self.deliverer.settle()

    def _print(self, value: str) -> str:
        if value:
            self.out.write(value + "\n")
            self.out.flush()
        return value


async def run(session: ShellSession, lines: TextIO, out: TextIO, *, interactive: bool) -> None:
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
