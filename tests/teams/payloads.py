"""Bot Framework activities as Teams sends them, built from a few facts.

The shapes follow real Teams traffic: the tenant in `channelData.tenant`,
the Entra object id in `from.aadObjectId`, mentions as `<at>Name</at>` in the
text plus a `mention` entity, channel messages with `channelData.channel`
and a conversation id that names the thread (`;messageid=`).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
BOT = {"id": "28:tandem-bot", "name": "Tandem"}
IT_CHANNEL = "19:it-help@thread.tacv2"
GENERAL = "19:general@thread.tacv2"
# Where conversations live unless a test points them at its mock connector: the discard port, so a
# delivery nobody meant to test fails at once (and retries later) instead of leaving the machine.
UNREACHABLE = "http://127.0.0.1:9/"

_ids = itertools.count(1000)


@dataclass(frozen=True)
class TeamsUser:
    name: str
    account_id: str
    aad: str

    @property
    def account(self) -> dict[str, Any]:
        return {"id": self.account_id, "name": self.name, "aadObjectId": self.aad}

    def mention(self, *, with_aad: bool = True) -> tuple[str, dict[str, Any]]:
        mentioned = {"id": self.account_id, "name": self.name}
        if with_aad:
            mentioned["aadObjectId"] = self.aad
        return f"<at>{self.name}</at>", {"type": "mention", "text": f"<at>{self.name}</at>", "mentioned": mentioned}


ANN = TeamsUser("Ann Lee", "29:ann", "aad-ann")
SAM = TeamsUser("Sam Roy", "29:sam", "aad-sam")
KIM = TeamsUser("Kim Wu", "29:kim", "aad-kim")


def bot_mention() -> tuple[str, dict[str, Any]]:
    return "<at>Tandem</at>", {"type": "mention", "text": "<at>Tandem</at>", "mentioned": dict(BOT)}


def channel_mention(channel_id: str, name: str) -> tuple[str, dict[str, Any]]:
    return f"<at>{name}</at>", {"type": "mention", "text": f"<at>{name}</at>",
                                "mentioned": {"id": channel_id, "name": name, "conversationIdentityType": "channel"}}


def message(who: TeamsUser, text: str, *, entities: list[dict[str, Any]] = (), channel: str | None = None,  # type: ignore[assignment]
            service_url: str = UNREACHABLE, activity_id: str | None = None,
            value: dict[str, Any] | None = None, reply_to_id: str | None = None,
            timezone: str | None = "Europe/Paris", locale: str = "en-GB") -> dict[str, Any]:
    """A message activity from `who`: in their personal chat, or in `channel`."""
    activity_id = activity_id or f"1700000000{next(_ids)}"
    if channel:
        conversation = {"id": f"{channel};messageid={activity_id}", "conversationType": "channel",
                        "isGroup": True, "tenantId": TENANT}
        channel_data = {"tenant": {"id": TENANT}, "team": {"id": GENERAL, "name": "Ops"},
                        "channel": {"id": channel, "name": "IT help" if channel == IT_CHANNEL else "General"}}
    else:
        conversation = {"id": f"a:personal-{who.account_id[3:]}", "conversationType": "personal", "tenantId": TENANT}
        channel_data = {"tenant": {"id": TENANT}}
    activity: dict[str, Any] = {
        "type": "message", "id": activity_id, "channelId": "msteams", "serviceUrl": service_url,
        "timestamp": "2026-11-23T10:00:00.000Z", "from": who.account, "recipient": dict(BOT),
        "conversation": conversation, "channelData": channel_data, "text": text,
        "entities": [*entities, {"type": "clientInfo", "locale": locale, "country": "GB", "platform": "Web"}],
        "locale": locale,
    }
    if timezone:
        activity["localTimezone"] = timezone
    if value is not None:
        activity["value"] = value
        activity["text"] = None
    if reply_to_id:
        activity["replyToId"] = reply_to_id
    return activity


def installed_in_personal_chat(who: TeamsUser, *, service_url: str) -> dict[str, Any]:
    """The conversationUpdate Teams sends when a person installs the app."""
    return {"type": "conversationUpdate", "id": f"f:{next(_ids)}", "channelId": "msteams", "serviceUrl": service_url,
            "from": who.account, "recipient": dict(BOT),
            "conversation": {"id": f"a:personal-{who.account_id[3:]}", "conversationType": "personal",
                             "tenantId": TENANT},
            "channelData": {"tenant": {"id": TENANT}}, "membersAdded": [dict(BOT)]}


def installed_in_team(who: TeamsUser, *, service_url: str, channel: str = GENERAL) -> dict[str, Any]:
    """The conversationUpdate Teams sends when the app is added to a team."""
    return {"type": "conversationUpdate", "id": f"f:{next(_ids)}", "channelId": "msteams", "serviceUrl": service_url,
            "from": who.account, "recipient": dict(BOT),
            "conversation": {"id": channel, "conversationType": "channel", "isGroup": True, "tenantId": TENANT},
            "channelData": {"tenant": {"id": TENANT}, "team": {"id": GENERAL, "name": "Ops"},
                            "channel": {"id": channel}, "eventType": "teamMemberAdded"},
            "membersAdded": [dict(BOT)]}


def turn_into_request(who: TeamsUser, *, author: TeamsUser, html: str, channel: str, message_id: str,
                      service_url: str = UNREACHABLE, note: str = "", reply_to_id: str | None = None) -> dict[str, Any]:
    """The `composeExtension/submitAction` invoke Teams sends when `who` picks "Turn into request" in a
    message's "…" menu: the message itself rides along as `messagePayload`."""
    payload: dict[str, Any] = {
        "id": message_id, "createdDateTime": "2026-11-23T09:58:00.000Z", "messageType": "message",
        "from": {"user": {"id": author.aad, "displayName": author.name, "userIdentityType": "aadUser"}},
        "body": {"contentType": "html", "content": html},
        "linkToMessage": f"https://teams.microsoft.com/l/message/{channel}/{message_id}",
    }
    if reply_to_id:
        payload["replyToId"] = reply_to_id
    return {
        "type": "invoke", "name": "composeExtension/submitAction", "id": f"f:{next(_ids)}", "channelId": "msteams",
        "serviceUrl": service_url, "timestamp": "2026-11-23T10:00:00.000Z", "from": who.account,
        "recipient": dict(BOT),
        "conversation": {"id": f"{channel};messageid={reply_to_id or message_id}", "conversationType": "channel",
                         "isGroup": True, "tenantId": TENANT},
        "channelData": {"tenant": {"id": TENANT}, "team": {"id": GENERAL, "name": "Ops"},
                        "channel": {"id": channel, "name": "IT help" if channel == IT_CHANNEL else "General"}},
        "value": {"commandId": "turnIntoRequest", "commandContext": "message", "messagePayload": payload,
                  "data": {"note": note}, "context": {"theme": "default"}},
        "locale": "en-GB",
    }
