"""The kill -9 test of issue 16: `tandem serve` as a real process, 60 signed
slash commands, SIGKILL right after the 60 acks, a restart: every acked
command is answered and acts exactly once (0 lost), because each was in the
inbox before its ack and the restart replays what the kill interrupted."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from pathlib import Path

import aiohttp
import pytest
from sqlmodel import Session, func, select

from bench.common import free_port
from storage.db import make_engine
from storage.models import Request
from tests.slack import payloads
from tests.slack.conftest import ANA, BOT_TOKEN, SIGNING_SECRET, build_valid_request
from tests.slack.mock_web_api import MockSlackApi

COMMANDS = 60


async def _start(env: dict[str, str], port: int, log: Path) -> asyncio.subprocess.Process:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "adapters.cli", "serve", env=env, stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL, stderr=log.open("ab"))
    deadline = time.monotonic() + 30
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            try:
                async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                    if response.status == 200:
                        return process
            except aiohttp.ClientError:
                pass
            if process.returncode is not None:
                break
            await asyncio.sleep(0.1)
    process.kill()
    raise AssertionError("tandem serve did not start:\n" + log.read_text()[-3000:])


async def _post(http: aiohttp.ClientSession, port: int, body: str) -> tuple[int, str]:
    async with http.post(f"http://127.0.0.1:{port}/slack/events", data=body.encode(),
                         headers=build_valid_request(body)) as response:
        return response.status, await response.text()


def _count(url: str) -> int:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return session.exec(select(func.count()).select_from(Request)).one()
    finally:
        engine.dispose()


async def _until(predicate, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        await asyncio.sleep(0.2)
    return predicate()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
async def test_sixty_commands_acked_then_killed_are_all_answered_after_a_restart(tmp_path: Path) -> None:
    api = MockSlackApi()
    api.add_user(ANA, "Ana Lima", "Europe/Paris")
    await api.start()
    url = f"sqlite:///{tmp_path}/tandem.db"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TEAMS_", "TANDEM_"))}
    env.update(DATABASE_URL=url, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
               SLACK_API_URL=api.api_url, TANDEM_HOST="127.0.0.1", TANDEM_PORT=str(port))
    log = tmp_path / "serve.log"
    try:
        process = await _start(env, port, log)
        async with aiohttp.ClientSession() as http:
            setup = payloads.slash_command("/tandem", 'team add it "IT Help"', user_id=ANA, trigger_id="setup",
                                           response_url=api.response_url("setup"))
            assert (await _post(http, port, setup))[0] == 200
            assert await _until(lambda: any(c.method == "response_url:setup" for c in api.calls), 15)
            bodies = [payloads.slash_command("/ask", f"it laptop number {n}", user_id=ANA, trigger_id=f"k-{n}",
                                             response_url=api.response_url(f"ask{n}")) for n in range(COMMANDS)]
            acks = await asyncio.gather(*(_post(http, port, body) for body in bodies))
        process.send_signal(signal.SIGKILL)  # right after the 60 acks
        await process.wait()
        assert [status for status, _ in acks] == [200] * COMMANDS
        assert all("try again" not in text for _, text in acks)  # every one acked as received
        before_restart = _count(url)
        print(f"requests stored before the restart: {before_restart} of {COMMANDS}")

        process = await _start(env, port, log)
        try:
            assert await _until(lambda: _count(url) >= COMMANDS, 20), (before_restart, _count(url))
            answered = {c.method.removeprefix("response_url:") for c in api.calls if c.method.startswith("response_url:ask")}
            assert await _until(lambda: len({c.method for c in api.calls
                                             if c.method.startswith("response_url:ask")}) == COMMANDS, 10), answered
        finally:
            process.terminate()
            await process.wait()
        assert _count(url) == COMMANDS  # each acted once: none lost, none twice
    finally:
        await api.stop()
