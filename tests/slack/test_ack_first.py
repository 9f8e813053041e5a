"""Slack hears back within its 3 seconds whatever the database is doing: the
ack goes first and the core's work follows. Here the core is held until the
ack has arrived, so the order is proven without timing anything."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlmodel import Session, select

from storage.models import Kudos
from tests.slack import payloads
from tests.slack.conftest import ANA, BOB, GENERAL, SlackHarness

GUARD_SECONDS = 10  # fails instead of hanging if the ack ever waited for the core


def _hold(slack: SlackHarness, name: str) -> asyncio.Event:
    """Make the core's `name` wait until the returned event is set."""
    gate = asyncio.Event()
    real = getattr(slack.core, name)

    async def held(*args: Any, **kwargs: Any) -> Any:
        await gate.wait()
        return await real(*args, **kwargs)

    setattr(slack.core, name, held)
    return gate


async def test_a_slash_command_is_acked_before_the_core_runs(slack: SlackHarness) -> None:
    gate = _hold(slack, "handle_command")
    body = payloads.slash_command("/kudos", f"<@{BOB}|bob> thanks", user_id=ANA,
                                  response_url=slack.api.response_url("held"))
    response = await asyncio.wait_for(slack.post(body), GUARD_SECONDS)
    assert response.status == 200  # answered while the core is still held
    with Session(slack.core.engine) as session:
        assert session.exec(select(Kudos)).all() == []
    gate.set()
    await slack.settle()
    assert "Sent!" in slack.last_reply_text()


async def test_a_slow_modal_submission_closes_the_modal_and_answers_by_message(slack: SlackHarness) -> None:
    await slack.command(ANA, "/kudos")
    view = slack.api.of("views.open")[-1]["view"]
    slack.adapter.listeners.form_budget = 0.01
    gate = _hold(slack, "handle_form")
    body = payloads.view_submission(user_id=ANA, view=view, values={
        "people": payloads.users_picked(BOB), "message": payloads.text_input("for the demo"),
        "values": payloads.options_picked()})
    response = await asyncio.wait_for(slack.post(body), GUARD_SECONDS)
    assert response.status == 200  # the modal closed without waiting for the core
    gate.set()
    await slack.settle()
    assert "Sent!" in slack.last_reply_text()
    assert len([m for m in slack.api.of("chat.postMessage") if m["channel"] == GENERAL]) == 1


async def test_a_command_is_acked_while_slacks_web_api_is_failing(slack: SlackHarness) -> None:
    slack.api.fail("auth.test", status=503, times=5)
    slack.api.fail("users.info", status=503, times=5)
    body = payloads.slash_command("/kudos", f"<@{BOB}|bob> thanks", user_id=ANA,
                                  response_url=slack.api.response_url("down"))
    response = await asyncio.wait_for(slack.post(body), GUARD_SECONDS)
    assert response.status == 200
    await slack.settle()
    assert "I don't know you yet" in slack.last_reply_text()  # polite, and nothing was recorded
    with Session(slack.core.engine) as session:
        assert session.exec(select(Kudos)).all() == []
