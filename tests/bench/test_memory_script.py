"""bench/memory.py still runs: it reads `tandem serve`'s resident memory
before and after a (tiny) benchmark 1 load."""

from __future__ import annotations

from tests.bench.scripts import run_script


def test_memory_benchmark_reports_idle_and_loaded_rss() -> None:
    rows = run_script("memory.py", "--requests", "12", "--rate", "20", "--seconds", "0.5")
    assert rows["idle, after start-up"][0].endswith("MiB")
    loaded = [row for figure, row in rows.items() if figure.startswith("after benchmark 1")]
    assert loaded and loaded[0][1] == "< 150 MiB"
