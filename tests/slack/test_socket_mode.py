"""Socket Mode: with SLACK_APP_TOKEN the app opens a WebSocket to Slack (here
the mock's) and the same listeners answer commands arriving over it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from urllib.parse import parse_qsl

import aiohttp
import pytest

from adapters.server import DELIVERER, build_app
from adapters.slack.app import SLACK
from bot.core import Tandem
from tests.slack import payloads
from tests.slack.conftest import ANA, SlackHarness, serve, slack_config
from tests.slack.mock_web_api import MockSlackApi

GUARD_SECONDS = 10  # only a guard against a hang; nothing waits this long when it works


@pytest.fixture
async def socket_mode(core: Tandem, slack_api: MockSlackApi) -> AsyncIterator[SlackHarness]:
    app = build_app(core, slack_config(slack_api, slack_app_token="xapp-1-test"))
    runner, url = await serve(app)  # on_startup connects the socket
    async with aiohttp.ClientSession() as session:
        yield SlackHarness(url=url, adapter=app[SLACK], api=slack_api, core=core, session=session,
                           deliverer=app[DELIVERER])
    await runner.cleanup()


async def test_a_slash_command_over_socket_mode_is_acked_and_answered(socket_mode: SlackHarness) -> None:
    api = socket_mode.api
    await asyncio.wait_for(api.socket_connected.wait(), GUARD_SECONDS)
    assert api.attempts("apps.connections.open")
    command = dict(parse_qsl(payloads.slash_command("/tandem", "me", user_id=ANA,
                                                    response_url=api.response_url("socket1"))))
    await api.push({"envelope_id": "env-1", "type": "slash_commands", "payload": command,
                    "accepts_response_payload": True})
    ack = await asyncio.wait_for(api.socket_replies.get(), GUARD_SECONDS)
    assert ack["envelope_id"] == "env-1"
    await socket_mode.settle()
    assert "Ana Lima, in Europe/Paris" in socket_mode.last_reply_text()
