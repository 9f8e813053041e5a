"""Slack payloads in the shapes Slack documents, for the tests to send.

Slash commands are form-encoded; block_actions, view_submission and
message_action arrive form-encoded as one `payload=` JSON field; events
(app_home_opened) are JSON. Each builder fills in what Slack sends and lets a
test change what matters to it.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from tests.slack.mock_web_api import TEAM_ID

API_APP_ID = "A0TANDEM"


def slash_command(command: str, text: str, *, user_id: str, channel_id: str = "C0GENERAL",
                  channel_name: str = "general", trigger_id: str = "13345224609.738474920.8088930838d88f008e0",
                  response_url: str = "https://hooks.slack.com/commands/1234/5678", team_id: str = TEAM_ID) -> str:
    return urlencode({
        "token": "legacy-verification-token",
        "team_id": team_id,
        "team_domain": "acme",
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user_id,
        "user_name": user_id.lower(),
        "command": command,
        "text": text,
        "api_app_id": API_APP_ID,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id,
    })


def block_actions(*, user_id: str, action_id: str, value: str, channel_id: str, message_ts: str,
                  response_url: str, action_ts: str = "1700000100.000100",
                  trigger_id: str = "trigger-block-actions", container_type: str = "message") -> str:
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": user_id, "username": user_id.lower(), "name": user_id.lower(), "team_id": TEAM_ID},
        "api_app_id": API_APP_ID,
        "token": "legacy-verification-token",
        "container": {"type": container_type, "message_ts": message_ts, "channel_id": channel_id,
                      "is_ephemeral": False},
        "trigger_id": trigger_id,
        "team": {"id": TEAM_ID, "domain": "acme"},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": channel_id, "name": "somewhere"},
        "message": {"type": "message", "user": "UBOT", "ts": message_ts, "text": "a Tandem message"},
        "response_url": response_url,
        "actions": [{
            "action_id": action_id, "block_id": "b1", "text": {"type": "plain_text", "text": "Button"},
            "value": value, "type": "button", "action_ts": action_ts,
        }],
    }
    return urlencode({"payload": json.dumps(payload)})


def view_submission(*, user_id: str, view: dict[str, Any], values: dict[str, dict[str, Any]],
                    view_id: str = "V0000001") -> str:
    """`values` maps block id → the element state Slack reports for it."""
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "acme"},
        "user": {"id": user_id, "username": user_id.lower(), "name": user_id.lower(), "team_id": TEAM_ID},
        "api_app_id": API_APP_ID,
        "token": "legacy-verification-token",
        "trigger_id": "trigger-view-submission",
        "view": {
            "id": view_id, "team_id": TEAM_ID, "type": "modal",
            "blocks": view.get("blocks", []),
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view["callback_id"],
            "state": {"values": {block: {"value": element} for block, element in values.items()}},
            "hash": "156772938.1827394",
            "title": view.get("title"),
            "app_id": API_APP_ID, "bot_id": "BTANDEM",
        },
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }
    return urlencode({"payload": json.dumps(payload)})


def message_action(*, user_id: str, channel_id: str, text: str, callback_id: str = "kudos_for_message",
                   author_id: str = "U0BOB", trigger_id: str = "trigger-shortcut",
                   response_url: str = "https://hooks.slack.com/app/T0TANDEM/1/shortcut",
                   message_ts: str = "1699999999.000100") -> str:
    payload = {
        "type": "message_action",
        "callback_id": callback_id,
        "trigger_id": trigger_id,
        "token": "legacy-verification-token",
        "action_ts": "1700000200.000200",
        "team": {"id": TEAM_ID, "domain": "acme"},
        "user": {"id": user_id, "name": user_id.lower(), "team_id": TEAM_ID},
        "channel": {"id": channel_id, "name": "general"},
        "is_enterprise_install": False,
        "enterprise": None,
        "message": {"type": "message", "user": author_id, "ts": message_ts, "text": text},
        "response_url": response_url,
    }
    return urlencode({"payload": json.dumps(payload)})


def app_home_opened(*, user_id: str, event_id: str = "Ev0HOME0001", tab: str = "home") -> str:
    return json.dumps({
        "token": "legacy-verification-token",
        "team_id": TEAM_ID,
        "api_app_id": API_APP_ID,
        "event": {"type": "app_home_opened", "user": user_id, "channel": "D0HOME", "tab": tab,
                  "event_ts": "1700000300.000300"},
        "type": "event_callback",
        "event_id": event_id,
        "event_time": 1700000300,
        "authorizations": [{"enterprise_id": None, "team_id": TEAM_ID, "user_id": "UBOT", "is_bot": True,
                            "is_enterprise_install": False}],
        "is_ext_shared_channel": False,
    })


# the element states Slack reports in view.state.values, by element type

def text_input(value: str | None) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": value}


def users_picked(*user_ids: str) -> dict[str, Any]:
    return {"type": "multi_users_select", "selected_users": list(user_ids)}


def option_picked(value: str | None) -> dict[str, Any]:
    option = {"text": {"type": "plain_text", "text": value}, "value": value} if value else None
    return {"type": "static_select", "selected_option": option}


def options_picked(*values: str) -> dict[str, Any]:
    return {"type": "multi_static_select",
            "selected_options": [{"text": {"type": "plain_text", "text": v}, "value": v} for v in values]}


def checked(on: bool) -> dict[str, Any]:
    options = [{"text": {"type": "plain_text", "text": "yes"}, "value": "true"}] if on else []
    return {"type": "checkboxes", "selected_options": options}


def user_change(*, user_id: str, deleted: bool, event_id: str = "Ev0USER0001", real_name: str = "Someone") -> str:
    """Slack's `user_change` event: a profile changed, or (deleted) the person was deactivated."""
    return json.dumps({
        "token": "legacy-verification-token",
        "team_id": TEAM_ID,
        "api_app_id": API_APP_ID,
        "event": {"type": "user_change", "user": {"id": user_id, "team_id": TEAM_ID, "deleted": deleted,
                                                 "real_name": real_name, "profile": {"real_name": real_name}},
                  "event_ts": "1700000400.000400"},
        "type": "event_callback",
        "event_id": event_id,
        "event_time": 1700000400,
        "authorizations": [{"enterprise_id": None, "team_id": TEAM_ID, "user_id": "UBOT", "is_bot": True,
                            "is_enterprise_install": False}],
        "is_ext_shared_channel": False,
    })


