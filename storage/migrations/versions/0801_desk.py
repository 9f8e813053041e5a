"""desk: a team's own list of causes for closing requests

Revision ID: 0801
Revises: 0001

`team.causes` holds the tags a team closes requests with (`cause:missing-docs`),
comma-separated, so its report counts one spelling per cause. NULL or "" means
the team keeps no list and any tag is taken.
"""
import sqlalchemy as sa
from alembic import op

revision = "0801"
down_revision = "0001"
branch_labels = ("desk",)
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.add_column(sa.Column("causes", sa.Text(), nullable=True, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.drop_column("causes")
