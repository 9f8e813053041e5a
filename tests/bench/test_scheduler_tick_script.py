"""bench/scheduler_tick.py still runs: idle ticks queue nothing, and every
request made due gets its nudges (an unclaimed one: its team's channel and its
lead, whose copies beyond the daily budget fold into one summary)."""

from __future__ import annotations

import re

from tests.bench.scripts import run_script


def test_tick_benchmark_nudges_exactly_the_requests_it_made_due() -> None:
    rows = run_script("scheduler_tick.py", "--scale", "0.002", "--repeat", "1")
    assert "SQLite: 1 due (2 nudges queued)" in rows
    (ten,) = [label for label in rows if label.startswith("SQLite: 10 due (")]
    queued = int(re.search(r"\((\d+) nudges queued\)", ten).group(1))  # type: ignore[union-attr]
    # ten channel posts, and each lead's copies up to the budget of five plus at most one summary
    assert 10 + 1 <= queued <= 20, ten
    assert rows["SQLite: nothing due, 200 open"][1] == "< 50 ms"
