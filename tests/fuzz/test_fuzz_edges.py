"""The edges' own parsers on arbitrary input: Slack's body gate answers
only with a refusal (400/401), never an exception; Slack's token parser and
the terminal's line parser always give core text."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from hypothesis import given
from hypothesis import strategies as st

from adapters.shell import parse as terminal_parse
from adapters.slack import bodies, tokens
from tests.fuzz import strategies as fuzz

json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=10),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                                      max_size=4), max_leaves=12)
shaped = st.fixed_dictionaries({}, optional={
    "type": st.sampled_from(["block_actions", "view_submission", "event_callback", "message_action", "x"]) | json_values,
    "user": json_values, "team": json_values, "actions": json_values, "view": json_values,
    "container": json_values, "channel": json_values, "message": json_values, "event": json_values})


@given(body=st.one_of(fuzz.phrase, shaped.map(json.dumps),
                      shaped.map(lambda p: urlencode({"payload": json.dumps(p)})),
                      st.dictionaries(st.sampled_from(["command", "text", "payload", "ssl_check", "x"]),
                                      fuzz.phrase, max_size=3).map(urlencode)),
       content_type=st.sampled_from(["application/json", "application/x-www-form-urlencoded", "text/plain", ""]))
def test_the_slack_gate_only_ever_refuses(body: str, content_type: str) -> None:
    try:
        bodies.check(body, content_type)
    except bodies.Refused as refused:
        assert refused.status == 400


@given(raw=fuzz.phrase)
def test_slack_tokens_always_give_core_text(raw: str) -> None:
    parsed = tokens.parse(raw)
    assert "<!" not in parsed.text and "<http" not in parsed.text.lower()
    assert all("|" not in u and ">" not in u for u in parsed.user_ids)


@given(line=fuzz.phrase)
def test_a_terminal_line_is_a_command_or_nothing(line: str) -> None:
    command = terminal_parse.command(line, terminal_parse.actor("ada"))
    assert command is None or isinstance(command.text, str)
