"""bench/scheduler_tick.py still runs: idle ticks queue nothing, and every
request made due gets its nudges (an unclaimed one: its team's channel and its lead)."""

from __future__ import annotations

from tests.bench.scripts import run_script


def test_tick_benchmark_nudges_exactly_the_requests_it_made_due() -> None:
    rows = run_script("scheduler_tick.py", "--scale", "0.002", "--repeat", "1")
    assert "SQLite: 10 due (20 nudges queued)" in rows
    assert "SQLite: 1 due (2 nudges queued)" in rows
    assert rows["SQLite: nothing due, 200 open"][1] == "< 50 ms"
