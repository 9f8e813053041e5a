"""Revision 1001 (branch `inbox`) and the inbox's storage rules, on SQLite
and PostgreSQL: a delivery is written once, finished once, replayed while
unfinished, expired once its reply route is gone; the downgrade removes it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from storage import inbox
from storage.db import upgrade
from tests.conftest import MONDAY_10_UTC
from tests.test_calendar_migration import _downgrade


def test_a_delivery_is_kept_once_and_replayed_until_finished(engine: Engine) -> None:
    first = inbox.record(engine, platform="slack", tenant="T1", delivery_key="k1", body_json='{"text": "a\\u0000"}',
                         now=MONDAY_10_UTC)
    again = inbox.record(engine, platform="slack", tenant="T1", delivery_key="k1", body_json="{}", now=MONDAY_10_UTC)
    assert first.new and not again.new and again.entry_id == first.entry_id and again.body_json == first.body_json
    old = inbox.record(engine, platform="slack", tenant="T1", delivery_key="k0", body_json="{}",
                       now=MONDAY_10_UTC - timedelta(hours=2))
    pending = inbox.unfinished(engine, platform="slack", now=MONDAY_10_UTC, max_age=timedelta(minutes=30))
    assert [e.entry_id for e in pending] == [first.entry_id]  # the two-hour-old one expired
    inbox.finish(engine, first.entry_id, now=MONDAY_10_UTC)
    assert inbox.unfinished(engine, platform="slack", now=MONDAY_10_UTC, max_age=timedelta(minutes=30)) == []
    assert inbox.prune(engine, before=MONDAY_10_UTC + timedelta(seconds=1)) == 2
    assert old.entry_id != first.entry_id


def test_the_inbox_branch_downgrades_and_upgrades_again(engine: Engine) -> None:
    assert "inbox_entry" in inspect(engine).get_table_names()
    _downgrade(engine, "inbox@-1")
    assert "inbox_entry" not in inspect(engine).get_table_names()
    upgrade(engine)
    assert "inbox_entry" in inspect(engine).get_table_names()
