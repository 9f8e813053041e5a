"""The directory stores a conversation's reference when it is new or changed,
not on every message: a person's second message costs no statement, a new
service URL is stored at once, and after `RECHECK_SECONDS` the row is checked
again (another replica may have rewritten it)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from botbuilder.schema import Activity
from sqlalchemy import event

from adapters.teams import directory as directory_module
from adapters.teams.directory import Directory
from bot.core import Tandem
from storage import conversations
from tests.teams.payloads import ANN, SAM, TENANT, message


@pytest.fixture
def statements(core: Tandem) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(core.engine, "before_cursor_execute", count)
    yield seen
    event.remove(core.engine, "before_cursor_execute", count)


def _thanks(service_url: str = "http://127.0.0.1:9/") -> Activity:
    shown, entity = SAM.mention()
    return Activity().deserialize(message(ANN, f"kudos {shown} thanks", entities=[entity], service_url=service_url))


async def test_a_second_message_with_the_same_references_sends_no_statement(core: Tandem,
                                                                            statements: list[str]) -> None:
    directory = Directory(core.engine, core.clock)
    await directory.remember(_thanks())
    assert any("conversation" in s.lower() for s in statements)
    statements.clear()
    await directory.remember(_thanks())
    assert statements == []


async def test_a_new_service_url_is_stored_at_once(core: Tandem) -> None:
    directory = Directory(core.engine, core.clock)
    await directory.remember(_thanks("https://smba.trafficmanager.net/emea/"))
    await directory.remember(_thanks("https://smba.trafficmanager.net/amer/"))
    stored = conversations.find(core.engine, platform="teams", tenant=TENANT, kind="personal", key=ANN.aad)
    assert stored is not None and json.loads(stored)["serviceUrl"] == "https://smba.trafficmanager.net/amer/"


async def test_after_the_recheck_time_the_row_is_looked_at_again(core: Tandem, statements: list[str],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    directory = Directory(core.engine, core.clock)
    await directory.remember(_thanks())
    monkeypatch.setattr(directory_module, "RECHECK_SECONDS", 0.0)
    statements.clear()
    await directory.remember(_thanks())
    assert statements
