"""Background work: delivering the outbox, nudges, feedback reminders and
the weekly digest. APScheduler only ticks; the due work is claimed from the
database, so several replicas can run without sending anything twice."""
