"""Configuration from environment variables (and a `.env` file), read once.

The names are a contract (shared/DESIGN.md): DATABASE_URL, SLACK_*, TEAMS_*,
TANDEM_HOST, TANDEM_PORT, TANDEM_TIMEZONE; also TANDEM_HORIZON_DAYS (how far
ahead a due date or snooze may be) and TANDEM_LOCALE (how people who have no
locale of their own write dates: "de-DE" reads 12/05 as 12 May).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from dotenv import load_dotenv

from storage.db import DEFAULT_URL


class ConfigError(Exception):
    """A configuration Tandem refuses to run with; the message says what to change."""


@dataclass(frozen=True)
class Config:
    database_url: str = DEFAULT_URL
    host: str = "127.0.0.1"
    port: int = 3000
    timezone: str = "UTC"
    horizon_days: int = 365
    locale: str | None = None
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str | None = None
    slack_client_id: str | None = None
    slack_client_secret: str | None = None
    teams_app_id: str | None = None
    teams_app_password: str | None = None
    teams_app_tenant_id: str | None = None
    teams_emulator: bool = False
    public_url: str | None = None  # TANDEM_PUBLIC_URL: where `tandem serve` is reached, for links to pictures

    @property
    def slack_enabled(self) -> bool:
        return bool(self.slack_signing_secret and (self.slack_bot_token or self.slack_client_id))

    @property
    def teams_enabled(self) -> bool:
        return bool(self.teams_app_id)


def load(env: dict[str, str] | None = None) -> Config:
    if env is None:
        load_dotenv(override=False)
        env = dict(os.environ)

    def get(name: str) -> str | None:
        value = env.get(name)
        return value if value else None

    return Config(
        database_url=get("DATABASE_URL") or DEFAULT_URL,
        host=get("TANDEM_HOST") or "127.0.0.1",
        port=int(get("TANDEM_PORT") or 3000),
        timezone=get("TANDEM_TIMEZONE") or "UTC",
        horizon_days=_horizon_days(get("TANDEM_HORIZON_DAYS")),
        locale=get("TANDEM_LOCALE"),
        slack_bot_token=get("SLACK_BOT_TOKEN"),
        slack_signing_secret=get("SLACK_SIGNING_SECRET"),
        slack_app_token=get("SLACK_APP_TOKEN"),
        slack_api_url=get("SLACK_API_URL"),
        slack_client_id=get("SLACK_CLIENT_ID"),
        slack_client_secret=get("SLACK_CLIENT_SECRET"),
        teams_app_id=get("TEAMS_APP_ID"),
        teams_app_password=get("TEAMS_APP_PASSWORD"),
        teams_app_tenant_id=get("TEAMS_APP_TENANT_ID"),
        teams_emulator=(get("TANDEM_TEAMS_EMULATOR") or "").lower() in {"1", "true", "yes", "on"},
        public_url=get("TANDEM_PUBLIC_URL"),
    )


HORIZON_DAYS_MAX = 3650


def _horizon_days(value: str | None) -> int:
    if value is None:
        return 365
    days = value.strip()
    if not (days.isascii() and days.isdigit() and len(days) <= 5 and 1 <= int(days) <= HORIZON_DAYS_MAX):
        raise ValueError(f"TANDEM_HORIZON_DAYS must be a whole number of days from 1 to {HORIZON_DAYS_MAX}, "
                         f"not {value[:20]!r}")
    return int(days)
