"""Slack payloads → the core, one listener per kind of payload.

Every listener acks first and does the rest in the background (`Background`),
so Slack gets its answer within 3 seconds whatever the database is doing. A
slash command is written to the inbox before its ack (`adapters.slack.inbox`),
so one acked is never lost; if it can't be written, the ack says to try again.
A modal submission's ack must carry inline errors: the core gets
`FORM_BUDGET` seconds, and if it needs longer the modal closes and the answer
arrives as a message. Whatever fails after an ack, the person hears back.

Slack's own ids make retries harmless: a slash command's key is a hash of
workspace, user and `trigger_id` (a fresh id when there is none); a modal's is its view id; a button press
carries its message's ts and its own `action_ts`, from which the core builds
the key by the button's rule; an event's `event_id` is remembered (per
process) so a retried delivery (`X-Slack-Retry-Num`) is dropped at once, and
the core keeps a receipt per event id in the database, so one delivered to
another replica acts once too.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from dataclasses import replace as dataclass_replace
from typing import Any

from slack_bolt.app.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.models.views import View
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import PLATFORM, blocks, inbox, modals, tokens
from adapters.slack.answers import answer, tell
from adapters.slack.background import Background
from adapters.slack.directory import Directory
from adapters.slack.inbox import Inbox
from adapters.slack.modals import Opened
from bot import failures
from bot.core import Tandem
from bot.events import Action, Actor, Command, ConversationEvent, FormSubmission, PersonUpdate, Place, Said
from bot.messages import Message, Reply, plain
from storage import inbox as store_inbox

log = logging.getLogger(__name__)
FORM_BUDGET = 2.5
SHORTCUT_CALLBACK = "kudos_for_message"
REQUEST_SHORTCUT = "message_to_request"
SHORTCUT_TEXT = 500
SEEN_EVENTS = 10_000
BUTTON = re.compile(r"^[a-z][\w.]{0,60}\|\d+$")  # every button the core rendered (blocks.render)
MAX_HOME_BLOCKS = 100


@dataclass
class Listeners:
    """Everything the listeners share: the core, Slack lookups, background work."""

    core: Tandem
    directory: Directory
    background: Background
    form_budget: float = FORM_BUDGET
    inbox: Inbox | None = None  # slash commands written down before their ack

    def __post_init__(self) -> None:
        self._seen: OrderedDict[str, None] = OrderedDict()

    def register(self, app: AsyncApp) -> None:
        """Attach every listener to bolt's app."""
        app.middleware(self.drop_repeated_events)
        app.command(re.compile(r"^/[\w-]+$"))(self.on_command)
        app.action(BUTTON)(self.on_button)
        app.view_submission(re.compile("^" + re.escape(modals.CALLBACK_PREFIX)))(self.on_view)
        app.view_closed(re.compile("^" + re.escape(modals.CALLBACK_PREFIX)))(self.on_view_closed)
        app.shortcut(SHORTCUT_CALLBACK)(self.on_shortcut)
        app.shortcut(REQUEST_SHORTCUT)(self.on_request_shortcut)
        app.event("app_home_opened")(self.on_home_opened)
        app.event("user_change")(self.on_user_change)
        app.event("message")(self.on_message)
        app.event("reaction_added")(self.on_reaction)
        app.event("reaction_removed")(self.on_reaction)

    # --- retries -------------------------------------------------------------

    async def drop_repeated_events(self, req: AsyncBoltRequest, resp: BoltResponse,
                                   next: Callable[[], Awaitable[BoltResponse]]) -> BoltResponse:  # noqa: A002
        """Ack an event already received (Slack's retry) without acting again."""
        body = req.body or {}
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id:
            if event_id in self._seen:
                return BoltResponse(status=200, body="")
            self._seen[event_id] = None
            while len(self._seen) > SEEN_EVENTS:
                self._seen.popitem(last=False)
        return await next()

    # --- slash commands --------------------------------------------------------

    async def on_command(self, ack: Any, body: dict[str, Any], client: AsyncWebClient, context: Any) -> None:
        tenant = tenant_of(context, body)
        entry = await self.inbox.write(body, tenant) if self.inbox is not None else None
        if self.inbox is not None and entry is None:
            await ack(text=inbox.NOT_TAKEN_IN)  # not acked as received: nothing was written down
            return
        await ack()
        if entry is not None and not entry.new:
            return  # the same delivery again: the first one is being answered
        self.start_command(body, client, tenant, entry)

    def start_command(self, body: dict[str, Any], client: AsyncWebClient, tenant: str,
                      entry: store_inbox.Entry | None) -> None:
        """Work on a command after its ack (or on a replayed one), then mark
        its inbox row done."""
        key = entry.delivery_key if entry is not None else inbox.delivery_key(tenant, body)
        answered = self._answering(self._command(body, client, tenant, key), client=client, tenant=tenant,
                                   user_id=str(body.get("user_id") or ""),
                                   opened=_opened_from(body, str(body.get("channel_id") or "")))
        self.background.spawn(self._then_finish(answered, entry), name="slack-command")

    async def _then_finish(self, work: Awaitable[None], entry: store_inbox.Entry | None) -> None:
        await work
        if entry is not None and self.inbox is not None:
            await self.inbox.finish(entry.entry_id)

    async def replay(self, client_for: Callable[[str], Awaitable[AsyncWebClient]]) -> int:
        """Answer the commands a previous run acked but never finished."""
        if self.inbox is None:
            return 0
        pending = await self.inbox.unfinished()
        for entry, body in pending:
            self.start_command(body, await client_for(entry.tenant), entry.tenant, entry)
        if pending:
            log.info("replaying %d Slack commands acked before a restart", len(pending))
        return len(pending)

    async def _command(self, body: dict[str, Any], client: AsyncWebClient, tenant: str, key: str) -> None:
        user_id = str(body.get("user_id") or "")
        actor = await self.directory.actor(client, tenant=tenant, user_id=user_id)
        parsed = tokens.parse(str(body.get("text") or ""))
        mentions = await self.directory.actors(client, tenant=tenant, user_ids=parsed.user_ids)
        channel = str(body.get("channel_id") or "")
        command = Command(
            actor=actor,
            place=Place(platform=PLATFORM, tenant=tenant, channel=channel, name=str(body.get("channel_name") or "")),
            name=str(body.get("command") or "").lstrip("/"),
            text=parsed.text,
            command_id=key,  # the inbox's delivery key: a replay after a crash finds the receipt
            mentions=mentions,
            channels=tuple(Place(platform=PLATFORM, tenant=tenant, channel=cid, name=name)
                           for cid, name in parsed.channels.items()),
        )
        reply = await self.core.handle_command(command)
        await self._answer_now(reply, client, tenant, user_id, _opened_from(body, channel),
                               trigger_id=body.get("trigger_id"))

    # --- buttons ---------------------------------------------------------------

    async def on_button(self, ack: Any, body: dict[str, Any], client: AsyncWebClient, context: Any) -> None:
        await ack()
        tenant = tenant_of(context, body)
        self.background.spawn(self._answering(self._button(body, client, tenant), client=client, tenant=tenant,
                                              user_id=_user_of(body), opened=_opened_from(body, _channel_of(body))),
                              name="slack-button")

    async def _button(self, body: dict[str, Any], client: AsyncWebClient, tenant: str) -> None:
        pressed = (body.get("actions") or [{}])[0]
        user_id = str((body.get("user") or {}).get("id") or "")
        actor = await self.directory.actor(client, tenant=tenant, user_id=user_id)
        container = body.get("container") or {}
        channel = str((body.get("channel") or {}).get("id") or container.get("channel_id") or "")
        action = Action(actor=actor, place=Place(platform=PLATFORM, tenant=tenant, channel=channel),
                        action_id=blocks.core_action_id(str(pressed.get("action_id") or "")),
                        value=str(pressed.get("value") or ""), message_ref=message_ref(body),
                        click_id=str(pressed.get("action_ts") or "") or None)
        reply = await self.core.handle_action(action)
        await self._answer_now(reply, client, tenant, user_id, _opened_from(body, channel),
                               trigger_id=body.get("trigger_id"))

    # --- modals ----------------------------------------------------------------

    async def on_view(self, ack: Any, body: dict[str, Any], client: AsyncWebClient, context: Any) -> None:
        view = body.get("view") or {}
        tenant = tenant_of(context, body)
        user_id = str((body.get("user") or {}).get("id") or "")
        opened = Opened.load(view.get("private_metadata"))
        work = asyncio.ensure_future(self._submit(view, client, tenant, user_id, opened))
        done, _ = await asyncio.wait({work}, timeout=self.form_budget)
        if not done:  # the core is slow: close the modal now, answer by message later
            await ack()
            self.background.spawn(self._answering(self._answer_later(work, client, tenant, user_id, opened),
                                                  client=client, tenant=tenant, user_id=user_id, opened=opened),
                                  name="slack-form")
            return
        if work.exception() is not None:  # close the modal; the apology comes as a message
            await ack()
            error_id = failures.record(log, "a Slack modal submission failed", error=work.exception())
            self.background.spawn(self._apologise(error_id, client=client, tenant=tenant, user_id=user_id,
                                                  opened=opened), name="slack-form")
            return
        reply = work.result()
        if not reply.ok:
            fallback = plain(reply.message.title) if reply.message else "Please check this field."
            errors = modals.inline_errors(reply.errors, view.get("state") or {}, fallback=fallback)
            if errors:
                await ack(response_action="errors", errors=errors)
                return
            # no field to hang the refusal on: close the modal and say it as a message
            await ack()
            self.background.spawn(self._answer_now(reply, client, tenant, user_id, opened), name="slack-form")
            return
        await ack()
        self.background.spawn(self._answer_now(reply, client, tenant, user_id, opened), name="slack-form")

    async def _submit(self, view: dict[str, Any], client: AsyncWebClient, tenant: str, user_id: str,
                      opened: Opened) -> Reply:
        actor = await self.directory.actor(client, tenant=tenant, user_id=user_id)
        state = view.get("state") or {}
        picked = [u for element in _elements(state) if element.get("type") == "multi_users_select"
                  for u in element.get("selected_users") or []]
        mentions = await self.directory.actors(client, tenant=tenant, user_ids=list(dict.fromkeys(picked)))
        submission = FormSubmission(
            actor=actor,
            place=Place(platform=PLATFORM, tenant=tenant, channel=opened.channel or user_id),
            form_id=modals.form_id(str(view.get("callback_id") or "")),
            values=modals.submitted_values(state),
            private_metadata=opened.metadata,
            mentions=mentions,
            submission_id=str(view.get("id") or "") or None,
        )
        return await self.core.handle_form(submission)

    async def _answer_now(self, reply: Reply, client: AsyncWebClient, tenant: str, user_id: str,
                          opened: Opened, *, trigger_id: str | None = None) -> None:
        await answer(reply, client=client, user_id=user_id, tenant=tenant, trigger_id=trigger_id, opened=opened)

    async def _answer_later(self, work: asyncio.Future[Reply], client: AsyncWebClient, tenant: str,
                            user_id: str, opened: Opened) -> None:
        reply = await work
        if reply.form is not None:
            reply = Reply(message=None)
        await self._answer_now(reply, client, tenant, user_id, opened)

    async def _answering(self, work: Awaitable[None], *, client: AsyncWebClient, tenant: str, user_id: str,
                         opened: Opened) -> None:
        """Run work that follows an ack; if it fails, the person still hears
        back (an apology with an error id) on the route they came by."""
        try:
            await work
        except Exception:  # noqa: BLE001 - the person was acked: they get an answer, whatever broke
            error_id = failures.record(log, "Slack work after the ack failed")
            await self._apologise(error_id, client=client, tenant=tenant, user_id=user_id, opened=opened)

    async def _apologise(self, error_id: str, *, client: AsyncWebClient, tenant: str, user_id: str,
                         opened: Opened) -> None:
        if not user_id and not opened.response_url:
            return
        await tell(Message(title=(failures.apology_text(error_id),)), client=client, user_id=user_id,
                   tenant=tenant, opened=opened)

    async def on_view_closed(self, ack: Any) -> None:
        await ack()

    # --- the message shortcut ----------------------------------------------------

    async def on_shortcut(self, ack: Any, body: dict[str, Any], client: AsyncWebClient, context: Any) -> None:
        await ack()
        tenant = tenant_of(context, body)
        self.background.spawn(self._answering(self._shortcut(body, client, tenant), client=client, tenant=tenant,
                                              user_id=_user_of(body), opened=_opened_from(body, _channel_of(body))),
                              name="slack-shortcut")

    async def _shortcut(self, body: dict[str, Any], client: AsyncWebClient, tenant: str) -> None:
        user_id = str((body.get("user") or {}).get("id") or "")
        channel = str((body.get("channel") or {}).get("id") or "")
        about = tokens.to_plain(str((body.get("message") or {}).get("text") or ""))
        about = blocks.shorten(" ".join(about.split()), SHORTCUT_TEXT)
        actor = await self.directory.actor(client, tenant=tenant, user_id=user_id)
        place = Place(platform=PLATFORM, tenant=tenant, channel=channel)
        reply = await asyncio.to_thread(self.core.open_form, actor, place, "kudos", f"message:{about}")
        await answer(reply, client=client, user_id=user_id, tenant=tenant, trigger_id=body.get("trigger_id"),
                     opened=Opened(channel=channel, response_url=str(body.get("response_url") or "")))

    async def on_request_shortcut(self, ack: Any, body: dict[str, Any], client: AsyncWebClient,
                                  context: Any) -> None:
        await ack()
        self.background.spawn(self._request_shortcut(body, client, tenant_of(context, body)),
                              name="slack-request-shortcut")

    async def _request_shortcut(self, body: dict[str, Any], client: AsyncWebClient, tenant: str) -> None:
        """"Turn into request" on a message: the core files it for the channel's team."""
        user_id = str((body.get("user") or {}).get("id") or "")
        channel = str((body.get("channel") or {}).get("id") or "")
        message = body.get("message") or {}
        ts = str(message.get("ts") or "")
        actor = await self.directory.actor(client, tenant=tenant, user_id=user_id)
        author_id = str(message.get("user") or "")
        author = (await self.directory.actor(client, tenant=tenant, user_id=author_id) if author_id and not
                  message.get("bot_id") else Actor(platform=PLATFORM, tenant=tenant, user_id="", known=False))
        parsed = tokens.parse(str(message.get("text") or ""))
        mentions = await self.directory.actors(client, tenant=tenant, user_ids=parsed.user_ids)
        thread = message.get("thread_ts")
        said = Said(author=author, place=Place(platform=PLATFORM, tenant=tenant, channel=channel,
                                               name=str((body.get("channel") or {}).get("name") or "")),
                    message_ref=ts, text=parsed.text, mentions=mentions, link=await self._permalink(client, channel, ts),
                    thread_ref=str(thread) if thread and thread != ts else None)
        event = ConversationEvent(actor=actor, kind="message_to_request", said=said,
                                  event_id=_digest(tenant, user_id, channel, ts, "to-request"))
        reply = await self.core.handle_event(event)
        await answer(reply, client=client, user_id=user_id, tenant=tenant, trigger_id=None,
                     opened=Opened(channel=channel, response_url=str(body.get("response_url") or "")))

    async def _permalink(self, client: AsyncWebClient, channel: str, ts: str) -> str:
        try:
            found = await client.chat_getPermalink(channel=channel, message_ts=ts)
        except SlackApiError as error:
            log.info("no permalink for %s in %s: %s", ts, channel, error.response.get("error"))
            return ""
        return str(found.get("permalink") or "")

    # --- App Home ----------------------------------------------------------------

    async def on_home_opened(self, ack: Any, event: dict[str, Any], client: AsyncWebClient, context: Any,
                             body: dict[str, Any]) -> None:
        await ack()
        if event.get("tab", "home") != "home":
            return
        self.background.spawn(self._publish_home(str(event.get("user") or ""), client, tenant_of(context, body)),
                              name="slack-home")

    async def _publish_home(self, user_id: str, client: AsyncWebClient, tenant: str) -> None:
        actor = await self.directory.actor(client, tenant=tenant, user_id=user_id)
        message = await self.core.home(actor)
        home = View(type="home", blocks=blocks.render(message, tenant=tenant, max_blocks=MAX_HOME_BLOCKS))
        await client.views_publish(user_id=user_id, view=home.to_dict())


    # --- people who leave ---------------------------------------------------------

    async def on_user_change(self, ack: Any, event: dict[str, Any], context: Any, body: dict[str, Any]) -> None:
        await ack()
        user = event.get("user") or {}
        if not isinstance(user, dict) or not user.get("id"):
            return
        tenant = tenant_of(context, body)
        self.directory.forget(tenant, str(user["id"]))
        actor = Actor(platform=PLATFORM, tenant=tenant, user_id=str(user["id"]), known=False)
        self.background.spawn(self.core.handle_person_update(PersonUpdate(actor=actor, active=not user.get("deleted"))),
                              name="slack-user-change")


    # --- messages posted in channels Tandem is in (inline thanks) ----------------

    async def on_message(self, ack: Any, event: dict[str, Any], context: Any, body: dict[str, Any],
                         client: AsyncWebClient) -> None:
        await ack()
        if not _by_a_person(event):
            return
        tenant = tenant_of(context, body)
        channel = str(event.get("channel") or "")
        user_id = str(event["user"])
        parsed = tokens.parse(str(event.get("text") or ""))
        place = Place(platform=PLATFORM, tenant=tenant, channel=channel)
        first_look = Actor(platform=PLATFORM, tenant=tenant, user_id=user_id, known=False)
        said = Said(author=first_look, place=place, message_ref=str(event.get("ts") or ""), text=parsed.text,
                    thread_ref=str(event["thread_ts"]) if event.get("thread_ts") else None)
        posted = ConversationEvent(actor=first_look, kind="message", said=said,
                                   event_id=str(body.get("event_id") or "") or None)
        if not self.core.cares(posted):
            return  # most messages: no lookups, no transaction
        self.background.spawn(self._message(posted, parsed.user_ids, client), name="slack-message")

    async def _message(self, posted: ConversationEvent, user_ids: list[str], client: AsyncWebClient) -> None:
        tenant = posted.said.place.tenant
        author = await self.directory.actor(client, tenant=tenant, user_id=posted.actor.user_id)
        mentions = await self.directory.actors(client, tenant=tenant, user_ids=user_ids)
        said = dataclass_replace(posted.said, author=author, mentions=mentions)
        await self.core.handle_event(dataclass_replace(posted, actor=author, said=said))


    # --- reactions (kudos emoji, request emoji) ------------------------------------

    async def on_reaction(self, ack: Any, event: dict[str, Any], context: Any, body: dict[str, Any],
                          client: AsyncWebClient) -> None:
        await ack()
        item = event.get("item") or {}
        if item.get("type") != "message" or not event.get("user") or not item.get("channel") or not item.get("ts"):
            return
        self.background.spawn(self._reaction(event, client, tenant_of(context, body),
                                             str(body.get("event_id") or "") or None), name="slack-reaction")

    async def _reaction(self, event: dict[str, Any], client: AsyncWebClient, tenant: str,
                        event_id: str | None) -> None:
        item = event["item"]
        channel, ts = str(item["channel"]), str(item["ts"])
        if not await self.core.watches(str(event.get("reaction") or "")):
            return  # an emoji that means nothing to Tandem: no lookups
        kind = "reaction_added" if event.get("type") == "reaction_added" else "reaction_removed"
        place = Place(platform=PLATFORM, tenant=tenant, channel=channel)
        reactor = await self.directory.actor(client, tenant=tenant, user_id=str(event["user"]))
        author = Actor(platform=PLATFORM, tenant=tenant, user_id=str(event.get("item_user") or ""), known=False)
        said = Said(author=author, place=place, message_ref=ts)
        if kind == "reaction_added":
            said = await self._fetched(client, said)
            if said is None:
                return
        await self.core.handle_event(ConversationEvent(actor=reactor, kind=kind, said=said,
                                                       emoji=str(event.get("reaction") or ""), event_id=event_id))

    async def _fetched(self, client: AsyncWebClient, said: Said) -> Said | None:
        """The reacted-to message as it stands: its author, text, thread and link
        (conversations.history for a message in the channel, conversations.replies
        for a reply in a thread, chat.getPermalink for the link)."""
        channel, ts = said.place.channel, said.message_ref
        found = None
        try:
            history = await client.conversations_history(channel=channel, latest=ts, oldest=ts, inclusive=True,
                                                         limit=1)
            found = next((m for m in history.get("messages") or [] if m.get("ts") == ts), None)
            if found is None:
                replies = await client.conversations_replies(channel=channel, ts=ts, latest=ts, oldest=ts,
                                                             inclusive=True, limit=1)
                found = next((m for m in replies.get("messages") or [] if m.get("ts") == ts), None)
        except SlackApiError as error:
            log.warning("could not read the message %s in %s: %s", ts, channel, error.response.get("error"))
            return None
        if found is None or not found.get("user") or found.get("bot_id"):
            return None  # gone, or a bot's: nobody to thank
        link = await self._permalink(client, channel, ts)
        tenant = said.place.tenant
        parsed = tokens.parse(str(found.get("text") or ""))
        author = await self.directory.actor(client, tenant=tenant, user_id=str(found["user"]))
        mentions = await self.directory.actors(client, tenant=tenant, user_ids=parsed.user_ids)
        thread = found.get("thread_ts")
        return dataclass_replace(said, author=author, text=parsed.text, mentions=mentions, link=str(link or ""),
                                 thread_ref=str(thread) if thread and thread != ts else None)


