"""Delivering outbox notifications to Slack: `SlackPort`, the Slack `ChatPort`.

DMs go through `conversations.open` then `chat.postMessage`; channel messages
through `chat.postMessage`; an update in place is `chat.update`, a comment a
`thread_ts` reply. Pacing is per channel and never sleeps: a channel used less
than a second ago, or one Slack told us to leave alone (429 `Retry-After`),
raises `RetryLater(held=True)`: the delivery job postpones that conversation's
backlog and moves on to the others. Errors that will never heal raise `DeliveryFailed`.
"""

from __future__ import annotations

import base64
import binascii
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import PLATFORM
from adapters.slack.blocks import fallback, render
from bot.messages import Message
from bot.ports import Delivered, DeliveryFailed, Recipient, RetryLater
from bot.services.clock import Clock

log = logging.getLogger(__name__)

PER_CHANNEL_SECONDS = 1.0
MAX_BACKOFF_SECONDS = 300.0
PERMANENT = frozenset({
    "channel_not_found", "is_archived", "user_not_found", "not_in_channel", "account_inactive",
    "user_disabled", "cannot_dm_bot", "restricted_action", "team_access_not_granted", "no_permission",
    "msg_too_long", "invalid_blocks", "not_authed", "invalid_auth", "token_revoked", "missing_scope",
})
GONE_MESSAGE = frozenset({"message_not_found", "cant_update_message", "edit_window_closed"})

TokenFor = Callable[[str], Awaitable[str | None]]


