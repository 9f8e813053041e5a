"""Logs tell an operator what happened, never what was said: a full Slack
session and a full Teams session, each with a forced database error, are run
at DEBUG with the process's own log handler, and the captured lines are
searched for every secret and every message text the sessions used."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from adapters.config import Config
from adapters.logs import REDACTED, Redact, configure
from adapters.teams.app import build
from bot.core import Tandem
from tests.slack.conftest import ANA, BOB, BOT_TOKEN, SIGNING_SECRET, SlackHarness, slack, slack_api  # noqa: F401
from tests.teams.conftest import APP_ID, TeamsChat, card_of, card_text
from tests.teams.payloads import ANN, SAM

TEAMS_PASSWORD = "teams-app-password-0815"
DB_PASSWORD = "db-password-4711"
SECRETS = (BOT_TOKEN, SIGNING_SECRET, TEAMS_PASSWORD, DB_PASSWORD)
KUDOS_TEXT = "for untangling the payroll export at midnight"
TITLE = "replace the broken badge reader on floor three"
FAILED_KUDOS = "for the quarterly numbers nobody else could find"


@pytest.fixture
def captured(engine: Engine) -> Iterator[io.StringIO]:
    """The process's logging, as `tandem serve` sets it up, at DEBUG, into a buffer."""
    url = "postgresql://tandem:" + DB_PASSWORD + "@db.internal/tandem"
    config = Config(log_level="DEBUG", slack_bot_token=BOT_TOKEN, slack_signing_secret=SIGNING_SECRET,
                    teams_app_id=APP_ID, teams_app_password=TEAMS_PASSWORD, database_url=url)
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    buffer = io.StringIO()
    handler = configure(config, stream=buffer)
    yield buffer
    root.removeHandler(handler)
    for old in saved[0]:
        root.addHandler(old)
    root.setLevel(saved[1])


def _break_kudos(engine: Engine) -> None:
    """From now on a new kudos can't be stored: PostgreSQL refuses the row with a check constraint (its
    error repeats the failing row, text and all), SQLite with a trigger."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql("ALTER TABLE kudos ADD CONSTRAINT forced_failure CHECK (id < 0) NOT VALID")
        else:
            connection.exec_driver_sql("CREATE TRIGGER forced_failure BEFORE INSERT ON kudos "
                                       "BEGIN SELECT RAISE(ABORT, 'forced failure'); END")


def _assert_clean(log_text: str, texts: tuple[str, ...]) -> None:
    for secret in SECRETS:
        assert secret not in log_text
    for said in texts:
        for piece in (said, said[:20], said[-20:]):
            assert piece not in log_text, f"{piece!r} is in the log"


async def test_a_slack_session_with_a_database_error_logs_no_secret_and_no_text(
        slack: SlackHarness, captured: io.StringIO, engine: Engine) -> None:
    await slack.command(ANA, '/tandem team add it "IT Help"')
    await slack.command(BOB, f"/ask it {TITLE}")
    await slack.command(ANA, f"/kudos <@{BOB}|bob> {KUDOS_TEXT}")
    _break_kudos(engine)
    await slack.command(ANA, f"/kudos <@{BOB}|bob> {FAILED_KUDOS}")
    assert "went wrong" in slack.last_reply_text().lower() or "error" in slack.last_reply_text().lower()
    log_text = captured.getvalue()
    assert "kudos: failed" in log_text and "Traceback" in log_text  # the failure is logged, with its cause
    assert "ask: ok in" in log_text  # one line per command, with its outcome and duration
    _assert_clean(log_text, (KUDOS_TEXT, TITLE, FAILED_KUDOS))


async def test_a_teams_session_with_a_database_error_logs_no_secret_and_no_text(
        core: Tandem, captured: io.StringIO, engine: Engine) -> None:
    chat = TeamsChat(build(core, Config(teams_app_id=APP_ID, teams_emulator=True, host="127.0.0.1")))
    await chat.say(ANN, "/tandem team add it \"IT Help\"")
    await chat.say(SAM, f"/ask it {TITLE}")
    shown, entity = SAM.mention()
    replies = await chat.say(ANN, f"kudos {shown} {KUDOS_TEXT}", entities=[entity])
    assert "Sent!" in card_text(card_of(replies[0]))
    _break_kudos(engine)
    await chat.say(ANN, f"kudos {shown} {FAILED_KUDOS}", entities=[entity])
    log_text = captured.getvalue()
    assert "kudos: ok in" in log_text and "kudos: failed" in log_text
    _assert_clean(log_text, (KUDOS_TEXT, TITLE, FAILED_KUDOS))


def test_json_lines_carry_level_logger_and_the_redacted_traceback() -> None:
    buffer = io.StringIO()
    handler = configure(Config(log_format="json", slack_bot_token=BOT_TOKEN), stream=buffer)
    try:
        try:
            raise RuntimeError(f"Slack said no to {BOT_TOKEN}")
        except RuntimeError:
            logging.getLogger("adapters.slack").exception("posting failed with Authorization: Bearer %s",
                                                         "xoxb-9999-other-token")
    finally:
        logging.getLogger().removeHandler(handler)
    entry = json.loads(buffer.getvalue().splitlines()[-1])
    assert (entry["level"], entry["logger"]) == ("ERROR", "adapters.slack")
    assert "xoxb-" not in buffer.getvalue() and BOT_TOKEN not in buffer.getvalue()
    assert REDACTED in entry["message"] and "RuntimeError" in entry["exc"]


@pytest.mark.parametrize("line", [
    "token xoxb-1234-5678-abcdef and xapp-1-A0-123-abc",
    "GET /slack/oauth_redirect?code=4711.0815&state=s3cr3t HTTP/1.1",
    "postgresql://tandem:hunter22@db/tandem",
    "Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl",
    'DETAIL:  Failing row contains (7, 3, thanks for the late night, null, slack).',
    'DETAIL:  Key (title)=(the whole title) already exists.',
])
def test_token_shaped_values_and_row_contents_are_redacted(line: str) -> None:
    cleaned = Redact().redact(line)
    for secret in ("1234-5678", "xapp-1", "4711", "s3cr3t", "hunter22", "eyJzdWIi", "late night", "whole title"):
        assert secret not in cleaned


def test_serve_with_an_unreachable_database_says_so_in_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TANDEM_", "SLACK_", "TEAMS_"))}
    env["DATABASE_URL"] = f"postgresql://tandem:{DB_PASSWORD}@127.0.0.1:1/tandem"  # port 1: nothing listens
    result = subprocess.run([sys.executable, "-m", "adapters.cli", "serve"], env=env, cwd=tmp_path,
                            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("tandem: can't reach the database postgresql://tandem:***@127.0.0.1:1/tandem: ")
    assert "refused" in lines[0] and DB_PASSWORD not in lines[0]
