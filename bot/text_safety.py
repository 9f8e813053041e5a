"""Text that is safe to keep: what a person typed, minus what no database
should hold.

PostgreSQL refuses a NUL character in a text column (and SQLite keeps it and
truncates it in some tools), so the core drops NULs from everything that
comes in before any of it can be stored. Nothing else is changed here: what
a person wrote is kept as written, for exports.
"""

from __future__ import annotations

NUL = "\x00"


def storable(text: str) -> str:
    """`text` without NUL characters."""
    return text.replace(NUL, "") if NUL in text else text
