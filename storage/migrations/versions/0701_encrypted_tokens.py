"""ops: room for encrypted Slack tokens (Fernet makes a 60-character token ~170)

Revision ID: 0701
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0701"
down_revision = "0001"
branch_labels = ("ops",)
depends_on = "0101"  # the Slack installation tables

TOKENS = {
    "slack_installations": ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token"),
    "slack_bots": ("bot_token", "bot_refresh_token"),
}


def upgrade() -> None:
    for table, columns in TOKENS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.alter_column(column, existing_type=sa.String(length=200), type_=sa.Text(),
                                      existing_nullable=True)


def downgrade() -> None:
    # Back to 200 characters. PostgreSQL refuses it while an encrypted token is longer than that:
    # delete the installations (workspaces reinstall the app) before downgrading such a database.
    for table, columns in TOKENS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.alter_column(column, existing_type=sa.Text(), type_=sa.String(length=200),
                                      existing_nullable=True)
