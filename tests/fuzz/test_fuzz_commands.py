"""Every registered command, fed arbitrary text through the core and through
each edge's parser (Slack's tokens, a Teams activity's text, the terminal
line), keeps the properties of `tests.fuzz.properties`."""

from __future__ import annotations

import pytest
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount
from hypothesis import given
from hypothesis import strategies as st

from adapters.shell import parse as terminal_parse
from adapters.slack import tokens
from adapters.teams.activities import command_of
from bot.core import Tandem
from bot.events import Actor, Command, Place
from bot.registry import REQUEST, TEAM, CommandSpec, registry
from tests.fuzz import strategies as fuzz
from tests.fuzz.conftest import ADA, BOB, TENANT
from tests.fuzz.properties import call

SPECS = list(registry.specs(hidden=True))
PLACE = Place(platform="slack", tenant=TENANT, channel="C0GENERAL", name="general")


def _words(spec: CommandSpec) -> st.SearchStrategy[str]:
    parts = [fuzz.team_word if word == TEAM else fuzz.request_word if word == REQUEST else st.just(word)
             for word in spec.path[1:]]
    return st.tuples(*parts).map(" ".join) if parts else st.just("")


def _slack(actor: Actor, name: str, raw: str) -> Command:
    parsed = tokens.parse(raw)
    mentions = tuple(Actor(platform="slack", tenant=TENANT, user_id=u, known=False) for u in parsed.user_ids)
    return Command(actor=actor, place=PLACE, name=name, text=parsed.text, mentions=mentions,
                   channels=tuple(Place(platform="slack", tenant=TENANT, channel=c, name=n)
                                  for c, n in parsed.channels.items()))


def _teams(name: str, raw: str) -> Command:
    activity = Activity(type="message", id="fuzz", text=f"{name} {raw}",
                        from_property=ChannelAccount(id="29:ada", aad_object_id="aad-ada", name="Ada Teams"),
                        recipient=ChannelAccount(id="28:tandem", name="Tandem"),
                        conversation=ConversationAccount(id="a:personal-ada", conversation_type="personal"),
                        channel_data={"tenant": {"id": "72f988bf-fuzz"}})
    return command_of(activity)


@pytest.mark.parametrize("spec", SPECS, ids=[" ".join(s.path) + (" (catch-all)" if s.hidden else "") for s in SPECS])
@given(data=st.data())
def test_a_command_with_anything_typed_after_it(company: Tandem, spec: CommandSpec, data: st.DataObject) -> None:
    name = spec.path[0]
    typed = " ".join(p for p in (data.draw(_words(spec), label="words"), data.draw(fuzz.phrase, label="rest")) if p)
    edge = data.draw(st.sampled_from(["core-admin", "core-member", "slack", "teams", "terminal"]), label="edge")
    if edge == "core-admin":
        command: Command | None = Command(actor=ADA, place=PLACE, name=name, text=typed)
    elif edge == "core-member":
        command = Command(actor=BOB, place=PLACE, name=name, text=typed)
    elif edge == "slack":
        command = _slack(ADA, name, typed)
    elif edge == "teams":
        command = _teams(name, typed)
    else:
        command = terminal_parse.command(f"/{name} {typed}", terminal_parse.actor("ada"))
    if command is None:
        return
    call(company, lambda: company.run_command(command), what=f"/{name} {typed}"[:300])
