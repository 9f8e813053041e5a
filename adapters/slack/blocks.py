"""The one renderer from Tandem's neutral `Message` to Slack Block Kit.

Blocks are built with `slack_sdk.models.blocks`, whose validators check
Slack's limits; we shorten long texts with an ellipsis first, so a long kudos
is cut rather than rejected. Every plain string is escaped (`&`, `<`, `>`):
a `<!channel>` or `<@U123>` someone typed is shown, never acted on. Only a
`PersonRef` the core chose to ping becomes a real `<@U…>` mention.
"""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from adapters.slack import PLATFORM
from bot.messages import Message, PersonRef, Text

ELLIPSIS = "…"
SECTION_TEXT = 3000
FIELD_TEXT = 2000
CONTEXT_TEXT = 2000
HEADER_TEXT = 150
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
FALLBACK_TEXT = 4000
MAX_BLOCKS = 50
MAX_BUTTONS = 25
MAX_FIELDS = 10
ACTION_SEPARATOR = "|"


def escape(value: str) -> str:
    """Slack's three escapes: typed text can never become markup or a ping."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def shorten(value: str, limit: int) -> str:
    """`value` cut to `limit` characters, ending with an ellipsis when cut."""
    return value if len(value) <= limit else value[: max(limit - 1, 0)] + ELLIPSIS


def mrkdwn(value: Text, limit: int, *, tenant: str | None = None) -> str:
    """A neutral text as mrkdwn of at most `limit` characters.

    Plain strings are escaped before measuring, and a cut never splits an
    escape (`&amp;`) or a mention token.

    Args:
        value: strings and person references.
        limit: the Slack field's maximum length.
        tenant: the workspace the message goes to; a person of another
            workspace or platform is named, not mentioned.
    """
    pieces = [_span(span, tenant) for span in value]
    if sum(len(p) for p in pieces) <= limit:
        return "".join(pieces)
    out: list[str] = []
    room = limit - len(ELLIPSIS)
    for span, piece in zip(value, pieces, strict=False):
        if len(piece) > room:
            out.append(_cut(span, tenant, room))
            break
        out.append(piece)
        room -= len(piece)
    return "".join(out) + ELLIPSIS


def _span(span: str | PersonRef, tenant: str | None) -> str:
    if isinstance(span, str):
        return escape(span)
    if span.ping and span.platform == PLATFORM and (tenant is None or span.tenant == tenant):
        return f"<@{span.user_id}>"
    return escape(span.name)


def _cut(span: str | PersonRef, tenant: str | None, room: int) -> str:
    """As much of `span` as fits in `room` characters once escaped."""
    if room <= 0:
        return ""
    if isinstance(span, PersonRef):
        whole = _span(span, tenant)
        return whole if len(whole) <= room else ""
    kept: list[str] = []
    used = 0
    for char in span:
        piece = escape(char)
        if used + len(piece) > room:
            break
        kept.append(piece)
        used += len(piece)
    return "".join(kept)


def plain_text(value: Text, limit: int) -> str:
    """A neutral text for a plain_text field (headers, fallback): names, no pings."""
    flat = "".join(p if isinstance(p, str) else p.name for p in value)
    return shorten(flat, limit)


def fallback(message: Message, *, tenant: str | None = None) -> str:
    """The notification text shown in push notifications and screen readers."""
    return mrkdwn(message.title, FALLBACK_TEXT, tenant=tenant)


def render(message: Message, *, tenant: str | None = None, max_blocks: int = MAX_BLOCKS) -> list[dict[str, Any]]:
    """A neutral message as Block Kit blocks (as dicts, validated).

    Args:
        message: what the core wants to say.
        tenant: the receiving workspace, so cross-workspace people are named.
        max_blocks: 50 for a message, 100 for a modal or the App Home.

    Returns:
        At most `max_blocks` blocks, each checked by slack_sdk's validators.
    """
    blocks: list[Block] = []
    is_card = bool(message.fields or message.buttons or message.sections)
    if is_card and all(isinstance(p, str) for p in message.title):
        blocks.append(HeaderBlock(text=plain_text(message.title, HEADER_TEXT)))
    else:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=mrkdwn(message.title, SECTION_TEXT, tenant=tenant))))
    for section in message.sections:
        heading = f"*{escape(shorten(section.heading, 200))}*\n" if section.heading else ""
        body = mrkdwn(section.text, SECTION_TEXT - len(heading), tenant=tenant)
        if heading or body:
            blocks.append(SectionBlock(text=MarkdownTextObject(text=heading + body or " ")))
    for start in range(0, len(message.fields), MAX_FIELDS):
        chunk = message.fields[start:start + MAX_FIELDS]
        blocks.append(SectionBlock(fields=[
            MarkdownTextObject(text=(label := f"*{escape(shorten(f.label, 100))}*\n")
                               + mrkdwn(f.value, FIELD_TEXT - len(label), tenant=tenant))
            for f in chunk
        ]))
    if message.images:
        # the pictures follow in the thread; their titles and descriptions stay with the message
        blocks.append(ContextBlock(elements=[MarkdownTextObject(
            text=escape(shorten(f"{image.title} (in the thread): {image.alt}", CONTEXT_TEXT)))
            for image in message.images[:10]]))
    if message.context:
        blocks.append(ContextBlock(elements=[
            MarkdownTextObject(text=mrkdwn(line, CONTEXT_TEXT, tenant=tenant)) for line in message.context[:10]
        ]))
    if message.buttons:
        blocks.append(ActionsBlock(elements=[
            ButtonElement(
                text=shorten(button.label, BUTTON_TEXT),
                action_id=f"{button.action_id}{ACTION_SEPARATOR}{i}",
                value=button.value[:BUTTON_VALUE],
                style=button.style,
            )
            for i, button in enumerate(message.buttons[:MAX_BUTTONS])
        ]))
    if len(blocks) > max_blocks:
        tail = [b for b in blocks[-1:] if isinstance(b, ActionsBlock)]
        kept = blocks[: max_blocks - 1 - len(tail)]
        hidden = len(blocks) - len(kept) - len(tail)
        blocks = kept + [ContextBlock(elements=[MarkdownTextObject(text=f"…and {hidden} more")])] + tail
    return [block.to_dict() for block in blocks]


def core_action_id(slack_action_id: str) -> str:
    """The core's action id from a rendered button's (`cmd|2` → `cmd`)."""
    return slack_action_id.split(ACTION_SEPARATOR, 1)[0]
