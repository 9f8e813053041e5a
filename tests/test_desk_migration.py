"""Revision 0801 (branch `desk`): a team's list of causes; its downgrade
removes exactly what it added, and teams written before it keep no list."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Engine

from storage.db import upgrade
from tests.test_calendar_migration import _columns, _downgrade


def test_the_desk_branch_adds_team_causes_and_its_downgrade_removes_it(engine: Engine) -> None:
    assert "causes" in _columns(engine, "team")
    _downgrade(engine, "desk@-2")  # below 0802 (suggestions) too
    assert "causes" not in _columns(engine, "team") and "closed_days" in _columns(engine, "team")
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO team (handle, name, timezone, work_days, work_start, work_end, "
                                "first_response_hours, resolution_days, created_at) VALUES ('it', 'IT', 'UTC', "
                                "'0,1,2,3,4', '09:00', '17:00', 4, 3, '2026-11-23 10:00:00')"))
    upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT causes FROM team")).scalar_one() == ""
