"""Revision 0501 (branch `calendar`): a person's locale, a team's holidays
and closed days, and service-standard targets brought within their bounds;
its downgrade removes exactly what it added."""

from __future__ import annotations

from alembic import command as alembic_command
from alembic.config import Config as AlembicConfig
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from storage.db import MIGRATIONS, upgrade


def _downgrade(engine: Engine, revision: str) -> None:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        alembic_command.downgrade(config, revision)


def _columns(engine: Engine, table: str) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns(table)}


def test_the_calendar_branch_adds_its_columns_and_its_downgrade_removes_them(engine: Engine) -> None:
    assert {"holidays", "closed_days"} <= _columns(engine, "team") and "locale" in _columns(engine, "person")
    _downgrade(engine, "calendar@-1")
    assert not {"holidays", "closed_days"} & _columns(engine, "team") and "locale" not in _columns(engine, "person")
    upgrade(engine)
    assert {"holidays", "closed_days"} <= _columns(engine, "team") and "locale" in _columns(engine, "person")


def test_targets_stored_before_they_were_bounded_are_brought_within_bounds(engine: Engine) -> None:
    _downgrade(engine, "calendar@-1")
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO person (platform, tenant, user_id, display_name, timezone, created_at) "
                                "VALUES ('shell', 'local', 'alice', 'alice', 'UTC', '2026-11-23 10:00:00')"))
        for handle, response, resolution in (("it", 1e20, 100000.0), ("hr", 4.0, 3.0), ("ops", -1.0, 0.0)):
            connection.execute(text(
                "INSERT INTO team (handle, name, lead_id, timezone, work_days, work_start, work_end, "
                "first_response_hours, resolution_days, created_at) VALUES (:handle, :handle, 1, 'UTC', "
                "'0,1,2,3,4', '09:00', '17:00', :response, :resolution, '2026-11-23 10:00:00')"),
                {"handle": handle, "response": response, "resolution": resolution})
    upgrade(engine)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT handle, first_response_hours, resolution_days, holidays, closed_days "
                                       "FROM team ORDER BY handle")).all()
    assert [tuple(r) for r in rows] == [("hr", 4.0, 3.0, None, ""), ("it", 480.0, 250.0, None, ""),
                                        ("ops", 4.0, 3.0, None, "")]
