"""`tandem serve` with no platform credentials: the terminal adapter on
SQLite, next to an HTTP listener whose /healthz reports the database."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.engine import Engine

from adapters.config import Config
from adapters.server import build_app
from bot.core import Tandem
from storage.db import make_engine


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_without_credentials_runs_the_terminal_on_sqlite(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TEAMS_", "TANDEM_LOG"))}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path}/t.db", TANDEM_PORT=str(free_port()))
    result = subprocess.run([sys.executable, "-m", "adapters.cli", "serve", "--as", "alice"],
                            input='/tandem team add it "IT Help"\n/tandem team list\n', capture_output=True,
                            text=True, env=env, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert "terminal mode, you are alice" in result.stderr
    assert "it — IT Help · 1 member" in result.stdout
    assert (tmp_path / "t.db").exists()
    assert "INFO" not in result.stderr  # a person at the terminal sees replies, not a log line per command


def test_serve_in_terminal_mode_logs_each_command_when_asked_to(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TEAMS_", "TANDEM_LOG"))}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path}/t.db", TANDEM_PORT=str(free_port()), TANDEM_LOG_LEVEL="INFO")
    result = subprocess.run([sys.executable, "-m", "adapters.cli", "serve", "--as", "alice"],
                            input="/tandem team list\n", capture_output=True, text=True, env=env, timeout=120,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert "INFO bot.core: tandem team list: ok in" in result.stderr


def test_db_upgrade_reports_an_up_to_date_schema(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/u.db"}
    result = subprocess.run([sys.executable, "-m", "adapters.cli", "db", "upgrade"], capture_output=True,
                            text=True, env=env, timeout=120, check=False)
    assert result.returncode == 0 and "up to date" in result.stdout


async def test_healthz_is_200_with_the_database_up(core: Tandem) -> None:
    async with TestClient(TestServer(build_app(core, Config()))) as client:
        response = await client.get("/healthz")
        assert response.status == 200
        assert (await response.json())["database"] == "ok"


async def test_healthz_is_503_when_the_database_is_unreachable(tmp_path: Path) -> None:
    broken: Engine = make_engine("postgresql://nobody@127.0.0.1:1/none")
    async with TestClient(TestServer(build_app(Tandem(broken), Config()))) as client:
        response = await client.get("/healthz")
        assert response.status == 503
