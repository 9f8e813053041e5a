"""bench/slash_commands.py still runs: both servers start, every signed
command is acked and (for Tandem) answered, and the table has every figure."""

from __future__ import annotations

from tests.bench.scripts import run_script


def test_slash_command_benchmark_runs_at_tiny_size_and_reports_every_level() -> None:
    rows = run_script("slash_commands.py", "--requests", "12", "--rate", "20", "--seconds", "0.5")
    for concurrency in (1, 8, 32):
        assert rows[f"c={concurrency} Tandem completed/s"][0].replace(",", "").isdigit()
        assert rows[f"c={concurrency} Tandem/bare (acks)"][1] == ">= 0.5"
    assert rows["paced 20/s ack p99 Tandem"][1] == "< 100 ms"
