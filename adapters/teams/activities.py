"""A Bot Framework activity from Teams → the core's neutral events.

Who (`Actor`: the Entra object id when Teams sends one, else the channel
account id), where (`Place`: the channel, group chat or personal chat) and
what: a typed command (`Command`), a card button (`Action`) or a card form
(`FormSubmission`).

Typed text follows the core's convention: Teams mentions (entities of type
`mention`) become `<@id>` tokens, channel mentions `<#id>` tokens, and every
other character is escaped Slack-style (`&amp; &lt; &gt;`), so a typed
`<@someone>` stays text. The bot's own mention is dropped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from botbuilder.schema import Activity

from bot.events import Action, Actor, Command, ConversationEvent, FormSubmission, Place, Said

PLATFORM = "teams"
ACTION_KEY = "tandem_action"
FORM_KEY = "tandem_form"
METADATA_KEY = "tandem_metadata"
LISTS_KEY = "tandem_lists"
MAX_VALUE = 20_000

AliasLookup = Callable[[str], "str | None"]


def escape(value: str) -> str:
    """Typed text in the core's convention: `&`, `<`, `>` escaped."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def tenant_of(activity: Activity) -> str:
    """The Entra tenant: Teams puts it in channelData; botbuilder's own
    `ConversationAccount.tenant_id` maps a differently spelt key, so both."""
    channel_data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    tenant = channel_data.get("tenant") or {}
    conversation = activity.conversation
    extra = (conversation.additional_properties or {}) if conversation else {}
    return str(tenant.get("id") or (conversation and conversation.tenant_id) or extra.get("tenantId") or "")


def conversation_kind(activity: Activity) -> str:
    """"personal", "channel" or "groupchat"."""
    kind = (activity.conversation.conversation_type if activity.conversation else None) or "personal"
    return kind if kind in {"personal", "channel", "groupchat"} else "personal"


def channel_id(activity: Activity) -> str:
    """The conversation to post into later: a team channel's id (not the
    thread the message sits in), else the chat's conversation id."""
    channel_data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    channel = channel_data.get("channel") or {}
    if conversation_kind(activity) == "channel" and channel.get("id"):
        return str(channel["id"])
    conversation_id = activity.conversation.id if activity.conversation else ""
    return (conversation_id or "").split(";messageid=")[0]


def user_id_of(account_id: str, aad_object_id: str | None) -> str:
    return aad_object_id or account_id


def actor_of(activity: Activity) -> Actor:
    sender = activity.from_property
    return Actor(platform=PLATFORM, tenant=tenant_of(activity),
                 user_id=user_id_of(sender.id, sender.aad_object_id), display_name=sender.name or "",
                 timezone=activity.local_timezone or None, known=True, locale=locale_of(activity))


def locale_of(activity: Activity) -> str | None:
    """The sender's locale ("de-DE"): the activity's own, else the clientInfo entity's."""
    if isinstance(activity.locale, str) and activity.locale:
        return activity.locale[:35]
    for entity in activity.entities or []:
        if getattr(entity, "type", None) == "clientInfo":
            locale = (entity.additional_properties or {}).get("locale")
            if isinstance(locale, str) and locale:
                return locale[:35]
    return None


def place_of(activity: Activity) -> Place:
    channel_data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    name = (channel_data.get("channel") or {}).get("name") or (activity.conversation.name if activity.conversation
                                                                 else None) or ""
    return Place(platform=PLATFORM, tenant=tenant_of(activity), channel=channel_id(activity), name=str(name),
                 shared=conversation_kind(activity) != "personal")


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    token: str


def command_of(activity: Activity, *, resolve_alias: AliasLookup | None = None) -> Command:
    """A typed message → `Command`: `@Tandem /kudos @Sam thanks` → ("kudos", "<@sam-id> thanks").

    Args:
        activity: a message activity with text.
        resolve_alias: maps a Teams account id ("29:…") to the person's
            stored Entra id when a mention carries no `aadObjectId`.
    """
    line, people, channels = core_text(activity, resolve_alias=resolve_alias)
    line = line.lstrip("/")
    words = line.split(None, 1)
    name = words[0].lower() if words else ""
    rest = words[1] if len(words) > 1 else ""
    if not name or name == "help":
        name, rest = "tandem", "help"
    return Command(actor=actor_of(activity), place=place_of(activity), name=name, text=rest.strip(),
                   command_id=activity.id, mentions=tuple(people), channels=tuple(channels))


def core_text(activity: Activity, *, resolve_alias: AliasLookup | None = None
              ) -> tuple[str, list[Actor], list[Place]]:
    """The message's text in the core's convention (mentions as tokens, the
    bot's own dropped), with the people and channels it mentions."""
    tenant = tenant_of(activity)
    text = activity.text or ""
    spans: list[_Span] = []
    people: list[Actor] = []
    channels: list[Place] = []
    bot_id = activity.recipient.id if activity.recipient else None
    for mention in _mentions(activity):
        mentioned = mention.get("mentioned") or {}
        shown = str(mention.get("text") or "")
        account_id = str(mentioned.get("id") or "")
        start = _free_index(text, shown, spans)
        if not shown or not account_id or start < 0:
            continue
        name = str(mentioned.get("name") or shown.removeprefix("<at>").removesuffix("</at>"))
        kind = str(mentioned.get("conversationIdentityType") or "")
        if account_id == bot_id:
            token = ""
        elif kind in {"channel", "team"} or account_id.startswith("19:"):
            token = f"<#{account_id}>"
            channels.append(Place(platform=PLATFORM, tenant=tenant, channel=account_id, name=name))
        elif kind == "tag":
            token = escape("@" + name)
        else:
            aad = mentioned.get("aadObjectId") or (resolve_alias(account_id) if resolve_alias else None)
            user_id = user_id_of(account_id, aad)
            token = f"<@{user_id}>"
            people.append(Actor(platform=PLATFORM, tenant=tenant, user_id=user_id, display_name=name, known=True))
        spans.append(_Span(start, start + len(shown), token))
    pieces: list[str] = []
    position = 0
    for span in sorted(spans, key=lambda s: s.start):
        pieces.append(escape(text[position:span.start]))
        pieces.append(span.token)
        position = span.end
    pieces.append(escape(text[position:]))
    return "".join(pieces).replace("\xa0", " ").strip(), people, channels


