"""An acked slash command is never lost: it is written to the inbox before
the ack, answered after, and replayed when Tandem starts again if a crash
interrupted it; the command receipt keeps a replay from acting twice. If the
inbox can't be written, the command is not acked as received.

The inbox is storage, so the first test runs on SQLite and PostgreSQL; the
others test the edge's behaviour and run on SQLite."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text
from sqlmodel import Session, func, select

from adapters.server import build_app
from adapters.slack import inbox as slack_inbox
from bot.core import Tandem
from storage import inbox
from storage.inbox import InboxEntry
from storage.models import Request
from tests.slack import payloads
from tests.slack.conftest import ANA, SlackHarness, blocks_text, serve, slack_config
from tests.slack.mock_web_api import MockSlackApi


def _requests(core: Tandem) -> int:
    with Session(core.engine) as session:
        return session.exec(select(func.count()).select_from(Request)).one()


def _entries(core: Tandem) -> list[InboxEntry]:
    with Session(core.engine) as session:
        return list(session.exec(select(InboxEntry).order_by(InboxEntry.id)).all())


async def test_a_command_is_written_down_before_its_ack_and_marked_done_after(slack: SlackHarness) -> None:
    await slack.command(ANA, '/tandem team add it "IT Help"')
    await slack.command(ANA, "/ask it new laptop")
    entries = _entries(slack.core)
    assert [(e.outcome, e.done_at is not None) for e in entries] == [("answered", True), ("answered", True)]
    assert json.loads(entries[1].body_json)["text"] == "it new laptop"
    assert _requests(slack.core) == 1


@pytest.fixture
def sqlite_url(tmp_path) -> str:  # type: ignore[no-untyped-def]
    return f"sqlite:///{tmp_path}/tandem.db"


class TestOnSqlite:
    @pytest.fixture
    def db_url(self, sqlite_url: str) -> str:
        return sqlite_url

    async def test_a_command_the_inbox_cannot_take_is_not_acked_as_received(self, slack: SlackHarness) -> None:
        with slack.core.engine.begin() as connection:
            connection.execute(text("DROP TABLE inbox_entry"))
        body = payloads.slash_command("/ask", "it new laptop", user_id=ANA, trigger_id="t-lost",
                                      response_url=slack.api.response_url("lost"))
        status, ack = await slack.post_json(body)
        await slack.settle()
        assert status == 200 and "couldn't take that in" in ack and "try again" in ack
        assert slack.replies() == [] and slack.api.of("users.info") == []  # nothing was worked on

    async def test_an_unfinished_command_is_replayed_at_start_and_answered(
            self, core: Tandem, slack_api: MockSlackApi) -> None:
        response_url = slack_api.response_url("before-the-crash")
        body = {"command": "/tandem", "text": "help", "user_id": ANA, "channel_id": "C0GENERAL",
                "trigger_id": "t-1", "response_url": response_url, "team_id": payloads.TEAM_ID}
        inbox.record(core.engine, platform="slack", tenant=payloads.TEAM_ID,
                     delivery_key=slack_inbox.delivery_key(payloads.TEAM_ID, body), body_json=json.dumps(body),
                     now=core.clock.now())
        await _start_and_settle(core, slack_api)
        replies = [c.body for c in slack_api.calls if c.method == "response_url:before-the-crash"]
        assert len(replies) == 1 and "/kudos" in blocks_text(replies[0])
        assert [e.outcome for e in _entries(core)] == ["answered"]

    async def test_a_replayed_command_that_already_acted_does_not_act_twice(
            self, slack: SlackHarness, slack_api: MockSlackApi) -> None:
        await slack.command(ANA, '/tandem team add it "IT Help"')
        await slack.command(ANA, "/ask it new laptop")
        with Session(slack.core.engine) as session:  # as if killed after the work, before marking it done
            entry = session.exec(select(InboxEntry).order_by(InboxEntry.id.desc())).first()  # type: ignore[union-attr]
            assert entry is not None
            entry.done_at, entry.outcome = None, None
            session.add(entry)
            session.commit()
        await _start_and_settle(slack.core, slack_api)
        assert _requests(slack.core) == 1
        assert all(e.outcome == "answered" for e in _entries(slack.core))

    async def test_commands_older_than_their_reply_route_are_not_replayed(
            self, core: Tandem, slack_api: MockSlackApi) -> None:
        from datetime import timedelta

        body = {"command": "/ask", "text": "it stale", "user_id": ANA, "trigger_id": "t-old",
                "response_url": slack_api.response_url("old")}
        inbox.record(core.engine, platform="slack", tenant=payloads.TEAM_ID, delivery_key="old",
                     body_json=json.dumps(body), now=core.clock.now() - timedelta(hours=1))
        await _start_and_settle(core, slack_api)
        assert [e.outcome for e in _entries(core)] == ["expired"]
        assert not [c for c in slack_api.calls if c.method == "response_url:old"]


async def _start_and_settle(core: Tandem, api: MockSlackApi) -> None:
    """Start Tandem's app (its startup replays the inbox) and wait for the work."""
    from adapters.server import DELIVERER
    from adapters.slack.app import SLACK

    app = build_app(core, slack_config(api))
    runner, _url = await serve(app)
    try:
        await app[SLACK].settle()
        await app[DELIVERER].settle()
    finally:
        await runner.cleanup()
