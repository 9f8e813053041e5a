"""Output that is honest and quiet: an export whose reader went away (`tandem
export … | head`) stops without a BrokenPipeError traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_an_export_into_a_closed_pipe_ends_without_a_traceback(tmp_path: Path, fmt: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TANDEM_", "SLACK_", "TEAMS_"))}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path}/tandem.db"
    export = subprocess.Popen([sys.executable, "-m", "adapters.cli", "export", "audit", "--format", fmt],
                              env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert export.stdout is not None and export.stderr is not None
    export.stdout.close()  # the reader is gone before the first byte, as `head` is after its lines
    errors = export.stderr.read().decode()
    assert export.wait(timeout=120) == 141
    assert "Traceback" not in errors and "BrokenPipe" not in errors and "Exception ignored" not in errors
