"""The one renderer for Teams: neutral messages and forms → Adaptive Cards.

Adaptive Card TextBlocks and facts render a markdown subset (bold, italic,
links, lists) plus `<at>` mentions and `{{DATE()}}` functions, so every plain
string of a neutral `Text` has those characters backslash-escaped (CommonMark
escapes), and typed text can never open a link or an `<at>` mention. The only
mentions are the core's `PersonRef`s with `ping`, rendered as `<at>Name</at>`
plus a mention entity in the card's `msteams.entities`.

Buttons and forms use `Action.Submit`; its `data` carries what
`activities.submission_of` needs to turn the press back into a core call.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from typing import Any

from botbuilder.core import CardFactory
from botbuilder.schema import Attachment

from adapters.teams.activities import ACTION_KEY, FORM_KEY, LISTS_KEY, METADATA_KEY, PLATFORM
from bot.charts.canvas import shrink
from bot.messages import Form, FormInput, Image, Message, PersonRef, Text

CARD_VERSION = "1.5"  # what Teams renders on desktop, web and mobile today
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
MARKDOWN = re.compile(r"([\\`*_\[\]~<{}])")  # what Teams' card markdown (bold, italic, links, lists, <at>, {{DATE}}) reads
LIST_MARKER = re.compile(r"(?m)^(\s*)([-+])(\s)")
NUMBERED = re.compile(r"(?m)^(\s*\d+)\.(\s)")
BUTTON_STYLE = {"primary": "positive", "danger": "destructive"}
MULTI_KINDS = {"people", "values"}
# Teams refuses a message over 28 KB (text, card and entities together); the longest thing the core
# echoes (a 20,000-character kudos it refused) is cut here so the refusal itself still arrives.
BLOCK_LIMIT = 6_000
PEOPLE_HINT = ("Listed: people who have used Tandem in Teams. For anyone else, type the command with an "
               "@mention instead, e.g. kudos @name thanks.")

Card = dict[str, Any]
ChartLink = Callable[[bytes], str | None]
CARD_LIMIT = 26_000  # bytes of card JSON, leaving room under Teams' 28 KB for the activity around it
IMAGE_OVERHEAD = 200  # an Image element and its caption, besides the picture and its alt text
MIN_INLINE = 6_000  # a picture squeezed below this many bytes is no longer legible: link it instead


def escape_markdown(value: str) -> str:
    """Plain text safe for a TextBlock: no emphasis, links, headings, lists or tags."""
    value = MARKDOWN.sub(r"\\\1", value)
    value = LIST_MARKER.sub(r"\1\\\2\3", value)
    return NUMBERED.sub(r"\1\\.\2", value)


class _Mentions:
    """Collects the mention entities a card's `<at>` tags need."""

    def __init__(self) -> None:
        self.entities: list[dict[str, Any]] = []

    def render(self, value: Text, *, limit: int = BLOCK_LIMIT) -> str:
        """`value` as card markdown, its plain text cut at `limit` characters."""
        out: list[str] = []
        left = limit
        for span in value:
            if isinstance(span, PersonRef):
                out.append(self._person(span))
                continue
            if len(span) > left:
                out.append(escape_markdown(span[:left]) + "…")
                break
            out.append(escape_markdown(span))
            left -= len(span)
        return "".join(out)

    def _person(self, person: PersonRef) -> str:
        name = person.name.replace("<", "").replace(">", "").strip() or person.user_id
        if not person.ping or person.platform != PLATFORM:
            return escape_markdown(name)
        tag = f"<at>{name}</at>"
        if not any(e["text"] == tag and e["mentioned"]["id"] == person.user_id for e in self.entities):
            self.entities.append({"type": "mention", "text": tag, "mentioned": {"id": person.user_id, "name": name}})
        return tag


ATTACHMENT_LIMIT = 8000  # characters of each attached file a card shows (a card holds about 28 KB)


