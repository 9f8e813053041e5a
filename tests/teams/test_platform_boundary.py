"""botbuilder is archived: only `adapters/teams/` may import it, so moving to
the Microsoft 365 Agents SDK touches that folder alone."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
IMPORT = re.compile(r"^\s*(?:from|import)\s+(botbuilder|botframework)\b", re.M)


def test_only_the_teams_adapter_imports_botbuilder() -> None:
    offenders = []
    for folder in ("bot", "storage", "scheduler", "adapters"):
        for path in (ROOT / folder).rglob("*.py"):
            if path.is_relative_to(ROOT / "adapters" / "teams"):
                continue
            if IMPORT.search(path.read_text(encoding="utf-8")):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_the_teams_adapter_does_import_it_so_the_check_above_means_something() -> None:
    assert IMPORT.search((ROOT / "adapters" / "teams" / "app.py").read_text(encoding="utf-8"))
