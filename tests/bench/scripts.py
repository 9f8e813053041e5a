"""Running a benchmark script the way a person does (`python bench/<name>.py`),
at tiny sizes, and reading back the table it printed."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_script(name: str, *args: str, timeout: float = 300) -> dict[str, list[str]]:
    """Run bench/<name>.py with `args`; assert it exits 0; returns its table
    rows by figure: [measured, target, verdict]."""
    done = subprocess.run([sys.executable, str(ROOT / "bench" / name), *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-3000:]
    rows: dict[str, list[str]] = {}
    for line in done.stdout.splitlines():
        cells = re.split(r"\s{2,}", line.strip())
        if len(cells) >= 2 and not set(cells[0]) <= {"-"} and cells[0] != "figure":
            rows[cells[0]] = cells[1:]
    return rows
