"""bench/delivery_rate_limits.py still runs: a small backlog through the real
delivery job and Slack port reaches the rate-limited mock, each message once."""

from __future__ import annotations

from tests.bench.scripts import run_script


def test_delivery_benchmark_delivers_every_message_exactly_once() -> None:
    rows = run_script("delivery_rate_limits.py", "--notifications", "40", "--channels", "20", "--interval", "0.05")
    assert rows["delivered (accepted by Slack)"][:2] == ["40 of 40", "all"]
    assert rows["delivered twice"][0] == "0"
    assert rows["outbox rows by status"][0] == "sent 40"
