"""What arrives from a platform, in neutral form.

An adapter's whole inbound job is to build one of these: who acted (`Actor`),
where (`Place`) and what they asked (`Command`, `Action` or `FormSubmission`).
They are frozen so a command can be logged, replayed and compared safely.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Actor:
    """A person as one platform knows them.

    `known` is True when the adapter looked the person up in its directory
    (Slack's users.info, a Teams roster) and `display_name`/`timezone` come
    from there; False when only the id is known (a bare mention), in which
    case the core looks the person up in its own records. `locale` ("en-US",
    Slack's `user.locale`, Teams' `activity.locale`) tells how they write dates.
    """

    platform: str
    tenant: str
    user_id: str
    display_name: str = ""
    timezone: str | None = None
    known: bool = True
    platform_admin: bool | None = None  # the platform says they administer it (Slack owner/admin); None: it doesn't say
    locale: str | None = None


@dataclass(frozen=True)
class Place:
    """A conversation: a channel, a group chat, a DM, or the terminal.

    `shared` says that a reply here is seen by everyone in the conversation
    (Teams has no messages for one person's eyes); the core then sends a
    reply about a private request to the person's own chat instead.
    """

    platform: str
    tenant: str
    channel: str
    name: str = ""
    shared: bool = False


@dataclass(frozen=True)
class Command:
    """A typed chat command such as `/kudos <@U1> thanks #ownership`.

    `text` carries mentions as neutral tokens `<@user_id>` and channels as
    `<#channel_id>`; everything else the person typed is escaped the way
    Slack does it (`&` → `&amp;`, `<` → `&lt;`, `>` → `&gt;`), so typed text
    can never pass for a token. `mentions` gives what the adapter knows of
    each person mentioned. `command_id` is the platform's id for this delivery, so the
    same command delivered twice changes state once.
    """

    actor: Actor
    place: Place
    name: str
    text: str = ""
    command_id: str | None = None
    mentions: tuple[Actor, ...] = ()
    channels: tuple[Place, ...] = ()


@dataclass(frozen=True)
class Action:
    """A button press: `action_id` and `value` are what the core put on the button.

    `message_ref` is the platform's id of the message the button was on
    (Slack's message ts or view id, the Teams card's activity id) and
    `click_id` the platform's id of this press (Slack's `action_ts`, the Teams
    activity id). The core builds the receipt key from them, by the button's
    idempotency rule; edges never decide whether a press acts again.
    """

    actor: Actor
    place: Place
    action_id: str
    value: str = ""
    message_ref: str | None = None
    click_id: str | None = None


@dataclass(frozen=True)
class FormSubmission:
    """A submitted form (a Slack modal, a Teams card form).

    `values` maps each input id of the core's `Form` to what was entered:
    plain text, a list of user ids for people pickers, "true"/"" for checkboxes.
    """

    actor: Actor
    place: Place
    form_id: str
    values: dict[str, str | list[str]] = field(default_factory=dict)
    private_metadata: str = ""
    mentions: tuple[Actor, ...] = ()
    submission_id: str | None = None


@dataclass(frozen=True)
class PersonUpdate:
    """The platform says a person left (or came back): Slack's `user_change`
    with `deleted`, a Teams member removed."""

    actor: Actor
    active: bool


@dataclass(frozen=True)
class Said:
    """A message as it stands in a conversation, written by a person.

    `message_ref` is the platform's id of the message (Slack's ts, the Teams
    activity id) and `thread_ref` the root of the thread it sits in, if it is
    a reply, so an answer can go into the same thread. `text` is in the core's
    text convention (see `Command`); `mentions` what the adapter knows of the
    people it mentions; `link` a URL that opens the message.
    """

    author: Actor
    place: Place
    message_ref: str
    text: str = ""
    thread_ref: str | None = None
    link: str = ""
    mentions: tuple[Actor, ...] = ()

    @property
    def key(self) -> str:
        """The message, named the same way whichever event or replica mentions it."""
        return "|".join((self.place.platform, self.place.tenant, self.place.channel, self.message_ref))[:200]


@dataclass(frozen=True)
class ConversationEvent:
    """Something a person did in a conversation Tandem is in, not typed to it.

    `kind` is one of: "message" (the author posted `said`), "reaction_added"
    and "reaction_removed" (`actor` put `emoji` on `said`, or took it off),
    "message_to_request" (`actor` asked to turn `said` into a request). The
    core builds the receipt key from `event_id`, the platform's id of this
    delivery, so a retried event acts once on every replica.
    """

    actor: Actor
    kind: str
    said: Said
    emoji: str = ""
    event_id: str | None = None