class SlackPort:
    """The Slack `ChatPort`.

    Args:
        token_for: the bot token of a workspace (tenant), or None when Tandem
            is not installed there.
        base_url: Slack's Web API (SLACK_API_URL), e.g. a local mock in tests.
        clock: the time used for pacing (the core's clock, so tests move it).
    """

    platform = PLATFORM

    def __init__(self, *, token_for: TokenFor, base_url: str | None = None, clock: Clock) -> None:
        self._token_for = token_for
        self._base_url = base_url
        self._clock = clock
        self._clients: dict[str, AsyncWebClient] = {}
        self._next_post: dict[tuple[str, str], float] = {}  # one post a second per channel
        self._blocked_until: dict[tuple[str, str], float] = {}  # Slack's Retry-After, per channel
        self._failures: dict[tuple[str, str], int] = {}
        self._dm_channels: dict[tuple[str, str], str] = {}
        self._session: aiohttp.ClientSession | None = None

    def client(self, token: str) -> AsyncWebClient:
        """One Web API client per token, all pointed at `base_url`."""
        if token not in self._clients:
            kwargs: dict[str, Any] = {"token": token, "session": self._session}
            if self._base_url:
                kwargs["base_url"] = self._base_url.rstrip("/") + "/"
            self._clients[token] = AsyncWebClient(**kwargs)
        return self._clients[token]

    def use_session(self, session: aiohttp.ClientSession) -> None:
        """Send through `session` (kept-alive connections shared with the rest of the app)."""
        self._session = session
        for client in self._clients.values():
            client.session = session

    async def send(self, recipient: Recipient, message: Message, *, thread_of: Delivered | None = None,
                   replace: Delivered | None = None) -> Delivered:
        token = await self._token_for(recipient.tenant)
        if not token:
            raise DeliveryFailed(f"Tandem is not installed in Slack workspace {recipient.tenant}")
        client = self.client(token)
        blocks = render(message, tenant=recipient.tenant)
        text = fallback(message, tenant=recipient.tenant)
        if replace is not None:
            updated = await self._call(recipient.tenant, replace.channel, client.chat_update, paced=False,
                                       channel=replace.channel, ts=replace.message_ref, text=text, blocks=blocks)
            if updated is not None:
                return Delivered(message_ref=replace.message_ref, channel=replace.channel)
            # the earlier message is gone: post a fresh one instead
        channel = await self._channel_for(client, recipient)
        if message.attachments:
            return await self._share_files(client, recipient, channel, message, text)
        extra: dict[str, Any] = {"thread_ts": thread_of.message_ref} if thread_of is not None else {}
        if thread_of is not None and thread_of.channel:
            channel = thread_of.channel
        posted = await self._call(recipient.tenant, channel, client.chat_postMessage, paced=True, channel=channel,
                                  text=text, blocks=blocks, unfurl_links=False, unfurl_media=False, **extra)
        assert posted is not None
        delivered = Delivered(message_ref=str(posted["ts"]), channel=str(posted.get("channel") or channel))
        if message.image is not None:
            await self._upload_image(client, message, delivered)
        return delivered

    async def _share_files(self, client: AsyncWebClient, recipient: Recipient, channel: str, message: Message,
                           text: str) -> Delivered:
        """A message with files (a brag file) is the files, shared with the message
        as their comment: files.getUploadURLExternal, the upload, then
        files.completeUploadExternal. One share, so a retry never posts twice
        what went through."""
        uploads = [{"content": attached.content.encode(), "filename": attached.filename,
                    "title": attached.filename} for attached in message.attachments]
        await self._call(recipient.tenant, channel, client.files_upload_v2, paced=True, channel=channel,
                         file_uploads=uploads, initial_comment=text)
        return Delivered(message_ref="", channel=channel)

    async def _upload_image(self, client: AsyncWebClient, message: Message, delivered: Delivered) -> None:
        """Share the message's picture (the digest's chart) in the message's thread.

        The message itself is already posted, so a failed upload is logged, not
        retried: retrying would post the message a second time. The message
        carries the picture's title and description as text anyway.
        """
        assert message.image is not None
        try:
            content = base64.b64decode(message.image.png_base64, validate=True)
            await client.files_upload_v2(channel=delivered.channel, thread_ts=delivered.message_ref,
                                         content=content, filename="chart.png", title=message.image.title[:250],
                                         alt_txt=message.image.alt[:1000])
        except (TimeoutError, SlackApiError, aiohttp.ClientError, binascii.Error, ValueError) as error:
            log.warning("could not upload %r to %s: %s", message.image.title, delivered.channel, error)

    async def _channel_for(self, client: AsyncWebClient, recipient: Recipient) -> str:
        if recipient.kind != "person":
            return recipient.address
        key = (recipient.tenant, recipient.address)
        if key not in self._dm_channels:
            opened = await self._call(recipient.tenant, f"dm:{recipient.address}", client.conversations_open,
                                      paced=False, users=recipient.address)
            assert opened is not None
            self._dm_channels[key] = str(opened["channel"]["id"])
        return self._dm_channels[key]

    async def _call(self, tenant: str, where: str, method: Callable[..., Awaitable[Any]], /, *, paced: bool,
                    **kwargs: Any) -> Any:
        """Call a Web API method about the conversation `where`, turning Slack's
        answers into `RetryLater`/`DeliveryFailed`. Returns None when the
        message to update is gone."""
        key = (tenant, where)
        now = self._clock.now().timestamp()
        wait = max(self._blocked_until.get(key, 0.0), self._next_post.get(key, 0.0) if paced else 0.0) - now
        if wait > 0:
            raise RetryLater(round(wait, 3), f"pacing {where}", held=True)
        if paced:
            self._next_post[key] = now + PER_CHANNEL_SECONDS
        try:
            response = await method(**kwargs)
        except SlackApiError as error:
            status = error.response.status_code
            code = str(error.response.get("error") or "")
            if status == 429 or code == "ratelimited":
                retry_after = _retry_after(error.response.headers)
                self._blocked_until[key] = now + retry_after
                raise RetryLater(retry_after, f"rate limited on {where}", held=True) from error
            if code in GONE_MESSAGE:
                return None
            if code in PERMANENT or 400 <= status < 500:
                raise DeliveryFailed(f"{code or status} for {where}") from error
            raise self._backoff(key, f"Slack answered {status} {code}") from error
        except (TimeoutError, aiohttp.ClientError, OSError) as error:
            raise self._backoff(key, f"Slack unreachable: {error.__class__.__name__}") from error
        self._failures.pop(key, None)
        return response

    def _backoff(self, key: tuple[str, str], reason: str) -> RetryLater:
        failures = self._failures.get(key, 0) + 1
        self._failures[key] = failures
        return RetryLater(min(2.0 ** failures, MAX_BACKOFF_SECONDS), reason)


def _retry_after(headers: Any) -> float:
    raw = None
    for name in ("Retry-After", "retry-after"):
        value = headers.get(name) if headers else None
        if value:
            raw = value[0] if isinstance(value, list) else value
            break
    try:
        return max(float(raw), 1.0) if raw is not None else 30.0
    except (TypeError, ValueError):
        return 30.0
