"""`GET /charts/<sha256>.png`: the digest's pictures, for a platform that
takes a link rather than the bytes (a Teams card too big for its pictures).

Addresses are the SHA-256 of the PNG, so they can't be guessed or listed;
only pictures a digest stored are served.
"""

from __future__ import annotations

import asyncio
import re

from aiohttp import web
from sqlmodel import Session

from bot.core import Tandem
from storage.celebration import chart

CHARTS_ROUTE = "/charts/"
NAME = re.compile(r"^([0-9a-f]{64})\.png$")


def mount(app: web.Application, core: Tandem) -> None:
    """Add the charts route to `app`."""

    async def serve(request: web.Request) -> web.Response:
        match = NAME.match(request.match_info["name"])
        if match is None:
            raise web.HTTPNotFound()

        def load() -> bytes | None:
            with Session(core.engine) as session:
                return chart(session, match.group(1))

        png = await asyncio.to_thread(load)
        if png is None:
            raise web.HTTPNotFound()
        return web.Response(body=png, content_type="image/png",
                            headers={"Cache-Control": "public, max-age=31536000, immutable"})

    app.router.add_get(CHARTS_ROUTE + "{name}", serve)
