"""Neutral messages: what the core says, before any platform renders it.

A message is a title line, sections, fields, buttons and context lines; a
form is a list of inputs. Every piece of text is a `Text`: a tuple of plain
strings and `PersonRef`s. Plain strings are *always* escaped by the renderer,
so nothing a user typed can become markup or ping `@channel`; the only way to
mention somebody is a `PersonRef` the core chose to put there.

These are pydantic models so a message can sit in the outbox as JSON and be
rendered later by whichever adapter owns the recipient. Every text they carry
for people to read is passed through `bot.text_safety.shown` as the message is
built: no bidirectional override or invisible character reaches any platform,
while the records it came from keep what the person wrote.
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from bot.text_safety import shown

Shown = Annotated[str, AfterValidator(shown)]  # a text people read: made safe to show


class PersonRef(BaseModel):
    """A person inside a text. `ping` False shows the name without notifying."""

    model_config = ConfigDict(frozen=True)

    platform: str
    tenant: str
    user_id: str
    name: Shown
    ping: bool = True


Span = Union[Shown, PersonRef]
Text = tuple[Span, ...]


def text(*parts: Span | Text | None) -> Text:
    """Build a `Text` from strings, person references and other texts."""
    out: list[Span] = []
    for part in parts:
        if part is None:
            continue
        if isinstance(part, tuple):
            out.extend(part)
        else:
            out.append(part)
    return tuple(out)


def plain(value: Text | str) -> str:
    """A text flattened to plain characters, names shown as `@name`."""
    if isinstance(value, str):
        return value
    return "".join(p if isinstance(p, str) else f"@{p.name}" for p in value)


class Button(BaseModel):
    """A button: `action_id` says what it does, `value` which thing it acts on."""

    model_config = ConfigDict(frozen=True)

    label: Shown
    action_id: str
    value: str = ""
    style: Literal["primary", "danger"] | None = None


class MessageField(BaseModel):
    """A labelled value shown side by side with others (status, due, owner)."""

    model_config = ConfigDict(frozen=True)

    label: Shown
    value: Text


class Section(BaseModel):
    """A block of text, optionally with a heading."""

    model_config = ConfigDict(frozen=True)

    text: Text
    heading: Shown | None = None


class Image(BaseModel):
    """A picture (the digest's charts), PNG bytes kept base64 in the outbox.

    `name` is a file name without extension (`team-map-2026-W47`), for
    uploads and `tandem digest --out`."""

    model_config = ConfigDict(frozen=True)

    title: Shown
    png_base64: str
    alt: Shown
    name: str = "chart"
    compact_base64: str | None = None  # the same picture smaller, for a card with a size limit (Teams)


class Attachment(BaseModel):
    """A text file that travels with a message (a brag file's Markdown and CSV):
    a file in Slack, a block of the card in Teams, printed in the terminal."""

    model_config = ConfigDict(frozen=True)

    filename: str
    media_type: str  # "text/markdown" | "text/csv"
    content: str


class Message(BaseModel):
    """One message. `title` doubles as the notification fallback text."""

    model_config = ConfigDict(frozen=True)

    title: Text
    sections: tuple[Section, ...] = ()
    fields: tuple[MessageField, ...] = ()
    buttons: tuple[Button, ...] = ()
    context: tuple[Text, ...] = ()
    images: tuple[Image, ...] = ()
    attachments: tuple[Attachment, ...] = ()


InputKind = Literal["text", "long_text", "people", "team", "values", "date", "checkbox", "rating"]


class Choice(BaseModel):
    model_config = ConfigDict(frozen=True)

    label: Shown
    value: str


class FormInput(BaseModel):
    """One field of a form. `choices` fills team and value pickers."""

    model_config = ConfigDict(frozen=True)

    input_id: str
    label: Shown
    kind: InputKind
    optional: bool = False
    placeholder: Shown = ""
    hint: Shown = ""
    initial: Shown = ""
    choices: tuple[Choice, ...] = ()
    max_length: int | None = None


class Form(BaseModel):
    """A form the adapter shows as a modal, a card or a usage hint.

    `private_metadata` travels with the form and comes back on submission
    (e.g. the message a "Give kudos for this" shortcut was about).
    """

    model_config = ConfigDict(frozen=True)

    form_id: str
    title: Shown
    submit_label: Shown
    inputs: tuple[FormInput, ...]
    private_metadata: str = ""


class Reply(BaseModel):
    """The core's answer to one command, action or form.

    `public` replies are posted where the command was typed; the others are
    shown only to the actor (ephemeral on Slack). `errors` maps form input
    ids to what is wrong with them, for inline display; `form` asks the
    adapter to open a form instead of printing a message.
    """

    model_config = ConfigDict(frozen=True)

    message: Message | None = None
    public: bool = False
    form: Form | None = None
    errors: dict[str, Shown] = Field(default_factory=dict)
    ok: bool = True

    @classmethod
    def say(cls, *parts: Span | Text, public: bool = False) -> Reply:
        """A one-line reply."""
        return cls(message=Message(title=text(*parts)), public=public)

    @classmethod
    def refuse(cls, *parts: Span | Text) -> Reply:
        """A polite refusal: nothing changed, shown only to the actor."""
        return cls(message=Message(title=text(*parts)), ok=False)
