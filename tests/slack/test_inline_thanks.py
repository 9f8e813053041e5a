"""Inline thanks over real signed HTTP: a `message.channels` event with
`@bob++` or `thanks @bob` gives one kudos, answered in the message's thread
without a ping; code, chatter and bots give nothing; a retried event, on this
replica or another, gives once."""

from __future__ import annotations

import aiohttp
from sqlmodel import Session, select

from adapters.server import DELIVERER, build_app
from adapters.slack.app import SLACK
from storage.models import Kudos, KudosReceiver, Person
from tests.slack import payloads
from tests.slack.conftest import ANA, BOB, CAT, GENERAL, SlackHarness, build_valid_request, serve, slack_config

TS = "1700000500.000100"


def kudos_to(slack: SlackHarness) -> list[tuple[str, list[str]]]:
    with Session(slack.core.engine) as session:
        rows = []
        for kudos in session.exec(select(Kudos).order_by(Kudos.id)):
            ids = session.exec(select(Person.user_id).join(KudosReceiver, KudosReceiver.person_id == Person.id)
                               .where(KudosReceiver.kudos_id == kudos.id)).all()
            rows.append((kudos.message, sorted(ids)))
        return rows


async def post_message(slack: SlackHarness, text: str, *, user: str = ANA, event_id: str = "Ev0MSG0001",
                       headers: dict[str, str] | None = None, **options: object) -> int:
    body = payloads.channel_message(user_id=user, text=text, event_id=event_id, **options)  # type: ignore[arg-type]
    sent = headers if headers is not None else build_valid_request(body, content_type="application/json")
    response = await slack.post(body, headers=sent)
    await slack.settle()
    await deliver_all(slack)
    return response.status


async def deliver_all(slack: SlackHarness) -> None:
    """Let Slack's one-message-a-second-per-channel pacing pass until the outbox is empty."""
    for _ in range(5):
        slack.clock.advance(seconds=2)
        await slack.deliver()


async def test_plusplus_gives_one_kudos_and_answers_in_the_thread_without_a_ping(sqlite_slack: SlackHarness) -> None:
    assert await post_message(sqlite_slack, f"<@{BOB}>++ for the demo") == 200
    assert kudos_to(sqlite_slack) == [("for the demo", [BOB])]
    in_thread = [m for m in sqlite_slack.api.of("chat.postMessage") if m.get("thread_ts") == TS]
    assert len(in_thread) == 1 and in_thread[0]["channel"] == GENERAL
    assert "Bob Stone" in in_thread[0]["text"] and f"<@{BOB}>" not in str(in_thread[0])


async def test_thanks_at_someone_gives_one_kudos(sqlite_slack: SlackHarness) -> None:
    await post_message(sqlite_slack, f"thanks <@{BOB}> <@{CAT}> for the release #teamwork")
    assert kudos_to(sqlite_slack) == [("for the release #teamwork", [BOB, CAT])]


async def test_a_reply_in_a_thread_is_answered_in_that_thread(sqlite_slack: SlackHarness) -> None:
    await post_message(sqlite_slack, f"<@{BOB}> ++", ts="1700000600.000200", thread_ts="1700000400.000001")
    assert len(kudos_to(sqlite_slack)) == 1
    assert [m["thread_ts"] for m in sqlite_slack.api.of("chat.postMessage") if m.get("thread_ts")] == \
        ["1700000400.000001"]


async def test_code_blocks_quotes_chatter_and_bots_give_nothing(sqlite_slack: SlackHarness) -> None:
    await post_message(sqlite_slack, f"```<@{BOB}>++ for the demo```", event_id="Ev1")
    await post_message(sqlite_slack, f"&gt; thanks <@{BOB}>", event_id="Ev2")
    await post_message(sqlite_slack, f"<@{BOB}> could you look at this?", event_id="Ev3")
    await post_message(sqlite_slack, f"<@{BOB}>++ from a bot", event_id="Ev4", bot_id="B0OTHER")
    await post_message(sqlite_slack, f"<@{BOB}>++ edited", event_id="Ev5", subtype="message_changed")
    assert kudos_to(sqlite_slack) == []
    assert sqlite_slack.api.of("users.info") == []  # nothing worth a lookup
    assert sqlite_slack.api.of("chat.postMessage") == []


async def test_a_retried_event_gives_once_on_any_replica(slack: SlackHarness) -> None:
    text = f"<@{BOB}>++ for the demo"
    await post_message(slack, text, event_id="Ev0RETRY")
    body = payloads.channel_message(user_id=ANA, text=text, event_id="Ev0RETRY")
    retry = {**build_valid_request(body, content_type="application/json"), "X-Slack-Retry-Num": "1",
             "X-Slack-Retry-Reason": "http_timeout"}
    assert (await slack.post(body, headers=retry)).status == 200
    await slack.settle()
    await deliver_all(slack)
    # a second replica on the same database never saw the first delivery
    other = build_app(slack.core, slack_config(slack.api))
    runner, url = await serve(other)
    try:
        async with aiohttp.ClientSession() as session:
            async with session.post(url + "/slack/events", data=body.encode(), headers=retry) as response:
                assert response.status == 200
        await other[SLACK].settle()
        await other[DELIVERER].settle()
    finally:
        await runner.cleanup()
    await deliver_all(slack)
    assert kudos_to(slack) == [("for the demo", [BOB])]
    assert len([m for m in slack.api.of("chat.postMessage") if m.get("thread_ts") == TS]) == 1


async def test_thanking_yourself_is_explained_to_you_alone(sqlite_slack: SlackHarness) -> None:
    await post_message(sqlite_slack, f"<@{ANA}>++ me")
    assert kudos_to(sqlite_slack) == []
    posted = sqlite_slack.api.of("chat.postMessage")
    assert [m["channel"] for m in posted] == [f"D{ANA}"]
    assert "gave no kudos" in posted[0]["text"]
