"""Slack installations, on Tandem's own database, for multi-workspace installs.

When Tandem is distributed with OAuth (SLACK_CLIENT_ID/SECRET), each
workspace or Enterprise Grid org that installs it gets a bot token. slack_sdk's
`SQLAlchemyInstallationStore` and `SQLAlchemyOAuthStateStore` keep them in the
three tables declared here with the same names and columns, so Alembic
(revision 0101) creates them with the rest of the schema and
`tandem db upgrade` is the only setup step. This module imports no Slack code:
it only knows the tables, and answers "which bot token serves this tenant?".
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from storage.token_crypto import TokenCipher

INSTALLATIONS = "slack_installations"
BOTS = "slack_bots"
OAUTH_STATES = "slack_oauth_states"

slack_installations = sa.Table(
    INSTALLATIONS, SQLModel.metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("client_id", sa.String(32), nullable=False),
    sa.Column("app_id", sa.String(32), nullable=False),
    sa.Column("enterprise_id", sa.String(32)),
    sa.Column("enterprise_name", sa.String(200)),
    sa.Column("enterprise_url", sa.String(200)),
    sa.Column("team_id", sa.String(32)),
    sa.Column("team_name", sa.String(200)),
    sa.Column("bot_token", sa.Text),  # Fernet-encrypted (revision 0701)
    sa.Column("bot_id", sa.String(32)),
    sa.Column("bot_user_id", sa.String(32)),
    sa.Column("bot_scopes", sa.String(1000)),
    sa.Column("bot_refresh_token", sa.Text),  # Fernet-encrypted (revision 0701)
    sa.Column("bot_token_expires_at", sa.DateTime),
    sa.Column("user_id", sa.String(32), nullable=False),
    sa.Column("user_token", sa.Text),  # Fernet-encrypted (revision 0701)
    sa.Column("user_scopes", sa.String(1000)),
    sa.Column("user_refresh_token", sa.Text),  # Fernet-encrypted (revision 0701)
    sa.Column("user_token_expires_at", sa.DateTime),
    sa.Column("incoming_webhook_url", sa.String(200)),
    sa.Column("incoming_webhook_channel", sa.String(200)),
    sa.Column("incoming_webhook_channel_id", sa.String(200)),
    sa.Column("incoming_webhook_configuration_url", sa.String(200)),
    sa.Column("is_enterprise_install", sa.Boolean, default=False, nullable=False),
    sa.Column("token_type", sa.String(32)),
    sa.Column("installed_at", sa.DateTime, nullable=False, default=sa.func.now()),
    sa.Index(f"{INSTALLATIONS}_idx", "client_id", "enterprise_id", "team_id", "user_id", "installed_at"),
)

slack_bots = sa.Table(
    BOTS, SQLModel.metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("client_id", sa.String(32), nullable=False),
    sa.Column("app_id", sa.String(32), nullable=False),
    sa.Column("enterprise_id", sa.String(32)),
    sa.Column("enterprise_name", sa.String(200)),
    sa.Column("team_id", sa.String(32)),
    sa.Column("team_name", sa.String(200)),
    sa.Column("bot_token", sa.Text),  # Fernet-encrypted (revision 0701)
    sa.Column("bot_id", sa.String(32)),
    sa.Column("bot_user_id", sa.String(32)),
    sa.Column("bot_scopes", sa.String(1000)),
    sa.Column("bot_refresh_token", sa.Text),  # Fernet-encrypted (revision 0701)
    sa.Column("bot_token_expires_at", sa.DateTime),
    sa.Column("is_enterprise_install", sa.Boolean, default=False, nullable=False),
    sa.Column("installed_at", sa.DateTime, nullable=False, default=sa.func.now()),
    sa.Index(f"{BOTS}_idx", "client_id", "enterprise_id", "team_id", "installed_at"),
)

slack_oauth_states = sa.Table(
    OAUTH_STATES, SQLModel.metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("state", sa.String(200), nullable=False),
    sa.Column("expire_at", sa.DateTime, nullable=False),
)


def bot_token(engine: Engine, *, client_id: str, tenant: str, cipher: TokenCipher | None = None) -> str | None:
    """The newest bot token serving `tenant`.

    A tenant is a workspace id (T…) or, for an org-wide Enterprise Grid
    install, the org's id (E…); a workspace of an org is served by the org's
    install when it has none of its own.
    """
    c = slack_bots.c
    by_team = sa.select(c.bot_token).where(c.client_id == client_id, c.team_id == tenant, c.bot_token.is_not(None))
    by_org = sa.select(c.bot_token).where(c.client_id == client_id, c.enterprise_id == tenant,
                                          c.is_enterprise_install.is_(True), c.bot_token.is_not(None))
    with engine.connect() as connection:
        for query in (by_team, by_org):
            token = connection.execute(query.order_by(c.installed_at.desc(), c.id.desc()).limit(1)).scalar()
            if token:
                return cipher.decrypt(str(token)) if cipher is not None else str(token)
    return None


TOKEN_COLUMNS = {INSTALLATIONS: ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token"),
                 BOTS: ("bot_token", "bot_refresh_token")}


def rotate_tokens(engine: Engine, cipher: TokenCipher) -> int:
    """Re-encrypt every stored token under the first key (plain ones too); returns how many rows changed."""
    changed = 0
    with engine.begin() as connection:
        for table in (slack_installations, slack_bots):
            columns = TOKEN_COLUMNS[table.name]
            for row in connection.execute(sa.select(table.c.id, *(table.c[n] for n in columns))).all():
                values = {n: cipher.rotate(getattr(row, n)) for n in columns}
                if any(values[n] != getattr(row, n) for n in columns):
                    connection.execute(sa.update(table).where(table.c.id == row.id).values(**values))
                    changed += 1
    return changed