def event_callback(event: dict[str, Any], *, event_id: str) -> str:
    """Any Events API event, wrapped as Slack delivers it over HTTP."""
    return json.dumps({
        "token": "legacy-verification-token",
        "team_id": TEAM_ID,
        "api_app_id": API_APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": 1700000500,
        "authorizations": [{"enterprise_id": None, "team_id": TEAM_ID, "user_id": "UBOT", "is_bot": True,
                            "is_enterprise_install": False}],
        "is_ext_shared_channel": False,
    })


def channel_message(*, user_id: str, text: str, channel_id: str = "C0GENERAL", ts: str = "1700000500.000100",
                    event_id: str = "Ev0MSG0001", thread_ts: str | None = None, **extra: Any) -> str:
    """`message.channels`: a person posted `text` (Slack's escaped form: `<@U1>`, `&gt;`) in a channel."""
    event: dict[str, Any] = {"type": "message", "channel": channel_id, "user": user_id, "text": text, "ts": ts,
                             "event_ts": ts, "channel_type": "channel", "team": TEAM_ID}
    if thread_ts:
        event["thread_ts"] = thread_ts
    event.update(extra)
    return event_callback(event, event_id=event_id)


def reaction(*, user_id: str, reaction: str, channel_id: str, ts: str, item_user: str | None,
             event_id: str, added: bool = True) -> str:
    """`reaction_added` / `reaction_removed` on a message: Slack sends where and whose, never the text."""
    event: dict[str, Any] = {"type": "reaction_added" if added else "reaction_removed", "user": user_id,
                             "reaction": reaction, "item": {"type": "message", "channel": channel_id, "ts": ts},
                             "event_ts": "1700000700.000100"}
    if item_user:
        event["item_user"] = item_user
    return event_callback(event, event_id=event_id)
