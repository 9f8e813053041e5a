"""bench/digest_scale.py still runs: the synthetic company is written in
bulk, and both history sizes give the same digest week."""

from __future__ import annotations

from tests.bench.scripts import run_script


def test_digest_benchmark_builds_two_histories_with_the_same_week() -> None:
    rows = run_script("digest_scale.py", "--scale", "0.002", "--repeat", "1")
    same_week = [row for figure, row in rows.items() if figure.endswith("week's kudos given (both sizes)")]
    assert same_week and all(row[-1] == "ok" for row in same_week)
    assert any(figure.startswith("SQLite: digest at") for figure in rows)
