"""Delivering outbox notifications to Teams: proactive cards through
`continue_conversation` with a stored conversation reference.

Teams allows a bot about 7 messages a second in one conversation; past that,
and on 429/412/502/504 answers, this port raises `RetryLater` with a growing
delay instead of sleeping, so one busy channel never holds up the delivery
loop. Other 4xx answers (the bot was removed, the person left) are
`DeliveryFailed`: retrying would never help.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict, deque
from typing import Any

import aiohttp
from botbuilder.core import BotAdapter, TurnContext
from botbuilder.schema import ConversationAccount, ConversationParameters, ConversationReference, ErrorResponseException
from msrest.exceptions import ClientRequestError

from adapters.teams import cards
from adapters.teams.activities import PLATFORM
from adapters.teams.directory import Directory
from adapters.teams.handler import card_activity
from bot.messages import Message
from bot.ports import Delivered, DeliveryFailed, Recipient, RetryLater
from bot.services.clock import Clock

log = logging.getLogger(__name__)

# (seconds, messages) per conversation: Teams' documented limits for a bot sending to one thread
WINDOWS = ((1.0, 7), (2.0, 8), (30.0, 60), (3600.0, 1800))
TRANSIENT = {412, 429, 500, 502, 503, 504}
FIRST_BACKOFF = 2.0
MAX_BACKOFF = 600.0
NO_PERSONAL_CHAT = ("{address} has no personal chat with Tandem in Teams yet: they need to install the app "
                    "(or message the bot once) before Tandem can write to them.")
NO_CHANNEL = "Tandem has not been added to the team of channel {address} in Teams, so it can't post there."


class TeamsPort:
    """The `ChatPort` for Teams."""

    platform = PLATFORM

    def __init__(self, adapter: BotAdapter, directory: Directory, *, app_id: str, clock: Clock,
                 chart_link: cards.ChartLink | None = None) -> None:
        self.adapter = adapter
        self.chart_link = chart_link  # where `tandem serve` serves a picture too big for a card
        self.directory = directory
        self.app_id = app_id
        self.clock = clock
        self._sent: dict[str, deque[float]] = defaultdict(deque)
        self._failures: dict[str, int] = defaultdict(int)
        self._blocked_until: dict[str, float] = {}

    async def send(self, recipient: Recipient, message: Message, *, thread_of: Delivered | None = None,
                   replace: Delivered | None = None) -> Delivered:
        """Post (or, with `replace`, update in place) one card.

        Raises:
            RetryLater: over the rate limit, or Teams answered 429/412/5xx.
            DeliveryFailed: no stored conversation, or a permanent 4xx.
        """
        reference = await self.directory.reference_for(recipient)
        if reference is None and recipient.kind == "person":
            member = await self.directory.member_for(recipient)
            if member is not None:
                return await self._open_personal_chat(recipient, member, message)
        if reference is None:
            template = NO_PERSONAL_CHAT if recipient.kind == "person" else NO_CHANNEL
            raise DeliveryFailed(template.format(address=recipient.address))
        conversation_id = reference.conversation.id
        self._admit(conversation_id)
        if replace is not None:
            target = replace.channel
        elif thread_of is not None and reference.conversation.conversation_type == "channel":
            # Teams threads exist only in channels; elsewhere the answer is simply the next message.
            target = f"{thread_of.channel};messageid={thread_of.message_ref}"
        else:
            target = conversation_id
        activity = card_activity(cards.message_card(message, chart_link=self.chart_link), message)
        outcome: dict[str, Any] = {}

        async def deliver(turn_context: TurnContext) -> None:
            client = turn_context.turn_state[BotAdapter.BOT_CONNECTOR_CLIENT_KEY]
            # msrest would retry connection errors and 5xx PUTs itself, sleeping in the delivery
            # loop; retries here are the outbox's job (RetryLater), so one attempt per call.
            client.config.retry_policy.retries = 0
            activity.conversation = ConversationAccount(id=target, tenant_id=recipient.tenant)
            activity.from_property, activity.recipient = reference.bot, reference.user
            activity.channel_id, activity.service_url = reference.channel_id, reference.service_url
            try:
                if replace is not None:
                    activity.id = replace.message_ref
                    response = await client.conversations.update_activity(target, replace.message_ref, activity)
                else:
                    response = await client.conversations.send_to_conversation(target, activity)
                outcome["id"] = getattr(response, "id", None)
            except Exception as error:  # noqa: BLE001 - classified below, outside the turn pipeline
                outcome["error"] = error

        await self.adapter.continue_conversation(reference, deliver, self.app_id)
        if "error" in outcome:
            self._classify(conversation_id, outcome["error"])
        self._failures.pop(conversation_id, None)
        message_ref = outcome.get("id") or (replace.message_ref if replace else "")
        return Delivered(message_ref=message_ref, channel=replace.channel if replace else conversation_id)

    async def _open_personal_chat(self, recipient: Recipient, member: ConversationReference,
                                  message: Message) -> Delivered:
        """First message to someone Teams showed us (a mention, a channel post) who never
        wrote to the bot: open the personal chat, post, and keep its reference."""
        opening = f"new:{recipient.address}"
        self._admit(opening)
        activity = card_activity(cards.message_card(message, chart_link=self.chart_link), message)
        parameters = ConversationParameters(is_group=False, bot=member.bot, members=[member.user],
                                            tenant_id=recipient.tenant,
                                            channel_data={"tenant": {"id": recipient.tenant}})
        outcome: dict[str, Any] = {}

        async def deliver(turn_context: TurnContext) -> None:
            client = turn_context.turn_state[BotAdapter.BOT_CONNECTOR_CLIENT_KEY]
            client.config.retry_policy.retries = 0
            conversation_id = turn_context.activity.conversation.id
            outcome["conversation"] = conversation_id
            activity.conversation = ConversationAccount(id=conversation_id, tenant_id=recipient.tenant)
            activity.from_property, activity.recipient = member.bot, member.user
            try:
                response = await client.conversations.send_to_conversation(conversation_id, activity)
                outcome["id"] = getattr(response, "id", None)
            except Exception as error:  # noqa: BLE001 - classified below
                outcome["error"] = error

        try:
            await self.adapter.create_conversation(self.app_id, deliver, parameters, member.channel_id or "msteams",
                                                   member.service_url, None)
        except Exception as error:  # noqa: BLE001 - the create call itself failed; classify it
            self._classify(opening, error)
        if "conversation" in outcome:
            reference = ConversationReference(
                channel_id=member.channel_id, service_url=member.service_url, bot=member.bot, user=member.user,
                conversation=ConversationAccount(id=outcome["conversation"], conversation_type="personal",
                                                 tenant_id=recipient.tenant))
            await self.directory.remember_personal(recipient.tenant, recipient.address, reference)
        if "error" in outcome:
            self._classify(opening, outcome["error"])
        self._failures.pop(opening, None)
        return Delivered(message_ref=outcome.get("id") or "", channel=outcome["conversation"])

    def _admit(self, conversation_id: str) -> None:
        """Count one send against the conversation's windows, or refuse it."""
        now = self._seconds()
        blocked = self._blocked_until.get(conversation_id, 0.0)
        if blocked > now:
            raise RetryLater(blocked - now, "backing off after Teams asked us to slow down", held=True)
        sent = self._sent[conversation_id]
        longest = max(seconds for seconds, _ in WINDOWS)
        while sent and sent[0] <= now - longest:
            sent.popleft()
        for seconds, limit in WINDOWS:
            recent = [t for t in sent if t > now - seconds]
            if len(recent) >= limit:
                raise RetryLater(recent[0] + seconds - now, f"over {limit} messages in {seconds:g}s here", held=True)
        sent.append(now)

    def _seconds(self) -> float:
        """Now in seconds, from the scheduler's clock (tests move it)."""
        return self.clock.now().timestamp()

    def _classify(self, conversation_id: str, error: Exception) -> None:
        """Turn a failed call into RetryLater (with growing back-off) or DeliveryFailed."""
        status = _status(error)
        if status is None and not isinstance(error, (ClientRequestError, aiohttp.ClientError, OSError,
                                                     asyncio.TimeoutError)):
            # Not an HTTP answer: most likely a bug. Keep the delivery loop alive and let the
            # outbox's attempt limit end it, but leave a trace.
            log.error("unexpected failure sending to Teams conversation %s", conversation_id, exc_info=error)
        if status is None or status in TRANSIENT:
            self._failures[conversation_id] += 1
            delay = min(FIRST_BACKOFF * 2 ** (self._failures[conversation_id] - 1), MAX_BACKOFF)
            delay = max(delay, _retry_after(error))
            self._blocked_until[conversation_id] = self._seconds() + delay
            raise RetryLater(delay, f"Teams answered {status or 'nothing'}; retry in {delay:g}s",
                             held=status == 429) from error
        raise DeliveryFailed(f"Teams refused the message ({status}): {error}") from error


def _status(error: Exception) -> int | None:
    if isinstance(error, ErrorResponseException) and error.response is not None:
        return int(error.response.status_code)
    return None


def _retry_after(error: Exception) -> float:
    response = getattr(error, "response", None)
    value = response.headers.get("Retry-After") if response is not None else None
    try:
        return min(float(value), MAX_BACKOFF) if value else 0.0
    except ValueError:
        return 0.0
