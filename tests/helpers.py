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


def say(core: Tandem, who: str, line: str) -> str:
    """Run `line` as `who`; the reply's title, sections and fields as plain text."""
    reply = core.run_command(command(who, line))
    assert reply.message is not None
    return "\n".join([plain(reply.message.title), *(plain(s.text) for s in reply.message.sections),
                      *(f"{f.label}: {plain(f.value)}" for f in reply.message.fields)])


def press(who: str, action_id: str, value: str, key: str | None = None, *, message: str | None = None) -> Action:
    """A button press as an edge hands it over: `key` is the click's id, `message` the message it was on."""
    return Action(actor=person(who), place=PLACE, action_id=action_id, value=value, message_ref=message,
                  click_id=key)


def _tokens(text: str) -> list[str]:
    return re.findall(r"<@([^<>|\s]+)>", text)


def _first_admin(core: Tandem) -> str:
    from sqlmodel import Session

    from storage.models import Person, Setting

    with Session(core.engine) as session:
        marker = session.get(Setting, "org.first_admin")
        assert marker is not None, "nobody has used Tandem yet"
        admin = session.get(Person, int(marker.value))
        assert admin is not None
        return admin.user_id


def ok(core: Tandem, who: str | Actor, line: str) -> str:
    """Run `line` and insist it was not refused; returns the reply's title."""
    reply = core.run_command(command(who, line))
    text = plain(reply.message.title) if reply.message else ""
    assert reply.ok, text
    return text


def grant(core: Tandem, role: str, *names: str) -> None:
    """Make people admins or HR the way an admin does (the first person to use Tandem is one)."""
    for name in names:
        core.introduce(person(name))
    admin = _first_admin(core)
    for name in names:
        if name.lower() != admin:
            ok(core, admin, f"/tandem {role} add <@{name.lower()}>")


def join(core: Tandem, team: str, name: str, tz: str | None = None) -> None:
    """`name` joins `team` as people do: they ask, and the team's lead approves."""
    from sqlmodel import Session, select

    from storage.models import Person, Team

    core.introduce(person(name, tz))
    ok(core, person(name, tz), f"/tandem team join {team}")
    with Session(core.engine) as session:
        found = session.exec(select(Team).where(Team.handle == team)).one()
        lead = session.get(Person, found.lead_id) if found.lead_id else None
        decider = lead.user_id if lead is not None else _first_admin(core)
    ok(core, decider, f"/tandem team approve {team} <@{name.lower()}>")
