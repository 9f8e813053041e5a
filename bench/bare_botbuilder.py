"""The baseline of benchmark 7: a bare botbuilder `ActivityHandler` that answers
each message with one text reply (`send_activity`), on the adapter Tandem's
Teams endpoint uses (`CloudAdapter` with `ConfigurationBotFrameworkAuthentication`,
single tenant), served by aiohttp at `POST /api/messages` the way botbuilder's
samples serve it (`adapter.process`). Tokens are checked against the
benchmark's local keys and the bot's own token comes from its local Entra ID
(bench/botframework_local.py).

With `--tuned` it also gets the fixes Tandem's adapter makes to botbuilder
(adapters/teams/botframework.py: credentials, so the token, reused; msrest's
retry policy built cheaply; one user-token client): botbuilder's floor, for
comparison.

    TEAMS_APP_ID=… TEAMS_APP_PASSWORD=… TEAMS_APP_TENANT_ID=… TANDEM_BENCH_OPENID_URL=… \\
        TANDEM_BENCH_LOGIN_URL=… python bench/bare_botbuilder.py --port N [--tuned]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from aiohttp import web
from botbuilder.core import ActivityHandler, TurnContext
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
    ConfigurationServiceClientCredentialFactory,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from botframework_local import settings_from_env  # noqa: E402

REPLY = "Thanks, noted."


class OneReply(ActivityHandler):
    """Every message gets one text reply in its conversation."""

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await turn_context.send_activity(REPLY)


class Settings:
    """What `ConfigurationBotFrameworkAuthentication` reads, from the TEAMS_* variables."""

    def __init__(self) -> None:
        self.APP_ID = os.environ["TEAMS_APP_ID"]
        self.APP_PASSWORD = os.environ["TEAMS_APP_PASSWORD"]
        self.APP_TENANTID = os.environ["TEAMS_APP_TENANT_ID"]
        self.APP_TYPE = "SingleTenant"
        for name, value in settings_from_env().items():
            setattr(self, name, value)


def build(*, tuned: bool = False) -> web.Application:
    """An aiohttp app with POST /api/messages and GET /healthz."""
    settings = Settings()
    if tuned:
        from adapters.teams.botframework import ReusedCredentials, ReusedUserTokenClients, cheaper_retry_policy

        cheaper_retry_policy()
        credentials = ReusedCredentials(ConfigurationServiceClientCredentialFactory(settings))
        adapter = CloudAdapter(ReusedUserTokenClients(settings, credentials_factory=credentials))
    else:
        adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(settings))
    bot = OneReply()

    async def messages(request: web.Request) -> web.Response:
        response = await adapter.process(request, bot)
        return response or web.Response(status=201)

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", lambda _request: web.json_response({"status": "ok"}))
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--tuned", action="store_true", help="with the fixes Tandem makes to botbuilder")
    args = parser.parse_args()
    web.run_app(build(tuned=args.tuned), host="127.0.0.1", port=args.port, print=None)


if __name__ == "__main__":
    main()
