"""Asking for the outbox to be drained after every interaction: callers that
arrive during a run share one next run, and each is covered by a run that
started after it asked."""

from __future__ import annotations

import asyncio

import pytest

from scheduler.coalesced import Coalesced


class Work:
    """A run that waits to be let go, recording when it started and ended."""

    def __init__(self) -> None:
        self.log: list[str] = []
        self.gate = asyncio.Event()
        self.running = 0
        self.most_at_once = 0
        self.fail_next = False

    async def __call__(self) -> None:
        self.running += 1
        self.most_at_once = max(self.most_at_once, self.running)
        self.log.append("start")
        try:
            await self.gate.wait()
            if self.fail_next:
                self.fail_next = False
                raise RuntimeError("Slack is down")
        finally:
            self.running -= 1
            self.log.append("end")


async def test_callers_during_a_run_share_one_next_run() -> None:
    work = Work()
    coalesced = Coalesced(work)
    first = asyncio.create_task(coalesced())
    await asyncio.sleep(0)
    later = [asyncio.create_task(coalesced()) for _ in range(10)]
    await asyncio.sleep(0)
    assert work.log == ["start"]  # the ten wait for the next run, they don't start their own
    work.gate.set()
    await asyncio.gather(first, *later)
    assert coalesced.runs == 2
    assert work.most_at_once == 1


async def test_a_caller_is_not_served_by_a_run_that_began_before_it_asked() -> None:
    work = Work()
    coalesced = Coalesced(work)
    first = asyncio.create_task(coalesced())
    await asyncio.sleep(0)
    second = asyncio.create_task(coalesced())
    await asyncio.sleep(0)
    work.gate.set()
    await asyncio.gather(first, second)
    assert work.log == ["start", "end", "start", "end"]


async def test_a_failed_run_is_raised_to_its_callers_and_the_next_run_still_happens() -> None:
    work = Work()
    coalesced = Coalesced(work)
    work.fail_next = True
    work.gate.set()
    with pytest.raises(RuntimeError, match="Slack is down"):
        await coalesced()
    await coalesced()
    assert coalesced.runs == 2


async def test_a_cancelled_caller_does_not_cancel_the_run_others_wait_for() -> None:
    work = Work()
    coalesced = Coalesced(work)
    impatient = asyncio.create_task(coalesced())
    patient = asyncio.create_task(coalesced())
    await asyncio.sleep(0)
    impatient.cancel()
    await asyncio.sleep(0)
    work.gate.set()
    await patient
    assert work.log == ["start", "end"]


async def test_kick_asks_for_a_run_without_waiting_and_shares_its_future() -> None:
    work = Work()
    coalesced = Coalesced(work)
    running = coalesced.kick()
    await asyncio.sleep(0)
    first, second = coalesced.kick(), coalesced.kick()
    assert first is second and first is not running  # both wait for the one run after the current
    work.gate.set()
    await asyncio.gather(running, first)
    assert coalesced.runs == 2
