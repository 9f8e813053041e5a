"""Card buttons in Teams: Claim, Start, Waiting, Done and Reopen on a request
card, the 1–5 rating and "Say thanks" on the feedback prompt."""

from __future__ import annotations

from sqlmodel import Session, select

from adapters.teams.cards import message_card
from adapters.teams.handler import card_activity
from bot.core import Tandem
from bot.messages import Message, plain
from storage.models import Feedback, Kudos, Notification, Request
from tests.teams.conftest import TeamsChat, card_of, card_text, inputs_of
from tests.teams.payloads import ANN, KIM, SAM


def _status(core: Tandem) -> str:
    with Session(core.engine) as session:
        return session.exec(select(Request.status)).one()


async def _request_card(chat: TeamsChat):  # type: ignore[no-untyped-def]
    await chat.say(ANN, 'tandem team add it "IT Help"')
    await chat.say(SAM, "ask it new laptop for the new hire")
    [card] = await chat.say(ANN, "requests 1")
    return card


async def test_claim_start_waiting_and_done_move_the_request(chat: TeamsChat, core: Tandem) -> None:
    card = await _request_card(chat)
    assert [a["title"] for a in card_of(card)["actions"]] == ["Claim", "Start", "Waiting", "Done"]
    [said] = await chat.press(ANN, card, "Claim")
    assert card_text(card_of(said)) == "#1 is yours."
    assert _status(core) == "claimed"
    [card] = await chat.say(ANN, "requests 1")
    assert [a["title"] for a in card_of(card)["actions"]] == ["Start", "Waiting", "Done"]
    await chat.press(ANN, card, "Start")
    assert _status(core) == "in_progress"
    [form] = await chat.press(ANN, card, "Waiting")
    assert "note" in inputs_of(card_of(form))
    [again] = await chat.press(ANN, form, "Save", inputs={"note": "  "})
    assert any(e.get("color") == "Attention" for e in card_of(again)["body"])
    assert _status(core) == "in_progress"
    await chat.press(ANN, again, "Save", inputs={"note": "Which keyboard layout?"})
    assert _status(core) == "waiting"
    [form] = await chat.press(ANN, card, "Done")
    await chat.press(ANN, form, "Save", inputs={"note": "On your desk"})
    assert _status(core) == "done"
    [card] = await chat.say(ANN, "requests 1")
    await chat.press(ANN, card, "Reopen")
    assert _status(core) != "done"


async def test_a_double_click_on_claim_claims_once_and_says_so(chat: TeamsChat, core: Tandem) -> None:
    card = await _request_card(chat)
    await chat.press(ANN, card, "Claim")
    [second] = await chat.press(ANN, card, "Claim")
    assert "already" in card_text(card_of(second))
    with Session(core.engine) as session:
        request = session.exec(select(Request)).one()
        assert request.status == "claimed"


async def test_someone_outside_the_team_cannot_claim_from_the_card(chat: TeamsChat, core: Tandem) -> None:
    card = await _request_card(chat)
    [refusal] = await chat.press(SAM, card, "Claim")
    assert "members of IT Help can claim #1" in card_text(card_of(refusal))
    assert _status(core) == "open"


async def test_the_feedback_prompt_rates_and_thanks_from_its_buttons(chat: TeamsChat, core: Tandem) -> None:
    card = await _request_card(chat)
    [form] = await chat.press(ANN, card, "Done")
    await chat.press(ANN, form, "Save", inputs={"note": ""})
    with Session(core.engine) as session:
        row = session.exec(select(Notification).where(Notification.address == "aad-sam",
                                                      Notification.message_json.contains("How did it go"))).one()
    message = Message.model_validate_json(row.message_json)
    prompt = card_activity(message_card(message), message)
    prompt.id = "prompt-1"
    assert [a["title"] for a in card_of(prompt)["actions"]] == ["1", "2", "3", "4", "5", "Say thanks"]
    await chat.press(SAM, prompt, "4")
    await chat.press(SAM, prompt, "Say thanks")
    with Session(core.engine) as session:
        assert session.exec(select(Feedback.rating)).one() == 4
        assert session.exec(select(Kudos.request_id)).one() == 1


async def test_a_forged_button_value_changes_nothing(chat: TeamsChat, core: Tandem) -> None:
    await _request_card(chat)
    replies = await chat.send_value(SAM, {"tandem_action": "cmd", "value": "requests 1 done"})
    assert replies and _status(core) == "open"
    replies = await chat.send_value(SAM, {"tandem_action": "kudos.thank", "value": "1; drop table"})
    assert "no longer works" in card_text(card_of(replies[0]))


async def test_a_colleague_says_thanks_from_a_done_card(chat: TeamsChat, core: Tandem) -> None:
    card = await _request_card(chat)
    [form] = await chat.press(ANN, card, "Done")
    await chat.press(ANN, form, "Save", inputs={"note": "On your desk"})
    [card] = await chat.say(KIM, "requests 1")
    assert [a["title"] for a in card_of(card)["actions"]] == ["Say thanks", "Reopen"]
    [said] = await chat.press(KIM, card, "Say thanks")
    assert card_text(card_of(said)) == "🙌 Thanks sent to Ann Lee for #1; yours joins everyone else's in one announcement."
    [again] = await chat.press(KIM, card, "Say thanks")
    assert card_text(card_of(again)) == card_text(card_of(said))
    with Session(core.engine) as session:
        kudos = session.exec(select(Kudos)).all()
        announced = session.exec(select(Notification).where(Notification.topic == "thanks:request:1")).all()
    assert [k.request_id for k in kudos] == [1]
    assert len(announced) == 1
    assert plain(Message.model_validate_json(announced[0].message_json).title) == \
        "🙌 @Kim Wu thanked @Ann Lee for #1: new laptop for the new hire"
