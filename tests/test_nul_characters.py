"""A NUL character typed anywhere is dropped before anything is stored:
PostgreSQL refuses it in a text column, and the command would fail. This is a
storage test, so it runs on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlmodel import Session, select

from bot.core import Tandem
from storage.models import Kudos, Request, Team
from tests.helpers import ok, person


def test_nul_bytes_in_kudos_titles_and_names_are_dropped_before_storing(core: Tandem) -> None:
    core.introduce(person("ada"))
    core.introduce(person("bob"))
    ok(core, "ada", "/kudos <@bob> thanks for the nul\x00byte fix")
    ok(core, "ada", '/tandem team add it "IT\x00 Help"')
    ok(core, "ada", "/ask it printer\x00 jam")
    with Session(core.engine) as session:
        assert [k.message for k in session.exec(select(Kudos)).all()] == ["thanks for the nulbyte fix"]
        assert session.exec(select(Team.name)).one() == "IT Help"
        assert session.exec(select(Request.title)).one() == "printer jam"
