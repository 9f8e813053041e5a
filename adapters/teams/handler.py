"""The Teams `ActivityHandler`: one turn in, one core call, one card out.

A message with text is a command (`kudos @Sam thanks`, `/ask it …`, with or
without the slash, with or without @Tandem in front); a message whose
`value` came from one of our cards is a button press or a form. Replies go
back into the same conversation (in a channel, into the thread): Teams has no
message only one person can see. A form card that was submitted successfully
is replaced by the result, so pressing its button twice acts once.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace

from botbuilder.core import ActivityHandler, InvokeResponse, MessageFactory, TurnContext
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount

from adapters.teams import cards
from adapters.teams.activities import (
    PLATFORM,
    command_of,
    message_action_of,
    message_event_of,
    submission_of,
    tenant_of,
    user_id_of,
)
from adapters.teams.directory import Directory
from bot import failures
from bot.core import Tandem
from bot.events import Action, Actor, FormSubmission, PersonUpdate
from bot.messages import Form, Message, Reply, plain

log = logging.getLogger(__name__)


class TandemBot(ActivityHandler):
    """Tandem's side of a Teams conversation."""

    def __init__(self, core: Tandem, directory: Directory) -> None:
        self.core = core
        self.directory = directory

    async def on_turn(self, turn_context: TurnContext) -> None:
        """One turn; whatever breaks in it, the person is told in the
        conversation (with an error id that is also in the log)."""
        try:
            await self.directory.remember(turn_context.activity)
            await super().on_turn(turn_context)
        except Exception:  # noqa: BLE001 - every turn gets an answer
            error_id = failures.record(log, "a Teams turn failed")
            if turn_context.activity.type == ActivityTypes.message:
                await turn_context.send_activity(failures.apology_text(error_id))

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        submitted = submission_of(activity)
        if isinstance(submitted, Action):
            reply = await self.core.handle_action(submitted)
            await self._answer(turn_context, reply)
            return
        if isinstance(submitted, FormSubmission):
            if activity.reply_to_id:
                # One card, one submission: a second press replays the first answer.
                submitted = replace(submitted, submission_id=f"card:{activity.reply_to_id}")
            await self._submit(turn_context, submitted)
            return
        if not (activity.text or "").strip() and not activity.entities:
            return
        alias = self.directory.alias_lookup(tenant_of(activity))
        command = await asyncio.to_thread(command_of, activity, resolve_alias=alias)
        if not self.core.is_command(command.name):
            posted = await asyncio.to_thread(message_event_of, activity, resolve_alias=alias)
            if self.core.cares(posted):
                # `@Tandem @Sam++ for the demo`: a thanks, answered in the thread by the outbox
                await self.core.handle_event(posted)
                return
        reply = await self.core.handle_command(command)
        await self._answer(turn_context, reply)

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse | None:
        """"Turn into request" from a message's "…" menu (a message action): the
        core files it for the channel's team and Teams shows the answer."""
        activity = turn_context.activity
        if activity.name == "composeExtension/submitAction":
            event = message_action_of(activity)
            if event is not None:
                reply = await self.core.handle_event(event)
                said = plain(reply.message.title) if reply.message is not None else ""
                return InvokeResponse(status=200, body={"task": {"type": "message", "value": said[:500]}})
        return await super().on_invoke_activity(turn_context)

    async def on_members_removed_activity(self, members_removed: list[ChannelAccount],
                                          turn_context: TurnContext) -> None:
        """People removed from the team Tandem is in: they left, so they are switched off."""
        bot_id = turn_context.activity.recipient.id if turn_context.activity.recipient else None
        tenant = tenant_of(turn_context.activity)
        for member in members_removed:
            if not member.id or member.id == bot_id:
                continue
            actor = Actor(platform=PLATFORM, tenant=tenant, user_id=user_id_of(member.id, member.aad_object_id),
                          known=False)
            await self.core.handle_person_update(PersonUpdate(actor=actor, active=False))

    async def _submit(self, turn_context: TurnContext, submission: FormSubmission) -> None:
        reply = await self.core.handle_form(submission)
        if reply.ok or reply.form is not None:
            if reply.message is not None and turn_context.activity.reply_to_id and reply.form is None:
                if await self._replace_card(turn_context, reply.message):
                    return
            await self._answer(turn_context, reply)
            return
        again = await self.core.handle_action(Action(
            actor=submission.actor, place=submission.place, action_id="form.open",
            value=f"{submission.form_id}:{submission.private_metadata}"))
        if again.form is None:
            await self._answer(turn_context, reply)
            return
        problem = None if reply.errors else (reply.message.title if reply.message else None)
        await self._send_form(turn_context, again.form, values=submission.values, errors=reply.errors,
                              problem=problem)

    async def _answer(self, turn_context: TurnContext, reply: Reply) -> None:
        if reply.form is not None:
            await self._send_form(turn_context, reply.form)
        elif reply.message is not None:
            await turn_context.send_activity(card_activity(cards.message_card(reply.message), reply.message))

    async def _send_form(self, turn_context: TurnContext, form: Form, **shown: object) -> None:
        needs_people = any(field.kind == "people" for field in form.inputs)
        people = await self.core.known_people(PLATFORM, tenant_of(turn_context.activity)) if needs_people else []
        card = cards.form_card(form, people=people, **shown)  # type: ignore[arg-type]
        activity = MessageFactory.attachment(cards.attachment(card))
        activity.summary = form.title
        await turn_context.send_activity(activity)

    async def _replace_card(self, turn_context: TurnContext, message: Message) -> bool:
        """Swap the submitted form card for the result; False if Teams refused."""
        update = card_activity(cards.message_card(message), message)
        update.id = turn_context.activity.reply_to_id
        update.conversation = turn_context.activity.conversation
        try:
            await turn_context.update_activity(update)
        except Exception as error:  # noqa: BLE001 - any refusal: fall back to a new message
            log.info("could not replace the form card: %s", error)
            return False
        return True


def card_activity(card: cards.Card, message: Message) -> Activity:
    """A message activity carrying one Adaptive Card, with a plain summary
    for notifications and clients that show no cards."""
    activity = MessageFactory.attachment(cards.attachment(card))
    activity.type = ActivityTypes.message
    activity.summary = plain(message.title)[:300]
    return activity
