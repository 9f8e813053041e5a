"""The `tandem` command as a new user runs it: a scripted terminal session
that goes through a request's whole life, then exports of all of it."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = """\
/tandem team add it "IT Help"
/tandem team edit it channel #it-help
/tandem values add ownership "Own the outcome"
/as bob
/ask it new laptop for the new hire by friday
/as alice
/requests 1 claim
/requests 1 start
/requests 1 done handed over cause:missing-docs
/as bob
/requests 1 rate 5 quick and friendly
/kudos @alice thanks for #1 #ownership
"""


def tandem(*args: str, db: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "TANDEM_TIMEZONE": "UTC"}
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "TEAMS_APP_ID"):
        env.pop(name, None)
    return subprocess.run([sys.executable, "-m", "adapters.cli", *args], input=stdin, capture_output=True,
                          text=True, env=env, timeout=120, check=False)


@pytest.fixture(scope="module")
def scripted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    db = tmp_path_factory.mktemp("cli") / "tandem.db"
    result = tandem("chat", "--as", "alice", db=db, stdin=SCRIPT)
    assert result.returncode == 0, result.stderr
    return db, result.stdout


def test_a_scripted_session_moves_a_request_through_its_life(scripted: tuple[Path, str]) -> None:
    _, out = scripted
    assert "Request #1 is with IT Help" in out
    assert "→ #it-help:" in out and "→ #it-help (updated):" in out
    assert "#1 is done. I've asked the requester for feedback." in out
    assert "rated #1 ★★★★★" in out
    assert "→ @alice:" in out and "You got kudos from @bob!" in out


def test_export_requests_as_json_has_ids_people_status_and_iso_times(scripted: tuple[Path, str]) -> None:
    db, _ = scripted
    result = tandem("export", "requests", "--format", "json", db=db)
    rows = json.loads(result.stdout)
    assert len(rows) == 1
    row = rows[0]
    assert (row["id"], row["team"], row["status"], row["cause"]) == (1, "it", "done", "missing-docs")
    assert (row["requester"], row["assignee"]) == ("shell:bob", "shell:alice")
    assert row["due_at"].endswith("+00:00") and row["on_time"] is True


def test_export_kudos_and_feedback_as_csv(scripted: tuple[Path, str]) -> None:
    db, _ = scripted
    kudos = list(csv.DictReader(io.StringIO(tandem("export", "kudos", "--format", "csv", db=db).stdout)))
    assert len(kudos) == 1
    assert kudos[0]["giver"] == "shell:bob" and kudos[0]["receivers"] == "shell:alice"
    assert kudos[0]["values"] == "ownership" and kudos[0]["request_id"] == "1"
    feedback = list(csv.DictReader(io.StringIO(tandem("export", "feedback", "--format", "csv", db=db).stdout)))
    assert feedback[0]["rating"] == "5" and feedback[0]["comment"] == "quick and friendly"


def test_seed_demo_builds_a_company_of_six_teams_and_forty_people(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    result = tandem("seed-demo", db=db)
    assert result.returncode == 0, result.stderr
    assert "40 people, 6 teams" in result.stdout
    requests = json.loads(tandem("export", "requests", db=db).stdout)
    kudos = json.loads(tandem("export", "kudos", db=db).stdout)
    feedback = json.loads(tandem("export", "feedback", db=db).stdout)
    assert len({r["team"] for r in requests}) == 6
    assert len(requests) > 50 and len(kudos) > 20 and len(feedback) > 10
    assert any(r["status"] == "done" for r in requests) and any(r["status"] != "done" for r in requests)


def test_help_lists_every_command(tmp_path: Path) -> None:
    out = tandem("--help", db=tmp_path / "x.db").stdout
    for word in ("serve", "chat", "db", "export", "seed-demo", "digest", "teams-package"):
        assert word in out
