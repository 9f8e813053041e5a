"""teams: stored conversation references for proactive messages

Revision ID: 0201
Revises: 0001
"""
import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision = "0201"
down_revision = "0001"
branch_labels = ("teams",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conversation_reference",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("tenant", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=250), nullable=False),
        sa.Column("alias", sqlmodel.sql.sqltypes.AutoString(length=250), nullable=True),
        sa.Column("reference_json", sa.Text(), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform", "tenant", "kind", "key", name="uq_conversation_reference"),
    )
    op.create_index("ix_conversation_reference_alias", "conversation_reference", ["alias"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_conversation_reference_alias", table_name="conversation_reference")
    op.drop_table("conversation_reference")
