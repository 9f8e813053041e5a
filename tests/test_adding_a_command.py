"""Adding a command is one function in one module: a throwaway command
registered here works on the terminal, Slack and Teams without a line of
adapter code, and its permission row is enforced everywhere."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from adapters.config import Config
from adapters.teams.app import build
from bot import access
from bot.context import Context
from bot.core import Tandem
from bot.messages import Reply
from bot.registry import registry
from tests.conftest import Chat
from tests.slack.conftest import ANA, BOB, SlackHarness, slack, slack_api  # noqa: F401  (the Slack fixtures)
from tests.teams.conftest import APP_ID, TeamsChat, card_of, card_text
from tests.teams.payloads import ANN, SAM


@pytest.fixture
def echo() -> Iterator[None]:
    """`/tandem echo <text>` for everyone, `/tandem echo-admin <text>` for admins: registered, then removed."""

    def say_back(ctx: Context, text: str) -> Reply:
        """Say the text back."""
        return Reply.say(f"echo: {text} (from {ctx.person.display_name})")

    before = list(registry.commands["tandem"])
    registry.command("tandem echo", usage="<text>", example="/tandem echo hi")(say_back)
    registry.command("tandem echo-admin", allow=access.ADMINS, doing="echo as an admin", usage="<text>",
                     example="/tandem echo-admin hi")(say_back)
    yield
    registry.commands["tandem"] = before


async def test_a_new_command_works_in_the_terminal(echo: None, chat: Chat) -> None:
    await chat.as_("alice")
    assert "echo: hello (from alice)" in await chat("/tandem echo hello")
    await chat.as_("bob")
    assert "Only an admin can echo as an admin." in await chat("/tandem echo-admin hello")
    assert "/tandem echo <text> — say the text back" in await chat("/tandem help")


async def test_a_new_command_works_in_slack(echo: None, slack: SlackHarness) -> None:
    await slack.command(ANA, "/tandem echo hello")
    assert "echo: hello (from Ana Lima)" in slack.last_reply_text()
    await slack.command(BOB, "/tandem echo-admin hello")
    assert "Only an admin can echo as an admin." in slack.last_reply_text()


async def test_a_new_command_works_in_teams(echo: None, core: Tandem) -> None:
    chat = TeamsChat(build(core, Config(teams_app_id=APP_ID, teams_emulator=True, host="127.0.0.1")))
    [reply] = await chat.say(ANN, "tandem echo hello")
    assert "echo: hello (from Ann Lee)" in card_text(card_of(reply))
    [refused] = await chat.say(SAM, "tandem echo-admin hello")
    assert "Only an admin can echo as an admin." in card_text(card_of(refused))