def thread_root(activity: Activity) -> str | None:
    """The thread a channel message sits in: Teams names it in the conversation
    id (`19:…@thread.tacv2;messageid=<root>`)."""
    conversation_id = activity.conversation.id if activity.conversation else ""
    _, found, root = (conversation_id or "").partition(";messageid=")
    return root or None if found else None


def message_event_of(activity: Activity, *, resolve_alias: AliasLookup | None = None) -> ConversationEvent:
    """A message to @Tandem that is no command (`@Tandem @Sam++ for the demo`),
    as a message posted in its conversation. Teams delivers a channel message
    to the bot only when it is @mentioned (without resource-specific consent),
    so inline thanks in Teams name @Tandem."""
    text, people, _ = core_text(activity, resolve_alias=resolve_alias)
    author = actor_of(activity)
    said = Said(author=author, place=place_of(activity), message_ref=activity.id or "", text=text,
                thread_ref=thread_root(activity), mentions=tuple(people))
    return ConversationEvent(actor=author, kind="message", said=said, event_id=activity.id or None)


def submission_of(activity: Activity) -> Action | FormSubmission | None:
    """A card's Action.Submit (its data merged with the card's inputs) → an
    `Action` or a `FormSubmission`; None when the value isn't one of ours."""
    value = activity.value if isinstance(activity.value, dict) else None
    if not value:
        return None
    if ACTION_KEY in value:
        return Action(actor=actor_of(activity), place=place_of(activity), action_id=str(value[ACTION_KEY])[:100],
                      value=str(value.get("value") or "")[:MAX_VALUE], message_ref=activity.reply_to_id or None,
                      click_id=activity.id or None)
    if FORM_KEY in value:
        lists = value.get(LISTS_KEY) if isinstance(value.get(LISTS_KEY), list) else []
        values: dict[str, str | list[str]] = {}
        for key, entered in value.items():
            if key.startswith("tandem_") or key == "msteams":
                continue
            entered = "" if entered is None else str(entered)[:MAX_VALUE]
            values[str(key)] = [part for part in entered.split(",") if part] if key in lists else entered
        return FormSubmission(actor=actor_of(activity), place=place_of(activity), form_id=str(value[FORM_KEY])[:100],
                              values=values, private_metadata=str(value.get(METADATA_KEY) or "")[:MAX_VALUE],
                              submission_id=activity.id)
    return None


def _mentions(activity: Activity) -> list[dict]:  # type: ignore[type-arg]
    found = []
    for entity in activity.entities or []:
        if getattr(entity, "type", None) != "mention":
            continue
        found.append(dict(entity.additional_properties or {}))
    return found


def _free_index(text: str, shown: str, taken: list[_Span]) -> int:
    """Where `shown` first occurs in `text` outside spans already claimed
    (the same name mentioned twice has two entities)."""
    start = text.find(shown) if shown else -1
    while start >= 0 and any(s.start < start + len(shown) and start < s.end for s in taken):
        start = text.find(shown, start + 1)
    return start


TURN_INTO_REQUEST = "turnIntoRequest"  # the composeExtensions action command in teams/manifest.json
TAG = re.compile(r"<[^<>]*>")
BREAK = re.compile(r"<br\s*/?>|</p>|</div>", re.I)


def message_action_of(activity: Activity) -> ConversationEvent | None:
    """A `composeExtension/submitAction` invoke of "Turn into request" → the
    core's "message_to_request" event; None for any other invoke.

    The message comes with the invoke (`messagePayload`): its author, its HTML
    body (tags dropped, text escaped the core's way), its id, and its link.
    """
    value = activity.value if isinstance(activity.value, dict) else {}
    if value.get("commandId") != TURN_INTO_REQUEST:
        return None
    payload = value.get("messagePayload") if isinstance(value.get("messagePayload"), dict) else {}
    tenant = tenant_of(activity)
    user = (payload.get("from") or {}).get("user") or {}
    author = Actor(platform=PLATFORM, tenant=tenant, user_id=str(user.get("id") or ""),
                   display_name=str(user.get("displayName") or ""), known=bool(user.get("id")))
    body = (payload.get("body") or {}).get("content") or ""
    written = html.unescape(TAG.sub("", BREAK.sub("\n", str(body)))).strip()
    note = str((value.get("data") or {}).get("note") or "").strip() if isinstance(value.get("data"), dict) else ""
    if note:
        written = f"{written}\n{note}" if written else note
    message_id = str(payload.get("id") or "")
    root = payload.get("replyToId") or thread_root(activity)
    said = Said(author=author, place=place_of(activity), message_ref=message_id, text=escape(written[:MAX_VALUE]),
                thread_ref=str(root) if root and root != message_id else None,
                link=str(payload.get("linkToMessage") or ""))
    return ConversationEvent(actor=actor_of(activity), kind="message_to_request", said=said,
                             event_id=activity.id or None)
