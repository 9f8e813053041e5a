"""Teams activities that don't parse are a 400, never a 500; one that parses
but carries junk where the bot reads (a card value naming nothing) gets a
polite answer in the conversation. SQLite only: the edge is what's tested."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from adapters.config import Config
from adapters.server import build_app
from bot.core import Tandem
from tests.teams.conftest import TeamsChat, card_of, card_text
from tests.teams.payloads import ANN


@pytest.fixture
def db_url(tmp_path) -> str:  # type: ignore[no-untyped-def]
    return f"sqlite:///{tmp_path}/tandem.db"


@pytest.fixture
async def server(core: Tandem, teams_config: Config) -> AsyncIterator[str]:
    runner = web.AppRunner(build_app(core, teams_config))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
    await runner.cleanup()


async def _post(url: str, raw: bytes) -> int:
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{url}/api/messages", data=raw, headers={"Content-Type": "application/json"}) as r:
            return r.status


@pytest.mark.parametrize("raw", [
    b"{bad", b"null", b"[1, 2]", b'"text"', b"\xff\xfe", b"{}",
    b'{"type": "message", "from": "ann", "text": "help"}',
    b'{"type": "message", "entities": "nope", "text": "help"}',
    b'{"type": ["message"], "text": "help"}',
    b'{"type": "message", "timestamp": "not a time", "text": "help"}',
    b'{"type": "message", "conversation": 5, "text": "help"}',
])
async def test_an_activity_that_does_not_parse_is_a_400(server: str, raw: bytes) -> None:
    assert await _post(server, raw) == 400


@pytest.mark.parametrize("value", [
    {"tandem_action": "request.claim", "value": "1" * 30},
    {"tandem_action": "request.claim", "value": "request:abc"},
    {"tandem_action": ["x"], "value": {"a": 1}},
    {"tandem_form": "wait", "tandem_metadata": "request:abc", "note": "x"},
    {"tandem_form": "nope"},
])
async def test_a_card_value_naming_nothing_is_answered_politely(chat: TeamsChat, value: dict[str, Any]) -> None:
    replies = await chat.send_value(ANN, value)
    assert replies, "no answer"
    shown = card_text(card_of(replies[-1])) if replies[-1].attachments else (replies[-1].text or "")
    assert "no longer works" in shown or "out of date" in shown or "can't find" in shown, shown
