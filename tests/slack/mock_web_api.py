"""A local stand-in for Slack's Web API, over real HTTP on port 0.

Modelled on bolt-python's tests/mock_web_api_server, improved as our style
guide asks: it binds port 0, and records every call's method *and* body, so a
test asserts what Slack would have received. It can be told to answer 429
with Retry-After, serves users.info profiles with time zones, and also plays
the `response_url` endpoints Slack hands out with commands and buttons.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

TEAM_ID = "T0TANDEM"
BOT_USER_ID = "UBOT"


@dataclass
class Call:
    method: str
    body: dict[str, Any]
    accepted: bool = True  # False when answered with 429 or an HTTP error
    token: str = ""  # the bearer token the call carried


@dataclass
class SlackUser:
    user_id: str
    real_name: str
    tz: str = "UTC"
    deleted: bool = False
    is_admin: bool = False
    locale: str = "en-US"


@dataclass
class MockSlackApi:
    users: dict[str, SlackUser] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    missing_channels: set[str] = field(default_factory=set)
    messages: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)  # (channel, ts) → message
    _limits: dict[str, list[float]] = field(default_factory=dict)
    _failures: dict[str, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._ts = itertools.count(1)
        self._views = itertools.count(1)
        self.runner: web.AppRunner | None = None
        self.url = ""
        self.sockets: list[web.WebSocketResponse] = []
        self.socket_connected = asyncio.Event()
        self.socket_replies: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.uploads: dict[str, bytes] = {}

    # --- control ---------------------------------------------------------------

    def add_user(self, user_id: str, real_name: str, tz: str = "UTC", *, deleted: bool = False,
                 locale: str = "en-US", is_admin: bool = False) -> None:
        self.users[user_id] = SlackUser(user_id, real_name, tz, deleted, is_admin=is_admin, locale=locale)

    def add_message(self, channel: str, ts: str, *, user: str | None, text: str, thread_ts: str | None = None,
                    bot_id: str | None = None) -> None:
        """A message people posted (or a bot, with `bot_id`), for conversations.history/replies to return."""
        message: dict[str, Any] = {"type": "message", "ts": ts, "text": text}
        if user:
            message["user"] = user
        if thread_ts:
            message["thread_ts"] = thread_ts
        if bot_id:
            message["bot_id"] = bot_id
        self.messages[(channel, ts)] = message

    def rate_limit(self, method: str, *, retry_after: float, times: int = 1) -> None:
        """Answer the next `times` calls of `method` with 429 and Retry-After."""
        self._limits.setdefault(method, []).extend([retry_after] * times)

    def fail(self, method: str, *, status: int, times: int = 1) -> None:
        """Answer the next `times` calls of `method` with an HTTP error."""
        self._failures.setdefault(method, []).extend([status] * times)

    def of(self, method: str) -> list[dict[str, Any]]:
        """The bodies of the calls of `method` Slack accepted, in order."""
        return [c.body for c in self.calls if c.method == method and c.accepted]

    def attempts(self, method: str) -> list[dict[str, Any]]:
        """The bodies of every call of `method`, refused ones included."""
        return [c.body for c in self.calls if c.method == method]

    def response_url(self, name: str) -> str:
        return f"{self.url}response/{name}"

    def clear(self) -> None:
        self.calls.clear()

    # --- server ----------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{name}", self._response_url)
        app.router.add_get("/link", self._socket)
        app.router.add_post("/upload/{file_id}", self._upload)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/"

    @property
    def api_url(self) -> str:
        return self.url + "api/"

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()

    async def _body(self, request: web.Request) -> dict[str, Any]:
        body: dict[str, Any] = dict(request.query)
        raw = await request.text()
        if raw:
            if request.content_type == "application/json":
                body.update(json.loads(raw))
            else:
                body.update(dict(parse_qsl(raw)))
        for key in ("blocks", "view"):
            if isinstance(body.get(key), str):
                body[key] = json.loads(body[key])
        return body

    async def push(self, envelope: dict[str, Any]) -> None:
        """Send a Socket Mode envelope to the connected app."""
        await self.sockets[-1].send_json(envelope)

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        """Socket Mode's WebSocket: say hello, then record what the app sends back."""
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        self.sockets.append(socket)
        await socket.send_json({"type": "hello", "num_connections": 1,
                                "connection_info": {"app_id": "A0TANDEM"}})
        self.socket_connected.set()
        async for message in socket:
            if message.type == web.WSMsgType.TEXT:
                await self.socket_replies.put(json.loads(message.data))
        return socket

    async def _upload(self, request: web.Request) -> web.Response:
        content = await request.read()
        self.uploads[request.match_info["file_id"]] = content
        return web.Response(text="OK - " + str(len(content)))

    async def _response_url(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        self.calls.append(Call(f"response_url:{request.match_info['name']}", body))
        return web.Response(text="ok")

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        body = await self._body(request)
        call = Call(method, body, token=request.headers.get("Authorization", "").removeprefix("Bearer "))
        self.calls.append(call)
        if self._limits.get(method):
            call.accepted = False
            retry_after = self._limits[method].pop(0)
            return web.json_response({"ok": False, "error": "ratelimited"}, status=429,
                                     headers={"Retry-After": str(int(retry_after))})
        if self._failures.get(method):
            call.accepted = False
            return web.json_response({"ok": False, "error": "internal_error"}, status=self._failures[method].pop(0))
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        if handler is None:
            return web.json_response({"ok": False, "error": "unknown_method"})
        return web.json_response(handler(body))

    # --- methods -------------------------------------------------------------------

    def _auth_test(self, body: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "url": "https://acme.slack.com/", "team": "Acme", "user": "tandem",
                "team_id": TEAM_ID, "user_id": BOT_USER_ID, "bot_id": "BTANDEM", "is_enterprise_install": False}

    def _apps_connections_open(self, body: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "url": self.url.replace("http://", "ws://") + "link"}

    def _users_info(self, body: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(str(body.get("user")))
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        found: dict[str, Any] = {
            "id": user.user_id, "team_id": TEAM_ID, "name": user.real_name.lower().replace(" ", "."),
            "deleted": user.deleted, "real_name": user.real_name, "tz": user.tz, "is_admin": user.is_admin,
            "is_owner": False,
            "profile": {"real_name": user.real_name, "display_name": user.real_name.split()[0]},
        }
        if str(body.get("include_locale")).lower() in {"1", "true"}:  # Slack sends the locale only when asked
            found["locale"] = user.locale
        return {"ok": True, "user": found}

    def _conversations_open(self, body: dict[str, Any]) -> dict[str, Any]:
        user = str(body.get("users"))
        if user not in self.users:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "channel": {"id": "D" + user}}

    def _chat_postMessage(self, body: dict[str, Any]) -> dict[str, Any]:
        channel = str(body.get("channel"))
        if channel in self.missing_channels:
            return {"ok": False, "error": "channel_not_found"}
        ts = f"1700000000.{next(self._ts):06d}"
        body["_posted_ts"] = ts  # the ts Slack gave the message, for tests that press its buttons
        return {"ok": True, "channel": channel, "ts": ts, "message": {"text": body.get("text"), "ts": ts}}

    def _conversations_history(self, body: dict[str, Any]) -> dict[str, Any]:
        """Top-level messages only (and thread parents), as Slack answers: replies in threads are not history."""
        channel = str(body.get("channel"))
        if channel in self.missing_channels:
            return {"ok": False, "error": "channel_not_found"}
        found = self.messages.get((channel, str(body.get("latest"))))
        top = found is not None and found.get("thread_ts", found["ts"]) == found["ts"]
        return {"ok": True, "messages": [found] if top else [], "has_more": False}

    def _conversations_replies(self, body: dict[str, Any]) -> dict[str, Any]:
        """The thread of `ts` (a parent or a reply): its parent first, then the reply asked for."""
        channel, ts = str(body.get("channel")), str(body.get("ts"))
        found = self.messages.get((channel, ts))
        if found is None:
            return {"ok": False, "error": "thread_not_found"}
        parent = self.messages.get((channel, str(found.get("thread_ts") or ts)))
        return {"ok": True, "messages": [m for m in (parent, found) if m is not None], "has_more": False}

    def _chat_getPermalink(self, body: dict[str, Any]) -> dict[str, Any]:
        channel, ts = str(body.get("channel")), str(body.get("message_ts"))
        return {"ok": True, "channel": channel,
                "permalink": f"https://acme.slack.com/archives/{channel}/p{ts.replace('.', '')}"}

    def _chat_update(self, body: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "channel": body.get("channel"), "ts": body.get("ts")}

    def _chat_postEphemeral(self, body: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "message_ts": f"1700000000.{next(self._ts):06d}"}

    def _files_getUploadURLExternal(self, body: dict[str, Any]) -> dict[str, Any]:
        file_id = f"F{next(self._ts):06d}"
        return {"ok": True, "file_id": file_id, "upload_url": f"{self.url}upload/{file_id}"}

    def _files_completeUploadExternal(self, body: dict[str, Any]) -> dict[str, Any]:
        files = body.get("files")
        files = json.loads(files) if isinstance(files, str) else files
        return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files or []]}

    def _views_open(self, body: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "view": {**body.get("view", {}), "id": f"V{next(self._views):04d}"}}

    def _views_publish(self, body: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "view": {**body.get("view", {}), "id": f"V{next(self._views):04d}"}}

    def _oauth_v2_access(self, body: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True, "app_id": "A0TANDEM", "authed_user": {"id": "U0ADMIN"},
            "scope": "commands,chat:write,chat:write.public,im:write,users:read", "token_type": "bot",
            "access_token": "xoxb-installed-token", "bot_user_id": BOT_USER_ID,
            "team": {"id": "T0SECOND", "name": "Second Co"}, "enterprise": None, "is_enterprise_install": False,
        }
