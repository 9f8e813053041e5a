"""One scheduler per SQLite database.

SQLite has no `SKIP LOCKED`, so two schedulers on one file could both decide
to send the same nudge. The first scheduler takes an OS lock on a file next
to the database (`tandem.db.scheduler.lock`); a second one is refused with a
message saying who holds it. The OS drops the lock when the holder exits,
even on `kill -9`, so a crash never leaves a stale lock behind.
PostgreSQL needs no guard: its row locks coordinate any number of replicas.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO

from sqlalchemy.engine import Engine


class SchedulerRefused(RuntimeError):
    """A second scheduler on a database that allows only one."""


class SingleSchedulerLock:
    """Holds the lock file open for as long as the scheduler runs."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        handle = open(self.path, "a+")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise SchedulerRefused(
                f"Another Tandem scheduler ({holder}) is already running on this SQLite database "
                f"(lock file {self.path}). SQLite allows one scheduler, so this one will not start. "
                "Stop the other `tandem serve`, or use PostgreSQL (DATABASE_URL=postgresql://…) to run replicas."
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        self._file = handle

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None


def guard_for(engine: Engine) -> SingleSchedulerLock | None:
    """The lock a scheduler on `engine` must hold, or None when none is needed
    (PostgreSQL, or an in-memory SQLite database only this process sees)."""
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database
    if not database or database == ":memory:":
        return None
    return SingleSchedulerLock(Path(f"{Path(database).resolve()}.scheduler.lock"))
