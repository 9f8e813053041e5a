"""Storage: migrations build the schema on SQLite and PostgreSQL, times come
back as aware UTC, SQLite is tuned, and outbox claims never overlap."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.messages import Message
from bot.services import outbox as core_outbox
from storage import outbox
from storage.models import Notification, Person

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)


def test_migrations_create_every_table_and_the_indexes_the_scheduler_and_digest_need(engine: Engine) -> None:
    inspector = inspect(engine)
    tables = set(inspector.get_table_names())
    assert {"person", "team", "team_member", "request", "request_event", "feedback", "kudos", "kudos_receiver",
            "kudos_tag", "company_value", "setting", "notification", "posted_message", "command_receipt",
            "alembic_version"} <= tables
    request_indexes = {i["name"]: i["column_names"] for i in inspector.get_indexes("request")}
    assert request_indexes["ix_request_open_nudge"] == ["status", "next_nudge_at"]
    kudos_indexes = [i["column_names"] for i in inspector.get_indexes("kudos")]
    assert ["created_at"] in kudos_indexes


def test_timestamps_come_back_as_aware_utc(engine: Engine) -> None:
    paris = datetime(2026, 11, 23, 11, 0, tzinfo=timezone(timedelta(hours=1)))
    with Session(engine) as session:
        session.add(Person(platform="shell", tenant="t", user_id="u", display_name="U", created_at=paris))
        session.commit()
    with Session(engine) as session:
        person = session.get(Person, 1)
        assert person is not None
        assert person.created_at == NOW and person.created_at.tzinfo is not None


def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from storage.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path}/t.db")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 30000


def _queue(engine: Engine, count: int) -> None:
    with Session(engine) as session:
        for i in range(count):
            core_outbox.notify(session, core_outbox.to_channel("shell", "local", f"c{i % 7}"),
                               Message(title=(f"n{i}",)), key=f"k{i}", now=NOW)
        session.commit()


def test_the_same_idempotency_key_is_queued_once(engine: Engine) -> None:
    _queue(engine, 3)
    _queue(engine, 3)
    with Session(engine) as session:
        assert len(session.exec(Notification.__table__.select()).all()) == 3  # type: ignore[attr-defined]


def test_concurrent_claimers_never_take_the_same_notification(engine: Engine) -> None:
    _queue(engine, 60)
    with ThreadPoolExecutor(max_workers=3) as pool:
        batches = list(pool.map(lambda _: outbox.claim_due(engine, now=NOW, limit=25), range(3)))
    ids = [row.id for batch in batches for row in batch]
    assert len(ids) == len(set(ids)) == 60


def test_a_claim_expires_so_a_dead_claimer_loses_nothing(engine: Engine) -> None:
    _queue(engine, 2)
    first = outbox.claim_due(engine, now=NOW)
    assert len(first) == 2
    assert outbox.claim_due(engine, now=NOW + timedelta(seconds=30)) == []
    again = outbox.claim_due(engine, now=NOW + timedelta(seconds=61))
    assert sorted(r.id for r in again) == sorted(r.id for r in first)
    outbox.mark_sent(engine, again[0].id, now=NOW)
    later = outbox.claim_due(engine, now=NOW + timedelta(minutes=5))
    assert [r.id for r in later] == [again[1].id]
