"""The Slack test harness: the real aiohttp app from `build_app`, served on
port 0 with a signing secret, talking to a mock of Slack's Web API.

Requests are signed the way Slack signs them (`build_valid_request`); a test
sends a payload, then `settle()`s: it waits for the work the adapter started
after its ack, instead of sleeping.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from adapters.config import Config
from adapters.server import DELIVERER, build_app
from adapters.slack.app import SLACK, SlackAdapter
from bot.core import Tandem
from bot.services.clock import FrozenClock
from scheduler.deliverer import Deliverer
from scheduler.delivery import deliver_due
from tests.slack import payloads
from tests.slack.mock_web_api import MockSlackApi

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-test-token"

ANA, BOB, CAT, DAN = "U0ANA", "U0BOB", "U0CAT", "U0DAN"
IT_CHANNEL = "C0ITHELP"
GENERAL = "C0GENERAL"
KUDOS_CHANNEL = "C0KUDOS"


def build_valid_request(body: str, *, timestamp: int | None = None, secret: str = SIGNING_SECRET,
                        content_type: str = "application/x-www-form-urlencoded") -> dict[str, str]:
    """The headers Slack sends: a v0 HMAC-SHA256 signature over `v0:{ts}:{body}`."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = "v0=" + hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature, "Content-Type": content_type}


class SlackHarness:
    """Play Slack: send signed payloads to the running app, read what it called."""

    __test__ = False

    def __init__(self, *, url: str, adapter: SlackAdapter, api: MockSlackApi, core: Tandem,
                 session: aiohttp.ClientSession, deliverer: Deliverer) -> None:
        self.url = url
        self.adapter = adapter
        self.deliverer = deliverer
        self.api = api
        self.core = core
        self.session = session
        self._triggers = itertools.count(1)
        self._clicks = itertools.count(1)

    @property
    def clock(self) -> FrozenClock:
        assert isinstance(self.core.clock, FrozenClock)
        return self.core.clock

    async def post(self, body: str, *, headers: dict[str, str] | None = None,
                   content_type: str = "application/x-www-form-urlencoded") -> aiohttp.ClientResponse:
        """POST `body` to /slack/events, signed unless `headers` are given."""
        sent = headers if headers is not None else build_valid_request(body, content_type=content_type)
        async with self.session.post(self.url + "/slack/events", data=body.encode(), headers=sent) as response:
            await response.read()
            return response

    async def post_json(self, body: str, **kwargs: Any) -> tuple[int, Any]:
        sent = kwargs.pop("headers", None) or build_valid_request(body, **kwargs)
        async with self.session.post(self.url + "/slack/events", data=body.encode(), headers=sent) as response:
            text = await response.text()
            return response.status, text

    async def settle(self) -> None:
        """Wait for the work after the ack, then for the deliveries it caused."""
        await self.adapter.settle()
        await self.deliverer.settle()
        await self.adapter.settle()

    async def command(self, user: str, line: str, *, channel: str = GENERAL, channel_name: str = "general") -> int:
        """Type `line` (e.g. "/kudos <@U0BOB|bob> thanks") as `user`; returns the HTTP status."""
        name, _, text = line.partition(" ")
        n = next(self._triggers)
        body = payloads.slash_command(name, text, user_id=user, channel_id=channel, channel_name=channel_name,
                                      trigger_id=f"trigger-{n}", response_url=self.api.response_url(f"cmd{n}"))
        response = await self.post(body)
        await self.settle()
        return response.status

    def replies(self) -> list[dict[str, Any]]:
        """What was said back through response URLs, oldest first."""
        return [c.body for c in self.api.calls if c.method.startswith("response_url:")]

    def last_reply_text(self) -> str:
        return blocks_text(self.replies()[-1])

    async def click(self, user: str, button: dict[str, Any], *, channel: str, message_ts: str,
                    action_ts: str | None = None) -> int:
        """Press a rendered button (a Block Kit button element) on a message."""
        n = next(self._clicks)
        body = payloads.block_actions(
            user_id=user, action_id=button["action_id"], value=button.get("value", ""), channel_id=channel,
            message_ts=message_ts, response_url=self.api.response_url(f"click{n}"),
            action_ts=action_ts or f"1700000100.{n:06d}", trigger_id=f"trigger-click-{n}")
        response = await self.post(body)
        await self.settle()
        return response.status

    async def submit(self, user: str, view: dict[str, Any], values: dict[str, dict[str, Any]],
                     *, view_id: str = "V0000001") -> tuple[int, Any]:
        """Submit a modal the app opened; returns (status, parsed ack body or None)."""
        body = payloads.view_submission(user_id=user, view=view, values=values, view_id=view_id)
        async with self.session.post(self.url + "/slack/events", data=body.encode(),
                                     headers=build_valid_request(body)) as response:
            text = await response.text()
            status = response.status
        await self.settle()
        import json

        return status, (json.loads(text) if text.strip().startswith("{") else None)

    async def deliver(self) -> int:
        """Run the scheduler's delivery job once, as its tick would."""
        return await deliver_due(self.core.engine, {"slack": self.adapter.port}, self.core.clock)


def blocks_text(message: dict[str, Any]) -> str:
    """Every text in a posted message or view (fallback text and blocks), for asserting on."""
    parts = [str(message.get("text") or "")]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "text" and isinstance(value, str):
                    parts.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(message.get("blocks") or [])
    walk((message.get("view") or {}).get("blocks") or [])
    return "\n".join(parts)


def buttons(message: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The buttons of a posted message, by label."""
    found: dict[str, dict[str, Any]] = {}
    for block in message.get("blocks") or []:
        if block.get("type") == "actions":
            for element in block["elements"]:
                found[element["text"]["text"]] = element
    return found


@pytest.fixture
async def slack_api() -> AsyncIterator[MockSlackApi]:
    api = MockSlackApi()
    api.add_user(ANA, "Ana Lima", "Europe/Paris", locale="fr-FR")
    api.add_user(BOB, "Bob Stone", "America/New_York")
    api.add_user(CAT, "Cat Wu", "Asia/Tokyo")
    api.add_user(DAN, "Dan Old", deleted=True)
    await api.start()
    yield api
    await api.stop()


def slack_config(api: MockSlackApi, **overrides: Any) -> Config:
    values: dict[str, Any] = {"slack_bot_token": BOT_TOKEN, "slack_signing_secret": SIGNING_SECRET,
                              "slack_api_url": api.api_url}
    values.update(overrides)
    return Config(**values)


async def serve(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}"


@pytest.fixture
async def slack(core: Tandem, slack_api: MockSlackApi) -> AsyncIterator[SlackHarness]:
    app = build_app(core, slack_config(slack_api))
    runner, url = await serve(app)
    async with aiohttp.ClientSession() as session:
        harness = SlackHarness(url=url, adapter=app[SLACK], api=slack_api, core=core, session=session,
                               deliverer=app[DELIVERER])
        yield harness
        await harness.settle()
    await runner.cleanup()


@pytest.fixture
async def sqlite_slack(sqlite_core: Tandem, slack_api: MockSlackApi) -> AsyncIterator[SlackHarness]:
    """The Slack harness on SQLite only, for behaviour storage isn't the subject of."""
    app = build_app(sqlite_core, slack_config(slack_api))
    runner, url = await serve(app)
    async with aiohttp.ClientSession() as session:
        harness = SlackHarness(url=url, adapter=app[SLACK], api=slack_api, core=sqlite_core, session=session,
                               deliverer=app[DELIVERER])
        yield harness
        await harness.settle()
    await runner.cleanup()
