"""`tandem serve`, counting every SQL statement the process sends: what
benchmark 1 runs, so it can report statements per completed command with
delivery and the scheduler included.

A `before_cursor_execute` listener on SQLAlchemy's `Engine` class sees every
engine the process makes. On SIGUSR1 the count so far is written to the file
named by TANDEM_BENCH_QUERIES (one integer), so the benchmark reads it
between levels without stopping the server.

    TANDEM_BENCH_QUERIES=/tmp/q python bench/serve_counted.py   # then: kill -USR1 <pid>
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

_lock = threading.Lock()
_count = 0


def _seen(*_args: Any) -> None:
    global _count
    with _lock:
        _count += 1


def _report(_signum: int, _frame: Any) -> None:
    target = os.environ.get("TANDEM_BENCH_QUERIES")
    if target:
        temporary = f"{target}.tmp"
        Path(temporary).write_text(str(_count))
        os.replace(temporary, target)


def main() -> int:
    event.listen(Engine, "before_cursor_execute", _seen)
    signal.signal(signal.SIGUSR1, _report)
    from adapters.cli import main as tandem

    return tandem(["serve", *sys.argv[1:]])


if __name__ == "__main__":
    raise SystemExit(main())
