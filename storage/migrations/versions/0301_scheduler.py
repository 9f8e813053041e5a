"""scheduler: nudge budget, feedback reminders, digest runs

Revision ID: 0301
Revises: 0001
"""
import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision = "0301"
down_revision = "0001"
branch_labels = ("scheduler",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "nudge_budget",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("day", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("sent", sa.Integer(), nullable=False),
        sa.Column("folded", sa.Integer(), nullable=False),
        sa.Column("summary_json", sa.Text(), nullable=False),
        sa.Column("summary_versions", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("person_id", "day"),
    )
    op.create_table(
        "feedback_reminder",
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("remind_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("settled_at", storage.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["request_id"], ["request.id"]),
        sa.PrimaryKeyConstraint("request_id"),
    )
    with op.batch_alter_table("feedback_reminder", schema=None) as batch_op:
        batch_op.create_index("ix_feedback_reminder_due", ["status", "remind_at"], unique=False)
    op.create_table(
        "digest_run",
        sa.Column("week", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("trigger", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.PrimaryKeyConstraint("week"),
    )


def downgrade() -> None:
    op.drop_table("digest_run")
    with op.batch_alter_table("feedback_reminder", schema=None) as batch_op:
        batch_op.drop_index("ix_feedback_reminder_due")
    op.drop_table("feedback_reminder")
    op.drop_table("nudge_budget")
