"""Revision 0601 (branch `celebration`): the chart pictures served by link
and the celebration opt-outs; its downgrade removes exactly what it added."""

from __future__ import annotations

from alembic import command as alembic_command
from alembic.config import Config as AlembicConfig
from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from storage.db import MIGRATIONS, upgrade


def _downgrade(engine: Engine, revision: str) -> None:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        alembic_command.downgrade(config, revision)


def test_the_celebration_branch_adds_its_tables_and_its_downgrade_removes_them(engine: Engine) -> None:
    added = {"chart_file", "celebration_run", "celebration_opt_out"}
    assert added <= set(inspect(engine).get_table_names())
    _downgrade(engine, "celebration@-1")
    tables = set(inspect(engine).get_table_names())
    assert not added & tables and {"person", "kudos", "team"} <= tables
    upgrade(engine)
    assert added <= set(inspect(engine).get_table_names())
