"""Form cards: `kudos` or `ask` with no text answers with a card of inputs;
its submit runs the form; a refusal brings the card back with the error next
to the field and what was typed still there."""

from __future__ import annotations

from sqlmodel import Session, select

from bot.core import Tandem
from storage.models import Kudos, Request
from tests.teams.conftest import TeamsChat, card_of, card_text, inputs_of
from tests.teams.payloads import ANN, KIM, SAM


async def _meet(chat: TeamsChat, *people) -> None:  # type: ignore[no-untyped-def]
    for who in people:
        await chat.say(who, "help")


async def test_kudos_alone_answers_with_a_form_of_known_people_and_values(chat: TeamsChat) -> None:
    await _meet(chat, ANN, SAM, KIM)
    await chat.say(ANN, "tandem values add ownership We finish what we start")
    [form] = await chat.say(ANN, "kudos")
    inputs = inputs_of(card_of(form))
    assert [c["title"] for c in inputs["people"]["choices"]] == ["Ann Lee", "Kim Wu", "Sam Roy"]
    assert inputs["values"]["choices"] == [{"title": "#ownership", "value": "ownership"}]
    assert inputs["message"]["type"] == "Input.Text" and inputs["message"]["isMultiline"] is True


async def test_submitting_the_kudos_form_thanks_everyone_picked_and_replaces_the_card(chat: TeamsChat,
                                                                                     core: Tandem) -> None:
    await _meet(chat, SAM, KIM)
    await chat.say(ANN, "tandem values add ownership We finish what we start")
    [form] = await chat.say(ANN, "kudos")
    replies = await chat.press(ANN, form, "Send", inputs={"people": "aad-sam,aad-kim", "message": "great launch",
                                                          "values": "ownership"})
    assert replies == []
    [updated] = chat.adapter.updated_activities
    assert updated.id == form.id
    assert "Sent! Sam Roy, Kim Wu will hear about it." in card_text(card_of(updated))
    with Session(core.engine) as session:
        assert session.exec(select(Kudos.message)).all() == ["great launch #ownership"]


async def test_pressing_send_twice_on_one_form_card_gives_kudos_once(chat: TeamsChat, core: Tandem) -> None:
    await _meet(chat, SAM)
    [form] = await chat.say(ANN, "kudos")
    for _ in range(2):
        await chat.press(ANN, form, "Send", inputs={"people": "aad-sam", "message": "thanks"})
    with Session(core.engine) as session:
        assert len(session.exec(select(Kudos)).all()) == 1


async def test_a_refused_ask_form_comes_back_with_the_error_by_the_field_and_the_typing_kept(chat: TeamsChat,
                                                                                          core: Tandem) -> None:
    await chat.say(ANN, 'tandem team add it "IT Help"')
    [form] = await chat.say(SAM, "ask")
    inputs = inputs_of(card_of(form))
    assert inputs["team"]["choices"] == [{"title": "IT Help", "value": "it"}]
    assert inputs["private"]["type"] == "Input.Toggle"
    [again] = await chat.press(SAM, form, "Send request",
                               inputs={"team": "it", "what": "a laptop", "due": "blursday", "private": ""})
    card = card_of(again)
    assert inputs_of(card)["what"]["value"] == "a laptop" and inputs_of(card)["due"]["value"] == "blursday"
    body = card["body"]
    after_due = body[body.index(inputs_of(card)["due"]) + 1:]
    errors = [e["text"] for e in after_due if e.get("color") == "Attention"]
    assert errors and errors[0].startswith("I couldn't read “blursday” as a date")
    with Session(core.engine) as session:
        assert session.exec(select(Request)).all() == []
    await chat.press(SAM, again, "Send request", inputs={"team": "it", "what": "a laptop", "due": "", "private": "true"})
    with Session(core.engine) as session:
        request = session.exec(select(Request)).one()
        assert (request.title, request.private) == ("a laptop", True)


async def test_a_form_refusal_about_no_single_field_is_shown_on_top(chat: TeamsChat, core: Tandem) -> None:
    [form] = await chat.say(ANN, "kudos")
    [again] = await chat.press(ANN, form, "Send", inputs={"people": "aad-nobody", "message": "thanks"})
    card = card_of(again)
    assert card["body"][1]["color"] == "Attention" and card["body"][1]["text"].startswith("I don't know @aad-nobody")
    assert inputs_of(card)["message"]["value"] == "thanks"
    with Session(core.engine) as session:
        assert session.exec(select(Kudos)).all() == []


async def test_thanking_yourself_is_refused_next_to_the_people_field(chat: TeamsChat, core: Tandem) -> None:
    [form] = await chat.say(ANN, "kudos")
    [again] = await chat.press(ANN, form, "Send", inputs={"people": "aad-ann", "message": "me, myself"})
    body = card_of(again)["body"]
    start = body.index(inputs_of(card_of(again))["people"]) + 1
    until_next_input = body[start:body.index(inputs_of(card_of(again))["message"])]
    assert [e["text"] for e in until_next_input if e.get("color") == "Attention"] == \
        ["Kudos are for others — you can't thank yourself (but well done!)."]
    with Session(core.engine) as session:
        assert session.exec(select(Kudos)).all() == []
