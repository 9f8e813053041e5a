"""`GET /metrics`: Prometheus' text format through prometheus-client.

Counters and histograms (commands by name and outcome, the core's transaction
time, ack latency per platform, and the scheduler's in `scheduler.metrics`)
live in the default registry, per process. What is read from the database at
scrape time (outbox depth and oldest due row per platform, the engine's
connection pool) is a collector in a registry of the app's own, so every app
built in one process (tests build many) reports its own engine. With several
replicas each exposes its own numbers; the outbox gauges are the shared
database's, so take `max` of them across replicas, not `sum`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import datetime, timezone

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import case, func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.core import Tandem
from storage.models import Notification

COMMANDS = Counter("tandem_commands", "Commands, button presses and forms the core ran, by name and outcome "
                   "(ok, refused, conflict, replayed, failed)", ["name", "outcome"])
TRANSACTION_SECONDS = Histogram("tandem_core_transaction_seconds", "One call into the core: its database "
                                "transaction, retries included", buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                                          0.5, 1, 2.5, 5))
ACK_SECONDS = Histogram("tandem_ack_seconds", "From a platform's request arriving to Tandem's HTTP answer "
                        "(Slack wants it within 3 s)", ["platform"],
                        buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10))
log = logging.getLogger(__name__)
ENDPOINTS = {"/slack/events": "slack", "/api/messages": "teams"}
REGISTRY_KEY = web.AppKey("metrics_registry", CollectorRegistry)


def observe_core(name: str, outcome: str, seconds: float) -> None:
    """The core's observer: one count and one duration per call."""
    COMMANDS.labels(name=name, outcome=outcome).inc()
    TRANSACTION_SECONDS.observe(seconds)


class DatabaseCollector(Collector):
    """Outbox depth and age per platform, and the connection pool, read when Prometheus scrapes."""

    def __init__(self, core: Tandem) -> None:
        self.core = core

    def collect(self) -> Iterator[Metric]:
        pending = GaugeMetricFamily("tandem_outbox_pending", "Notifications waiting to be sent, by platform",
                                    labels=["platform"])
        oldest = GaugeMetricFamily("tandem_outbox_oldest_pending_age_seconds", "How long the oldest due, unsent "
                                   "notification has waited past its due time, by platform (0: none waiting)",
                                   labels=["platform"])
        now = self.core.clock.now()
        up = GaugeMetricFamily("tandem_database_up", "1 if the last scrape could read the database, else 0")
        try:
            rows = _outbox(self.core.engine, now)
        except Exception as error:  # noqa: BLE001 - /metrics still answers, with the counters
            log.warning("metrics: can't read the outbox: %s", type(error).__name__)
            rows = []
            up.add_metric([], 0)
        else:
            up.add_metric([], 1)
        yield up
        for platform, count, first_due in rows:
            pending.add_metric([platform], count)
            age = (now - _aware(first_due)).total_seconds() if first_due is not None else 0.0
            oldest.add_metric([platform], max(age, 0.0))
        yield pending
        yield oldest
        yield from _pool(self.core.engine)


def _outbox(engine: Engine, now: datetime) -> list[tuple[str, int, datetime | None]]:
    due = func.min(case((col(Notification.due_at) <= now, col(Notification.due_at))))  # the oldest that is due
    with Session(engine) as session:
        rows = session.exec(select(Notification.platform, func.count(), due)
                            .where(col(Notification.status) == "pending")
                            .group_by(col(Notification.platform))).all()
    return [(platform, int(count), first) for platform, count, first in rows]


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def _pool(engine: Engine) -> Iterator[Metric]:
    pool = engine.pool
    size = getattr(pool, "size", None)
    connections = GaugeMetricFamily("tandem_db_pool_connections", "The database pool's connections by state",
                                    labels=["state"])
    if callable(size):  # a QueuePool (PostgreSQL, SQLite files); other pools report nothing
        connections.add_metric(["checked_out"], pool.checkedout())  # type: ignore[attr-defined]
        connections.add_metric(["idle"], pool.checkedin())  # type: ignore[attr-defined]
        connections.add_metric(["overflow"], max(pool.overflow(), 0))  # type: ignore[attr-defined]
        yield GaugeMetricFamily("tandem_db_pool_size", "The database pool's configured size", value=size())
    yield connections


def install(app: web.Application, core: Tandem) -> None:
    """Add `GET /metrics`, the ack-latency middleware and the core's observer to `app`."""
    registry = CollectorRegistry(auto_describe=False)  # describing would query the database at start
    registry.register(DatabaseCollector(core))
    app[REGISTRY_KEY] = registry
    if observe_core not in core.observers:
        core.observers.append(observe_core)
    app.middlewares.append(_ack_latency)
    app.router.add_get("/metrics", _metrics)


async def _metrics(request: web.Request) -> web.Response:
    own = request.app[REGISTRY_KEY]
    body = generate_latest(REGISTRY) + await asyncio.to_thread(generate_latest, own)
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})


@web.middleware
async def _ack_latency(request: web.Request,
                       handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> web.StreamResponse:
    platform = ENDPOINTS.get(request.path)
    if platform is None:
        return await handler(request)
    started = time.perf_counter()
    try:
        return await handler(request)
    finally:
        ACK_SECONDS.labels(platform=platform).observe(time.perf_counter() - started)
