"""bench/burst.py still runs: `tandem serve` takes a small burst of signed
"Say thanks" presses from distinct people, stores each person's kudos once,
and announces them in one post and few updates, without a 429 from the mock
that keeps to Slack's published rates."""

from __future__ import annotations

from tests.bench.scripts import run_script


def test_the_burst_benchmark_runs_at_tiny_size_and_coalesces_the_announcement(postgres_reason: str | None) -> None:
    rows = run_script("burst.py", "--presses", "20", "--seconds", "1")
    databases = ("SQLite",) if postgres_reason else ("SQLite", "PostgreSQL")  # the script skips what isn't there
    for database in databases:
        assert rows[f"{database} ack max"][1:] == ["< 3000 ms", "ok"]
        assert rows[f"{database} presses answered"][0] == "20"
        assert rows[f"{database} kudos stored (distinct givers)"] == ["20 (20)", "20 (20)", "ok"]
        posts, updates = (int(n) for n in rows[f"{database} announcement posts + updates"][0].split(" + "))
        assert posts == 1 and updates <= 3  # 20 presses, not 20 posts
        assert float(rows[f"{database} announcement calls per press"][0]) <= 0.2
        assert rows[f"{database} 429s received"] == ["0", "0", "ok"]
        assert rows[f"{database} final text right after the last answer"][2] == "ok"
