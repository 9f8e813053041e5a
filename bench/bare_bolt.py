"""The baseline of benchmark 1: a bare slack-bolt `AsyncApp` whose only
listener acks, served exactly the way Tandem serves Slack: an aiohttp route
calling bolt's `to_bolt_request` → `async_dispatch` → `to_aiohttp_response`
(what bolt's own `AsyncSlackAppServer` does; request verification on). `python bench/bare_bolt.py --port N`; SLACK_SIGNING_SECRET
comes from the environment.
"""

from __future__ import annotations

import argparse
import os
import re

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult


def build(signing_secret: str) -> web.Application:
    """An aiohttp app with POST /slack/events and GET /healthz."""

    async def authorize(enterprise_id: str | None, team_id: str | None) -> AuthorizeResult:
        # like Tandem's single-workspace mode: a known token, no auth.test call
        return AuthorizeResult(enterprise_id=enterprise_id, team_id=team_id, bot_token="xoxb-bare")

    bolt = AsyncApp(signing_secret=signing_secret, authorize=authorize)

    @bolt.command(re.compile(r"^/[\w-]+$"))
    async def only_ack(ack) -> None:  # type: ignore[no-untyped-def]
        await ack()

    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    app = web.Application()
    app.router.add_post("/slack/events", events)
    app.router.add_get("/healthz", lambda _request: web.json_response({"status": "ok"}))
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    web.run_app(build(os.environ["SLACK_SIGNING_SECRET"]), host="127.0.0.1", port=args.port, print=None)


if __name__ == "__main__":
    main()
