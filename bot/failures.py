"""What happens when something breaks inside Tandem: a short error id, one
log line with the traceback, and the apology the person gets.

The id is in the apology and in the log, so a person who reports "error
3f9c01ab" leads straight to the traceback. The core uses this for any failure
inside a command, button or form; an edge uses it for a failure of its own
after it has acked (Slack's background work, a Teams turn, a terminal line),
so the person hears back on the route they came in by.
"""

from __future__ import annotations

import logging
import uuid

from bot.messages import Reply
from bot.texts import core as say


def new_error_id() -> str:
    """Eight hex digits: short enough to read out, unique enough to grep."""
    return uuid.uuid4().hex[:8]


def apology_text(error_id: str) -> str:
    """The polite "something went wrong on my side, nothing was changed" with its id."""
    return say.BROKEN.format(error_id=f" (error {error_id})")


def record(log: logging.Logger, what: str, *, error: BaseException | None = None) -> str:
    """Log the failure being handled (or `error`) once, with a new error id,
    and return the id. Call it from an `except` block."""
    error_id = new_error_id()
    if error is None:
        log.exception("%s [error %s]; nothing was changed", what, error_id)
    else:
        log.error("%s [error %s]; nothing was changed", what, error_id, exc_info=error)
    return error_id


def apology(error_id: str) -> Reply:
    """The apology as the core's neutral reply (a refusal: nothing changed)."""
    return Reply.refuse(apology_text(error_id))
