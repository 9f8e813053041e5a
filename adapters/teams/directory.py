"""What the Teams adapter remembers between turns: conversation references
and account-id aliases (the people a form offers come from the core).

Every activity the bot sees leaves its conversation reference in
`storage.conversations`, keyed the way outbox recipients are addressed: a
person's personal chat by their user id, a team channel by its channel id,
a group chat by its conversation id. That is what proactive delivery needs.

A person's every message carries the same references, so each process keeps
what it last stored for each conversation and writes only what changed (or
what it has not confirmed for `RECHECK_SECONDS`, so a reference another
replica rewrote is put right within minutes): three or four sessions a turn
fewer (found by profiling benchmark 7, bench/teams.py).
"""

from __future__ import annotations

import asyncio
import json
import time

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount, ConversationReference
from sqlalchemy.engine import Engine

from adapters.teams.activities import PLATFORM, channel_id, conversation_kind, tenant_of, user_id_of
from bot.ports import Recipient
from bot.services.clock import Clock
from storage import conversations

RECHECK_SECONDS = 600.0
MAX_REMEMBERED = 20_000  # conversations kept in memory before starting over


class Directory:
    """Conversation references and people, read and written off the event loop."""

    def __init__(self, engine: Engine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock
        # (tenant, kind, key) → (reference JSON, alias, when this process stored it, monotonic)
        self._stored: dict[tuple[str, str, str], tuple[str, str | None, float]] = {}

    async def remember(self, activity: Activity) -> None:
        """Keep the reference of the conversation `activity` came from."""
        if activity.from_property is None or activity.conversation is None or not activity.service_url:
            return
        await asyncio.to_thread(self._remember, activity)

    def _remember(self, activity: Activity) -> None:
        tenant = tenant_of(activity)
        kind = conversation_kind(activity)
        sender = activity.from_property
        reference = TurnContext.get_conversation_reference(activity)
        reference.activity_id = None
        reference.conversation = ConversationAccount(id=channel_id(activity), conversation_type=kind,
                                                     tenant_id=tenant, is_group=kind != "personal")
        alias = None
        if kind == "personal":
            key = user_id_of(sender.id, sender.aad_object_id)
            alias = sender.id if sender.id != key else None
        else:
            key = channel_id(activity)
            reference.user = None
        reference_json = json.dumps(reference.serialize(), sort_keys=True)
        self._store(tenant, kind, key, reference_json, alias)
        if kind == "personal":
            # Also by conversation id: a command typed in a personal chat is answered there later
            # (a kudos announcement, for one), addressed like a channel.
            self._store(tenant, "chat", reference.conversation.id, reference_json, None)
        members = [(sender.id, sender.aad_object_id, sender.name)]
        members += [(m["id"], m.get("aadObjectId"), m.get("name")) for m in _people_mentioned(activity)]
        for account_id, aad, name in members:
            # Enough to open a personal chat with them later (create_conversation), even if they
            # never wrote to the bot: their account id, the bot's, and the tenant's service URL.
            member = TurnContext.get_conversation_reference(activity)
            member.activity_id, member.conversation = None, None
            member.user = ChannelAccount(id=account_id, name=name, aad_object_id=aad)
            self._store(tenant, "member", user_id_of(account_id, aad),
                        json.dumps(member.serialize(), sort_keys=True), account_id if aad else None)

    def _store(self, tenant: str, kind: str, key: str, reference_json: str, alias: str | None) -> None:
        """`conversations.remember`, unless this process stored the same lately."""
        slot = (tenant, kind, key)
        now = time.monotonic()
        known = self._stored.get(slot)
        if known is not None and known[:2] == (reference_json, alias) and now - known[2] < RECHECK_SECONDS:
            return
        conversations.remember(self.engine, platform=PLATFORM, tenant=tenant, kind=kind, key=key,
                               reference_json=reference_json, now=self.clock.now(), alias=alias)
        if len(self._stored) >= MAX_REMEMBERED:
            self._stored.clear()
        self._stored[slot] = (reference_json, alias, now)

    async def member_for(self, recipient: Recipient) -> ConversationReference | None:
        """What opening a personal chat with a person needs, if Teams ever showed them to us."""
        stored = await asyncio.to_thread(conversations.find, self.engine, platform=PLATFORM,
                                         tenant=recipient.tenant, kind="member", key=recipient.address)
        return _load(stored) if stored else None

    async def remember_personal(self, tenant: str, user_id: str, reference: ConversationReference) -> None:
        """Keep the personal chat the bot just opened, so the next message continues it."""
        reference_json = json.dumps(reference.serialize(), sort_keys=True)
        await asyncio.to_thread(self._store, tenant, "personal", user_id, reference_json,
                                reference.user.id if reference.user and reference.user.id != user_id else None)

    async def reference_for(self, recipient: Recipient) -> ConversationReference | None:
        """Where to post for an outbox recipient, or None if Teams never showed us.

        A channel the bot has not seen a message in yet is reached through
        another channel's reference of the same tenant (same service URL),
        with the channel id swapped in.
        """
        return await asyncio.to_thread(self._reference_for, recipient)

    def _reference_for(self, recipient: Recipient) -> ConversationReference | None:
        common = {"engine": self.engine, "platform": PLATFORM, "tenant": recipient.tenant}
        if recipient.kind == "person":
            stored = conversations.find(**common, kind="personal", key=recipient.address)
            return _load(stored) if stored else None
        for kind in ("channel", "groupchat", "chat"):
            stored = conversations.find(**common, kind=kind, key=recipient.address)
            if stored:
                return _load(stored)
        sibling = conversations.any_of_kind(**common, kind="channel")
        if sibling is None:
            return None
        reference = _load(sibling)
        reference.conversation = ConversationAccount(id=recipient.address, conversation_type="channel",
                                                     tenant_id=recipient.tenant, is_group=True)
        return reference

    def alias_lookup(self, tenant: str):  # type: ignore[no-untyped-def]
        """A function mapping a Teams account id to the stored user id (sync:
        it runs inside `activities.command_of`, itself off the loop)."""
        return lambda account_id: conversations.key_for_alias(self.engine, platform=PLATFORM, tenant=tenant,
                                                              alias=account_id)



def _people_mentioned(activity: Activity) -> list[dict]:  # type: ignore[type-arg]
    """The `mentioned` accounts of an activity that are people (not the bot, a channel or a tag)."""
    bot_id = activity.recipient.id if activity.recipient else None
    found = []
    for entity in activity.entities or []:
        mentioned = (entity.additional_properties or {}).get("mentioned") if entity.type == "mention" else None
        if not isinstance(mentioned, dict) or not mentioned.get("id") or mentioned["id"] == bot_id:
            continue
        if mentioned.get("conversationIdentityType") in {"channel", "team", "tag"} or mentioned["id"].startswith("19:"):
            continue
        found.append(mentioned)
    return found


def _load(reference_json: str) -> ConversationReference:
    return ConversationReference().deserialize(json.loads(reference_json))
