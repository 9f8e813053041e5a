"""flow: where kudos and requests from a conversation came from

Revision ID: 0901
Revises: 0001
"""
import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

from storage.types import UTCDateTime

revision = "0901"
down_revision = "0001"
branch_labels = ("flow",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kudos_source",
        sa.Column("kudos_id", sa.Integer(), sa.ForeignKey("kudos.id"), primary_key=True),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("message_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("giver_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("author_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=True),
        sa.Column("link", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False, server_default=""),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("kind", "message_key", "giver_id"),
    )
    op.create_index("ix_kudos_source_message_key", "kudos_source", ["message_key"])
    op.create_table(
        "request_source",
        sa.Column("message_key", sqlmodel.sql.sqltypes.AutoString(length=200), primary_key=True),
        sa.Column("request_id", sa.Integer(), sa.ForeignKey("request.id"), nullable=False),
        sa.Column("link", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False, server_default=""),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_request_source_request_id", "request_source", ["request_id"])


def downgrade() -> None:
    op.drop_index("ix_request_source_request_id", table_name="request_source")
    op.drop_table("request_source")
    op.drop_index("ix_kudos_source_message_key", table_name="kudos_source")
    op.drop_table("kudos_source")
