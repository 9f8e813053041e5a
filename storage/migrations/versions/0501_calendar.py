"""calendar: a person's locale, a team's holiday calendar and closed days

Revision ID: 0501
Revises: 0001

Also brings service-standard targets stored before they were bounded back
within the bounds `/tandem team edit` now enforces (a first response within
20 working days, a resolution within 250), so a team whose lead once typed
`resolution 100000d` files requests again. The bounds are written out here
because storage imports nothing from bot/ (bot.services.teams holds them).
"""
import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0501"
down_revision = "0001"
branch_labels = ("calendar",)
depends_on = None

MAX_FIRST_RESPONSE_HOURS = 20 * 24.0  # 20 working days of the longest possible day
MAX_RESOLUTION_DAYS = 250.0


def upgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("locale", sqlmodel.sql.sqltypes.AutoString(length=35), nullable=True))
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.add_column(sa.Column("holidays", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))
        # nullable, so a bulk writer that lists only the columns it knows (bench/company.py) still inserts
        batch_op.add_column(sa.Column("closed_days", sa.Text(), nullable=True, server_default=""))
    team = sa.table("team", sa.column("first_response_hours", sa.Float), sa.column("resolution_days", sa.Float))
    op.execute(team.update().where(team.c.first_response_hours > MAX_FIRST_RESPONSE_HOURS)
               .values(first_response_hours=MAX_FIRST_RESPONSE_HOURS))
    op.execute(team.update().where(team.c.first_response_hours <= 0).values(first_response_hours=4.0))
    op.execute(team.update().where(team.c.resolution_days > MAX_RESOLUTION_DAYS)
               .values(resolution_days=MAX_RESOLUTION_DAYS))
    op.execute(team.update().where(team.c.resolution_days <= 0).values(resolution_days=3.0))


def downgrade() -> None:
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.drop_column("closed_days")
        batch_op.drop_column("holidays")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("locale")
