"""bench/slash_commands.py still runs: both servers start, every signed
command is acked and (for Tandem) answered, and the table has every figure:
acks and completed commands against bare bolt, statements counted, queries
per command in the core's transaction."""

from __future__ import annotations

from tests.bench.scripts import run_script


def test_slash_command_benchmark_runs_at_tiny_size_and_reports_every_level(postgres_reason: str | None) -> None:
    rows = run_script("slash_commands.py", "--requests", "12", "--rate", "20", "--seconds", "0.5")
    for concurrency in (1, 8, 32):
        assert rows[f"c={concurrency} Tandem completed/s"][0].replace(",", "").isdigit()
        assert rows[f"c={concurrency} Tandem/bare (acks)"][1] == ">= 0.5"
        # the served process counted its statements: a command costs some, and not hundreds
        assert 3 <= float(rows[f"c={concurrency} statements per completed command (all, with delivery)"][0]) < 100
    assert rows["c=32 Tandem completed/bare acks"][1] == ">= 0.3"
    assert rows["paced 20/s ack p99 Tandem"][1] == "< 100 ms"
    databases = ("SQLite",) if postgres_reason else ("SQLite", "PostgreSQL")  # the script skips what isn't there
    for database in databases:
        for command in ("/kudos", "/ask"):
            measured, target = rows[f"{database} queries per {command}"][:2]
            assert target == "<= 8" and 3 <= float(measured) < 50
    if not postgres_reason:
        assert rows["PostgreSQL c=32 Tandem completed/bare acks"][1] == ">= 0.3"
