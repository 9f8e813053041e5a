"""What every benchmark script shares: the import path, Slack request
signing, percentiles, a results table that puts each figure next to its
target, a throw-away PostgreSQL database, and a process's resident memory.

The scripts run as `python bench/<name>.py` from the repository root, so this
module also puts the root on `sys.path` (the project's packages and the
Slack test mock live there).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import os
import socket
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PG_ADMIN_URL = os.environ.get("TANDEM_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
SIGNING_SECRET = "bench-signing-secret-0123456789ab"
BOT_TOKEN = "xoxb-bench-token"


def signed_headers(body: str, *, secret: str = SIGNING_SECRET) -> dict[str, str]:
    """The headers Slack sends with a request: a v0 HMAC-SHA256 over `v0:{ts}:{body}`."""
    ts = str(int(time.time()))
    signature = "v0=" + hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature,
            "Content-Type": "application/x-www-form-urlencoded"}


async def wait_answered(calls: Callable[[], Sequence[object]], answers: Callable[[object], bool], count: int, *,
                        timeout: float, what: str = "commands") -> float:
    """Wait until `count` of the mock's recorded `calls()` are `answers`; returns when
    (monotonic). The calls list only grows, so each look scans only what is new."""
    deadline = time.monotonic() + timeout
    seen = checked = 0
    while time.monotonic() < deadline:
        recorded = calls()
        seen += sum(1 for call in recorded[checked:] if answers(call))
        checked = len(recorded)
        if seen >= count:
            return time.monotonic()
        await asyncio.sleep(0.005)
    raise TimeoutError(f"only {seen} of {count} {what} answered within {timeout} s")


def percentile(values: Sequence[float], share: float) -> float:
    """The `share` (0..1) percentile by nearest rank; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def rss_mb(pid: int) -> float:
    """Resident memory of process `pid` in MiB, from /proc/<pid>/status (VmRSS)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) process `pid` has used, from /proc/<pid>/stat:
    a cost per command that other load on a shared machine barely moves."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Row:
    figure: str
    measured: str
    target: str = ""
    met: bool | None = None  # None: no target, just a figure


@dataclass
class Results:
    """A small table: figure, measured, target, and OK/MISSED when there is a target."""

    title: str
    rows: list[Row] = field(default_factory=list)

    def add(self, figure: str, measured: str, *, target: str = "", met: bool | None = None) -> None:
        self.rows.append(Row(figure, measured, target, met))

    def render(self) -> str:
        header = ("figure", "measured", "target", "")
        lines = [(r.figure, r.measured, r.target, "" if r.met is None else ("ok" if r.met else "MISSED"))
                 for r in self.rows]
        widths = [max(len(str(x[i])) for x in [header, *lines]) for i in range(4)]
        out = [self.title, ""]
        for line in [header, tuple("-" * w for w in widths), *lines]:
            out.append("  ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=False)).rstrip())
        return "\n".join(out)

    def print(self) -> None:
        print(self.render(), flush=True)


def postgres_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            return True
    except Exception:  # noqa: BLE001 - any failure means: skip PostgreSQL, and say so
        return False


@contextmanager
def temporary_postgres() -> Iterator[str]:
    """A fresh PostgreSQL database (URL), dropped afterwards, as tests/conftest.py does."""
    import psycopg

    name = f"tandem_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def scale_parser(doc: str | None, *, repeat_help: str) -> argparse.ArgumentParser:
    """The options of the history-size benchmarks (digest, tick): --scale, --repeat, --no-postgres."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="shrink every size (e.g. 0.01)")
    parser.add_argument("--repeat", type=int, default=5, help=repeat_help)
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    return parser


def load_parser(doc: str | None) -> argparse.ArgumentParser:
    """The options of benchmark 1's load (also benchmark 5's): --requests, --rate, --seconds."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=1000, help="commands per concurrency level")
    parser.add_argument("--rate", type=float, default=200.0, help="commands per second in the paced run")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of the paced run")
    return parser
