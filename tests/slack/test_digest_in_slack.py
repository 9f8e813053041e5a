"""The demo company's digest reaches HR's Slack channel as one message with
its pictures in the thread (one upload of two files, alt text on each),
over the local Web API mock; the pictures are also served by link."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest
from sqlmodel import Session

from bot.messages import Message
from bot.services import digest, outbox
from tests.slack.conftest import GENERAL, SlackHarness, blocks_text

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # delivery, not storage, is tested


async def test_the_digest_is_one_message_with_its_pictures_in_the_thread(slack: SlackHarness,
                                                                         demo_digest: Message) -> None:
    assert len(demo_digest.images) == 2
    with Session(slack.core.engine) as session:
        outbox.notify(session, outbox.to_channel("slack", "T0TANDEM", GENERAL), demo_digest,
                      key="digest:2026-W47", now=slack.clock.now(), kind="digest")
        session.commit()
    assert await slack.deliver() == 1
    [posted] = slack.api.of("chat.postMessage")
    assert posted["channel"] == GENERAL and posted["text"].startswith("Recognition digest, 2026-W47")
    shown = blocks_text(posted)
    assert "Service record" in shown and "Team map, 2026-W47 (in the thread)" in shown
    pngs = [base64.b64decode(image.png_base64) for image in demo_digest.images]
    assert list(slack.api.uploads.values()) == pngs
    asked = slack.api.of("files.getUploadURLExternal")
    assert [a["alt_txt"] for a in asked] == [image.alt[:1000] for image in demo_digest.images]
    assert [a["filename"] for a in asked] == ["team-map-2026-W47.png", "trends-2026-W47.png"]
    [completed] = slack.api.of("files.completeUploadExternal")
    assert completed["channel_id"] == GENERAL and completed["thread_ts"] == posted["_posted_ts"]
    files = json.loads(completed["files"]) if isinstance(completed["files"], str) else completed["files"]
    assert [f["title"] for f in files] == ["Team map, 2026-W47", "Eight-week trends to 2026-W47"]
    assert await slack.deliver() == 0 and len(slack.api.of("chat.postMessage")) == 1


async def test_a_posted_digest_keeps_its_pictures_for_the_charts_link(slack: SlackHarness,
                                                                     demo_digest: Message) -> None:
    with Session(slack.core.engine) as session:
        digest.keep_charts(session, demo_digest, now=slack.clock.now())
        session.commit()
    png = base64.b64decode(demo_digest.images[0].png_base64)
    async with slack.session.get(f"{slack.url}/charts/{hashlib.sha256(png).hexdigest()}.png") as response:
        assert response.status == 200 and response.content_type == "image/png"
        assert await response.read() == png
    for wrong in ("0" * 64 + ".png", "not-a-hash.png", hashlib.sha256(png).hexdigest()):
        async with slack.session.get(f"{slack.url}/charts/{wrong}") as response:
            assert response.status == 404
