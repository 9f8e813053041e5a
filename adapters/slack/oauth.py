"""Installing Tandem in several workspaces (or an Enterprise Grid org) with OAuth.

Used only when SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set. Installations
and OAuth states live in Tandem's own database through slack_sdk's SQLAlchemy
stores (tables created by Alembic revision 0101). Those stores are
synchronous, so each call runs in a worker thread: the event loop stays free
for Slack's 3-second acks.
"""

from __future__ import annotations

import asyncio
import copy
from typing import Any, TypeVar

from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.engine import Engine

from storage import slack_installations
from storage.token_crypto import TokenCipher

# Exactly the bot scopes manifest.yml asks for.
BOT_SCOPES = ("commands", "chat:write", "chat:write.public", "files:write", "im:write", "users:read",
              "channels:history", "groups:history", "reactions:read")
STATE_SECONDS = 600


Stored = TypeVar("Stored", Bot, Installation)
TOKENS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token")


def _with_tokens(found: Stored, change: Any) -> Stored:
    """A copy of an installation or bot with each token passed through `change`."""
    out = copy.copy(found)
    for name in TOKENS:
        if getattr(out, name, None):
            setattr(out, name, change(getattr(out, name)))
    return out


class ThreadedInstallationStore(AsyncInstallationStore):
    """slack_sdk's SQLAlchemy installation store, called from a thread, with
    the tokens encrypted on the way in and decrypted on the way out."""

    def __init__(self, store: SQLAlchemyInstallationStore, cipher: TokenCipher | None = None) -> None:
        self.store = store
        self.cipher = cipher

    def _sealed(self, found: Stored) -> Stored:
        return _with_tokens(found, self.cipher.encrypt) if self.cipher is not None else found

    def _opened(self, found: Stored | None) -> Stored | None:
        return _with_tokens(found, self.cipher.decrypt) if self.cipher is not None and found is not None else found

    @property
    def logger(self):  # type: ignore[no-untyped-def]
        return self.store.logger

    async def async_save(self, installation: Installation) -> None:
        await asyncio.to_thread(self.store.save, self._sealed(installation))

    async def async_save_bot(self, bot: Bot) -> None:
        await asyncio.to_thread(self.store.save_bot, self._sealed(bot))

    async def async_find_bot(self, *, enterprise_id: str | None, team_id: str | None,
                             is_enterprise_install: bool | None = False) -> Bot | None:
        return self._opened(await asyncio.to_thread(self.store.find_bot, enterprise_id=enterprise_id,
                                                    team_id=team_id, is_enterprise_install=is_enterprise_install))

    async def async_find_installation(self, *, enterprise_id: str | None, team_id: str | None,
                                      user_id: str | None = None,
                                      is_enterprise_install: bool | None = False) -> Installation | None:
        return self._opened(await asyncio.to_thread(self.store.find_installation, enterprise_id=enterprise_id,
                                                    team_id=team_id, user_id=user_id,
                                                    is_enterprise_install=is_enterprise_install))

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await asyncio.to_thread(self.store.delete_bot, enterprise_id=enterprise_id, team_id=team_id)

    async def async_delete_installation(self, *, enterprise_id: str | None, team_id: str | None,
                                        user_id: str | None = None) -> None:
        await asyncio.to_thread(self.store.delete_installation, enterprise_id=enterprise_id, team_id=team_id,
                                user_id=user_id)


class ThreadedStateStore(AsyncOAuthStateStore):
    """slack_sdk's SQLAlchemy OAuth state store, called from a thread."""

    def __init__(self, store: SQLAlchemyOAuthStateStore) -> None:
        self.store = store

    @property
    def logger(self):  # type: ignore[no-untyped-def]
        return self.store.logger

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        return await asyncio.to_thread(self.store.issue, *args, **kwargs)

    async def async_consume(self, state: str) -> bool:
        return await asyncio.to_thread(self.store.consume, state)


def installation_store(engine: Engine, *, client_id: str, cipher: TokenCipher | None = None,
                       ) -> ThreadedInstallationStore:
    return ThreadedInstallationStore(SQLAlchemyInstallationStore(
        client_id=client_id, engine=engine, bots_table_name=slack_installations.BOTS,
        installations_table_name=slack_installations.INSTALLATIONS), cipher)


def oauth_flow(engine: Engine, *, client_id: str, client_secret: str, client: AsyncWebClient,
               cipher: TokenCipher | None = None) -> AsyncOAuthFlow:
    """Bolt's OAuth flow (`/slack/install`, `/slack/oauth_redirect`) on Tandem's database.

    `client` carries SLACK_API_URL, so `oauth.v2.access` goes where the rest of the Web API calls go.
    """
    settings = AsyncOAuthSettings(
        client_id=client_id,
        client_secret=client_secret,
        scopes=list(BOT_SCOPES),
        installation_store=installation_store(engine, client_id=client_id, cipher=cipher),
        state_store=ThreadedStateStore(SQLAlchemyOAuthStateStore(
            expiration_seconds=STATE_SECONDS, engine=engine, table_name=slack_installations.OAUTH_STATES)),
    )
    return AsyncOAuthFlow(client=client, settings=settings)


async def bot_token(engine: Engine, *, client_id: str, tenant: str, cipher: TokenCipher | None = None) -> str | None:
    """The bot token for outbound messages to `tenant` (a workspace or an org)."""
    return await asyncio.to_thread(slack_installations.bot_token, engine, client_id=client_id, tenant=tenant,
                                   cipher=cipher)
