"""Neutral messages as Block Kit: typed text escaped, only chosen people
pinged, long texts shortened with an ellipsis to Slack's limits, and forms
as modals — all passing slack_sdk's validators."""

from __future__ import annotations

from adapters.slack import blocks, modals
from bot.messages import Button, Choice, Form, FormInput, Message, MessageField, PersonRef, Section

BOB = PersonRef(platform="slack", tenant="T1", user_id="U0BOB", name="Bob <b>")
BOB_QUIET = BOB.model_copy(update={"ping": False})
TEAMS_KIM = PersonRef(platform="teams", tenant="T1", user_id="29:kim", name="Kim")


def test_typed_markup_and_broadcasts_are_escaped() -> None:
    rendered = blocks.render(Message(title=("<!channel> & <@U0CAT> *hi*",)))
    assert rendered[0]["text"]["text"] == "&lt;!channel&gt; &amp; &lt;@U0CAT&gt; *hi*"


def test_a_person_is_pinged_only_when_the_core_asks_and_only_on_slack() -> None:
    assert blocks.mrkdwn((BOB,), 100, tenant="T1") == "<@U0BOB>"
    assert blocks.mrkdwn((BOB_QUIET,), 100, tenant="T1") == "Bob &lt;b&gt;"
    assert blocks.mrkdwn((TEAMS_KIM,), 100, tenant="T1") == "Kim"
    assert blocks.mrkdwn((BOB,), 100, tenant="T2") == "Bob &lt;b&gt;"  # another workspace


def test_long_texts_are_shortened_with_an_ellipsis_never_splitting_an_escape() -> None:
    long = "&" * 5000
    message = Message(title=("t" * 5000,), sections=(Section(text=(long,)),),
                      fields=(MessageField(label="Owner", value=("x" * 3000,)),),
                      buttons=(Button(label="b" * 100, action_id="cmd", value="requests 1 claim"),),
                      context=(("c" * 3000,),))
    rendered = blocks.render(message)
    section = rendered[1]["text"]["text"]
    assert len(section) <= 3000 and section.endswith("…") and section[:-1].replace("&amp;", "") == ""
    assert len(rendered[0]["text"]["text"]) <= 150  # a card's title is a header
    assert len(rendered[2]["fields"][0]["text"]) <= 2000
    assert len(rendered[-1]["elements"][0]["text"]["text"]) <= 75
    assert len(blocks.fallback(Message(title=("y" * 9000,)))) <= 4000


def test_a_message_never_has_more_than_50_blocks_and_keeps_its_buttons() -> None:
    message = Message(title=("Many",), sections=tuple(Section(text=(f"line {i}",)) for i in range(80)),
                      buttons=(Button(label="Claim", action_id="cmd", value="requests 1 claim"),))
    rendered = blocks.render(message)
    assert len(rendered) == 50
    assert rendered[-1]["type"] == "actions" and "more" in rendered[-2]["elements"][0]["text"]


def test_buttons_get_unique_action_ids_that_map_back_to_the_core() -> None:
    message = Message(title=("Rate",), buttons=tuple(
        Button(label=str(n), action_id="cmd", value=f"requests 1 rate {n}") for n in range(1, 4)))
    elements = blocks.render(message)[-1]["elements"]
    assert [e["action_id"] for e in elements] == ["cmd|0", "cmd|1", "cmd|2"]
    assert {blocks.core_action_id(e["action_id"]) for e in elements} == {"cmd"}


def test_a_form_becomes_a_modal_and_its_state_comes_back_as_values() -> None:
    form = Form(form_id="ask", title="Ask a team for something long", submit_label="Send", inputs=(
        FormInput(input_id="team", label="Team", kind="team", choices=(Choice(label="IT", value="it"),)),
        FormInput(input_id="who", label="Who", kind="people"),
        FormInput(input_id="day", label="Day", kind="date", optional=True),
        FormInput(input_id="private", label="Private", kind="checkbox", optional=True),
        FormInput(input_id="score", label="Rating", kind="rating", initial="4"),
    ), private_metadata="request:7")
    view = modals.view(form, opened=modals.Opened(metadata="request:7", channel="C1"))
    assert len(view["title"]["text"]) <= 24
    assert modals.Opened.load(view["private_metadata"]) == modals.Opened(metadata="request:7", channel="C1")
    score = [b for b in view["blocks"] if b["block_id"] == "score"][0]["element"]
    assert score["initial_option"]["value"] == "4"
    state = {"values": {
        "team": {"value": {"type": "static_select", "selected_option": {"value": "it"}}},
        "who": {"value": {"type": "multi_users_select", "selected_users": ["U1", "U2"]}},
        "day": {"value": {"type": "datepicker", "selected_date": "2026-12-01"}},
        "private": {"value": {"type": "checkboxes", "selected_options": [{"value": "true"}]}},
        "score": {"value": {"type": "static_select", "selected_option": None}},
    }}
    assert modals.submitted_values(state) == {"team": "it", "who": ["U1", "U2"], "day": "2026-12-01",
                                             "private": "true", "score": ""}


def test_an_error_about_a_field_the_modal_lacks_lands_on_its_first_field() -> None:
    state = {"values": {"note": {}, "other": {}}}
    assert modals.inline_errors({"why": "Say why"}, state, fallback="x") == {"note": "Say why"}
    assert modals.inline_errors({}, state, fallback="Nope") == {"note": "Nope"}
    assert modals.inline_errors({"other": "Bad"}, state, fallback="x") == {"other": "Bad"}