def _shortened(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def message_card(message: Message, *, chart_link: ChartLink | None = None) -> Card:
    """A neutral message as an Adaptive Card: title, sections, a FactSet of
    fields, the digest's pictures, context lines and Action.Submit buttons.

    Args:
        message: what the core said.
        chart_link: a picture's PNG → a public https address serving it
            (`tandem serve`'s /charts/<sha256>.png under TANDEM_PUBLIC_URL),
            for pictures too big for the card even when shrunk.
    """
    mentions = _Mentions()
    body: list[Card] = [_text(mentions.render(message.title), weight="Bolder", size="Medium")]
    for section in message.sections:
        if section.heading:
            body.append(_text(escape_markdown(section.heading), weight="Bolder", spacing="Medium"))
        body.append(_text(mentions.render(section.text)))
    if message.fields:
        body.append({"type": "FactSet", "facts": [
            {"title": escape_markdown(field.label), "value": mentions.render(field.value)} for field in message.fields]})
    pictures_at = len(body)  # the pictures go here, once the rest of the card tells how much room is left
    for line in message.context:
        body.append(_text(mentions.render(line), isSubtle=True, size="Small"))
    for attached in message.attachments:  # a bot can't hand over files without Teams' consent flow: show them
        body.append(_text(escape_markdown(attached.filename), weight="Bolder", spacing="Medium"))
        body.append(_text(escape_markdown(_shortened(attached.content, ATTACHMENT_LIMIT)), fontType="Monospace",
                          size="Small"))
    card = _card(body, mentions.entities)
    if message.buttons:
        card["actions"] = [_submit(button.label, {ACTION_KEY: button.action_id, "value": button.value},
                                   style=BUTTON_STYLE.get(button.style or "")) for button in message.buttons]
    if message.images:
        body[pictures_at:pictures_at] = _pictures(message.images, room=CARD_LIMIT - _size(card),
                                                  chart_link=chart_link)
    return card


def _fitting(png: bytes, compact_base64: str | None, budget: int) -> bytes | None:
    """The picture in at most `budget` bytes, or None when it would no longer be legible."""
    if budget < MIN_INLINE:
        return None
    if len(png) <= budget:
        return png
    compact = base64.b64decode(compact_base64) if compact_base64 else png
    return compact if len(compact) <= budget else shrink(compact, max_bytes=budget)


def _size(card: Card) -> int:
    return len(json.dumps(card, ensure_ascii=False).encode())


def _pictures(images: tuple[Image, ...], *, room: int, chart_link: ChartLink | None) -> list[Card]:
    """The pictures as card elements within `room` bytes of card, in order:
    inline while one fits (as drawn, else its compact version, else that
    shrunk further), else a link to the picture served by `tandem serve`,
    else its description. Each later picture keeps room for its fallback."""
    elements: list[Card] = []
    for position, image in enumerate(images):
        later = sum(len(i.alt.encode()) + len(i.title.encode()) + IMAGE_OVERHEAD for i in images[position + 1:])
        budget = (room - later - IMAGE_OVERHEAD - len(image.alt.encode()) - len(image.title.encode())) * 3 // 4
        png = base64.b64decode(image.png_base64)
        fitted = _fitting(png, image.compact_base64, budget)
        url = f"data:image/png;base64,{base64.b64encode(fitted).decode()}" if fitted is not None else (
            chart_link(png) if chart_link is not None else None)
        if url is None:
            added = [_text(escape_markdown(f"{image.title}: {image.alt}"), isSubtle=True, size="Small")]
        else:
            added = [{"type": "Image", "url": url, "altText": image.alt, "size": "Stretch"},
                     _text(escape_markdown(image.title), isSubtle=True, size="Small", spacing="None")]
        elements.extend(added)
        room -= sum(_size(element) + 2 for element in added)
    return elements


def form_card(form: Form, *, people: list[tuple[str, str]] = (), values: dict[str, Any] | None = None,  # type: ignore[assignment]
              errors: dict[str, str] | None = None, problem: Text | None = None) -> Card:
    """A neutral form as a card of inputs with one submit button.

    Args:
        form: what the core asked for.
        people: (name, user id) of the people a `people` input offers; Teams'
            own people search needs a live Graph connection, so the choice is
            among people Tandem knows.
        values: what the person typed before, shown again after a refusal.
        errors: input id → what is wrong with it, shown under that input.
        problem: a refusal that belongs to no single input, shown on top.
    """
    values = values or {}
    errors = errors or {}
    mentions = _Mentions()
    body: list[Card] = [_text(escape_markdown(form.title), weight="Bolder", size="Medium")]
    if problem:
        body.append(_text(mentions.render(problem), color="Attention"))
    for field in form.inputs:
        body.append(_input(field, people=people, value=values.get(field.input_id)))
        hint = PEOPLE_HINT if field.kind == "people" else field.hint
        if hint:
            body.append(_text(escape_markdown(hint), isSubtle=True, size="Small", spacing="None"))
        if field.input_id in errors:
            body.append(_text(escape_markdown(errors[field.input_id]), color="Attention", spacing="None"))
    card = _card(body, mentions.entities)
    lists = [f.input_id for f in form.inputs if f.kind in MULTI_KINDS]
    card["actions"] = [_submit(form.submit_label, {FORM_KEY: form.form_id, METADATA_KEY: form.private_metadata,
                                                   LISTS_KEY: lists}, style="positive")]
    return card


def attachment(card: Card) -> Attachment:
    return CardFactory.adaptive_card(card)


def _input(field: FormInput, *, people: list[tuple[str, str]], value: Any) -> Card:
    shown = _shown(value) if value is not None else field.initial
    common: Card = {"id": field.input_id, "label": field.label, "isRequired": not field.optional}
    if field.kind in {"text", "long_text"}:
        element = {"type": "Input.Text", **common, "isMultiline": field.kind == "long_text"}
        if field.placeholder:
            element["placeholder"] = field.placeholder
        if field.max_length:
            element["maxLength"] = field.max_length
    elif field.kind == "date":
        element = {"type": "Input.Date", **common}
    elif field.kind == "checkbox":
        element = {"type": "Input.Toggle", **common, "title": field.label, "valueOn": "true", "valueOff": ""}
    else:
        if field.kind == "people":
            choices = [{"title": name, "value": user_id} for name, user_id in people]
        elif field.kind == "rating":
            choices = [{"title": str(n), "value": str(n)} for n in range(1, 6)]
        else:
            choices = [{"title": c.label, "value": c.value} for c in field.choices]
        element = {"type": "Input.ChoiceSet", **common, "choices": choices,
                   "isMultiSelect": field.kind in MULTI_KINDS,
                   "style": "expanded" if field.kind == "rating" else "compact"}
        if field.placeholder:
            element["placeholder"] = field.placeholder
    if shown:
        element["value"] = shown
    return element


def _shown(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return str(value)


def _text(value: str, **style: Any) -> Card:
    return {"type": "TextBlock", "text": value, "wrap": True, **style}


def _submit(title: str, data: Card, *, style: str | None = None) -> Card:
    action: Card = {"type": "Action.Submit", "title": title, "data": data}
    if style:
        action["style"] = style
    return action


def _card(body: list[Card], entities: list[Card]) -> Card:
    card: Card = {"type": "AdaptiveCard", "$schema": SCHEMA, "version": CARD_VERSION, "body": body,
                  "msteams": {"width": "Full"}}
    if entities:
        card["msteams"]["entities"] = entities
    return card
