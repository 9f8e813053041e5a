"""`tandem serve`: the HTTP listener, the platforms that have credentials,
and the terminal when none has."""

from __future__ import annotations

import asyncio
import getpass
import logging
import sys
from collections.abc import Mapping

from aiohttp import web

from adapters.appkeys import PORTS
from adapters.config import Config
from adapters.server import DELIVERER, build_app
from adapters.shell.port import ShellPort
from bot.core import Tandem
from bot.ports import ChatPort
from scheduler.deliverer import Deliverer
from scheduler.runner import TandemScheduler

log = logging.getLogger(__name__)


async def serve(core: Tandem, config: Config, *, terminal_name: str | None = None) -> int:
    terminal = not (config.slack_enabled or config.teams_enabled)
    port = ShellPort(sys.stdout) if terminal else None
    app = build_app(core, config, terminal=port)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, config.host, config.port)
    await site.start()
    platforms = [name for name, on in (("Slack", config.slack_enabled), ("Teams", config.teams_enabled)) if on]
    print(f"Tandem listening on http://{config.host}:{config.port} (health: /healthz)", file=sys.stderr)
    scheduler = _start_scheduler(core, app[PORTS], app[DELIVERER])
    try:
        if platforms:
            print(f"Serving {', '.join(platforms)}. Ctrl-C to stop.", file=sys.stderr)
            await asyncio.Event().wait()
        else:
            from adapters.shell.session import ShellSession, run

            name = terminal_name or getpass.getuser() or "me"
            print(f"No Slack or Teams credentials set: terminal mode, you are {name}. "
                  "Type /tandem help; Ctrl-D to quit.", file=sys.stderr)
            session = ShellSession(core, name, sys.stdout, port=port, deliverer=app[DELIVERER])
            await run(session, sys.stdin, sys.stdout, interactive=sys.stdin.isatty())
    finally:
        if scheduler is not None:
            scheduler.shutdown()
        await runner.cleanup()
    return 0


def _start_scheduler(core: Tandem, ports: Mapping[str, ChatPort], deliverer: Deliverer) -> TandemScheduler | None:
    """Nudges, reminders, the digest and the delivery backstop, through every
    platform's port (and the terminal's when no platform is set up). A second
    scheduler on one SQLite file is refused: this process then serves
    without one, and says why."""
    from scheduler.guard import SchedulerRefused

    scheduler = TandemScheduler(core.engine, clock=core.clock, ports=ports, default_tz=core.default_tz,
                                deliverer=deliverer)
    try:
        scheduler.start()
    except SchedulerRefused as refused:
        print(f"Scheduler not started: {refused}", file=sys.stderr)
        return None
    return scheduler
