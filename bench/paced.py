"""Benchmark 1b: a paced load held for a while, several times, with the
scheduler running in the same process.

One `tandem serve` (SQLite, the Slack mock of benchmark 1; its scheduler
starts with it, so the 15-second delivery backstop and the minute tick run
during the load) gets `/kudos` and `/ask` commands at a fixed rate, open loop,
for `--seconds`, `--runs` times. For each run: the ack latency's p99 counted
from each command's planned moment (no coordinated omission), and the
backlog at the end, how long after the last command was sent the last reply
arrived: under a second means the work keeps up with the arrivals. A run
passes when both are within target; the table says how many of the runs did.

    python bench/paced.py [--rate 200] [--seconds 30] [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import aiohttp  # noqa: E402
from common import Results, cpu_seconds, percentile  # noqa: E402
from slash_commands import ACK_P99_TARGET_MS, Load, measure, paced, set_up_tandem, start_mock_slack, tandem_server  # noqa: E402

BACKLOG_TARGET_S = 1.0


@dataclass
class Run:
    p50_ms: float
    p99_ms: float
    backlog_s: float
    cpu_ms_per_command: float
    late_acks: int  # not acked within Slack's 3 seconds (bolt then answers 404)

    @property
    def passed(self) -> bool:
        return self.p99_ms < ACK_P99_TARGET_MS and self.backlog_s < BACKLOG_TARGET_S and self.late_acks == 0


async def run(*, rate: float, seconds: float, runs: int) -> Results:
    api = await start_mock_slack()
    load = Load(api)
    done: list[Run] = []
    try:
        with tempfile.TemporaryDirectory(prefix="tandem-paced-") as tmp:
            async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session, \
                    tandem_server(session, api_url=api.api_url, database_url=f"sqlite:///{tmp}/tandem.db",
                                  workdir=Path(tmp)) as tandem:
                await set_up_tandem(session, tandem, load)
                await measure(session, tandem, load, requests=50, concurrency=4, wait_replies=True)
                for _ in range(runs):
                    numbers = load.numbers(max(1, int(rate * seconds)))
                    cpu_before = cpu_seconds(tandem.pid)
                    refused: list[int] = []
                    latencies = await paced(session, tandem, load, numbers, rate=rate, refused=refused)
                    sent = time.monotonic()
                    replied = await load.wait_replies([n for n in numbers if n not in set(refused)])
                    cpu = (cpu_seconds(tandem.pid) - cpu_before) * 1000 / len(numbers)
                    done.append(Run(percentile(latencies, 0.5) * 1000, percentile(latencies, 0.99) * 1000,
                                    max(0.0, replied - sent), cpu, len(refused)))
                    await asyncio.sleep(1.0)  # the next run starts on a quiet server
    finally:
        await api.stop()
    results = Results(f"Benchmark 1b: paced {rate:g} commands/s for {seconds:g} s, {runs} runs, scheduler in the "
                      f"same process ({os.cpu_count()} CPUs)")
    for number, one in enumerate(done, 1):
        results.add(f"run {number} ack p50 / p99", f"{one.p50_ms:.1f} / {one.p99_ms:.1f} ms",
                    target=f"p99 < {ACK_P99_TARGET_MS:g} ms", met=one.p99_ms < ACK_P99_TARGET_MS)
        results.add(f"run {number} backlog at the end", f"{one.backlog_s:.2f} s", target=f"< {BACKLOG_TARGET_S:g} s",
                    met=one.backlog_s < BACKLOG_TARGET_S)
        results.add(f"run {number} acks later than Slack's 3 s", f"{one.late_acks}", target="0",
                    met=one.late_acks == 0)
        results.add(f"run {number} server CPU per command", f"{one.cpu_ms_per_command:.2f} ms")
    passed = sum(one.passed for one in done)
    results.add("runs within every target", f"{passed} of {len(done)}", target=f"{len(done)} of {len(done)}",
                met=passed == len(done))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=200.0, help="commands per second")
    parser.add_argument("--seconds", type=float, default=30.0, help="length of each run")
    parser.add_argument("--runs", type=int, default=5, help="how many runs")
    args = parser.parse_args(argv)
    asyncio.run(run(rate=args.rate, seconds=args.seconds, runs=args.runs)).print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
