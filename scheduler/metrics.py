"""The scheduler's Prometheus metrics: deliveries, queued nudges and reminders,
tick durations and errors, digest build time.

They live in prometheus-client's default registry, per process: with several
replicas each exposes its own and Prometheus sums them (`sum by (result)`).
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

DELIVERIES = Counter("tandem_deliveries", "Outbox rows handled by a delivery run, by platform and result "
                     "(sent, retried, held: the platform asked to wait, paced: a growing announcement waits its "
                     "interval, failed: given up)", ["platform", "result"])
NUDGES_QUEUED = Counter("tandem_nudges_queued", "Nudges (due soon, overdue, escalations) queued by the scheduler")
REMINDERS_QUEUED = Counter("tandem_reminders_queued", "Feedback reminders queued by the scheduler")
TICK_SECONDS = Histogram("tandem_scheduler_tick_seconds", "How long one scheduler run took, by job (tick, deliver)",
                         ["job"], buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60))
TICK_ERRORS = Counter("tandem_scheduler_tick_errors", "Scheduler runs that failed (the next run retries), by job",
                      ["job"])
DIGEST_BUILD_SECONDS = Histogram("tandem_digest_build_seconds", "Building and queueing the weekly digest",
                                 buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60))

for _job in ("tick", "deliver"):  # present from the start, so a rate() has a zero to start from
    TICK_ERRORS.labels(job=_job)
    TICK_SECONDS.labels(job=_job)
