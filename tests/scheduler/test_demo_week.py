"""`tandem seed-demo`'s company left running for a simulated week: the right
nudges, prompts and one digest, each exactly once, on SQLite and PostgreSQL.

The scheduler runs as `tandem serve` runs it (tick and deliver every 15
minutes of a moving clock) while nobody touches a request, so what it sends
follows from the rules alone and can be checked against the database.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from bot.core import Tandem
from bot.demo import seed
from bot.services import teams
from bot.services.clock import FrozenClock
from scheduler.reminders import STALE
from storage.models import Feedback, Notification, Person, Request, Team
from storage.schedule import FeedbackReminder
from tests.scheduler.support import RecordingPort, run, run_until


async def test_demo_company_runs_a_week_with_each_message_exactly_once(core: Tandem, clock: FrozenClock) -> None:
    start = clock.now()  # Mon 23 Nov 10:00 UTC
    seed(core.engine, now=start)
    with Session(core.engine) as session:
        before = {n.id for n in session.exec(select(Notification)).all()}
        open_before = {r.id: r.status for r in session.exec(select(Request)).all()}
    port = RecordingPort(clock)
    end = start + timedelta(days=6, hours=22)  # Mon 30 Nov 08:00, before the next digest
    await run_until(core, port, start + timedelta(days=1))
    # Tuesday morning: a team lead finishes one of the team's unfinished requests
    with Session(core.engine) as session:
        finished = session.exec(select(Request).where(Request.status.in_(["open", "claimed"]))  # type: ignore[attr-defined]
                                .order_by(Request.id)).first()
        assert finished is not None
        lead = session.get(Person, session.get(Team, finished.team_id).lead_id)
        assert lead is not None
    done_at = clock.now()
    run(core, lead.display_name, f"requests {finished.id} done fixed it")
    await run_until(core, port, end)

    with Session(core.engine) as session:
        new = [n for n in session.exec(select(Notification).order_by(Notification.id)).all() if n.id not in before]
        people = {(p.platform, p.tenant, p.user_id): p for p in session.exec(select(Person)).all()}
        requests = {r.id: r for r in session.exec(select(Request)).all()}
        rated = set(session.exec(select(Feedback.request_id)).all())
        team_of = {t.id: t for t in session.exec(select(Team)).all()}
        planned = {r.request_id: r.remind_at for r in session.exec(select(FeedbackReminder)).all()}

    # every new row that came due was delivered exactly once, and nothing else was;
    # the rest wait for Monday's working morning
    assert all(n.status == "sent" or (n.status == "pending" and n.due_at > end) for n in new)
    assert len(port.sent) == sum(n.status == "sent" for n in new)
    kinds = Counter(n.kind.split("_")[0] if n.kind.startswith("nudge") else n.kind for n in new)
    assert kinds["digest"] == 1 and [n.idempotency_key for n in new if n.kind == "digest"] == ["digest:2026-W47"]
    assert kinds["nudge"] > 0

    # nudges only for requests that were still active, each (request, rule, period) once
    nudge_rows = [n for n in new if n.kind.startswith("nudge_") and n.kind != "nudge_summary"]
    assert len({n.idempotency_key for n in nudge_rows}) == len(nudge_rows)
    for row in nudge_rows:
        request_id = int(row.idempotency_key.split(":")[1])
        assert open_before[request_id] in {"open", "claimed", "in_progress"}

    # people hear in their working hours, at most five nudges a day plus a summary
    per_day: dict[tuple[str, str], int] = defaultdict(int)
    for row in nudge_rows:
        if row.recipient_kind != "person":
            continue
        person = people[(row.platform, row.tenant, row.address)]
        local = row.due_at.astimezone(ZoneInfo(person.timezone))
        request = requests[int(row.idempotency_key.split(":")[1])]
        cal = teams.calendar(team_of[request.team_id])
        assert local.weekday() in cal.days and cal.start <= local.time() < cal.end, row.idempotency_key
        per_day[(person.user_id, local.date().isoformat())] += 1
    assert per_day and max(per_day.values()) <= 5

    # the request finished on Tuesday: its prompt at once, one reminder two working days later
    prompts = [n for n in new if n.kind in {"feedback_prompt", "feedback_reminder"}
               and n.idempotency_key.split(":")[1] == str(finished.id)]
    assert [(n.kind, n.due_at) for n in prompts] == [("feedback_prompt", done_at),
                                                     ("feedback_reminder", done_at + timedelta(days=2))]
    # the demo's own unrated requests get one reminder each, and only those whose reminder came due
    # within the last few days (STALE): weeks-old ones get no late reminders
    others = [n for n in new if n.kind == "feedback_reminder" and n.idempotency_key.split(":")[1] != str(finished.id)]
    assert len({n.idempotency_key for n in others}) == len(others)
    for row in others:
        request = requests[int(row.idempotency_key.split(":")[1])]
        assert request.done_at is not None and start - request.done_at < timedelta(days=7)
        assert start - planned[request.id] <= STALE
        assert request.id not in rated
    assert finished.id not in rated
