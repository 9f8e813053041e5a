"""A database connection that drops in the middle of a command is a
transient error: the core rolls back and tries once more, and the command
acts once. A database that stays unreachable gets the apology with an error
id. PostgreSQL only for the first (the server ends the connection, as a
failover or `pg_terminate_backend` does); the second needs no database."""

from __future__ import annotations

import re

import psycopg
from sqlalchemy import event
from sqlmodel import Session, func, select

from bot.core import Tandem
from bot.messages import plain
from bot.services.clock import FrozenClock
from storage.db import make_engine, upgrade
from storage.models import Request
from tests.conftest import MONDAY_10_UTC, PG_ADMIN_URL
from tests.helpers import command, ok, person


def test_a_connection_dropped_mid_command_is_retried_once_and_acts_once(pg_url: str) -> None:
    engine = make_engine(pg_url)
    upgrade(engine)
    core = Tandem(engine, clock=FrozenClock(MONDAY_10_UTC))
    core.introduce(person("ada"))
    ok(core, "ada", '/tandem team add it "IT Help"')
    dropped: list[int] = []

    @event.listens_for(engine, "before_cursor_execute")
    def drop_once(connection, cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("INSERT INTO REQUEST ") and not dropped:
            pid = connection.connection.dbapi_connection.info.backend_pid
            dropped.append(pid)
            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", (pid,))

    try:
        reply = core.run_command(command("ada", "/ask it new laptop"))
        assert dropped, "the connection was never dropped"
        assert reply.ok, plain(reply.message.title) if reply.message else reply
        with Session(engine) as session:
            assert session.exec(select(func.count()).select_from(Request)).one() == 1
    finally:
        event.remove(engine, "before_cursor_execute", drop_once)
        engine.dispose()


def test_a_database_that_stays_down_gets_the_apology_with_an_error_id() -> None:
    core = Tandem(make_engine("postgresql://nobody@127.0.0.1:1/none"), clock=FrozenClock(MONDAY_10_UTC))
    reply = core.run_command(command("ada", "/ask it new laptop"))
    assert reply.ok is False and reply.message is not None
    assert re.search(r"went wrong on my side \(error [0-9a-f]{8}\) and nothing was changed", plain(reply.message.title))


