"""Who is who in Slack: `users.info`, cached, as the core's `Actor`.

Workspace owners and admins (`is_owner`, `is_admin`) are Tandem admins: the
actor says so, and the core keeps it on the person at each visit.

The core creates a person the first time it sees them, from what the adapter
looked up (real name, time zone, and the locale `include_locale=True` asks
for, which says how they write dates). A lookup that fails (unknown id, deleted
user, Slack down) gives `Actor(known=False)`: the core then uses only what it
already knows and answers politely about anyone it doesn't.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import PLATFORM
from bot.events import Actor

log = logging.getLogger(__name__)
TTL_SECONDS = 3600.0
MAX_ENTRIES = 5000


class Directory:
    """users.info with a bounded, time-limited cache shared by all requests."""

    def __init__(self, *, ttl: float = TTL_SECONDS, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl
        self._monotonic = monotonic
        self._cache: OrderedDict[tuple[str, str], tuple[float, Actor]] = OrderedDict()

    async def actor(self, client: AsyncWebClient, *, tenant: str, user_id: str) -> Actor:
        """The person `user_id` of workspace `tenant`, looked up once an hour."""
        key = (tenant, user_id)
        cached = self._cache.get(key)
        if cached is not None and self._monotonic() - cached[0] < self._ttl:
            self._cache.move_to_end(key)
            return cached[1]
        found = await self._look_up(client, tenant=tenant, user_id=user_id)
        if found.known:
            self._cache[key] = (self._monotonic(), found)
            while len(self._cache) > MAX_ENTRIES:
                self._cache.popitem(last=False)
        return found

    def forget(self, tenant: str, user_id: str) -> None:
        """Drop a cached person (Slack said they changed: name, role, or left)."""
        self._cache.pop((tenant, user_id), None)

    async def actors(self, client: AsyncWebClient, *, tenant: str, user_ids: list[str]) -> tuple[Actor, ...]:
        return tuple([await self.actor(client, tenant=tenant, user_id=u) for u in user_ids[:50]])

    async def _look_up(self, client: AsyncWebClient, *, tenant: str, user_id: str) -> Actor:
        unknown = Actor(platform=PLATFORM, tenant=tenant, user_id=user_id, known=False)
        if not user_id or len(user_id) > 40:
            return unknown
        try:
            response = await client.users_info(user=user_id, include_locale=True)
        except SlackApiError as error:
            log.info("users.info %s failed: %s", user_id, error.response.get("error"))
            return unknown
        except Exception as error:  # noqa: BLE001 - network trouble: fall back to what the core knows
            log.warning("users.info %s unreachable: %s", user_id, error)
            return unknown
        user = response.get("user") or {}
        if user.get("deleted"):
            return unknown
        profile = user.get("profile") or {}
        name = (profile.get("real_name") or user.get("real_name") or profile.get("display_name")
                or user.get("name") or user_id)
        locale = user.get("locale")
        return Actor(platform=PLATFORM, tenant=tenant, user_id=user_id, display_name=str(name)[:200],
                     timezone=user.get("tz") or None, known=True,
                     platform_admin=bool(user.get("is_owner") or user.get("is_admin")),
                     locale=str(locale)[:35] if isinstance(locale, str) and locale else None)
