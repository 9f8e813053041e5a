"""Neutral messages and forms as terminal text."""

from __future__ import annotations

import textwrap

from bot.messages import Form, Message, Reply, Text


def text(value: Text) -> str:
    return "".join(p if isinstance(p, str) else f"@{p.name}" for p in value)


def message(msg: Message, *, indent: str = "", numbers: list[int] | None = None) -> str:
    lines = [text(msg.title)]
    for section in msg.sections:
        if section.heading:
            lines.append(f"  {section.heading}")
        body = text(section.text)
        lines.extend(textwrap.indent(line, "  ") for line in body.splitlines() or [""])
    if msg.fields:
        lines.append("  " + " · ".join(f"{f.label}: {text(f.value)}" for f in msg.fields))
    for ctx in msg.context:
        lines.append(f"  ({text(ctx)})")
    if msg.buttons:
        if numbers:
            lines.append("  " + "  ".join(f"[{n} {b.label}]" for n, b in zip(numbers, msg.buttons, strict=False))
                         + "   (/press N)")
        else:
            lines.append("  " + "  ".join(f"[{b.label}]" for b in msg.buttons))
    for image in msg.images:
        lines.append(f"  [chart: {image.title}]")
    return textwrap.indent("\n".join(lines), indent)


def form(value: Form) -> str:
    lines = [f"{value.title} — in the terminal, type the command instead:"]
    for field in value.inputs:
        optional = " (optional)" if field.optional else ""
        choices = f": {', '.join(c.value for c in field.choices)}" if field.choices else ""
        lines.append(f"  - {field.label}{optional}{choices}")
    return "\n".join(lines)


def reply(value: Reply, *, numbers: list[int] | None = None) -> str:
    if value.form is not None:
        return form(value.form)
    if value.message is None:
        return ""
    return message(value.message, numbers=numbers)
