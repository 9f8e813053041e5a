"""The Adaptive Card renderer: neutral messages and forms as cards, with
user text that can neither format itself nor ping anyone."""

from __future__ import annotations

from adapters.teams.cards import escape_markdown, form_card, message_card
from bot.messages import Button, Choice, Form, FormInput, Image, Message, MessageField, PersonRef, Section
from tests.teams.conftest import card_text, inputs_of

SAM = PersonRef(platform="teams", tenant="t", user_id="aad-sam", name="Sam Roy")


def test_typed_text_cannot_format_link_or_mention() -> None:
    hostile = "**bold** _it_ [x](http://evil) <at>Kim</at> # title\n- item\n1. first {{DATE(2020-01-01T00:00:00Z)}}"
    card = message_card(Message(title=("Kudos",), sections=(Section(text=(hostile,)),)))
    shown = card["body"][1]["text"]
    assert shown == ("\\*\\*bold\\*\\* \\_it\\_ \\[x\\](http://evil) \\<at>Kim\\</at> # title\n\\- item\n"
                     "1\\. first \\{\\{DATE(2020-01-01T00:00:00Z)\\}\\}")
    assert "entities" not in card["msteams"]


def test_a_pinged_person_is_an_at_mention_with_its_entity_and_an_unpinged_one_just_a_name() -> None:
    quiet = SAM.model_copy(update={"ping": False, "user_id": "aad-kim", "name": "Kim *Wu*"})
    card = message_card(Message(title=("🎉 ", quiet, " thanked ", SAM, " and ", SAM)))
    assert card["body"][0]["text"] == "🎉 Kim \\*Wu\\* thanked <at>Sam Roy</at> and <at>Sam Roy</at>"
    assert card["msteams"]["entities"] == [
        {"type": "mention", "text": "<at>Sam Roy</at>", "mentioned": {"id": "aad-sam", "name": "Sam Roy"}}]


def test_a_person_from_another_platform_is_never_pinged_in_teams() -> None:
    slack_person = SAM.model_copy(update={"platform": "slack", "user_id": "U1"})
    card = message_card(Message(title=("Hi ", slack_person)))
    assert card["body"][0]["text"] == "Hi Sam Roy" and "entities" not in card["msteams"]


def test_a_request_card_has_its_fields_as_facts_and_its_buttons_as_submits() -> None:
    card = message_card(Message(
        title=("#7 · IT Help: ", "new laptop"),
        fields=(MessageField(label="Status", value=("Open",)), MessageField(label="Owner", value=("unassigned",))),
        buttons=(Button(label="Claim", action_id="cmd", value="requests 7 claim", style="primary"),
                 Button(label="Waiting", action_id="form.open", value="wait:7")),
        context=(("Private: visible to the requester and the team only.",),)))
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"
    facts = [e for e in card["body"] if e["type"] == "FactSet"][0]["facts"]
    assert facts == [{"title": "Status", "value": "Open"}, {"title": "Owner", "value": "unassigned"}]
    assert card["actions"] == [
        {"type": "Action.Submit", "title": "Claim", "style": "positive",
         "data": {"tandem_action": "cmd", "value": "requests 7 claim"}},
        {"type": "Action.Submit", "title": "Waiting", "data": {"tandem_action": "form.open", "value": "wait:7"}}]
    assert card["body"][-1]["isSubtle"] is True


def test_the_digest_chart_is_an_inline_image() -> None:
    card = message_card(Message(title=("Digest",), images=(Image(title="Kudos", png_base64="iVBORw0K", alt="bars"),)))
    image = [e for e in card["body"] if e["type"] == "Image"][0]
    assert image["url"] == "data:image/png;base64,iVBORw0K" and image["altText"] == "bars"


def test_a_form_becomes_inputs_with_one_submit_carrying_the_form_id() -> None:
    form = Form(form_id="kudos", title="Give kudos", submit_label="Send", private_metadata="request:4", inputs=(
        FormInput(input_id="people", label="Who?", kind="people"),
        FormInput(input_id="message", label="What for?", kind="long_text", max_length=2000, initial="Thanks"),
        FormInput(input_id="values", label="Values", kind="values", optional=True,
                  choices=(Choice(label="#ownership", value="ownership"),)),
        FormInput(input_id="due", label="When?", kind="date", optional=True),
        FormInput(input_id="private", label="Private", kind="checkbox", optional=True),
        FormInput(input_id="rating", label="Rating", kind="rating")))
    card = form_card(form, people=[("Sam Roy", "aad-sam")])
    inputs = inputs_of(card)
    assert inputs["people"]["type"] == "Input.ChoiceSet" and inputs["people"]["isMultiSelect"] is True
    assert inputs["people"]["choices"] == [{"title": "Sam Roy", "value": "aad-sam"}]
    assert inputs["message"] | {} == {"type": "Input.Text", "id": "message", "label": "What for?", "isRequired": True,
                                      "isMultiline": True, "maxLength": 2000, "value": "Thanks"}
    assert inputs["values"]["choices"] == [{"title": "#ownership", "value": "ownership"}]
    assert inputs["due"]["type"] == "Input.Date"
    assert (inputs["private"]["type"], inputs["private"]["valueOn"], inputs["private"]["valueOff"]) == \
        ("Input.Toggle", "true", "")
    assert [c["value"] for c in inputs["rating"]["choices"]] == ["1", "2", "3", "4", "5"]
    assert card["actions"] == [{"type": "Action.Submit", "title": "Send", "style": "positive", "data": {
        "tandem_form": "kudos", "tandem_metadata": "request:4", "tandem_lists": ["people", "values"]}}]


def test_a_refused_form_shows_the_error_under_its_field_and_keeps_what_was_typed() -> None:
    form = Form(form_id="ask", title="Ask a team", submit_label="Send request", inputs=(
        FormInput(input_id="what", label="What?", kind="long_text"),
        FormInput(input_id="due", label="By when?", kind="text", optional=True)))
    card = form_card(form, values={"what": "a laptop", "due": "blursday"}, errors={"due": "I couldn't read it"})
    assert inputs_of(card)["what"]["value"] == "a laptop" and inputs_of(card)["due"]["value"] == "blursday"
    body = card["body"]
    due_at = body.index(inputs_of(card)["due"])
    assert body[due_at + 1] == {"type": "TextBlock", "text": "I couldn't read it", "wrap": True,
                                "color": "Attention", "spacing": "None"}
    assert "I couldn't read it" in card_text(card)


def test_escaping_leaves_ordinary_words_alone() -> None:
    assert escape_markdown("Thanks Sam, see you at 3pm.") == "Thanks Sam, see you at 3pm."
