"""What the core and the scheduler need from a platform, as protocols.

An adapter implements `ChatPort` to deliver outbox notifications. The core
never calls a port directly while handling a command: it writes outbox rows
in the same transaction as the change, and the delivery job calls the port.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.messages import Message


@dataclass(frozen=True)
class Recipient:
    """Who a notification goes to: a person (DM) or a channel."""

    kind: str  # "person" | "channel"
    platform: str
    tenant: str
    address: str  # user id or channel id


@dataclass(frozen=True)
class Delivered:
    """What a platform returned for a sent message, for later updates/threads."""

    message_ref: str
    channel: str


class ChatPort(Protocol):
    """One per platform: turns neutral messages into platform calls."""

    platform: str

    async def send(
        self,
        recipient: Recipient,
        message: Message,
        *,
        thread_of: Delivered | None = None,
        replace: Delivered | None = None,
    ) -> Delivered:
        """Deliver `message`; `replace` updates an earlier message in place,
        `thread_of` answers in an earlier message's thread. Raises
        `RetryLater` for rate limits and transient failures."""
        ...


class RetryLater(Exception):
    """A delivery that failed for now: retry after `seconds`.

    `held=True` says nothing failed: the port holds this conversation back
    (its own per-channel pacing, or a rate limit the platform announced) for
    `seconds`. The delivery job then postpones every message to that
    recipient together, and none of it counts toward giving up, so a long
    backlog for one busy channel is slow, never lost.
    """

    def __init__(self, seconds: float, reason: str = "", *, held: bool = False) -> None:
        super().__init__(reason or f"retry in {seconds}s")
        self.seconds = seconds
        self.reason = reason
        self.held = held


class DeliveryFailed(Exception):
    """A delivery that will never succeed (channel gone, user deactivated)."""


class DeliveryRunner(Protocol):
    """What an edge may know of the process's deliverer (the terminal waits
    for it so notifications print right after the reply)."""

    def kick(self) -> None:
        """Ask for a delivery run soon."""
        ...

    async def settle(self) -> None:
        """Wait for the runs asked for so far."""
        ...
