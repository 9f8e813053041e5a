"""Only Slack gets in: forged, unsigned or stale requests to /slack/events
get 401 and change nothing; /healthz answers 200 with the database up."""

from __future__ import annotations

import time

import aiohttp
from sqlmodel import Session, select

from storage.models import Person
from tests.slack import payloads
from tests.slack.conftest import ANA, SIGNING_SECRET, SlackHarness, build_valid_request

BODY = payloads.slash_command("/tandem", "team add it", user_id=ANA)


async def _nothing_changed(slack: SlackHarness) -> None:
    await slack.settle()
    assert slack.api.calls == []
    with Session(slack.core.engine) as session:
        assert session.exec(select(Person)).all() == []


async def test_a_correctly_signed_command_is_accepted(slack: SlackHarness) -> None:
    response = await slack.post(BODY)
    await slack.settle()
    assert response.status == 200
    assert slack.api.of("users.info")


async def test_a_forged_signature_gets_401_and_changes_nothing(slack: SlackHarness) -> None:
    headers = build_valid_request(BODY, secret="not-the-signing-secret")
    response = await slack.post(BODY, headers=headers)
    assert response.status == 401
    await _nothing_changed(slack)


async def test_a_body_changed_after_signing_gets_401(slack: SlackHarness) -> None:
    headers = build_valid_request(BODY)
    tampered = BODY.replace("team+add+it", "team+add+hr")
    assert tampered != BODY
    response = await slack.post(tampered, headers=headers)
    assert response.status == 401
    await _nothing_changed(slack)


async def test_an_unsigned_request_gets_401(slack: SlackHarness) -> None:
    response = await slack.post(BODY, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status == 401
    await _nothing_changed(slack)


async def test_a_stale_request_replayed_after_five_minutes_gets_401(slack: SlackHarness) -> None:
    headers = build_valid_request(BODY, timestamp=int(time.time()) - 6 * 60, secret=SIGNING_SECRET)
    response = await slack.post(BODY, headers=headers)
    assert response.status == 401
    await _nothing_changed(slack)


async def test_healthz_answers_200_when_the_database_is_reachable(slack: SlackHarness) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.get(slack.url + "/healthz") as response:
            assert response.status == 200
            assert (await response.json())["database"] == "ok"
