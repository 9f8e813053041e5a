"""Mounting Slack on Tandem's HTTP listener: `mount(app, core, config)`.

Adds `POST /slack/events` (slash commands, events, shortcuts, interactivity;
`bodies` checks the signature on the raw bytes and the body's shape before
bolt reads it, so forged, unsigned or stale requests get 401 and bodies Slack
would never send get 400; slash commands go through the inbox, replayed at
start if a crash interrupted them), the OAuth routes `/slack/install` and
`/slack/oauth_redirect` when SLACK_CLIENT_ID/SECRET are set, and the
`SlackPort` in `app[PORTS]["slack"]`. With SLACK_APP_TOKEN the same
listeners also receive everything over Socket Mode, no public URL needed.

While the app runs, every call to Slack (replies to a `response_url`, the
Web API calls of the listeners and of delivery) goes through one
`aiohttp.ClientSession`, so connections are kept alive and reused: without
it slack_sdk opens a session, and a TCP and TLS connection, per call, which
under load cost more CPU than the command itself.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_sdk.web.async_client import AsyncWebClient

from adapters.appkeys import PORTS
from adapters.config import Config
from adapters.slack import PLATFORM, bodies, oauth
from adapters.slack.background import Background
from adapters.slack.directory import Directory
from adapters.slack.handlers import Listeners
from adapters.slack.inbox import Inbox
from adapters.slack.port import SlackPort
from bot.core import Tandem

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
HTTP_TIMEOUT = 30.0  # slack_sdk's own default for one call


@dataclass
class SlackAdapter:
    """Everything Slack in one running app: bolt, the port, background work."""

    bolt: AsyncApp
    port: SlackPort
    listeners: Listeners
    background: Background

    async def settle(self) -> None:
        """Wait for every piece of work started after an ack."""
        await self.background.settle()


SLACK: web.AppKey[SlackAdapter] = web.AppKey("slack", SlackAdapter)


def mount(app: web.Application, core: Tandem, config: Config) -> SlackAdapter:
    """Add Slack to the aiohttp `app`. Delivering what the commands queued is
    the process's business (`adapters.wiring`), not the adapter's.

    Args:
        app: the app from `adapters.server.build_app`.
        core: Tandem's core.
        config: SLACK_* settings (token or OAuth client, signing secret, API URL, app token).

    Returns:
        The adapter, also kept as `app[SLACK]`.
    """
    base_url = _base_url(config.slack_api_url)
    client_kwargs: dict[str, Any] = {"base_url": base_url} if base_url else {}
    if config.slack_client_id and config.slack_client_secret:
        from storage.token_crypto import TokenCipher

        cipher = TokenCipher(config.secret_key) if config.secret_key else None  # load() requires it with OAuth
        flow = oauth.oauth_flow(core.engine, client_id=config.slack_client_id,
                                client_secret=config.slack_client_secret, client=AsyncWebClient(**client_kwargs),
                                cipher=cipher)
        bolt = AsyncApp(signing_secret=config.slack_signing_secret, client=AsyncWebClient(**client_kwargs),
                        oauth_flow=flow)
        client_id = config.slack_client_id

        async def token_for(tenant: str) -> str | None:
            return await oauth.bot_token(core.engine, client_id=client_id, tenant=tenant, cipher=cipher)
    else:
        token = config.slack_bot_token

        async def authorize(enterprise_id: str | None, team_id: str | None) -> AuthorizeResult:
            # One workspace, one known token: no auth.test round trip before the
            # ack, so a slow or unreachable Slack API never delays it.
            return AuthorizeResult(enterprise_id=enterprise_id, team_id=team_id, bot_token=token)

        bolt = AsyncApp(signing_secret=config.slack_signing_secret, client=AsyncWebClient(**client_kwargs),
                        authorize=authorize)

        async def token_for(tenant: str) -> str | None:
            return token

    port = SlackPort(token_for=token_for, base_url=base_url, clock=core.clock)
    background = Background()
    listeners = Listeners(core=core, directory=Directory(), background=background,
                          inbox=Inbox(core.engine, core.clock))
    listeners.register(bolt)

    async def client_for(tenant: str) -> AsyncWebClient:
        return AsyncWebClient(token=await token_for(tenant), **client_kwargs)

    async def replay(_app: web.Application) -> None:
        try:
            await listeners.replay(client_for)
        except Exception:  # noqa: BLE001 - serving goes on; the rows wait for the next start
            log.exception("could not replay the Slack inbox")

    app.on_startup.append(replay)
    adapter = SlackAdapter(bolt=bolt, port=port, listeners=listeners, background=background)

    secret = config.slack_signing_secret or ""

    async def events(request: web.Request) -> web.Response:
        try:
            admitted = await bodies.admitted(request, secret)
        except bodies.Refused as refused:
            log.info("refused a body at %s: %s", EVENTS_PATH, refused.reason)
            return refused.response()
        bolt_response = await bolt.async_dispatch(admitted)
        return await to_aiohttp_response(bolt_response)

    app.router.add_post(EVENTS_PATH, events)
    flow = bolt.oauth_flow
    if flow is not None:
        async def install(request: web.Request) -> web.Response:
            return await to_aiohttp_response(await flow.handle_installation(await to_bolt_request(request)))

        async def redirect(request: web.Request) -> web.Response:
            return await to_aiohttp_response(await flow.handle_callback(await to_bolt_request(request)))

        app.router.add_get(flow.install_path, install)
        app.router.add_get(flow.redirect_uri_path, redirect)
    app[PORTS][PLATFORM] = port
    app[SLACK] = adapter
    if config.slack_app_token:
        _socket_mode(app, bolt, config.slack_app_token)
    _shared_http(app, bolt, port)
    app.on_cleanup.append(lambda _app: adapter.settle())
    return adapter


def _shared_http(app: web.Application, bolt: AsyncApp, port: SlackPort) -> None:
    """One HTTP session for every call to Slack while the app runs. Closed at
    cleanup; anything still calling afterwards (the last deliveries) gets a
    session of its own per call, as slack_sdk does without one."""
    opened: list[aiohttp.ClientSession] = []

    async def start(_app: web.Application) -> None:
        shared = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=HTTP_TIMEOUT))
        opened.append(shared)
        bolt.client.session = shared  # bolt hands each listener a client on this session
        port.use_session(shared)

    async def stop(_app: web.Application) -> None:
        for shared in opened:
            await shared.close()

    app.on_startup.append(start)
    app.on_cleanup.append(stop)


def _socket_mode(app: web.Application, bolt: AsyncApp, app_token: str) -> None:
    """Receive Slack's traffic over a WebSocket too (SLACK_APP_TOKEN)."""
    from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

    handler = AsyncSocketModeHandler(bolt, app_token=app_token)

    async def connect(_app: web.Application) -> None:
        await handler.connect_async()
        log.info("Slack Socket Mode connected")

    async def close(_app: web.Application) -> None:
        await handler.close_async()

    app.on_startup.append(connect)
    app.on_cleanup.append(close)


def _base_url(url: str | None) -> str | None:
    if not url:
        return None
    return url if url.endswith("/") else url + "/"
