"""Fixtures for the Teams adapter: the adapter built on the core, a
`TeamsChat` harness over botbuilder's `TestAdapter`, and a mock Bot
Connector service on a real port that records what the bot sends."""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity

from adapters.config import Config
from adapters.teams.app import TeamsApp, build
from bot.core import Tandem
from tests.teams.payloads import TeamsUser, message

APP_ID = "8f0b6a8e-3c1d-4c55-9d7e-2a1b3c4d5e6f"


@pytest.fixture
def teams_config() -> Config:
    """Teams on, no password, emulator mode on a loopback listener: botbuilder's token checks are off."""
    return Config(teams_app_id=APP_ID, teams_emulator=True, host="127.0.0.1")


@pytest.fixture
def teams(core: Tandem, teams_config: Config) -> TeamsApp:
    return build(core, teams_config)


class TeamsChat:
    """Talk to the Tandem bot as Teams users through `TestAdapter`; read the
    activities it sends back (cards) and the cards it replaced."""

    __test__ = False

    def __init__(self, app: TeamsApp) -> None:
        self.app = app
        self.adapter = TestAdapter(app.bot.on_turn)
        self._ids = itertools.count(1)

    async def send(self, activity: dict[str, Any]) -> list[Activity]:
        """Deliver one activity; returns what the bot sent during the turn."""
        start = len(self.adapter.activity_buffer)
        await self.adapter.receive_activity(Activity().deserialize(activity))
        sent = self.adapter.activity_buffer[start:]
        for reply in sent:
            reply.id = reply.id or f"sent-{next(self._ids)}"
        return sent

    async def say(self, who: TeamsUser, text: str, **options: Any) -> list[Activity]:
        return await self.send(message(who, text, **options))

    async def press(self, who: TeamsUser, card_activity: Activity, title: str, *,
                    inputs: dict[str, Any] | None = None, **options: Any) -> list[Activity]:
        """Press the button `title` of a card the bot sent, with the inputs filled in."""
        card = card_of(card_activity)
        actions = [a for a in card.get("actions", []) if a["title"] == title]
        assert actions, f"no button {title!r} in {[a['title'] for a in card.get('actions', [])]}"
        value = {**actions[0]["data"], **(inputs or {})}
        return await self.send(message(who, "", value=value, reply_to_id=card_activity.id, **options))

    async def send_value(self, who: TeamsUser, value: dict[str, Any]) -> list[Activity]:
        """A card submit with hand-made data, as a forger would send it."""
        return await self.send(message(who, "", value=value))


def card_of(activity: Activity) -> dict[str, Any]:
    """The Adaptive Card an activity carries."""
    assert activity.attachments, f"no card in {activity}"
    attachment = activity.attachments[0]
    assert attachment.content_type == "application/vnd.microsoft.card.adaptive"
    return attachment.content


def card_text(card: dict[str, Any]) -> str:
    """Everything a person reads on a card, one element a line."""
    lines: list[str] = []
    for element in card.get("body", []):
        if element["type"] == "TextBlock":
            lines.append(element["text"])
        elif element["type"] == "FactSet":
            lines.extend(f"{f['title']}: {f['value']}" for f in element["facts"])
        elif "label" in element:
            lines.append(element["label"])
    lines.extend(f"[{a['title']}]" for a in card.get("actions", []))
    return "\n".join(lines)


def inputs_of(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {element["id"]: element for element in card.get("body", []) if element["type"].startswith("Input.")}


@pytest.fixture
def chat(teams: TeamsApp) -> TeamsChat:  # noqa: F811 - the Teams harness replaces the terminal one here
    return TeamsChat(teams)


@dataclass
class ConnectorCall:
    method: str
    conversation_id: str
    activity_id: str | None
    body: dict[str, Any]
    status: int
    authorization: str | None = None  # the bot's own token, as sent

    @property
    def card(self) -> dict[str, Any]:
        attachments = self.body.get("attachments") or []
        assert attachments, f"no card in {self.body}"
        return attachments[0]["content"]


@dataclass
class MockConnector:
    """The Bot Connector service's conversation endpoints, on 127.0.0.1:0.

    `fail_next` holds HTTP statuses to answer the next calls with (then it
    answers 200 with a fresh activity id); every call is recorded, failed or not.
    """

    calls: list[ConnectorCall] = field(default_factory=list)
    fail_next: deque[int] = field(default_factory=deque)
    url: str = ""
    _runner: web.AppRunner | None = None
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/v3/conversations", self._create)
        app.router.add_post("/v3/conversations/{conversation}/activities", self._handle)
        app.router.add_post("/v3/conversations/{conversation}/activities/{activity}", self._handle)
        app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/"
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.Response:
        status = self.fail_next.popleft() if self.fail_next else 200
        self.calls.append(ConnectorCall(method=request.method, conversation_id=request.match_info["conversation"],
                                        activity_id=request.match_info.get("activity"), body=await request.json(),
                                        status=status, authorization=request.headers.get("Authorization")))
        if status != 200:
            return web.json_response({"error": {"code": "Refused", "message": f"status {status}"}}, status=status,
                                     headers={"Retry-After": "1"} if status == 429 else None)
        if request.method == "PUT":
            return web.json_response({"id": request.match_info["activity"]})
        return web.json_response({"id": f"msg-{next(self._ids)}"})

    async def _create(self, request: web.Request) -> web.Response:
        """`POST /v3/conversations`: open a conversation (a personal chat) with the members given."""
        status = self.fail_next.popleft() if self.fail_next else 200
        body = await request.json()
        self.calls.append(ConnectorCall(method="CREATE", conversation_id="", activity_id=None, body=body,
                                        status=status))
        if status != 200:
            return web.json_response({"error": {"code": "Refused", "message": f"status {status}"}}, status=status)
        return web.json_response({"id": f"a:created-{body['members'][0]['id']}"})

    def delivered(self) -> list[ConnectorCall]:
        """The calls answered with success: what people saw."""
        return [call for call in self.calls if call.status == 200]


@pytest.fixture
async def connector() -> AsyncIterator[MockConnector]:
    mock = MockConnector()
    await mock.start()
    yield mock
    await mock.stop()
