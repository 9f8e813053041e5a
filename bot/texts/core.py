"""What the core itself says: unknown commands, stale buttons, apologies."""

from __future__ import annotations

from bot.texts.access import FIRST_ADMIN

UNKNOWN_COMMAND = "I don't know /{name}. Try /tandem help."
BROKEN = ("Sorry — something went wrong on my side{error_id} and nothing was changed. "
          "Please try again in a moment.")
STALE_BUTTON = "That button no longer works; try the command instead."
STALE_FORM = "That form is out of date; please open it again."
SAY_HELLO = "Say hello to Tandem first: try /tandem help."
UNKNOWN_YOU = "Say hello to Tandem first: I don't know you yet."
CHANGED_MEANWHILE = "That changed while I was working on it; have a look and try again."
WHAT_YOU_WROTE = "What you wrote"
SENT_PRIVATELY = "That's about a private request, so I've sent it to you in our personal chat."

__all__ = ["BROKEN", "CHANGED_MEANWHILE", "FIRST_ADMIN", "SAY_HELLO", "STALE_BUTTON", "STALE_FORM",
           "UNKNOWN_COMMAND", "UNKNOWN_YOU", "WHAT_YOU_WROTE", "SENT_PRIVATELY"]
