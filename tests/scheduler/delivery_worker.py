"""A delivery process for the `kill -9` test: drains the outbox through a
port that posts each message to an HTTP endpoint (a slow local mock), then
exits. Run as `python -m tests.scheduler.delivery_worker DB_URL URL NOW`."""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime

import httpx

from bot.messages import Message, plain
from bot.ports import Delivered, Recipient, RetryLater
from bot.services.clock import FrozenClock
from scheduler import jobs
from storage.db import make_engine


class HttpPort:
    """Posts `{"to", "title"}` to `url`; the reply's `ts` is the message ref."""

    platform = "shell"

    def __init__(self, client: httpx.AsyncClient, url: str) -> None:
        self.client = client
        self.url = url

    async def send(self, recipient: Recipient, message: Message, *, thread_of: Delivered | None = None,
                   replace: Delivered | None = None) -> Delivered:
        try:
            response = await self.client.post(self.url, json={"to": recipient.address, "title": plain(message.title)})
        except httpx.TransportError as error:
            raise RetryLater(5, str(error)) from error
        return Delivered(message_ref=response.json()["ts"], channel=recipient.address)


async def main(db_url: str, url: str, now: str) -> None:
    engine = make_engine(db_url)
    async with httpx.AsyncClient(timeout=30) as client:
        await jobs.deliver(engine, FrozenClock(datetime.fromisoformat(now)), {"shell": HttpPort(client, url)})
    engine.dispose()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
