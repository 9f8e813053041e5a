"""Configuration from environment variables (and a `.env` file), validated once at start.

The names are a contract (shared/DESIGN.md): DATABASE_URL, SLACK_*, TEAMS_*,
TANDEM_HOST, TANDEM_PORT, TANDEM_TIMEZONE; also TANDEM_HORIZON_DAYS (how far
ahead a due date or snooze may be), TANDEM_LOCALE (how people who have no
locale of their own write dates: "de-DE" reads 12/05 as 12 May) and the
logging pair TANDEM_LOG_LEVEL / TANDEM_LOG_FORMAT.

pydantic-settings reads and checks them, so a bad value stops the process
before anything starts, with one line naming the variable, what is allowed
and the value (`ConfigError`); an empty variable counts as unset. `Config(...)`
built in code (tests) reads no environment: only `load()` does.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_URL = "sqlite:///./tandem.db"  # storage.db's default too (a test keeps them equal); not imported from
# there so that a bad value is refused before SQLModel, Alembic and the core are loaded

HORIZON_DAYS_MAX = 3650
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMATS = ("text", "json")
SECRETS = frozenset({"slack_bot_token", "slack_signing_secret", "slack_app_token", "slack_client_secret",
                     "teams_app_password", "secret_key"})
TRUE_WORDS, FALSE_WORDS = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}
GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
HOST = re.compile(r"[A-Za-z0-9._:\-\[\]%]{1,253}")
SHOWN = 40  # characters of a refused value repeated back in the error line


class ConfigError(ValueError):
    """A configuration Tandem refuses to run with; the message says what to change."""


def _var(name: str, *, secret: bool = False) -> Any:
    """The field's environment variable name (its alias); the field name works in code too.
    A secret is left out of the repr, so printing a Config never shows it."""
    return Field(None, validation_alias=AliasChoices(name.upper(), name.lower()), repr=not secret)


class Config(BaseSettings):
    """The effective configuration; each field's alias is its environment variable."""

    model_config = SettingsConfigDict(frozen=True, populate_by_name=True, extra="ignore")

    database_url: str = Field(DEFAULT_URL, validation_alias=AliasChoices("DATABASE_URL", "database_url"))
    host: str = Field("127.0.0.1", validation_alias=AliasChoices("TANDEM_HOST", "host"))
    port: int = Field(3000, validation_alias=AliasChoices("TANDEM_PORT", "port"))
    timezone: str = Field("UTC", validation_alias=AliasChoices("TANDEM_TIMEZONE", "timezone"))
    horizon_days: int = Field(365, validation_alias=AliasChoices("TANDEM_HORIZON_DAYS", "horizon_days"))
    locale: str | None = Field(None, validation_alias=AliasChoices("TANDEM_LOCALE", "locale"))
    log_level: str = Field("INFO", validation_alias=AliasChoices("TANDEM_LOG_LEVEL", "log_level"))
    log_format: str = Field("text", validation_alias=AliasChoices("TANDEM_LOG_FORMAT", "log_format"))
    slack_bot_token: str | None = _var("SLACK_BOT_TOKEN", secret=True)
    slack_signing_secret: str | None = _var("SLACK_SIGNING_SECRET", secret=True)
    slack_app_token: str | None = _var("SLACK_APP_TOKEN", secret=True)
    slack_api_url: str | None = _var("SLACK_API_URL")
    slack_client_id: str | None = _var("SLACK_CLIENT_ID")
    slack_client_secret: str | None = _var("SLACK_CLIENT_SECRET", secret=True)
    teams_app_id: str | None = _var("TEAMS_APP_ID")
    teams_app_password: str | None = _var("TEAMS_APP_PASSWORD", secret=True)
    teams_app_tenant_id: str | None = _var("TEAMS_APP_TENANT_ID")
    secret_key: str | None = Field(None, validation_alias=AliasChoices("TANDEM_SECRET_KEY", "secret_key"), repr=False)
    teams_emulator: bool = Field(False, validation_alias=AliasChoices("TANDEM_TEAMS_EMULATOR", "teams_emulator"))

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource,
                                   dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource,
                                   ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Only what the caller passes: `load()` hands over the environment itself."""
        return (init_settings,)

    @property
    def slack_enabled(self) -> bool:
        return bool(self.slack_signing_secret and (self.slack_bot_token or self.slack_client_id))

    @property
    def teams_enabled(self) -> bool:
        return bool(self.teams_app_id)

    @field_validator("*", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: Any) -> Any:
        return value.strip() if isinstance(value, str) else value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        try:
            url = make_url(value)
        except (ArgumentError, ValueError):
            raise ValueError("a SQLAlchemy URL like sqlite:///./tandem.db or postgresql://user@host/db") from None
        if url.get_backend_name() not in {"sqlite", "postgresql"}:
            raise ValueError("a sqlite:/// or postgresql:// URL (the two databases Tandem is tested on)")
        return value

    @field_validator("host")
    @classmethod
    def _host(cls, value: str) -> str:
        if not HOST.fullmatch(value):
            raise ValueError("a host name or IP address to listen on, like 127.0.0.1 or 0.0.0.0")
        return value

    @field_validator("port", mode="before")
    @classmethod
    def _port(cls, value: Any) -> int:
        text = str(value)
        if not (text.isascii() and text.isdigit() and len(text) <= 5 and 0 <= int(text) <= 65535):
            raise ValueError("a port number from 0 to 65535 (0: any free port)")
        return int(text)

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file name
            raise ValueError("an IANA time zone like Europe/Berlin, America/New_York or UTC") from None
        return value

    @field_validator("horizon_days", mode="before")
    @classmethod
    def _horizon_days(cls, value: Any) -> int:
        days = str(value)
        if not (days.isascii() and days.isdigit() and len(days) <= 5 and 1 <= int(days) <= HORIZON_DAYS_MAX):
            raise ValueError(f"a whole number of days from 1 to {HORIZON_DAYS_MAX}")
        return int(days)

    @field_validator("locale")
    @classmethod
    def _locale(cls, value: str | None) -> str | None:
        from bot.services.dates import canonical_locale  # loads dateparser: only when a locale is set

        if value and canonical_locale(value) is None:
            raise ValueError("a locale like de-DE, en-US or fr-FR")
        return value or None

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        if value.upper() not in LOG_LEVELS:
            raise ValueError("one of " + ", ".join(LOG_LEVELS))
        return value.upper()

    @field_validator("log_format")
    @classmethod
    def _log_format(cls, value: str) -> str:
        if value.lower() not in LOG_FORMATS:
            raise ValueError("text or json")
        return value.lower()

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token(cls, value: str | None) -> str | None:
        if value and not value.startswith("xoxb-"):
            raise ValueError("a Slack bot token, starting xoxb- (OAuth & Permissions → Bot User OAuth Token)")
        return value or None

    @field_validator("slack_app_token")
    @classmethod
    def _app_token(cls, value: str | None) -> str | None:
        if value and not value.startswith("xapp-"):
            raise ValueError("a Slack app-level token, starting xapp- (Basic Information → App-Level Tokens)")
        return value or None

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, value: str | None) -> str | None:
        if value and not re.fullmatch(r"https?://[^\s/]+(/\S*)?", value):
            raise ValueError("an http:// or https:// URL like https://slack.com/api/")
        return value or None

    @field_validator("teams_app_id")
    @classmethod
    def _app_id(cls, value: str | None) -> str | None:
        if value and not GUID.fullmatch(value):
            raise ValueError("the bot's Microsoft App ID, a GUID like 8f0b6a8e-3c1d-4c55-9d7e-2a1b3c4d5e6f")
        return value or None

    @field_validator("teams_app_tenant_id")
    @classmethod
    def _tenant_id(cls, value: str | None) -> str | None:
        if value and not GUID.fullmatch(value):
            raise ValueError("the Microsoft Entra tenant ID, a GUID like 72f988bf-86f1-41af-91ab-2d7cd011db47")
        return value or None

    @field_validator("slack_signing_secret", "slack_client_id", "slack_client_secret", "teams_app_password")
    @classmethod
    def _plain(cls, value: str | None) -> str | None:
        return value or None

    @field_validator("secret_key")
    @classmethod
    def _secret_key(cls, value: str | None) -> str | None:
        if value:
            from storage.token_crypto import SecretKeyError, TokenCipher

            try:
                TokenCipher(value)
            except SecretKeyError:
                raise ValueError("one or more Fernet keys separated by commas (make one with "
                                 "`tandem secret-key`)") from None
        return value or None

    @field_validator("teams_emulator", mode="before")
    @classmethod
    def _flag(cls, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        word = str(value).lower()
        if word in TRUE_WORDS or word in FALSE_WORDS or word == "":
            return word in TRUE_WORDS
        raise ValueError("1 or 0 (also true/false, yes/no, on/off)")


def variable(field: str) -> str:
    """The environment variable that sets `field`."""
    alias = Config.model_fields[field].validation_alias
    assert isinstance(alias, AliasChoices)
    return str(alias.choices[0])


def load(env: Mapping[str, str] | None = None) -> Config:
    """The configuration from `env` (default: the process environment and `.env`).

    Raises:
        ConfigError: on the first bad value, naming the variable, what is allowed and the value.
    """
    if env is None:
        import os

        from dotenv import load_dotenv

        load_dotenv(override=False)
        env = dict(os.environ)
    names = {variable(field) for field in Config.model_fields}
    given = {name: value for name, value in env.items() if name in names and value.strip()}
    try:
        config = Config(**given)
    except ValidationError as error:
        raise ConfigError(_one_line(error, given)) from None
    if config.slack_client_id and not config.secret_key:
        raise ConfigError("TANDEM_SECRET_KEY must be set when SLACK_CLIENT_ID is: the bot tokens workspaces give "
                          "Tandem are stored encrypted with it (make one with `tandem secret-key`)")
    return config


def _one_line(error: ValidationError, given: Mapping[str, str]) -> str:
    first = error.errors()[0]
    name = str(first["loc"][0]) if first["loc"] else "configuration"
    field = next((f for f in Config.model_fields if variable(f) == name), "")
    raw = given.get(name, "")
    shown = "(hidden: it is a secret)" if field in SECRETS or name == "DATABASE_URL" and "@" in raw else (
        repr(raw[:SHOWN] + ("…" if len(raw) > SHOWN else "")))
    allowed = str(first.get("ctx", {}).get("error", "")) or first["msg"]
    return f"{name} must be {allowed}, not {shown}"


def effective(config: Config) -> list[tuple[str, str]]:
    """Every variable with the value in force, secrets masked, for `tandem config`."""
    out = []
    for field in Config.model_fields:
        value = getattr(config, field)
        if value is None:
            shown = "(unset)"
        elif field in SECRETS:
            shown = "******** (set)"
        elif field == "database_url":
            shown = make_url(str(value)).render_as_string(hide_password=True)
        elif isinstance(value, bool):
            shown = "1" if value else "0"
        else:
            shown = str(value)
        out.append((variable(field), shown))
    return out