def _by_a_person(event: dict[str, Any]) -> bool:
    """A message a person posted in a channel: not a bot's (Tandem's own
    announcements mention people too), not an edit or a join notice, not a DM."""
    subtype = event.get("subtype")
    return (bool(event.get("user")) and not event.get("bot_id") and subtype in {None, "thread_broadcast"}
            and event.get("channel_type") in {"channel", "group", None})


def _opened_from(body: dict[str, Any], channel: str) -> Opened:
    """Where a command or button was used, and the response_url that answers it there."""
    return Opened(channel=channel, response_url=str(body.get("response_url") or ""))


def _user_of(body: dict[str, Any]) -> str:
    user = body.get("user")
    return str((user.get("id") if isinstance(user, dict) else None) or body.get("user_id") or "")


def _channel_of(body: dict[str, Any]) -> str:
    channel = body.get("channel")
    container = body.get("container")
    return str((channel.get("id") if isinstance(channel, dict) else None)
               or (container.get("channel_id") if isinstance(container, dict) else None) or "")


def tenant_of(context: Any, body: dict[str, Any]) -> str:
    """The tenant: the org for an org-wide Enterprise Grid install, else the workspace."""
    enterprise_id = getattr(context, "enterprise_id", None) or (body.get("enterprise") or {}).get("id") \
        or body.get("enterprise_id")
    if getattr(context, "is_enterprise_install", False) and enterprise_id:
        return str(enterprise_id)
    team_id = getattr(context, "team_id", None) or body.get("team_id") or (body.get("team") or {}).get("id") \
        or (body.get("user") or {}).get("team_id")
    return str(team_id or enterprise_id or "")


def message_ref(body: dict[str, Any]) -> str | None:
    """The message a button was on: channel and ts, or the modal's view id."""
    container = body.get("container") or {}
    ts = container.get("message_ts") or (body.get("message") or {}).get("ts")
    if ts:
        channel = container.get("channel_id") or (body.get("channel") or {}).get("id") or ""
        return f"{channel}:{ts}"
    view_id = container.get("view_id") or (body.get("view") or {}).get("id")
    return f"view:{view_id}" if view_id else None


def _elements(state: dict[str, Any]) -> list[dict[str, Any]]:
    return [element for actions in (state.get("values") or {}).values() for element in (actions or {}).values()]


def _digest(*parts: str) -> str:
    """A stable key for an interaction Slack gives no id of its own (a message shortcut)."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]
