"""A crowd pressing "Say thanks" on one done request's card in Slack, over
HTTP to the mock Web API: every press acked and stored once, and the
announcement is one chat.postMessage plus a few chat.update calls whose last
text counts everyone, instead of one post per press."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from storage.models import Kudos
from tests.slack.conftest import ANA, BOB, IT_CHANNEL, SlackHarness, blocks_text, buttons

CROWD = [f"U0FAN{n:02d}" for n in range(24)]


def thanked(slack: SlackHarness, method: str) -> list[dict]:  # type: ignore[type-arg]
    return [m for m in slack.api.of(method) if m.get("channel") == IT_CHANNEL and "thanked" in m.get("text", "")]


async def _done_card(slack: SlackHarness) -> dict:  # type: ignore[type-arg]
    """Ana leads IT (intake #it-help) and finished Bob's request #1; the card as last updated."""
    await slack.command(ANA, '/tandem team add it "IT Help"')
    await slack.command(ANA, f"/tandem team edit it channel <#{IT_CHANNEL}|it-help>")
    await slack.command(BOB, "/ask it new laptop for the new hire")
    await slack.command(ANA, "/requests 1 done on your desk")
    card = [m for m in slack.api.of("chat.update") if m["channel"] == IT_CHANNEL][-1]
    assert list(buttons(card)) == ["Say thanks", "Reopen"]
    return card


async def test_a_crowd_of_presses_is_one_post_and_few_updates_that_count_everyone(slack: SlackHarness) -> None:
    for n, user in enumerate(CROWD):
        slack.api.add_user(user, f"Fan {n:02d}")
    card = await _done_card(slack)
    for user in CROWD[:12]:
        assert await slack.click(user, buttons(card)["Say thanks"], channel=IT_CHANNEL, message_ts=card["ts"]) == 200
    slack.clock.advance(seconds=2)  # the card went to #it-help this second: the post waits its turn
    await slack.deliver()
    for user in CROWD[12:]:
        await slack.click(user, buttons(card)["Say thanks"], channel=IT_CHANNEL, message_ts=card["ts"])
    await slack.click(CROWD[0], buttons(card)["Say thanks"], channel=IT_CHANNEL, message_ts=card["ts"])  # again
    slack.clock.advance(timedelta(seconds=2))
    await slack.deliver()
    posts, updates = thanked(slack, "chat.postMessage"), thanked(slack, "chat.update")
    assert len(posts) == 1 and len(updates) == 1  # 25 presses, two calls
    assert "Fan 00, Fan 01 and 10 others thanked <@U0ANA> for #1: new laptop for the new hire" in posts[0]["text"]
    assert updates[-1]["ts"] == posts[0]["_posted_ts"]
    assert "Fan 00, Fan 01 and 22 others thanked <@U0ANA>" in blocks_text(updates[-1])
    assert "<@U0FAN" not in str(updates[-1])  # the thankers are named, never pinged
    dms = [m for m in slack.api.of("chat.postMessage") + slack.api.of("chat.update")
           if m.get("channel") == f"D{ANA}" and "thanked you" in m.get("text", "")]
    # the DM's first post went at once (Ana's DM was quiet), then one update per round
    assert [m["text"].split(" thanked")[0] for m in dms] == ["🙌 Fan 00", "🙌 Fan 00, Fan 01 and 10 others",
                                                             "🙌 Fan 00, Fan 01 and 22 others"]
    with Session(slack.core.engine) as session:
        givers = [k.giver_id for k in session.exec(select(Kudos).where(Kudos.request_id == 1))]
    assert len(givers) == len(CROWD) == len(set(givers))
