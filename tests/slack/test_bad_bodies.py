"""Edges answer bad bodies with 4xx: whatever reaches /slack/events that
doesn't verify or doesn't parse is a 400 or 401, never a 500, and an
unsigned body is not parsed beyond what verification needs. Bodies that
parse but name nothing real (a 30-digit request id, `request:abc`) get a
polite answer. SQLite only: the edge is what's tested."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from sqlmodel import Session, func, select

from storage.models import Person, Request
from tests.slack.conftest import ANA, GENERAL, SlackHarness, blocks_text


@pytest.fixture
def db_url(tmp_path) -> str:  # type: ignore[no-untyped-def]
    return f"sqlite:///{tmp_path}/tandem.db"


def _people(slack: SlackHarness) -> int:
    with Session(slack.core.engine) as session:
        return session.exec(select(func.count()).select_from(Person)).one()


BAD_SIGNED = [
    ("payload={bad", "application/x-www-form-urlencoded"),
    ("payload=null", "application/x-www-form-urlencoded"),
    ("payload=%5B1%2C2%5D", "application/x-www-form-urlencoded"),
    ("payload=%22text%22", "application/x-www-form-urlencoded"),
    (urlencode({"payload": json.dumps({"type": "block_actions", "actions": "nope", "user": "U0ANA"})}),
     "application/x-www-form-urlencoded"),
    (json.dumps({"command": "/tandem", "text": "help", "user_id": ANA}), "application/x-www-form-urlencoded"),
    (json.dumps({"command": "/tandem", "text": "help", "user_id": ANA}), "application/json"),
    ("[1, 2", "application/json"),
    ("null", "application/json"),
    ("\xff\xfe garbage", "application/octet-stream"),
    ("", "application/x-www-form-urlencoded"),
]


@pytest.mark.parametrize("body, content_type", BAD_SIGNED)
async def test_a_signed_body_that_does_not_parse_is_a_4xx(slack: SlackHarness, body: str, content_type: str) -> None:
    response = await slack.post(body, content_type=content_type)
    await slack.settle()
    assert 400 <= response.status < 500, response.status
    assert _people(slack) == 0


@pytest.mark.parametrize("body, content_type", BAD_SIGNED)
async def test_an_unsigned_bad_body_is_a_401(slack: SlackHarness, body: str, content_type: str) -> None:
    response = await slack.post(body, headers={"Content-Type": content_type})
    assert response.status == 401
    await slack.settle()
    assert slack.api.calls == [] and _people(slack) == 0


@pytest.mark.parametrize("value", ["1" * 30, "abc", "", "-1", "1:2:3", "\u0661"])
async def test_a_button_with_a_malformed_value_is_answered_politely(slack: SlackHarness, value: str) -> None:
    await slack.command(ANA, "/tandem me")
    status = await slack.click(ANA, {"action_id": "request.claim|0", "value": value}, channel=GENERAL,
                               message_ts="1700000000.000100")
    assert status == 200
    assert slack.last_reply_text().startswith(("That button no longer works", "I can't find request #1."))


async def test_form_metadata_naming_no_request_is_answered_politely(slack: SlackHarness) -> None:
    await slack.command(ANA, "/tandem me")
    view = {"callback_id": "tandem:wait", "private_metadata": json.dumps({"m": "request:abc"}),
            "blocks": []}
    status, ack = await slack.submit(ANA, view, {})
    assert status == 200
    assert ack is None  # the modal closes: no `errors` object to hang it on, not an empty one
    told = [blocks_text(m) for m in slack.api.of("chat.postMessage") if m["channel"] == ANA]
    assert told and "That button no longer works" in told[-1], told
    with Session(slack.core.engine) as session:
        assert session.exec(select(func.count()).select_from(Request)).one() == 0
