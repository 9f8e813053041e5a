"""Telling the person who acted what the core replied.

A reply goes back the way the person came in: a slash command or a button on
a message has a `response_url` (ephemeral, or in the channel when the core
says `public`); a modal opened from one carries that URL along; otherwise an
ephemeral message in the channel, and failing that a DM from the app. A reply
that is a form opens a modal with the interaction's `trigger_id`.
"""

from __future__ import annotations

import asyncio
import logging

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.slack import blocks, modals
from adapters.slack.modals import Opened
from bot.messages import Message, Reply

log = logging.getLogger(__name__)
UNREACHABLE = (SlackApiError, aiohttp.ClientError, asyncio.TimeoutError)
FORM_TOO_SLOW = "That took too long to open; please try again."


async def answer(reply: Reply, *, client: AsyncWebClient, user_id: str, tenant: str, opened: Opened,
                 trigger_id: str | None = None) -> None:
    """Show `reply` to `user_id`: open its form, or post its message."""
    if reply.form is not None:
        if trigger_id:
            where = Opened(metadata=reply.form.private_metadata, channel=opened.channel,
                           response_url=opened.response_url)
            try:
                await client.views_open(trigger_id=trigger_id, view=modals.view(reply.form, opened=where))
                return
            except UNREACHABLE as error:
                log.info("views.open failed: %s", _reason(error))
        await tell(Message(title=(FORM_TOO_SLOW,)), client=client, user_id=user_id, tenant=tenant, opened=opened)
        return
    if reply.message is not None:
        await tell(reply.message, client=client, user_id=user_id, tenant=tenant, opened=opened,
                   public=reply.public)


async def tell(message: Message, *, client: AsyncWebClient, user_id: str, tenant: str, opened: Opened,
               public: bool = False) -> None:
    """Post `message` for `user_id` by the first way that works."""
    rendered = blocks.render(message, tenant=tenant)
    text = blocks.fallback(message, tenant=tenant)
    if opened.response_url:
        try:
            response = await AsyncWebhookClient(opened.response_url, session=client.session).send(
                text=text, blocks=rendered, response_type="in_channel" if public else "ephemeral",
                replace_original=False)
            if response.status_code == 200:
                return
            log.info("response_url answered %s", response.status_code)
        except Exception as error:  # noqa: BLE001 - fall through to the Web API
            log.info("response_url failed: %s", error)
    if opened.channel and not opened.channel.startswith("U"):
        try:
            if public:
                await client.chat_postMessage(channel=opened.channel, text=text, blocks=rendered)
            else:
                await client.chat_postEphemeral(channel=opened.channel, user=user_id, text=text, blocks=rendered)
            return
        except UNREACHABLE as error:
            log.info("posting to %s failed: %s", opened.channel, _reason(error))
    try:
        await client.chat_postMessage(channel=user_id, text=text, blocks=rendered)
    except UNREACHABLE as error:
        log.warning("could not tell %s anything: %s", user_id, _reason(error))


def _reason(error: Exception) -> str:
    if isinstance(error, SlackApiError):
        return str(error.response.get("error"))
    return error.__class__.__name__
