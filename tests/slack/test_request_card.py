"""A request in Slack: its card lands in the team's intake channel with
buttons, is updated in place as the request moves, and comments go to its
thread; the requester's done notice carries ratings and "Say thanks"."""

from __future__ import annotations

from sqlmodel import Session, select

from storage.models import Feedback, Kudos, Request
from tests.slack import payloads
from tests.slack.conftest import ANA, BOB, IT_CHANNEL, SlackHarness, blocks_text, buttons


async def _team_with_request(slack: SlackHarness) -> dict:
    """Ana leads IT (intake #it-help); Bob asks IT for a laptop. Returns the card as posted."""
    await slack.command(ANA, '/tandem team add it "IT Help"')
    await slack.command(ANA, f"/tandem team edit it channel <#{IT_CHANNEL}|it-help>")
    slack.api.clear()
    await slack.command(BOB, "/ask it new laptop for the new hire by friday")
    cards = [c for c in slack.api.of("chat.postMessage") if c["channel"] == IT_CHANNEL]
    assert len(cards) == 1
    return cards[0]


async def test_a_new_request_is_posted_to_the_intake_channel_with_its_buttons(slack: SlackHarness) -> None:
    card = await _team_with_request(slack)
    assert "#1 · IT Help: new laptop for the new hire" in blocks_text(card)
    assert list(buttons(card)) == ["Claim", "Start", "Waiting", "Done"]
    assert "Request #1 is with IT Help" in slack.last_reply_text()


async def test_claim_button_updates_the_card_in_place_and_tells_the_requester(slack: SlackHarness) -> None:
    card = await _team_with_request(slack)
    slack.api.clear()
    status = await slack.click(ANA, buttons(card)["Claim"], channel=IT_CHANNEL, message_ts=card["_posted_ts"])
    assert status == 200
    updates = slack.api.of("chat.update")
    assert len(updates) == 1
    assert updates[0]["channel"] == IT_CHANNEL and updates[0]["ts"] == card["_posted_ts"]
    assert "Claimed" in blocks_text(updates[0]) and "Ana Lima" in blocks_text(updates[0])
    assert list(buttons(updates[0])) == ["Start", "Waiting", "Done"]
    dm = slack.api.of("chat.postMessage")
    assert [m["channel"] for m in dm] == [f"D{BOB}"]
    assert "picked up your request #1" in blocks_text(dm[0])
    assert "#1 is yours." in slack.last_reply_text()


async def test_a_double_click_on_claim_changes_the_request_once(slack: SlackHarness) -> None:
    card = await _team_with_request(slack)
    slack.api.clear()
    await slack.click(ANA, buttons(card)["Claim"], channel=IT_CHANNEL, message_ts=card["_posted_ts"])
    await slack.click(ANA, buttons(card)["Claim"], channel=IT_CHANNEL, message_ts=card["_posted_ts"])
    assert len(slack.api.of("chat.update")) == 1
    assert len([m for m in slack.api.of("chat.postMessage") if m["channel"] == f"D{BOB}"]) == 1
    assert "already yours" in slack.last_reply_text()


async def test_a_comment_goes_to_the_cards_thread_paced_one_a_second(slack: SlackHarness) -> None:
    card = await _team_with_request(slack)
    slack.api.clear()
    await slack.command(BOB, "/requests 1 comment it should have 32 GB <!here>")
    # the card went to #it-help this same second: the thread reply waits its turn
    assert [m for m in slack.api.of("chat.postMessage") if m["channel"] == IT_CHANNEL] == []
    slack.clock.advance(seconds=1)
    assert await slack.deliver() == 1
    thread = [m for m in slack.api.of("chat.postMessage") if m["channel"] == IT_CHANNEL]
    assert len(thread) == 1 and thread[0]["thread_ts"] == card["_posted_ts"]
    assert "it should have 32 GB @here" in blocks_text(thread[0])
    assert "<!here>" not in str(thread[0])


