"""Configuration is checked at start: a bad value stops `tandem` with one line
naming the variable, what is allowed and the value, exit status 2, no
traceback; `tandem config` shows what is in force with secrets masked."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from adapters.config import Config, ConfigError, load
from storage.db import DEFAULT_URL

SECRET = "xoxb-do-not-print-me-4711"

# (variable, bad value, what the line must say is allowed)
BAD_VALUES = [
    ("TANDEM_PORT", "abc", "a port number from 0 to 65535"),
    ("TANDEM_PORT", "70000", "a port number from 0 to 65535"),
    ("TANDEM_PORT", "-1", "a port number from 0 to 65535"),
    ("TANDEM_HOST", "local host", "a host name or IP address"),
    ("TANDEM_TIMEZONE", "Mars/Base", "an IANA time zone"),
    ("TANDEM_TIMEZONE", "../../etc/passwd", "an IANA time zone"),
    ("TANDEM_HORIZON_DAYS", "0", "a whole number of days from 1 to 3650"),
    ("TANDEM_HORIZON_DAYS", "a year", "a whole number of days from 1 to 3650"),
    ("TANDEM_LOCALE", "xx-QQ", "a locale like de-DE"),
    ("TANDEM_LOG_LEVEL", "chatty", "one of DEBUG, INFO, WARNING, ERROR, CRITICAL"),
    ("TANDEM_LOG_FORMAT", "xml", "text or json"),
    ("TANDEM_TEAMS_EMULATOR", "maybe", "1 or 0"),
    ("DATABASE_URL", "tandem.db", "a SQLAlchemy URL"),
    ("DATABASE_URL", "mysql://tandem@db/tandem", "a sqlite:/// or postgresql:// URL"),
    ("SLACK_BOT_TOKEN", "xoxp-a-user-token", "a Slack bot token, starting xoxb-"),
    ("SLACK_APP_TOKEN", "xoxb-not-an-app-token", "a Slack app-level token, starting xapp-"),
    ("SLACK_API_URL", "slack.example.com/api", "an http:// or https:// URL"),
    ("TEAMS_APP_ID", "my-bot", "the bot's Microsoft App ID, a GUID"),
    ("TEAMS_APP_TENANT_ID", "contoso.onmicrosoft.com", "the Microsoft Entra tenant ID, a GUID"),
    ("TANDEM_SECRET_KEY", "not-a-fernet-key", "one or more Fernet keys separated by commas"),
]
SECRET_TOKENS = {"SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "TANDEM_SECRET_KEY"}


def _clean_env(tmp_path: Path, **values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TANDEM_", "SLACK_", "TEAMS_")) and k != "DATABASE_URL"}
    env.update({"DATABASE_URL": f"sqlite:///{tmp_path}/tandem.db", **values})
    return env


def _tandem(tmp_path: Path, *args: str, **values: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "adapters.cli", *args], env=_clean_env(tmp_path, **values),
                          cwd=tmp_path, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
                          check=False)


@pytest.mark.parametrize(("name", "value", "allowed"), BAD_VALUES, ids=[f"{n}={v}" for n, v, _ in BAD_VALUES])
def test_a_bad_value_stops_serve_with_one_line_and_exit_2(tmp_path: Path, name: str, value: str,
                                                          allowed: str) -> None:
    result = _tandem(tmp_path, "serve", **{name: value})
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"tandem: {name} must be {allowed}"), lines[0]
    if name in SECRET_TOKENS or "@" in value:
        assert value not in lines[0]  # a token, or a URL with credentials: never echoed
    else:
        assert repr(value) in lines[0]
    assert not (tmp_path / "tandem.db").exists()  # refused before anything was touched


def test_a_very_long_bad_value_is_shortened_in_the_line() -> None:
    with pytest.raises(ConfigError) as refused:
        load({"TANDEM_TIMEZONE": "X" * 5000})
    assert len(str(refused.value)) < 200


def test_empty_variables_count_as_unset_and_good_values_are_read() -> None:
    config = load({"TANDEM_PORT": "", "TANDEM_TIMEZONE": "Europe/Berlin", "TANDEM_LOG_LEVEL": "debug",
                   "TANDEM_TEAMS_EMULATOR": "yes", "TANDEM_LOCALE": "de-DE", "UNRELATED": "x"})
    assert (config.port, config.timezone, config.log_level, config.teams_emulator, config.locale) == (
        3000, "Europe/Berlin", "DEBUG", True, "de-DE")


def test_the_default_database_is_storages_default() -> None:
    assert Config().database_url == DEFAULT_URL


def test_config_in_code_reads_no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TANDEM_PORT", "abc")
    monkeypatch.setenv("SLACK_BOT_TOKEN", SECRET)
    assert (Config().port, Config().slack_bot_token) == (3000, None)


def test_tandem_config_prints_what_is_in_force_with_secrets_masked(tmp_path: Path) -> None:
    result = _tandem(tmp_path, "config", SLACK_BOT_TOKEN=SECRET, SLACK_SIGNING_SECRET="sign-4711-sign",
                     TANDEM_PORT="8080", TANDEM_TIMEZONE="Europe/Berlin")
    assert result.returncode == 0, result.stderr
    shown = dict(line.split("=", 1) for line in result.stdout.splitlines())
    assert shown["TANDEM_PORT"] == "8080"
    assert shown["TANDEM_TIMEZONE"] == "Europe/Berlin"
    assert shown["TANDEM_LOG_LEVEL"] == "INFO"
    assert shown["SLACK_BOT_TOKEN"] == shown["SLACK_SIGNING_SECRET"] == "******** (set)"
    assert shown["TEAMS_APP_PASSWORD"] == "(unset)"
    assert SECRET not in result.stdout and "sign-4711" not in result.stdout
    assert SECRET not in repr(load({"SLACK_BOT_TOKEN": SECRET}))


def test_a_database_password_is_masked(tmp_path: Path) -> None:
    result = _tandem(tmp_path, "config", DATABASE_URL="postgresql://tandem:hunter2@db.internal/tandem")
    assert "DATABASE_URL=postgresql://tandem:***@db.internal/tandem" in result.stdout
    assert "hunter2" not in result.stdout


def test_tandem_version(tmp_path: Path) -> None:
    from importlib.metadata import version

    result = _tandem(tmp_path, "--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"tandem {version('tandem')}"
