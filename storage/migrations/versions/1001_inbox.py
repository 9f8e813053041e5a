"""inbox: commands written down before they are acked, replayed if a crash interrupted them

Revision ID: 1001
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "1001"
down_revision = "0001"
branch_labels = ("inbox",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inbox_entry",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("platform", sa.String(20), nullable=False),
        sa.Column("tenant", sa.String(120), nullable=False),
        sa.Column("delivery_key", sa.String(250), nullable=False),
        sa.Column("body_json", sa.Text(), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("done_at", UTCDateTime(), nullable=True),
        sa.Column("outcome", sa.String(20), nullable=True),
        sa.UniqueConstraint("platform", "delivery_key", name="uq_inbox_delivery"),
    )
    op.create_index("ix_inbox_entry_done_at", "inbox_entry", ["done_at"])


def downgrade() -> None:
    op.drop_index("ix_inbox_entry_done_at", table_name="inbox_entry")
    op.drop_table("inbox_entry")
