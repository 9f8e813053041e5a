"""Logging for the process: TANDEM_LOG_LEVEL and TANDEM_LOG_FORMAT (text or json), secrets redacted.

What goes to the log is an operator's business, never a conversation's: no
token, signing secret, password or key, and no message text. Three things see
to it:

- every engine hides SQL parameters (`storage.db.make_engine`), so a database
  error names the statement, not the kudos or request title it carried;
- the libraries that log request bodies at DEBUG (slack_sdk, slack_bolt,
  botbuilder, msrest, aiohttp's client, SQLAlchemy) are kept at INFO or above
  whatever TANDEM_LOG_LEVEL says; Tandem's own modules log ids and outcomes;
- `Redact` is on the one handler: it replaces the configured secrets and
  anything shaped like a token (Slack's xox*- and xapp-, bearer headers, JWTs,
  passwords in URLs, OAuth codes in query strings) in the message and the
  traceback, at every level.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import IO

from adapters.config import SECRETS, Config

REDACTED = "[redacted]"
PATTERNS = [
    (re.compile(r"\bxox[a-z]-[A-Za-z0-9-]+"), REDACTED),  # Slack bot, user and refresh tokens
    (re.compile(r"\bxapp-[A-Za-z0-9-]+"), REDACTED),  # Slack app-level tokens (Socket Mode)
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}"), r"\1 " + REDACTED),
    (re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"), REDACTED),  # JWTs
    (re.compile(r"(://[^/\s:@]+):[^@\s/]+@"), r"\1:***@"),  # a password in a URL
    (re.compile(r"(?i)\b(code|state|client_secret|token|password|secret)=[^&\s\"']+"), r"\1=" + REDACTED),
    # PostgreSQL repeats the row or key it refused: a kudos text, a request title
    (re.compile(r"Failing row contains \(.*\)"), "Failing row contains (" + REDACTED + ")"),
    (re.compile(r"Key \(([^)]*)\)=\(.*?\)( already exists| is not present| conflicts)"),
     r"Key (\1)=(" + REDACTED + r")\2"),
]
# Libraries that put request and response bodies (message texts, sometimes headers) in DEBUG lines.
CHATTY = ("slack_sdk", "slack_bolt", "botbuilder", "botframework", "msrest", "msal", "urllib3", "httpx", "httpcore",
          "aiohttp.client", "asyncio")
# apscheduler logs every run of every job at INFO, SQLAlchemy every statement, Alembic its plugins at each
# start: their warnings and failures are what matters.
QUIET = ("apscheduler", "sqlalchemy", "alembic")
MIN_SECRET = 6  # shorter configured values are not looked for (they would match ordinary words)


class Redact(logging.Filter):
    """Rewrites a record's message (and its traceback) with the secrets taken out."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = sorted({s for s in secrets if s and len(s) >= MIN_SECRET}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        for pattern, replacement in PATTERNS:
            text = pattern.sub(replacement, text)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = self.redact(record.getMessage()), None
        if record.exc_info:
            record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


class JsonLines(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, and the traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
                 "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        if record.exc_text:
            entry["exc"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


TEXT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def secrets_of(config: Config) -> list[str]:
    """The configured values that must never be logged."""
    values = [str(getattr(config, field)) for field in SECRETS if getattr(config, field, None)]
    from sqlalchemy.engine import make_url

    password = make_url(config.database_url).password
    return values + ([str(password)] if password else [])


@contextmanager
def restored() -> Iterator[None]:
    """Put the root logger and the libraries' levels back as they were afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    levels = {name: logging.getLogger(name).level for name in (*CHATTY, *QUIET)}
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        for name, old in levels.items():
            logging.getLogger(name).setLevel(old)
        logging.captureWarnings(False)


def configure(config: Config, *, stream: IO[str] | None = None, default_level: str = "INFO") -> logging.Handler:
    """Send every log line through one redacting handler on stderr (or `stream`), at the configured level.

    `default_level` applies when TANDEM_LOG_LEVEL is not set: the one-shot commands (chat, export,
    digest) pass WARNING, so a person at a terminal sees replies, not a log line per command."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonLines() if config.log_format == "json" else logging.Formatter(TEXT))
    handler.addFilter(Redact(secrets_of(config)))
    level = logging.getLevelName(config.log_level if "log_level" in config.model_fields_set else default_level)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in CHATTY:
        logging.getLogger(name).setLevel(max(level, logging.INFO))
    for name in QUIET:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
    logging.captureWarnings(True)
    return handler
