"""bench/replicas.py still runs: one and then two `tandem serve` on one
PostgreSQL database answer every command, and nothing reaches Slack twice."""

from __future__ import annotations

import pytest

from tests.bench.scripts import run_script


def test_replica_benchmark_serves_every_command_once(postgres_reason: str | None) -> None:
    if postgres_reason:
        pytest.skip(postgres_reason)
    rows = run_script("replicas.py", "--requests", "24", "--concurrency", "4")
    assert float(rows["two / one"][0]) > 0 and rows["two / one"][1] == "> 1"
    posted, twice = rows["messages posted to Slack / posted twice"][0].split(" / ")
    assert int(posted.replace(",", "")) > 0 and twice == "0"
    assert rows["command replies sent twice"][0] == "0"
