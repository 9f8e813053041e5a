"""The one HTTP listener of `tandem serve`: /healthz, and each platform's
endpoint when that platform has credentials."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from sqlalchemy import text

from adapters.appkeys import CONFIG, CORE, PORTS
from adapters.config import Config
from adapters.wiring import wire_delivery
from bot.core import Tandem
from bot.ports import ChatPort
from scheduler.deliverer import Deliverer

log = logging.getLogger(__name__)


async def healthz(request: web.Request) -> web.Response:
    core: Tandem = request.app[CORE]

    def ping() -> None:
        with core.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    try:
        await asyncio.to_thread(ping)
    except Exception as error:  # noqa: BLE001 - any database failure means unhealthy
        log.warning("health check failed: %s", error)
        return web.json_response({"status": "unavailable", "database": "unreachable"}, status=503)
    return web.json_response({"status": "ok", "database": "ok"})


DELIVERER = web.AppKey("deliverer", Deliverer)


def build_app(core: Tandem, config: Config, *, terminal: ChatPort | None = None) -> web.Application:
    """The aiohttp app. Each platform with credentials mounts its routes and
    puts its `ChatPort` in `app[PORTS]` (platform name → port); one
    `Deliverer` over them all (and the terminal's port, in terminal mode) is
    the core's after-commit hook and the scheduler's delivery job."""
    app = web.Application()
    app[CORE] = core
    app[CONFIG] = config
    app[PORTS] = {}
    app.router.add_get("/healthz", healthz)
    from adapters.metrics import install as install_metrics

    install_metrics(app, core)
    if config.slack_enabled:
        from adapters.slack.app import mount as mount_slack

        mount_slack(app, core, config)
    if config.teams_enabled:
        from adapters.teams.app import mount as mount_teams

        mount_teams(app, core, config)
    if terminal is not None:
        app[PORTS][terminal.platform] = terminal
    deliverer = wire_delivery(core, app[PORTS])
    app[DELIVERER] = deliverer

    async def finish_deliveries(_app: web.Application) -> None:
        deliverer.close()
        await deliverer.settle()

    app.on_cleanup.append(finish_deliveries)
    return app
