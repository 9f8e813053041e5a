"""The gate in front of bolt: a POST to /slack/events is verified, then
checked for a shape Slack really sends, before bolt reads it.

bolt parses a body as soon as it is handed one, before checking its
signature, and a body it can't parse (`payload={bad`, `payload=null`) ends in
a 500 with a traceback. Here the signature is checked on the raw bytes first
(401: an unsigned body is read no further), then the body must be one of
Slack's three shapes (400 otherwise):

- a form with `payload=<a JSON object>`: interactivity, shortcuts, modals;
- a form with `command=`: a slash command (or Slack's `ssl_check`);
- a JSON object with an events `type`: Events API callbacks.

The objects that bolt's matchers and our listeners read (`user`, `team`,
`view`, `actions`…) must have the types Slack gives them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import parse_qs

from aiohttp import web
from slack_bolt.request.async_request import AsyncBoltRequest

MAX_AGE = 60 * 5  # Slack's replay window, as bolt's own check
EVENT_TYPES = {"event_callback", "url_verification", "app_rate_limited"}
OBJECTS = ("user", "team", "enterprise", "channel", "container", "view", "message", "event", "authorizations")
LISTS = ("actions", "authorizations")
TEXTS = ("type", "command", "text", "user_id", "team_id", "channel_id", "trigger_id", "response_url",
         "callback_id", "event_id")


class Refused(Exception):
    """A body the gate turns away, with its HTTP status."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason

    def response(self) -> web.Response:
        return web.Response(status=self.status, text=self.reason)


def signed(raw: bytes, headers: Any, secret: str, *, now: float | None = None) -> bool:
    """Slack's v0 signature over `v0:{timestamp}:{body}`, within the replay window."""
    timestamp = str(headers.get("X-Slack-Request-Timestamp", ""))
    signature = str(headers.get("X-Slack-Signature", ""))
    if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12 or not signature:
        return False
    if abs((time.time() if now is None else now) - int(timestamp)) > MAX_AGE:
        return False
    expected = "v0=" + hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + raw,
                                hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


async def admitted(request: web.Request, secret: str) -> AsyncBoltRequest:
    """The request as bolt's, once it is signed and has one of Slack's shapes.

    Raises:
        Refused: 401 for a missing, wrong or stale signature; 400 for a body
            Slack would never send.
    """
    raw = await request.read()
    if not signed(raw, request.headers, secret):
        raise Refused(401, "Unauthorized")
    try:
        body = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "Body is not UTF-8") from None
    check(body, request.content_type)
    return AsyncBoltRequest(body=body, query=request.query_string,
                            headers={k: v for k, v in request.headers.items()})


def check(body: str, content_type: str) -> None:
    """Raise `Refused(400)` unless `body` is one of Slack's shapes."""
    if content_type == "application/json":
        parsed = _json(body)
        if not isinstance(parsed, dict) or parsed.get("type") not in EVENT_TYPES:
            raise Refused(400, "Not a Slack event")
        _typed(parsed)
        return
    if content_type != "application/x-www-form-urlencoded":
        raise Refused(400, "Unexpected content type")
    form = parse_qs(body, keep_blank_values=True)
    if "payload" in form:
        payload = _json(form["payload"][0])
        if not isinstance(payload, dict) or not isinstance(payload.get("type"), str):
            raise Refused(400, "Not a Slack interaction")
        _typed(payload)
        return
    if "command" in form or "ssl_check" in form:
        return
    raise Refused(400, "Not a Slack request")


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        raise Refused(400, "Body is not JSON") from None


def _typed(body: dict[str, Any]) -> None:
    for key in OBJECTS:
        if body.get(key) is not None and not isinstance(body[key], dict | list if key in LISTS else dict):
            raise Refused(400, f"Unexpected {key}")
    for key in LISTS:
        value = body.get(key)
        if value is not None and not (isinstance(value, list) and all(isinstance(v, dict) for v in value)):
            raise Refused(400, f"Unexpected {key}")
    for key in TEXTS:
        if body.get(key) is not None and not isinstance(body[key], str):
            raise Refused(400, f"Unexpected {key}")
    view = body.get("view")
    if isinstance(view, dict):
        state = view.get("state")
        if state is not None and not (isinstance(state, dict) and isinstance(state.get("values", {}), dict)):
            raise Refused(400, "Unexpected view state")
