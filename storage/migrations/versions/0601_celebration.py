"""celebration: chart pictures served by link, celebration runs and opt-outs

Revision ID: 0601
Revises: 0001

`chart_file` keeps the digest's PNGs by their SHA-256 for `GET
/charts/<sha256>.png` (a Teams card too big for its pictures links to them);
`celebration_run` is the claim that makes a month's celebration go out once
across replicas; `celebration_opt_out` lists people who asked never to be
named in it.
"""
import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0601"
down_revision = "0001"
branch_labels = ("celebration",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "chart_file",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("png", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
    )
    op.create_table(
        "celebration_run",
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("month"),
    )
    op.create_table(
        "celebration_opt_out",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("person_id"),
    )


def downgrade() -> None:
    op.drop_table("celebration_opt_out")
    op.drop_table("celebration_run")
    op.drop_table("chart_file")
