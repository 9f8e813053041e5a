"""Small builders shared by the core tests: people and commands as a
platform adapter would hand them to the core."""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING

from bot.events import Action, Actor, Command, Place
from bot.messages import plain

if TYPE_CHECKING:
    from bot.core import Tandem

_ids = itertools.count(1)
PLACE = Place(platform="shell", tenant="local", channel="general", name="general")


def person(name: str, tz: str | None = None) -> Actor:
    return Actor(platform="shell", tenant="local", user_id=name.lower(), display_name=name, timezone=tz)


def command(who: str | Actor, line: str, *, command_id: str | None = "auto") -> Command:
    """`command("alice", "/kudos <@bob> thanks")`: text already in the core's token form."""
    actor = person(who) if isinstance(who, str) else who
    name, _, text = line.lstrip("/").partition(" ")
    mentions = tuple(Actor(platform="shell", tenant="local", user_id=token, known=False)
                     for token in _tokens(text))
    return Command(actor=actor, place=PLACE, name=name, text=text,
                   command_id=str(next(_ids)) if command_id == "auto" else command_id, mentions=mentions)


def say(core: "Tandem", who: str, line: str) -> str:
    """Run `line` as `who`; the reply's title, sections and fields as plain text."""
    reply = core.run_command(command(who, line))
    assert reply.message is not None
    return "\n".join([plain(reply.message.title), *(plain(s.text) for s in reply.message.sections),
                      *(f"{f.label}: {plain(f.value)}" for f in reply.message.fields)])


def press(who: str, action_id: str, value: str, key: str | None = None) -> Action:
    return Action(actor=person(who), place=PLACE, action_id=action_id, value=value, action_key=key)


def _tokens(text: str) -> list[str]:
    return re.findall(r"<@([^<>|\s]+)>", text)
