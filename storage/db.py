"""The engine, sessions and schema upgrades.

SQLite is tuned for a chat bot's many small writes from a thread pool: WAL,
a busy timeout so a writer from another process waits instead of failing,
and foreign keys on (SQLite leaves them off by default). Within the process
a file database has one pooled connection: SQLite takes one writer at a time
anyway, and threads queueing for the pool's connection hand it over the
moment it is free, where threads racing for SQLite's write lock sleep in its
busy handler (1, 2, 5, 10 … 100 ms) long after the lock was released. Under
benchmark 1's load that sleeping was most of a command's time.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command as alembic_command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, create_engine

DEFAULT_URL = "sqlite:///./tandem.db"
MIGRATIONS = Path(__file__).parent / "migrations"
MIGRATION_LOCK = 7_140_001  # PostgreSQL advisory lock key: "Tandem migrates the schema"


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or DEFAULT_URL


def make_engine(url: str | None = None) -> Engine:
    """An engine for `url` (default: `DATABASE_URL`), SQLite pragmas applied."""
    url = url or database_url()
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    # hide_parameters: an error names the statement, never the values (a kudos text, a request title)
    if url.startswith("sqlite"):
        memory = url in ("sqlite://", "sqlite:///:memory:") or "mode=memory" in url
        pool = {} if memory else {"pool_size": 1, "max_overflow": 0, "pool_timeout": 60}
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, hide_parameters=True,
                               **pool)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10, hide_parameters=True)


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    if not _is_memory(dbapi_connection):
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _is_memory(dbapi_connection) -> bool:  # type: ignore[no-untyped-def]
    rows = dbapi_connection.execute("PRAGMA database_list").fetchall()
    return any(row[2] == "" for row in rows)


def upgrade(engine: Engine, revision: str = "heads") -> list[str]:
    """Bring the schema to `revision` with Alembic (what `tandem db upgrade` runs).

    "heads": each area (core, Slack installations, Teams references, scheduler)
    keeps its own branch of migrations off the first revision, so they never
    collide; upgrading to all heads applies every branch.

    Replicas starting together upgrade once: the upgrade holds a lock (an
    advisory lock on PostgreSQL, held to the end of the transaction the DDL
    runs in; a file lock beside a SQLite file), and whoever comes second finds
    nothing left to do. Returns the revisions this call applied ("heads" only).
    """
    config = alembic_config()
    with _file_lock(engine), engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        todo = _pending(connection, config) if revision == "heads" else []
        config.attributes["connection"] = connection
        alembic_command.upgrade(config, revision)
    return todo


def pending(engine: Engine) -> list[str]:
    """The migrations not yet applied, oldest first (`tandem db upgrade --check`)."""
    with engine.connect() as connection:
        return _pending(connection, alembic_config())


def alembic_config() -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _pending(connection: Connection, config: AlembicConfig) -> list[str]:
    script = ScriptDirectory.from_config(config)
    applied: set[str] = set()
    for head in MigrationContext.configure(connection).get_current_heads():
        applied.update(r.revision for r in script.iterate_revisions(head, "base") if r is not None)
    return [r.revision for r in reversed(list(script.walk_revisions())) if r.revision not in applied]


@contextmanager
def _file_lock(engine: Engine) -> Iterator[None]:
    """On a SQLite file, an exclusive lock on `<file>.migrations.lock` while migrating."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:" or database.startswith("file:"):
        yield
        return
    import fcntl

    with open(f"{Path(database).resolve()}.migrations.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # waits for the replica that is migrating
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: committed on success, rolled back on any exception."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
