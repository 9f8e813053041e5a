"""The running scheduler: APScheduler ticks, `tandem serve` starts it, and on
SQLite a second one is refused with a reason."""

from __future__ import annotations

import asyncio
import io
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from adapters.serve import _start_scheduler
from adapters.shell.port import ShellPort
from bot.core import Tandem
from bot.services.clock import FrozenClock
from scheduler.deliverer import Deliverer
from scheduler.guard import SchedulerRefused
from scheduler.runner import TandemScheduler
from tests.scheduler.support import RecordingPort, it_team, run


async def test_running_scheduler_ticks_and_delivers_without_being_called(core: Tandem, clock: FrozenClock) -> None:
    it_team(core)
    run(core, "carol", "ask it new laptop")
    clock.advance(hours=4)  # past the first-response target
    port = RecordingPort(clock)
    scheduler = TandemScheduler(core.engine, clock=clock, ports={"shell": port}, delivery_seconds=0.05,
                                tick_seconds=0.05)
    scheduler.start()
    try:
        for _ in range(100):
            if port.to("#it-help", "has waited"):
                break
            await asyncio.sleep(0.05)
    finally:
        scheduler.shutdown()
    assert len(port.to("#it-help", "has waited 4 h")) == 1


async def test_second_scheduler_on_one_sqlite_file_is_refused_with_a_reason(tmp_path: Path, clock: FrozenClock) -> None:
    from storage.db import make_engine, upgrade

    engine = make_engine(f"sqlite:///{tmp_path}/tandem.db")
    upgrade(engine)
    first = TandemScheduler(engine, clock=clock, ports={})
    first.start()
    try:
        with pytest.raises(SchedulerRefused, match="already running on this SQLite database") as refused:
            TandemScheduler(engine, clock=clock, ports={}).start()
        assert "use PostgreSQL" in str(refused.value)
        # from another OS process too
        script = textwrap.dedent(f"""
            from bot.services.clock import SystemClock
            from scheduler.guard import SchedulerRefused
            from scheduler.runner import TandemScheduler
            from storage.db import make_engine
            try:
                TandemScheduler(make_engine("sqlite:///{tmp_path}/tandem.db"), clock=SystemClock(), ports={{}}).start()
            except SchedulerRefused as refused:
                print(refused)
        """)
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60).stdout
        assert "Another Tandem scheduler (pid" in out
    finally:
        first.shutdown()
    second = TandemScheduler(engine, clock=clock, ports={})
    second.start()  # the lock went with the first one
    second.shutdown()
    engine.dispose()


async def test_tandem_serve_starts_one_scheduler_and_a_second_serve_says_why_not(
        engine: Engine, clock: FrozenClock, capsys: pytest.CaptureFixture[str]) -> None:
    core = Tandem(engine, clock=clock)
    ports = {"shell": ShellPort(io.StringIO())}
    started = _start_scheduler(core, ports, Deliverer(engine, clock, ports))
    assert started is not None and "shell" in started.ports
    try:
        again = _start_scheduler(core, ports, Deliverer(engine, clock, ports))
        if engine.dialect.name == "sqlite":
            assert again is None
            assert "Scheduler not started: Another Tandem scheduler" in capsys.readouterr().err
        else:  # PostgreSQL coordinates replicas through row locks
            assert again is not None
            again.shutdown()
    finally:
        started.shutdown()
