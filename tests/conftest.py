"""Shared fixtures: a migrated database on SQLite *and* PostgreSQL, a frozen
clock, the core, and a terminal chat harness (`chat`) in the style of
errbot's `testbot`."""

from __future__ import annotations

import io
import logging
import os
import time
import uuid
from collections.abc import Iterator
from datetime import datetime, timezone

import pytest
from sqlalchemy.engine import Engine

from adapters.shell.port import ShellPort
from adapters.shell.session import ShellSession
from adapters.wiring import wire_delivery
from bot.core import Tandem
from bot.services.clock import FrozenClock
from scheduler.deliverer import Deliverer
from storage.db import make_engine, upgrade

PG_ADMIN_URL = os.environ.get("TANDEM_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
MONDAY_10_UTC = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)


def _postgres_available() -> str | None:
    """None when PostgreSQL answers, else why not. A server that is starting, or slow on a busy
    machine, gets TANDEM_TEST_PG_WAIT seconds (30 by default; 0 when PostgreSQL isn't required)
    before the whole PostgreSQL half of the suite is given up on: one missed connection must not
    fail hundreds of tests."""
    import psycopg

    required = bool(os.environ.get("TANDEM_REQUIRE_POSTGRES"))
    deadline = time.monotonic() + float(os.environ.get("TANDEM_TEST_PG_WAIT", 30 if required else 0))
    while True:
        try:
            with psycopg.connect(PG_ADMIN_URL, connect_timeout=5) as connection:
                connection.execute("SELECT 1")
                return None
        except Exception as error:  # noqa: BLE001
            if time.monotonic() >= deadline:
                return f"PostgreSQL not reachable at {PG_ADMIN_URL}: {error}"
            time.sleep(1)


@pytest.fixture(autouse=True)
def _root_logging_restored() -> Iterator[None]:
    """`cli.main` run in-process installs Tandem's redacting root handler (adapters/logs.py), which
    moves a record's exc_info into its text; put the root logger back so later tests' caplog sees
    records as logged."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture(scope="session")
def postgres_reason() -> str | None:
    return _postgres_available()


@pytest.fixture
def pg_url(postgres_reason: str | None) -> Iterator[str]:
    """A fresh PostgreSQL database for one test, dropped afterwards."""
    if postgres_reason:
        if os.environ.get("TANDEM_REQUIRE_POSTGRES"):
            pytest.fail(postgres_reason)
        pytest.skip(postgres_reason)
    import psycopg

    name = f"tandem_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path) -> str:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/tandem.db"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(MONDAY_10_UTC)


@pytest.fixture
def core(engine: Engine, clock: FrozenClock) -> Tandem:
    return Tandem(engine, clock=clock)


class Chat:
    """Type lines as people; read what Tandem answered and what it delivered."""

    __test__ = False

    def __init__(self, core: Tandem) -> None:
        self.core = core
        self.out = io.StringIO()
        self.session: ShellSession | None = None
        self.port = ShellPort(self.out)
        self.deliverer: Deliverer | None = None

    async def as_(self, name: str) -> Chat:
        if self.session is None:
            # wired as `tandem chat` wires it: one deliverer, kicked after each commit
            self.deliverer = wire_delivery(self.core, {self.port.platform: self.port})
            self.session = ShellSession(self.core, name, self.out, port=self.port, deliverer=self.deliverer)
        else:
            await self.session.line(f"/as {name}")
        return self

    async def __call__(self, line: str) -> str:
        """Run `line`; returns the reply plus every notification it caused."""
        assert self.session is not None, "call chat.as_(name) first"
        start = self.out.tell()
        await self.session.line(line)
        self.out.seek(start)
        printed = self.out.read()
        return printed


@pytest.fixture
def chat(core: Tandem) -> Chat:
    return Chat(core)


@pytest.fixture
def sqlite_core(tmp_path, clock: FrozenClock) -> Iterator[Tandem]:  # type: ignore[no-untyped-def]
    """The core on SQLite only: for command behaviour where storage is not what is tested (CI budget)."""
    engine = make_engine(f"sqlite:///{tmp_path}/tandem.db")
    upgrade(engine)
    yield Tandem(engine, clock=clock)
    engine.dispose()


@pytest.fixture
def sqlite_chat(sqlite_core: Tandem) -> Chat:
    return Chat(sqlite_core)


@pytest.fixture(scope="session")
def demo_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """`tandem seed-demo`'s company on SQLite, seeded once per run, read only."""
    from bot.demo import seed

    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('demo')}/demo.db")
    upgrade(engine)
    seed(engine, now=MONDAY_10_UTC)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def demo_digest(demo_engine: Engine):  # type: ignore[no-untyped-def]
    """The demo company's digest of 2026-W47 with its pictures, built once per run, read only."""
    from sqlmodel import Session

    from bot.services import digest

    with Session(demo_engine) as session:
        return digest.build_message(session, digest.last_full_week(MONDAY_10_UTC, "UTC"), now=MONDAY_10_UTC)
