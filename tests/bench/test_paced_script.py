"""bench/paced.py still runs: a paced load, twice, with the scheduler in the
process; each run's p99 and backlog are reported, and how many runs passed."""

from __future__ import annotations

from tests.bench.scripts import run_script


def test_paced_benchmark_reports_each_run_and_how_many_passed() -> None:
    rows = run_script("paced.py", "--rate", "20", "--seconds", "0.5", "--runs", "2")
    for run in (1, 2):
        assert rows[f"run {run} ack p50 / p99"][1] == "p99 < 100 ms"
        backlog, target = rows[f"run {run} backlog at the end"][:2]
        assert target == "< 1 s" and float(backlog.removesuffix(" s")) >= 0
    passed, of = rows["runs within every target"][0].split(" of ")
    assert of == "2" and 0 <= int(passed) <= 2
