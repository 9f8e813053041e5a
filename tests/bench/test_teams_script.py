"""bench/teams.py still runs: both Teams servers start, check every
activity's token against the local keys, answer every message through the
mock Bot Connector with the token from the local Entra ID, and the table has
every figure at both levels."""

from __future__ import annotations

import re

from tests.bench.scripts import run_script


def _number(cell: str) -> float:
    return float(cell.replace(",", ""))


def test_teams_benchmark_runs_at_tiny_size_and_reports_both_levels(postgres_reason: str | None) -> None:
    rows = run_script("teams.py", "--requests", "16")
    labels = ["c=8", "c=32"] + ([] if postgres_reason else ["PostgreSQL c=32"])
    for label in labels:
        assert _number(rows[f"{label} bare botbuilder replies/s"][0]) > 0
        assert _number(rows[f"{label} Tandem completed/s"][0]) > 0
        ratio, target = rows[f"{label} Tandem/bare (completed)"][:2]
        assert target == ">= 0.5" and 0 < float(ratio) < 10
        bare_cpu, tandem_cpu = re.findall(r"[\d.]+", rows[f"{label} server CPU per command, bare / Tandem"][0])
        assert 0 < float(bare_cpu) and 0 < float(tandem_cpu) < 1000
        p50, p99 = re.findall(r"[\d.]+", rows[f"{label} latency p50 / p99 Tandem"][0])
        assert 0 < float(p50) <= float(p99)
        # the served process counted its statements: a command costs some, and not hundreds
        assert 3 <= _number(rows[f"{label} statements per completed command (all, with delivery)"][0]) < 100
        assert rows[f"{label} Tandem replies that were apologies"][0] == "0"
    assert _number(rows["c=32 bare botbuilder tuned (Tandem's botbuilder fixes) replies/s"][0]) > 0
    assert 0 < float(rows["c=32 Tandem/tuned bare (completed)"][0]) < 10
    assert rows["replies sent with the token from the local Entra ID"][0] == "all"
    assert _number(rows["tokens fetched from the local Entra ID (all servers)"][0]) >= 2