async def test_waiting_and_done_open_modals_and_done_asks_for_feedback(slack: SlackHarness) -> None:
    card = await _team_with_request(slack)
    await slack.click(ANA, buttons(card)["Claim"], channel=IT_CHANNEL, message_ts=card["_posted_ts"])
    claimed = slack.api.of("chat.update")[-1]
    slack.api.clear()
    await slack.click(ANA, buttons(claimed)["Done"], channel=IT_CHANNEL, message_ts=card["_posted_ts"])
    opened = slack.api.of("views.open")
    assert len(opened) == 1 and opened[0]["view"]["callback_id"] == "tandem:done"
    status, ack = await slack.submit(ANA, opened[0]["view"], {"note": payloads.text_input("Ordered & delivered")})
    assert status == 200 and ack is None
    done_card = slack.api.of("chat.update")[-1]
    assert "Done" in blocks_text(done_card) and list(buttons(done_card)) == ["Say thanks", "Reopen"]
    slack.clock.advance(seconds=1)  # Bob's DM had the "picked up" notice this second
    await slack.deliver()
    prompt = [m for m in slack.api.of("chat.postMessage") if m["channel"] == f"D{BOB}"][-1]
    assert list(buttons(prompt)) == ["1", "2", "3", "4", "5", "Say thanks"]
    assert "Ordered &amp; delivered" in blocks_text(prompt)


async def test_a_double_rating_click_and_a_double_say_thanks_act_once(slack: SlackHarness) -> None:
    await _team_with_request(slack)
    await slack.command(ANA, "/requests 1 done")
    prompt = [m for m in slack.api.of("chat.postMessage") if m["channel"] == f"D{BOB}"][-1]
    prompt_ts = prompt["_posted_ts"]
    slack.api.clear()
    for _ in range(2):
        await slack.click(BOB, buttons(prompt)["4"], channel=f"D{BOB}", message_ts=prompt_ts)
    for _ in range(2):
        await slack.click(BOB, buttons(prompt)["Say thanks"], channel=f"D{BOB}", message_ts=prompt_ts)
    slack.clock.advance(seconds=2)
    await slack.deliver()
    with Session(slack.core.engine) as session:
        assert len(session.exec(select(Feedback)).all()) == 1
        kudos = session.exec(select(Kudos)).all()
        assert len(kudos) == 1 and kudos[0].request_id == 1
    thanked = [m for m in slack.api.of("chat.postMessage") if m["channel"] == f"D{ANA}"]
    assert len(thanked) == 1 and "You got kudos from Bob Stone" in blocks_text(thanked[0])
    assert "Add a comment" in str(slack.replies())


async def test_the_rating_comment_form_opens_from_the_thanks_reply(slack: SlackHarness) -> None:
    await _team_with_request(slack)
    await slack.command(ANA, "/requests 1 done")
    prompt = [m for m in slack.api.of("chat.postMessage") if m["channel"] == f"D{BOB}"][-1]
    await slack.click(BOB, buttons(prompt)["2"], channel=f"D{BOB}", message_ts=prompt["_posted_ts"])
    thanks = slack.replies()[-1]
    await slack.click(BOB, buttons(thanks)["Add a comment"], channel=f"D{BOB}", message_ts=prompt["_posted_ts"])
    view = slack.api.of("views.open")[-1]["view"]
    assert view["callback_id"] == "tandem:feedback"
    status, ack = await slack.submit(BOB, view, {"rating": payloads.option_picked("2"),
                                                  "comment": payloads.text_input("slow answer")})
    assert status == 200 and ack is None
    with Session(slack.core.engine) as session:
        feedback = session.exec(select(Feedback)).one()
    assert (feedback.rating, feedback.comment) == (2, "slow answer")


async def test_a_forged_button_on_someone_elses_request_changes_nothing(slack: SlackHarness) -> None:
    card = await _team_with_request(slack)
    slack.api.clear()
    forged = {"action_id": "request.claim|0", "value": "1"}
    await slack.click(BOB, forged, channel=IT_CHANNEL, message_ts=card["_posted_ts"])
    with Session(slack.core.engine) as session:
        assert session.get(Request, 1).status == "open"
    assert slack.api.of("chat.update") == []
    assert "members of IT Help can claim #1" in slack.last_reply_text()
    await slack.click(BOB, {"action_id": "cmd|0", "value": "requests 1 done"}, channel=IT_CHANNEL,
                      message_ts=card["_posted_ts"])
    with Session(slack.core.engine) as session:
        assert session.get(Request, 1).status == "open"
    assert "That button no longer works" in slack.last_reply_text()
