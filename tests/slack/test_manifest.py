"""manifest.yml is a complete Slack app manifest: every command the core
registers is a slash command with should_escape, and the bot asks for exactly
the scopes the adapter uses."""

from __future__ import annotations

from pathlib import Path

import yaml

import bot.commands  # noqa: F401  (registers the commands)
from adapters.slack.handlers import REQUEST_SHORTCUT, SHORTCUT_CALLBACK
from adapters.slack.oauth import BOT_SCOPES
from bot.registry import registry

MANIFEST = Path(__file__).resolve().parents[2] / "manifest.yml"


def _manifest() -> dict:
    return yaml.safe_load(MANIFEST.read_text())


def test_every_core_command_is_a_slash_command_with_should_escape() -> None:
    commands = {c["command"]: c for c in _manifest()["features"]["slash_commands"]}
    assert set(commands) == {f"/{name}" for name in registry.commands}
    for command in commands.values():
        assert command["should_escape"] is True
        assert command["url"].endswith("/slack/events")
        assert command["description"] and command["usage_hint"]
        assert len(command["description"]) <= 100 and len(command["usage_hint"]) <= 100


def test_the_bot_asks_for_exactly_the_scopes_tandem_uses() -> None:
    assert sorted(_manifest()["oauth_config"]["scopes"]["bot"]) == sorted(BOT_SCOPES)


def test_home_tab_shortcut_events_and_interactivity_are_declared() -> None:
    manifest = _manifest()
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    shortcuts = manifest["features"]["shortcuts"]
    assert [(s["type"], s["callback_id"]) for s in shortcuts] == [("message", SHORTCUT_CALLBACK),
                                                                  ("message", REQUEST_SHORTCUT)]
    settings = manifest["settings"]
    assert settings["event_subscriptions"]["bot_events"] == ["app_home_opened", "user_change", "message.channels",
                                                             "message.groups", "reaction_added", "reaction_removed"]
    scopes = manifest["oauth_config"]["scopes"]["bot"]
    assert "users:read" in scopes  # what user_change needs
    assert {"channels:history", "groups:history"} <= set(scopes)  # what message.channels / .groups need
    assert "reactions:read" in scopes  # what reaction_added / reaction_removed need
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["socket_mode_enabled"] is False
    assert manifest["display_information"]["name"] and manifest["features"]["bot_user"]["display_name"]
