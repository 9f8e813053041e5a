"""`GET /metrics` on the served app after a scripted Slack session: the
command counters, the ack and transaction histograms, the outbox gauges and
the delivery counters have moved, in Prometheus' text format."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from scheduler.jobs import tick
from tests.slack.conftest import ANA, BOB, SlackHarness, slack, slack_api  # noqa: F401  (the Slack fixtures)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """SQLite only: what is tested is the exposition, not the database."""
    return f"sqlite:///{tmp_path}/tandem.db"


Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


async def scrape(harness: SlackHarness) -> Samples:
    async with aiohttp.ClientSession() as session, session.get(harness.url + "/metrics") as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain; version=")
        text = await response.text()
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


def value(samples: Samples, metric: str, **labels: str) -> float:
    return samples.get((metric, tuple(sorted(labels.items()))), 0.0)


async def test_metrics_move_with_a_slack_session(slack: SlackHarness) -> None:
    before = await scrape(slack)
    await slack.command(ANA, '/tandem team add it "IT Help"')
    await slack.command(BOB, "/ask it a new laptop charger")
    await slack.command(ANA, "/tandem no-such-thing")
    # Slack holds the channel back: the kudos announcement waits in the outbox
    slack.api.rate_limit("chat.postMessage", retry_after=30, times=5)
    await slack.command(ANA, f"/kudos <@{BOB}|bob> thanks for the charger")
    await tick(slack.core.engine, slack.clock)
    after = await scrape(slack)

    def moved(metric: str, **labels: str) -> float:
        return value(after, metric, **labels) - value(before, metric, **labels)

    assert moved("tandem_commands_total", name="tandem team add", outcome="ok") == 1
    assert moved("tandem_commands_total", name="ask", outcome="ok") == 1
    assert moved("tandem_commands_total", name="kudos", outcome="ok") == 1
    assert moved("tandem_core_transaction_seconds_count") >= 3
    assert moved("tandem_ack_seconds_count", platform="slack") == 4
    assert moved("tandem_deliveries_total", platform="slack", result="sent") >= 1
    assert moved("tandem_deliveries_total", platform="slack", result="held") >= 1
    assert value(after, "tandem_outbox_pending", platform="slack") >= 1
    assert value(after, "tandem_outbox_oldest_pending_age_seconds", platform="slack") == 0  # held: not yet due
    slack.clock.advance(minutes=5)
    later = await scrape(slack)
    assert value(later, "tandem_outbox_oldest_pending_age_seconds", platform="slack") >= 200
    for name in ("tandem_nudges_queued_total", "tandem_reminders_queued_total", "tandem_scheduler_tick_seconds_count",
                 "tandem_digest_build_seconds_count", "tandem_db_pool_connections", "tandem_db_pool_size",
                 "process_cpu_seconds_total"):
        assert any(key[0] == name for key in after), f"{name} is missing"
    assert ("tandem_scheduler_tick_errors_total", (("job", "tick"),)) in after


async def test_metrics_answer_when_the_database_is_down() -> None:
    from aiohttp.test_utils import TestClient, TestServer

    from adapters.config import Config
    from adapters.server import build_app
    from bot.core import Tandem
    from storage.db import make_engine

    broken = make_engine("postgresql://nobody@127.0.0.1:1/none")
    async with TestClient(TestServer(build_app(Tandem(broken), Config()))) as client:
        response = await client.get("/metrics")
        assert response.status == 200
        text = await response.text()
    assert "tandem_database_up 0.0" in text and "tandem_commands_total" in text
