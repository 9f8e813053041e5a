"""Alembic environment: runs on the connection `storage.db.upgrade` hands in,
or on `DATABASE_URL` when Alembic is called from its own command line."""

from alembic import context
from sqlmodel import SQLModel

import storage.celebration  # noqa: F401  (chart files, celebration opt-outs, revision 0601)
import storage.conversations  # noqa: F401  (Teams conversation references, revision 0201)
import storage.flow  # noqa: F401  (where conversation kudos and requests came from, revision 0901)
import storage.models  # noqa: F401  (registers the tables)
import storage.schedule  # noqa: F401  (the scheduler's tables, revision 0301)
import storage.slack_installations  # noqa: F401  (Slack OAuth installations, revision 0101)
import storage.suggestions  # noqa: F401  (suggestions and their reply routes, revision 0802)

target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        from storage.db import make_engine

        with make_engine().connect() as conn:
            _run(conn)
            conn.commit()
    else:
        _run(connection)


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
