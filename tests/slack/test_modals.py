"""`/kudos` and `/ask` alone open modals (people picker, team picker,
values, due date, private); a bad field is shown inline on that field."""

from __future__ import annotations

from sqlmodel import Session, select

from storage.models import Kudos, Request
from tests.slack import payloads
from tests.slack.conftest import ANA, BOB, CAT, GENERAL, IT_CHANNEL, SlackHarness, blocks_text


def _elements(view: dict) -> dict[str, str]:
    return {block["block_id"]: block["element"]["type"] for block in view["blocks"] if block["type"] == "input"}


async def _kudos_modal(slack: SlackHarness) -> dict:
    await slack.command(ANA, '/tandem values add ownership "Own the outcome"')
    await slack.command(ANA, "/kudos")
    opened = slack.api.of("views.open")
    assert len(opened) == 1 and opened[-1]["trigger_id"].startswith("trigger-")
    return opened[-1]["view"]


async def test_kudos_alone_opens_a_modal_with_people_picker_and_values(slack: SlackHarness) -> None:
    view = await _kudos_modal(slack)
    assert view["type"] == "modal" and view["callback_id"] == "tandem:kudos"
    assert _elements(view) == {"people": "multi_users_select", "message": "plain_text_input",
                               "values": "multi_static_select"}
    assert "#ownership" in blocks_text({"blocks": view["blocks"]})


async def test_kudos_modal_with_nobody_picked_shows_the_error_on_the_people_field(slack: SlackHarness) -> None:
    view = await _kudos_modal(slack)
    status, ack = await slack.submit(ANA, view, {"people": payloads.users_picked(),
                                                  "message": payloads.text_input("thanks!"),
                                                  "values": payloads.options_picked()})
    assert status == 200
    assert ack["response_action"] == "errors" and list(ack["errors"]) == ["people"]
    assert "Who would you like to thank" in ack["errors"]["people"]
    with Session(slack.core.engine) as session:
        assert session.exec(select(Kudos)).all() == []


async def test_kudos_modal_thanking_yourself_is_refused_inline(slack: SlackHarness) -> None:
    view = await _kudos_modal(slack)
    status, ack = await slack.submit(ANA, view, {"people": payloads.users_picked(ANA),
                                                  "message": payloads.text_input("me!"),
                                                  "values": payloads.options_picked()})
    assert ack["response_action"] == "errors" and "yourself" in ack["errors"]["people"]


async def test_kudos_modal_sends_kudos_with_the_chosen_values(slack: SlackHarness) -> None:
    view = await _kudos_modal(slack)
    slack.api.clear()
    status, ack = await slack.submit(ANA, view, {"people": payloads.users_picked(BOB, CAT),
                                                  "message": payloads.text_input("for the release"),
                                                  "values": payloads.options_picked("ownership")})
    assert status == 200 and ack is None
    with Session(slack.core.engine) as session:
        kudos = session.exec(select(Kudos)).one()
    assert kudos.message == "for the release #ownership" and kudos.channel == GENERAL
    announced = [m for m in slack.api.of("chat.postMessage") if m["channel"] == GENERAL]
    assert len(announced) == 1 and f"<@{BOB}>" in announced[0]["text"] and f"<@{CAT}>" in announced[0]["text"]
    assert "Sent!" in slack.last_reply_text()  # through the response URL of the /kudos command


async def test_ask_alone_opens_a_modal_with_team_picker_due_and_private(slack: SlackHarness) -> None:
    await slack.command(ANA, '/tandem team add it "IT Help"')
    await slack.command(BOB, "/ask")
    view = slack.api.of("views.open")[-1]["view"]
    assert _elements(view) == {"team": "static_select", "what": "plain_text_input", "due": "plain_text_input",
                               "private": "checkboxes"}
    options = [b for b in view["blocks"] if b["block_id"] == "team"][0]["element"]["options"]
    assert [(o["text"]["text"], o["value"]) for o in options] == [("IT Help", "it")]


async def test_ask_modal_with_an_unreadable_date_shows_the_error_on_the_due_field(slack: SlackHarness) -> None:
    await slack.command(ANA, '/tandem team add it "IT Help"')
    await slack.command(BOB, "/ask")
    view = slack.api.of("views.open")[-1]["view"]
    status, ack = await slack.submit(BOB, view, {"team": payloads.option_picked("it"),
                                                  "what": payloads.text_input("a screen"),
                                                  "due": payloads.text_input("the twelfth of never"),
                                                  "private": payloads.checked(False)})
    assert ack["response_action"] == "errors" and list(ack["errors"]) == ["due"]
    assert "couldn't read" in ack["errors"]["due"]
    with Session(slack.core.engine) as session:
        assert session.exec(select(Request)).all() == []


async def test_ask_modal_files_a_private_request_to_the_intake_channel(slack: SlackHarness) -> None:
    await slack.command(ANA, '/tandem team add it "IT Help"')
    await slack.command(ANA, f"/tandem team edit it channel <#{IT_CHANNEL}|it-help>")
    await slack.command(BOB, "/ask")
    view = slack.api.of("views.open")[-1]["view"]
    status, ack = await slack.submit(BOB, view, {"team": payloads.option_picked("it"),
                                                  "what": payloads.text_input("a screen"),
                                                  "due": payloads.text_input(None),
                                                  "private": payloads.checked(True)})
    assert status == 200 and ack is None
    with Session(slack.core.engine) as session:
        req = session.exec(select(Request)).one()
    assert req.private and req.title == "a screen"
    card = [m for m in slack.api.of("chat.postMessage") if m["channel"] == IT_CHANNEL][-1]
    assert "Private" in blocks_text(card)


async def test_waiting_modal_left_empty_keeps_the_modal_open_with_the_reason(slack: SlackHarness) -> None:
    await slack.command(ANA, '/tandem team add it "IT Help"')
    await slack.command(BOB, "/ask it a screen")
    await slack.command(ANA, "/requests 1 claim")
    await slack.click(ANA, {"action_id": "form.open|1", "value": "wait:1"}, channel=IT_CHANNEL,
                      message_ts="1700000000.000001")
    view = slack.api.of("views.open")[-1]["view"]
    assert view["callback_id"] == "tandem:wait"
    status, ack = await slack.submit(ANA, view, {"note": payloads.text_input("  ")})
    assert ack["response_action"] == "errors" and "Say what you're waiting for" in ack["errors"]["note"]
    with Session(slack.core.engine) as session:
        assert session.get(Request, 1).status == "claimed"
