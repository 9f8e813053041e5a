"""Upgrades are safe to run from several replicas at once and can be undone:
two processes upgrading one fresh database together apply the migrations
once; `tandem db upgrade --check` tells a deploy pipeline whether any are
pending; every migration downgrades (upgrade → downgrade to base → upgrade)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from alembic import command as alembic_command
from sqlalchemy import inspect

from storage.db import alembic_config, make_engine, pending, upgrade

ROOT = Path(__file__).resolve().parents[1]


def _tandem(db_url: str, *args: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TANDEM_", "SLACK_", "TEAMS_"))}
    env["DATABASE_URL"] = db_url
    return subprocess.Popen([sys.executable, "-m", "adapters.cli", "db", "upgrade", *args], env=env, cwd=ROOT,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_replicas_upgrading_together_apply_the_migrations_once(db_url: str) -> None:
    replicas = [_tandem(db_url), _tandem(db_url)]
    results = [(p.wait(timeout=120), *p.communicate()) for p in replicas]
    assert [rc for rc, _, _ in results] == [0, 0], results
    said = sorted(out.strip() for _, out, _ in results)
    assert said[0].startswith("Applied ") and said[1] == "Database is up to date.", said  # one applied them
    assert pending(make_engine(db_url)) == []


def test_upgrade_check_exits_non_zero_while_migrations_are_pending(db_url: str) -> None:
    check = _tandem(db_url, "--check")
    out, _ = check.communicate(timeout=120)
    assert check.returncode == 1 and "pending" in out and "0001" in out
    engine = make_engine(db_url)
    assert inspect(engine).get_table_names() == []  # --check changed nothing
    applied = upgrade(engine)
    assert applied[0] == "0001" and len(applied) >= 6 and pending(engine) == []
    check = _tandem(db_url, "--check")
    out, _ = check.communicate(timeout=120)
    assert (check.returncode, out.strip()) == (0, "Database is up to date.")


def test_every_migration_downgrades_and_upgrades_again(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    tables = set(inspect(engine).get_table_names())
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        alembic_command.downgrade(config, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}  # every table went
    everything = pending(engine)
    assert everything[0] == "0001" and len(everything) >= 6
    assert upgrade(engine) == everything
    assert set(inspect(engine).get_table_names()) == tables
    assert pending(engine) == []
