"""App Home: opening Tandem's Home tab publishes my open requests (asked and
assigned), my team's queue and the kudos I received this month; a retried
event (X-Slack-Retry-Num) acts once."""

from __future__ import annotations

from tests.slack import payloads
from tests.slack.conftest import ANA, BOB, CAT, SlackHarness, blocks_text, build_valid_request


async def _open_home(slack: SlackHarness, user: str, *, event_id: str = "Ev0HOME0001",
                     retry: int | None = None) -> int:
    body = payloads.app_home_opened(user_id=user, event_id=event_id)
    headers = build_valid_request(body, content_type="application/json")
    if retry is not None:
        headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
    status, _ = await slack.post_json(body, headers=headers)
    await slack.settle()
    return status


async def test_opening_the_home_tab_publishes_requests_queue_and_kudos(slack: SlackHarness) -> None:
    await slack.command(ANA, '/tandem team add it "IT Help"')
    await slack.command(BOB, "/ask it a new laptop")
    await slack.command(CAT, "/ask it a second screen")
    await slack.command(ANA, "/requests 1 claim")
    await slack.command(BOB, f"/kudos <@{ANA}|ana> quick laptop help")
    slack.api.clear()
    assert await _open_home(slack, ANA) == 200
    published = slack.api.of("views.publish")
    assert len(published) == 1 and published[0]["user_id"] == ANA
    assert published[0]["view"]["type"] == "home"
    home = blocks_text(published[0])
    assert "Your open requests (1)" in home and "#1 [it] a new laptop" in home
    assert "IT Help's queue (2)" in home and "#2 [it] a second screen" in home
    assert "Kudos you received this month (1)" in home and "quick laptop help" in home


async def test_a_retried_event_is_acked_and_acts_once(slack: SlackHarness) -> None:
    assert await _open_home(slack, BOB, event_id="Ev0RETRY") == 200
    assert await _open_home(slack, BOB, event_id="Ev0RETRY", retry=1) == 200
    assert len(slack.api.of("views.publish")) == 1
    assert await _open_home(slack, BOB, event_id="Ev0OTHER") == 200
    assert len(slack.api.of("views.publish")) == 2


async def test_the_messages_tab_publishes_nothing(slack: SlackHarness) -> None:
    body = payloads.app_home_opened(user_id=BOB, event_id="Ev0MSGS", tab="messages")
    status, _ = await slack.post_json(body, content_type="application/json")
    await slack.settle()
    assert status == 200 and slack.api.of("views.publish") == []
