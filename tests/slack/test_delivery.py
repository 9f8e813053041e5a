"""Outbox delivery to Slack: DMs through conversations.open, channel
messages through chat.postMessage, about one message a second per channel, a
429's Retry-After honoured without holding up other channels, transient
failures retried, and nothing lost or shown twice."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

from sqlmodel import Session, select

from bot.messages import Image, Message
from bot.ports import Recipient
from bot.services import outbox
from storage.models import Notification
from tests.slack.conftest import BOB, CAT, GENERAL, IT_CHANNEL, SlackHarness, blocks_text

TENANT = "T0TANDEM"


def _queue(slack: SlackHarness, key: str, *, channel: str | None = None, person: str | None = None) -> None:
    recipient = outbox.to_channel("slack", TENANT, channel) if channel else Recipient(
        kind="person", platform="slack", tenant=TENANT, address=person or "")
    with Session(slack.core.engine) as session:
        outbox.notify(session, recipient, Message(title=(f"notice {key}",)), key=key, now=slack.clock.now())
        session.commit()


def _rows(slack: SlackHarness) -> dict[str, Notification]:
    with Session(slack.core.engine) as session:
        return {n.idempotency_key: n for n in session.exec(select(Notification)).all()}


def _texts(slack: SlackHarness, channel: str) -> list[str]:
    return [m["text"] for m in slack.api.of("chat.postMessage") if m["channel"] == channel]


async def test_a_dm_opens_the_conversation_then_posts(slack: SlackHarness) -> None:
    _queue(slack, "a", person=BOB)
    assert await slack.deliver() == 1
    assert [c.method for c in slack.api.calls] == ["conversations.open", "chat.postMessage"]
    assert slack.api.of("conversations.open")[0]["users"] == BOB
    assert _texts(slack, f"D{BOB}") == ["notice a"]


async def test_one_message_a_second_per_channel_without_holding_up_others(slack: SlackHarness) -> None:
    for key in ("it-1", "it-2", "it-3"):
        _queue(slack, key, channel=IT_CHANNEL)
    _queue(slack, "general-1", channel=GENERAL)
    assert await slack.deliver() == 2
    assert _texts(slack, IT_CHANNEL) == ["notice it-1"] and _texts(slack, GENERAL) == ["notice general-1"]
    slack.clock.advance(seconds=1)
    assert await slack.deliver() == 1
    slack.clock.advance(seconds=1)
    assert await slack.deliver() == 1
    assert _texts(slack, IT_CHANNEL) == ["notice it-1", "notice it-2", "notice it-3"]


async def test_a_429_is_survived_with_nothing_lost_and_nothing_sent_twice(slack: SlackHarness) -> None:
    slack.api.rate_limit("chat.postMessage", retry_after=30)
    _queue(slack, "it-1", channel=IT_CHANNEL)
    _queue(slack, "it-2", channel=IT_CHANNEL)
    _queue(slack, "general-1", channel=GENERAL)
    assert await slack.deliver() == 1  # #it-help was told to wait; #general was not held up
    assert _texts(slack, GENERAL) == ["notice general-1"]
    rows = _rows(slack)
    assert rows["it-1"].status == "pending"
    assert rows["it-1"].due_at == slack.clock.now() + timedelta(seconds=30)
    slack.clock.advance(seconds=10)
    assert await slack.deliver() == 0  # still inside Retry-After: Slack is not asked again
    assert len([m for m in slack.api.attempts("chat.postMessage") if m["channel"] == IT_CHANNEL]) == 1
    slack.clock.advance(seconds=20)
    assert await slack.deliver() == 1
    slack.clock.advance(seconds=1)
    assert await slack.deliver() == 1
    assert _texts(slack, IT_CHANNEL) == ["notice it-1", "notice it-2"]
    assert {r.status for r in _rows(slack).values()} == {"sent"}
    slack.clock.advance(seconds=60)
    assert await slack.deliver() == 0


async def test_a_server_error_is_retried_with_back_off(slack: SlackHarness) -> None:
    slack.api.fail("chat.postMessage", status=503)
    _queue(slack, "x", channel=GENERAL)
    assert await slack.deliver() == 0
    row = _rows(slack)["x"]
    assert row.status == "pending" and "503" in row.last_error
    assert row.due_at == slack.clock.now() + timedelta(seconds=2)
    slack.clock.advance(seconds=2)
    assert await slack.deliver() == 1
    assert _texts(slack, GENERAL) == ["notice x"]


async def test_a_channel_that_does_not_exist_fails_for_good(slack: SlackHarness) -> None:
    slack.api.missing_channels.add("C0GONE")
    _queue(slack, "gone", channel="C0GONE")
    _queue(slack, "fine", channel=GENERAL)
    assert await slack.deliver() == 1
    rows = _rows(slack)
    assert rows["gone"].status == "failed" and "channel_not_found" in rows["gone"].last_error
    assert rows["fine"].status == "sent"


async def test_a_person_who_left_fails_for_good(slack: SlackHarness) -> None:
    _queue(slack, "left", person="U0LEFT")
    assert await slack.deliver() == 0
    assert _rows(slack)["left"].status == "failed"


async def test_a_mention_of_the_receiver_pings_only_on_slack(slack: SlackHarness) -> None:
    await slack.command(BOB, f"/kudos <@{CAT}|cat> thanks")
    announcement = [m for m in slack.api.of("chat.postMessage") if m["channel"] == GENERAL][0]
    assert f"<@{CAT}>" in announcement["text"] and f"<@{BOB}>" not in announcement["text"]
    assert "Bob Stone" in blocks_text(announcement)


async def test_the_charts_are_shared_in_the_thread_of_their_message_as_one_upload(slack: SlackHarness) -> None:
    pngs = [b"\x89PNG\r\n\x1a\n" + b"map-bytes", b"\x89PNG\r\n\x1a\n" + b"trend-bytes"]
    message = Message(title=("Weekly recognition digest",), images=(
        Image(title="Team map", png_base64=base64.b64encode(pngs[0]).decode(), alt="IT 3, HR 1", name="team-map"),
        Image(title="Trends", png_base64=base64.b64encode(pngs[1]).decode(), alt="up", name="trends")))
    with Session(slack.core.engine) as session:
        outbox.notify(session, outbox.to_channel("slack", TENANT, GENERAL), message, key="digest",
                      now=slack.clock.now())
        session.commit()
    assert await slack.deliver() == 1
    posted = slack.api.of("chat.postMessage")
    assert len(posted) == 1 and "Team map (in the thread): IT 3, HR 1" in blocks_text(posted[0])
    assert list(slack.api.uploads.values()) == pngs
    asked = slack.api.of("files.getUploadURLExternal")
    assert [(a["filename"], a["alt_txt"]) for a in asked] == [("team-map.png", "IT 3, HR 1"), ("trends.png", "up")]
    [completed] = slack.api.of("files.completeUploadExternal")
    assert completed["channel_id"] == GENERAL and completed["thread_ts"] == posted[0]["_posted_ts"]
    files = json.loads(completed["files"]) if isinstance(completed["files"], str) else completed["files"]
    assert [f["title"] for f in files] == ["Team map", "Trends"]


async def test_a_failed_chart_upload_does_not_post_the_message_twice(slack: SlackHarness) -> None:
    slack.api.fail("files.getUploadURLExternal", status=500, times=5)
    message = Message(title=("Digest",), images=(Image(title="Chart", png_base64=base64.b64encode(b"x").decode(),
                                                       alt="a chart"),))
    with Session(slack.core.engine) as session:
        outbox.notify(session, outbox.to_channel("slack", TENANT, GENERAL), message, key="digest",
                      now=slack.clock.now())
        session.commit()
    assert await slack.deliver() == 1
    slack.clock.advance(seconds=120)
    assert await slack.deliver() == 0
    assert len(slack.api.of("chat.postMessage")) == 1
