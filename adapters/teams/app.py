"""Mounting Teams on the shared aiohttp server: `POST /api/messages`, the
Bot Framework authentication, and the Teams `ChatPort` in `app[PORTS]`.

Authentication is botbuilder's `CloudAdapter` with
`ConfigurationBotFrameworkAuthentication`, single tenant, from TEAMS_APP_ID,
TEAMS_APP_PASSWORD and TEAMS_APP_TENANT_ID: an activity without a valid Bot
Framework token is answered 401 before anything reads it.

It fails closed. botbuilder turns its token checks off when the app id it is
given is empty, and an unchecked activity's sender is whoever the payload
says, so that mode (the Bot Framework Emulator on a developer's machine) is
on only with TANDEM_TEAMS_EMULATOR=1 *and* a loopback listener; TEAMS_APP_ID
without a password is otherwise refused at start.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from aiohttp import web
from botbuilder.core import TurnContext, serializer_helper
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationServiceClientCredentialFactory,
)
from botbuilder.schema import Activity

from adapters.appkeys import PORTS
from adapters.charts import CHARTS_ROUTE
from adapters.config import Config, ConfigError
from adapters.teams import cards
from adapters.teams.botframework import ReusedCredentials, ReusedUserTokenClients, cheaper_retry_policy
from adapters.teams.directory import Directory
from adapters.teams.handler import TandemBot
from adapters.teams.port import TeamsPort
from bot import failures
from bot.core import Tandem
from storage.celebration import sha256_of

log = logging.getLogger(__name__)
ROUTE = "/api/messages"
EMULATOR_ONLY = ("TEAMS_APP_ID is set without TEAMS_APP_PASSWORD: Tandem would accept unsigned Teams activities "
                 "from anyone. Set TEAMS_APP_PASSWORD (and TEAMS_APP_TENANT_ID), or, for the Bot Framework "
                 "Emulator on your own machine, TANDEM_TEAMS_EMULATOR=1 with TANDEM_HOST=127.0.0.1 "
                 "(now {host}).")


LOOPBACK = {"127.0.0.1", "::1", "localhost"}


class BotSettings:
    """The configuration object botbuilder reads, with the attribute names it expects."""

    def __init__(self, config: Config, **overrides: str) -> None:
        password = config.teams_app_password or ""
        if not password and not (config.teams_emulator and config.host in LOOPBACK):
            raise ConfigError(EMULATOR_ONLY.format(host=config.host))
        self.APP_ID = (config.teams_app_id or "") if password else ""
        self.APP_PASSWORD = password
        self.APP_TENANTID = config.teams_app_tenant_id or ""
        self.APP_TYPE = "SingleTenant" if password and self.APP_TENANTID else "MultiTenant"
        for name, value in overrides.items():
            setattr(self, name, value)

    @property
    def checks_tokens(self) -> bool:
        return bool(self.APP_ID)


@dataclass(frozen=True)
class TeamsApp:
    adapter: CloudAdapter
    bot: TandemBot
    port: TeamsPort
    settings: BotSettings


TEAMS_APP = web.AppKey("teams", TeamsApp)


def build(core: Tandem, config: Config, **overrides: str) -> TeamsApp:
    """The adapter, bot and port, without an HTTP server (tests use this)."""
    settings = BotSettings(config, **overrides)
    if not settings.checks_tokens:
        log.warning("Teams emulator mode (TANDEM_TEAMS_EMULATOR=1): /api/messages accepts activities without a "
                    "Bot Framework token, on this machine only. Never use it on a shared or public address.")
    elif settings.APP_TYPE != "SingleTenant":
        log.warning("TEAMS_APP_TENANT_ID is not set: authenticating as a multi-tenant bot.")
    cheaper_retry_policy()
    credentials = ReusedCredentials(ConfigurationServiceClientCredentialFactory(settings))
    adapter = CloudAdapter(ReusedUserTokenClients(settings, credentials_factory=credentials))
    adapter.on_turn_error = _on_turn_error
    directory = Directory(core.engine, core.clock)
    bot = TandemBot(core, directory)
    port = TeamsPort(adapter, directory, app_id=settings.APP_ID, clock=core.clock,
                     chart_link=chart_link(config.public_url))
    return TeamsApp(adapter=adapter, bot=bot, port=port, settings=settings)


def chart_link(public_url: str | None) -> cards.ChartLink | None:
    """A picture's address under TANDEM_PUBLIC_URL (`tandem serve` serves /charts/<sha256>.png), or
    None without a public address: a card then shows the picture's description instead."""
    if not public_url:
        return None
    base = public_url.rstrip("/")

    def link(png: bytes) -> str:
        return f"{base}{CHARTS_ROUTE}{sha256_of(png)}.png"

    return link


def mount(app: web.Application, core: Tandem, config: Config, **overrides: str) -> TeamsApp:
    """Add `POST /api/messages` to `app` and register the Teams port."""
    teams = build(core, config, **overrides)

    async def messages(request: web.Request) -> web.Response:
        return await handle(request, teams)

    app.router.add_post(ROUTE, messages)
    app[PORTS][teams.port.platform] = teams.port
    app[TEAMS_APP] = teams
    return teams


async def handle(request: web.Request, teams: TeamsApp) -> web.Response:
    """One Bot Framework POST: authenticate, then run the turn.

    Authentication runs on its own so that any failure in it (a missing,
    malformed, forged or expired token) is a 401, never a 500.
    """
    if "application/json" not in request.headers.get("Content-Type", ""):
        return web.Response(status=415, text="Expected application/json")
    try:
        body = await request.json()
    except ValueError:
        return web.Response(status=400, text="Body is not JSON")
    if not isinstance(body, dict) or not isinstance(body.get("type"), str):
        return web.Response(status=400, text="Body is not an activity")
    try:
        activity = Activity().deserialize(body)
    except Exception as error:  # noqa: BLE001 - msrest raises several kinds for a body of the wrong shape
        log.info("refused an activity that does not parse: %s", str(error)[:200])
        return web.Response(status=400, text="Body is not an activity")
    problem = _malformed(activity)
    if problem:
        return web.Response(status=400, text=problem)
    try:
        authenticated = await teams.adapter.bot_framework_authentication.authenticate_request(
            activity, request.headers.get("Authorization", ""))
    except Exception as error:  # noqa: BLE001 - every authentication failure is a 401
        log.warning("rejected a Bot Framework request: %s", error)
        return web.Response(status=401, text="Unauthorized")
    invoke = await teams.adapter.process_activity(authenticated, activity, teams.bot.on_turn)
    if invoke:
        return web.json_response(data=serializer_helper(invoke.body), status=invoke.status)
    return web.Response(status=201)


def _malformed(activity: Activity) -> str | None:
    """Why an activity can't be a real one from Teams, or None: what the
    turn reads must have the types the Bot Framework gives it."""
    if not isinstance(activity.type, str) or not activity.type:
        return "Activity has no type"
    if activity.type == "message":
        if activity.from_property is None or not isinstance(activity.from_property.id, str):
            return "Message has no sender"
        if activity.conversation is None or not isinstance(activity.conversation.id, str):
            return "Message has no conversation"
        if activity.text is not None and not isinstance(activity.text, str):
            return "Message text is not text"
    return None


async def _on_turn_error(turn_context: TurnContext, error: Exception) -> None:
    error_id = failures.record(log, "a Teams turn failed", error=error)
    try:
        await turn_context.send_activity(failures.apology_text(error_id))
    except Exception:  # noqa: BLE001 - nothing more to do if even the apology fails
        log.exception("could not tell the person about the failure")
