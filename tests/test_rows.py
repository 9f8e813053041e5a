"""storage.rows.insert_loaded: a new row goes in with one INSERT and is then the
session's own, as if it had been flushed: later changes are written, a look-up
by id finds the same object, and a rollback takes the row back out."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from storage.models import Team
from storage.rows import insert_loaded
from tests.conftest import MONDAY_10_UTC as NOW


def _statements(engine: Engine) -> list[str]:
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda _c, _cur, statement, *_: seen.append(statement))
    return seen


def test_a_row_is_inserted_once_and_comes_back_persistent_with_its_id(engine: Engine) -> None:
    seen = _statements(engine)
    with Session(engine) as session:
        team = insert_loaded(session, Team(handle="it", name="IT Help", work_days="0,1,2,3", created_at=NOW))
        inserts = [s for s in seen if s.lstrip().upper().startswith("INSERT")]
        assert team.id is not None and len(inserts) == 1
        assert session.get(Team, team.id) is team  # the session's own object: no second SELECT
        assert not [s for s in seen if s.lstrip().upper().startswith("SELECT")]
        team_id = team.id
        session.commit()
    with Session(engine) as session:
        stored = session.exec(select(Team).where(Team.handle == "it")).one()
        assert (stored.id, stored.name, stored.work_days, stored.work_end) == (team_id, "IT Help", "0,1,2,3", "17:00")


def test_a_change_after_the_insert_is_flushed_as_an_update(engine: Engine) -> None:
    with Session(engine) as session:
        team = insert_loaded(session, Team(handle="it", name="IT Help", created_at=NOW))
        team.name = "IT Service Desk"
        session.commit()
    with Session(engine) as session:
        assert session.exec(select(Team.name).where(Team.handle == "it")).one() == "IT Service Desk"


def test_a_rollback_takes_the_row_out_again(engine: Engine) -> None:
    with Session(engine) as session:
        insert_loaded(session, Team(handle="it", name="IT Help", created_at=NOW))
        session.rollback()
    with Session(engine) as session:
        assert session.exec(select(Team).where(Team.handle == "it")).first() is None
