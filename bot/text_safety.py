"""Text that is safe to keep, and text that is safe to show.

Keeping: PostgreSQL refuses a NUL character in a text column, so the core
drops NULs from everything that comes in before any of it can be stored
(`storable`). Nothing else is changed there: what a person wrote is kept as
written, for exports.

Showing: a title, kudos or reason can carry characters that change how the
text around them reads without being seen themselves: bidirectional
overrides and isolates (U+202E turns "txt.exe" into "exe.txt"), zero-width
spaces and joiners that hide a word from search or split a name, invisible
fillers that make a blank name, control characters, and stacks of combining
marks that run over the lines above. `shown` removes them; the neutral
message types apply it to every text they carry (`bot.messages`), so every
platform's renderer gets safe text, whoever built the message.

Kept, because real writing needs them: the zero-width joiner and non-joiner
(emoji sequences, Persian and Indic scripts), variation selectors, emoji tag
sequences (the flags of England, Scotland, Wales), newlines and tabs. Right-
to-left text needs no control characters to display correctly: the Unicode
bidirectional algorithm orders it by itself.
"""

from __future__ import annotations

import re
import unicodedata

NUL = "\x00"
MAX_MARKS = 4  # combining marks kept on one character (Vietnamese needs two)

_BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_INVISIBLE = ("\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180e\u180f\u200b\u2060\u2061\u2062"
              "\u2063\u2064\u206a\u206b\u206c\u206d\u206e\u206f\u3164\ufeff\uffa0\ufff9\ufffa\ufffb")
_CONTROLS = "".join(chr(c) for c in (*range(0x20), *range(0x7f, 0xa0)) if chr(c) not in "\n\t")
_REMOVE = dict.fromkeys(map(ord, _BIDI_CONTROLS + _INVISIBLE + _CONTROLS))
_SEPARATORS = {0x2028: "\n", 0x2029: "\n", 0x0D: None}
_TRANSLATE = {**_REMOVE, **_SEPARATORS}
_TAGS = re.compile("(\U0001F3F4[\U000E0020-\U000E007E]+\U000E007F)|[\U000E0000-\U000E007F]")
_SUSPECT = re.compile("[" + re.escape(_BIDI_CONTROLS + _INVISIBLE + _CONTROLS) + "\u2028\u2029\r"
                      "\U000E0000-\U000E007F\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff"
                      "\u20d0-\u20ff\ufe20-\ufe2f]")


def storable(text: str) -> str:
    """`text` without NUL characters."""
    return text.replace(NUL, "") if NUL in text else text


def shown(text: str) -> str:
    """`text` as it may be displayed: no bidirectional controls, no invisible
    or control characters, at most `MAX_MARKS` combining marks per character.
    Plain text comes back unchanged (and fast)."""
    if text.isascii() and text.isprintable():
        return text
    if not _SUSPECT.search(text) and not _has_marks(text):
        return text
    cleaned = text.translate(_TRANSLATE)
    if "\U000E0000" <= max(cleaned, default="\0"):
        cleaned = _TAGS.sub(lambda m: m.group(1) or "", cleaned)
    return _fewer_marks(cleaned)


def _has_marks(text: str) -> bool:
    return any(unicodedata.combining(c) for c in text)


def _fewer_marks(text: str) -> str:
    if not _has_marks(text):
        return text
    out: list[str] = []
    run = 0
    for char in text:
        if unicodedata.combining(char):
            run += 1
            if run > MAX_MARKS:
                continue
        else:
            run = 0
        out.append(char)
    return "".join(out)
