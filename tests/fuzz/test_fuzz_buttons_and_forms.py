"""Every registered button and form, pressed and submitted with arbitrary
values and metadata (as a forged Slack payload or Teams card value could),
through the core and through the Teams card parser, keeps the properties of
`tests.fuzz.properties`."""

from __future__ import annotations

import pytest
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount
from hypothesis import given
from hypothesis import strategies as st

from adapters.teams.activities import ACTION_KEY, FORM_KEY, METADATA_KEY, submission_of
from bot.core import Tandem
from bot.events import Action, FormSubmission, Place
from bot.registry import registry
from tests.fuzz import strategies as fuzz
from tests.fuzz.conftest import ADA, BOB, TENANT
from tests.fuzz.properties import call

PLACE = Place(platform="slack", tenant=TENANT, channel="C0GENERAL", name="general")
ACTIONS = sorted(registry.actions)
FORMS = sorted(registry.forms)
INPUT_IDS = ["team", "what", "due", "private", "people", "message", "values", "note", "rating", "comment", "when"]


@pytest.mark.parametrize("action_id", [*ACTIONS, "form.open", "no.such.button"])
@given(data=st.data())
def test_a_button_with_any_value(company: Tandem, action_id: str, data: st.DataObject) -> None:
    value = data.draw(fuzz.value, label="value")
    if action_id == "form.open":
        value = data.draw(st.sampled_from([*FORMS, "nope"]), label="form") + ":" + value
    actor = data.draw(st.sampled_from([ADA, BOB]), label="who")
    action = Action(actor=actor, place=PLACE, action_id=action_id, value=value,
                    message_ref=data.draw(st.sampled_from([None, "C0GENERAL:1700000000.0001"]), label="message"),
                    click_id=None)
    call(company, lambda: company.run_action(action), what=f"{action_id} {value}"[:300])


@pytest.mark.parametrize("form_id", [*FORMS, "no.such.form"])
@given(data=st.data())
def test_a_form_with_any_values(company: Tandem, form_id: str, data: st.DataObject) -> None:
    keys = data.draw(st.lists(st.sampled_from(INPUT_IDS), unique=True, max_size=6), label="inputs")
    values: dict[str, str | list[str]] = {}
    for key in keys:
        values[key] = data.draw(st.one_of(fuzz.value, st.lists(st.sampled_from(["U0BOB", "U0ADA", "U0GHOST", "",
                                                                                "ownership", "x" * 300]),
                                                               max_size=25)), label=key)
    metadata = data.draw(fuzz.value, label="metadata")
    via_teams = data.draw(st.booleans(), label="through a Teams card")
    if via_teams:
        card_value = {FORM_KEY: form_id, METADATA_KEY: metadata,
                      **{k: ",".join(v) if isinstance(v, list) else v for k, v in values.items()}}
        activity = Activity(type="message", id="fuzz", value=card_value,
                            from_property=ChannelAccount(id="29:ada", aad_object_id="aad-ada", name="Ada Teams"),
                            recipient=ChannelAccount(id="28:tandem"),
                            conversation=ConversationAccount(id="a:personal-ada", conversation_type="personal"),
                            channel_data={"tenant": {"id": "72f988bf-fuzz"}})
        submission = submission_of(activity)
        assert isinstance(submission, FormSubmission)
    else:
        submission = FormSubmission(actor=data.draw(st.sampled_from([ADA, BOB]), label="who"), place=PLACE,
                                    form_id=form_id, values=values, private_metadata=metadata)
    call(company, lambda: company.run_form(submission), what=f"{form_id} {values!r} {metadata!r}"[:300])


@given(value=st.dictionaries(st.sampled_from([ACTION_KEY, FORM_KEY, METADATA_KEY, "value", "tandem_lists", "x"]),
                             st.one_of(fuzz.value, st.integers(), st.none(), st.lists(st.text(max_size=5)),
                                       st.dictionaries(st.text(max_size=3), st.text(max_size=3))), max_size=5))
def test_any_teams_card_value_parses_or_is_ignored(value: dict) -> None:  # type: ignore[type-arg]
    activity = Activity(type="message", id="fuzz", value=value, from_property=ChannelAccount(id="29:a"),
                        recipient=ChannelAccount(id="28:t"), conversation=ConversationAccount(id="a:1"))
    assert submission_of(activity) is None or isinstance(submission_of(activity), Action | FormSubmission)
