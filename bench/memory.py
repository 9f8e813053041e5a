"""Benchmark 5: resident memory of `tandem serve`, idle and after
benchmark 1's load.

Runs benchmark 1 (bench/slash_commands.py) and reads the Tandem process's
RSS from /proc twice: once it is up with Slack mounted (one command served,
one second idle), and once benchmark 1's commands are all answered. Prints
benchmark 1's table too, since it is the same run.

    python bench/memory.py [--requests 1000] [--rate 200] [--seconds 10]
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import Results, load_parser  # noqa: E402
from slash_commands import run as run_load  # noqa: E402

TARGET_MB = 150.0


async def run(*, requests: int, rate: float, seconds: float) -> tuple[Results, Results]:
    memory: dict[str, float] = {}
    load = await run_load(requests=requests, rate=rate, seconds=seconds, memory=memory, postgres=False, queries=False)
    results = Results("Benchmark 5: resident memory (VmRSS) of `tandem serve` (Slack, SQLite)")
    results.add("idle, after start-up", f"{memory['idle']:.0f} MiB", target=f"< {TARGET_MB:g} MiB",
                met=memory["idle"] < TARGET_MB)
    results.add(f"after benchmark 1 ({memory['commands']:,.0f} commands)", f"{memory['loaded']:.0f} MiB",
                target=f"< {TARGET_MB:g} MiB", met=memory["loaded"] < TARGET_MB)
    return results, load


def main(argv: list[str] | None = None) -> int:
    args = load_parser(__doc__).parse_args(argv)
    memory, load = asyncio.run(run(requests=args.requests, rate=args.rate, seconds=args.seconds))
    load.print()
    print()
    memory.print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
