"""The core's neutral `Form` as a Slack modal, and a submitted modal back.

Each input becomes an input block whose `block_id` is the core's input id, so
the core's inline errors (input id → text) map straight onto
`response_action: errors`. The modal's `private_metadata` carries the core's
metadata plus where the form was opened, so the answer goes back there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    CheckboxesElement,
    DatePickerElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    StaticMultiSelectElement,
    StaticSelectElement,
    UserMultiSelectElement,
)
from slack_sdk.models.views import View

from adapters.slack.blocks import shorten
from bot.messages import Form, FormInput

CALLBACK_PREFIX = "tandem:"
VALUE = "value"  # the action id of every input element
TITLE = 24
LABEL = 2000
PLACEHOLDER = 150
OPTION_TEXT = 75
OPTION_VALUE = 150
MAX_OPTIONS = 100
METADATA = 3000
TEXT_INPUT = 3000


@dataclass(frozen=True)
class Opened:
    """What travels in a modal's private_metadata: the core's metadata, and
    the channel and response URL of where the form was opened."""

    metadata: str = ""
    channel: str = ""
    response_url: str = ""

    def dump(self) -> str:
        """At most `METADATA` characters as Slack counts them (not ASCII escapes:
        one emoji would be twelve). What gives way first is the response URL
        (the answer can still go by DM or ephemeral message), then the end of
        the core's metadata (a prefill, like the message a shortcut was on)."""
        text = _compact({"m": self.metadata, "c": self.channel, "r": self.response_url})
        if len(text) <= METADATA:
            return text
        metadata = self.metadata
        while True:
            text = _compact({"m": metadata, "c": self.channel})
            if len(text) <= METADATA or not metadata:
                return text
            metadata = metadata[: max(0, len(metadata) - (len(text) - METADATA) - 1)]

    @classmethod
    def load(cls, raw: str | None) -> Opened:
        try:
            body = json.loads(raw or "{}")
        except ValueError:
            return cls()
        if not isinstance(body, dict):
            return cls()
        return cls(metadata=str(body.get("m") or ""), channel=str(body.get("c") or ""),
                   response_url=str(body.get("r") or ""))


def _compact(body: dict[str, str]) -> str:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False)


def view(form: Form, *, opened: Opened) -> dict[str, Any]:
    """A modal view for `form` (validated by slack_sdk)."""
    blocks = [block for block in (_input(field) for field in form.inputs) if block is not None]
    modal = View(
        type="modal",
        callback_id=CALLBACK_PREFIX + form.form_id,
        title=PlainTextObject(text=shorten(form.title, TITLE)),
        submit=PlainTextObject(text=shorten(form.submit_label, TITLE)),
        close=PlainTextObject(text="Cancel"),
        private_metadata=opened.dump(),
        blocks=blocks,
    )
    return modal.to_dict()


def form_id(callback_id: str) -> str:
    return callback_id.removeprefix(CALLBACK_PREFIX)


def _options(field: FormInput) -> list[Option]:
    return [Option(value=c.value[:OPTION_VALUE], text=shorten(c.label, OPTION_TEXT))
            for c in field.choices[:MAX_OPTIONS]]


def _input(field: FormInput) -> InputBlock | None:
    placeholder = shorten(field.placeholder, PLACEHOLDER) or None
    element: Any
    if field.kind == "people":
        element = UserMultiSelectElement(action_id=VALUE, placeholder=placeholder or "Pick people")
    elif field.kind in {"team", "rating"}:
        options = _options(field) if field.kind == "team" else [Option(value=str(n), text="★" * n) for n in range(1, 6)]
        if not options:
            element = PlainTextInputElement(action_id=VALUE, placeholder=placeholder)
        else:
            initial = next((o for o in options if o.value == field.initial), None)
            element = StaticSelectElement(action_id=VALUE, options=options, initial_option=initial,
                                          placeholder=placeholder or "Choose")
    elif field.kind == "values":
        options = _options(field)
        if not options:
            return None if field.optional else InputBlock(
                block_id=field.input_id, label=shorten(field.label, LABEL),
                element=PlainTextInputElement(action_id=VALUE), optional=field.optional)
        element = StaticMultiSelectElement(action_id=VALUE, options=options, placeholder=placeholder or "Choose")
    elif field.kind == "date":
        element = DatePickerElement(action_id=VALUE, initial_date=field.initial or None)
    elif field.kind == "checkbox":
        option = Option(value="true", text=shorten(field.label, OPTION_TEXT))
        element = CheckboxesElement(action_id=VALUE, options=[option],
                                    initial_options=[option] if field.initial in {"true", "yes", "1"} else None)
    else:
        element = PlainTextInputElement(
            action_id=VALUE, multiline=field.kind == "long_text", placeholder=placeholder,
            initial_value=field.initial[: field.max_length or TEXT_INPUT] or None,
            max_length=min(field.max_length or TEXT_INPUT, TEXT_INPUT))
    return InputBlock(block_id=field.input_id, label=shorten(field.label, LABEL), element=element,
                      optional=field.optional, hint=shorten(field.hint, LABEL) or None)


def submitted_values(state: dict[str, Any]) -> dict[str, str | list[str]]:
    """A view_submission's `view.state.values` as the core's form values."""
    values: dict[str, str | list[str]] = {}
    for block_id, actions in (state.get("values") or {}).items():
        element = (actions or {}).get(VALUE) or next(iter((actions or {}).values()), {})
        kind = element.get("type")
        if kind == "multi_users_select":
            values[block_id] = list(element.get("selected_users") or [])
        elif kind == "static_select":
            option = element.get("selected_option") or {}
            values[block_id] = str(option.get("value") or "")
        elif kind == "multi_static_select":
            values[block_id] = [str(o.get("value")) for o in element.get("selected_options") or []]
        elif kind == "checkboxes":
            values[block_id] = "true" if element.get("selected_options") else ""
        elif kind == "datepicker":
            values[block_id] = str(element.get("selected_date") or "")
        else:
            values[block_id] = str(element.get("value") or "")
    return values


def inline_errors(errors: dict[str, str], view_state: dict[str, Any], *, fallback: str) -> dict[str, str]:
    """The core's errors keyed by the view's block ids.

    An error about an input the modal doesn't show (or a refusal with no
    field at all) goes on the first input, so the modal stays open with the
    message visible instead of closing silently.
    """
    block_ids = list((view_state.get("values") or {}).keys())
    out = {key: shorten(text, 300) for key, text in errors.items() if key in block_ids}
    if not out and block_ids:
        message = next(iter(errors.values()), "") or fallback
        out[block_ids[0]] = shorten(message, 300)
    return out
