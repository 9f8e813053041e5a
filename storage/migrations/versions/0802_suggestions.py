"""desk: suggestions to a team, and the separate route back to an anonymous suggester

Revision ID: 0802
Revises: 0801

An anonymous `suggestion` has `suggester_id` NULL; who to tell of the answer
is in `suggestion_reply_route`, read only by the code that tells them.
"""
import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import storage.types

revision = "0802"
down_revision = "0801"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "suggestion",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("team_id", sa.Integer(), sa.ForeignKey("team.id"), nullable=False),
        sa.Column("suggester_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=True),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("answered_by_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.Column("answered_at", storage.types.UTCDateTime(), nullable=True),
    )
    op.create_index("ix_suggestion_team_id", "suggestion", ["team_id"])
    op.create_table(
        "suggestion_reply_route",
        sa.Column("suggestion_id", sa.Integer(), sa.ForeignKey("suggestion.id"), primary_key=True),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("suggestion_reply_route")
    op.drop_index("ix_suggestion_team_id", table_name="suggestion")
    op.drop_table("suggestion")
