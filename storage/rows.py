"""A new row written with one Core `INSERT … RETURNING id`, then handed to the
session as if it had been loaded.

The ORM's unit of work costs more than the statement itself for a row a
command writes once (a kudos, a request): it sorts the session's new objects,
builds the insert per mapper and reads the key back, on every `/kudos` and
every `/ask` (benchmark 9 counts what the core spends). After `insert_loaded`
the object is persistent, so later changes to it in the same transaction are
flushed as an UPDATE, as they would be after `session.add` and a flush.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import insert
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session, SQLModel

Row = TypeVar("Row", bound=SQLModel)


def insert_loaded(session: Session, row: Row) -> Row:
    """INSERT `row` (a new object with an integer `id` primary key, not yet
    added) and return it persistent in `session`, its id set."""
    table: Any = type(row).__table__  # type: ignore[attr-defined]
    values = {column.key: getattr(row, column.key) for column in table.columns if column.key != "id"}
    row.id = session.execute(insert(table).returning(table.c.id), values).scalar_one()
    make_transient_to_detached(row)
    session.add(row)
    return row
