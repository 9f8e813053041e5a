"""The nudge job: claim requests whose `next_nudge_at` has come, say what the
milestones in between call for, and move the watermark on — one transaction.

Exactly once: the rows are claimed with `FOR UPDATE SKIP LOCKED` on
PostgreSQL, so two replicas never handle the same request at once; the
claim is a lease the database ends if the claimer dies (its connection
goes, or it idles in the transaction past `LEASE`). Each nudge is an outbox
row whose idempotency key names the rule and the period, written in the same
transaction that advances the watermark.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, text, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.ports import Recipient
from bot.services import nudges, outbox, teams
from bot.services.worktime import WorkCalendar
from bot.texts import nudges as say
from storage.db import session_scope
from storage.models import Notification, Person, Request, Team
from storage.schedule import NudgeBudget, insert_ignore

log = logging.getLogger(__name__)
BUDGET = 5  # individual nudges per person per local day; the rest fold into one summary
LEASE_SECONDS = 60


def begin_claim(session: Session) -> None:
    """Make this transaction's row locks a lease: PostgreSQL ends a transaction
    that idles longer than `LEASE_SECONDS`, releasing what it claimed."""
    if session.get_bind().dialect.name == "postgresql":
        lease = text(f"SET LOCAL idle_in_transaction_session_timeout = '{LEASE_SECONDS}s'")
        session.exec(lease)  # type: ignore[call-overload]


def run_nudges(engine: Engine, *, now: datetime, batch: int = 100) -> int:
    """Handle every request whose next nudge is due at `now`; returns how many
    nudges (and summary updates) were queued."""
    queued = 0
    while True:
        with session_scope(engine) as session:
            begin_claim(session)
            active = Request.status.in_(nudges.NUDGED)  # type: ignore[attr-defined]
            query = (select(Request).where(active, Request.next_nudge_at <= now)  # type: ignore[operator]
                     .order_by(Request.next_nudge_at, Request.id).limit(batch))  # type: ignore[arg-type]
            if engine.dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            rows = list(session.exec(query).all())
            for req in rows:
                queued += handle_request(session, req, now=now)
        if len(rows) < batch:
            return queued


def handle_request(session: Session, req: Request, *, now: datetime) -> int:
    """Queue the nudges due for one claimed request and move its watermark."""
    team = session.get(Team, req.team_id)
    assert team is not None and req.next_nudge_at is not None
    cal = teams.calendar(team)
    queued = 0
    for milestone in nudges.due_between(req, cal, req.next_nudge_at, now):
        queued += _send(session, milestone.rule, req, team=team, cal=cal, now=now)
    req.next_nudge_at = nudges.after(req, cal, now)
    return queued


def _send(session: Session, rule: str, req: Request, *, team: Team, cal: WorkCalendar, now: datetime) -> int:
    requester = session.get(Person, req.requester_id)
    assignee = session.get(Person, req.assignee_id) if req.assignee_id else None
    lead = session.get(Person, team.lead_id) if team.lead_id else None
    assert requester is not None
    queued = 0
    for target in _targets(rule, team=team, requester=requester, assignee=assignee, lead=lead):
        queued += _send_to(session, target, req, team=team, cal=cal, requester=requester, assignee=assignee,
                           now=now)
    return queued


@dataclass(frozen=True)
class _Target:
    """One recipient of a milestone: who, and which wording (`rule`) they get."""

    rule: str
    recipient: Recipient
    person: Person | None  # a person's own calendar and budget; None for a channel


def _targets(rule: str, *, team: Team, requester: Person, assignee: Person | None,
             lead: Person | None) -> list[_Target]:
    """Who hears of a milestone. Lateness reaches the lead and the requester
    whatever the team did; an unclaimed request reaches the lead even when
    the team has a channel."""
    intake = outbox.team_intake(team, lead)
    to_intake = ([_Target(rule, intake, lead if intake.kind == "person" else None)] if intake is not None else [])
    if rule == "escalate":
        out = [_Target(rule, outbox.to_person(lead), lead)] if lead is not None else []
        if lead is None or requester.id != lead.id:
            out.append(_Target("escalated", outbox.to_person(requester), requester))
        return out
    if rule == "late":
        holders = {p.id for p in (assignee, lead) if p is not None}
        return [] if requester.id in holders else [_Target("late", outbox.to_person(requester), requester)]
    if rule == "waiting_reminder":
        return [_Target(rule, outbox.to_person(requester), requester)]
    if rule == "waited_too_long":
        return [_Target(rule, outbox.to_person(assignee), assignee)] if assignee is not None else to_intake
    if rule == "unclaimed":
        if lead is not None and intake is not None and intake.kind == "channel":
            return [*to_intake, _Target("unclaimed_lead", outbox.to_person(lead), lead)]
        return to_intake
    if assignee is not None:
        return [_Target(rule, outbox.to_person(assignee), assignee)]
    return to_intake


def _send_to(session: Session, target: _Target, req: Request, *, team: Team, cal: WorkCalendar, requester: Person,
             assignee: Person | None, now: datetime) -> int:
    rule, recipient, person = target.rule, target.recipient, target.person
    at = nudges.recipient_calendar(cal, person).next_working_moment(now)
    tz = person.timezone if person is not None else team.timezone
    day = at.astimezone(nudges.recipient_calendar(cal, person).zone).date().isoformat()
    key = _key(rule, req, day)
    if session.exec(select(Notification.id).where(Notification.idempotency_key == key)).first() is not None:
        return 0
    if rule == "overdue" and _due_nudge_on(session, req, day, tz):
        return 0  # "due now" already went out that day: once a working day
    # The lead's copy of an unclaimed request counts against the lead's day like any
    # nudge: past the budget it is folded into the day's summary, so it still reaches them.
    if person is not None:
        folded = _fold_past_budget(session, person, day, say.summary_line(rule, req, at=at), now=now, at=at)
        if folded is not None:
            return folded  # the day's summary took it: a row only when the summary was (re)queued
    message = say.nudge(rule, req, team=team, requester=requester, assignee=assignee, tz=tz, at=at,
                        first_response_hours=team.first_response_hours, shared=recipient.kind == "channel")
    outbox.notify(session, recipient, message, key=key, now=now, due_at=at, kind=f"nudge_{rule}")
    return 1


def _key(rule: str, req: Request, day: str) -> str:
    stamp = req.due_at.strftime("%Y%m%dT%H%M")
    held = req.waiting_since.strftime("%Y%m%dT%H%M") if req.waiting_since else ""
    return {
        "unclaimed": f"nudge:{req.id}:unclaimed",
        "unclaimed_lead": f"nudge:{req.id}:unclaimed:lead",
        "three_quarter": f"nudge:{req.id}:three-quarter:{stamp}",
        "due": f"nudge:{req.id}:due:{stamp}",
        "late": f"nudge:{req.id}:late:{stamp}",
        "overdue": f"nudge:{req.id}:overdue:{day}",
        "escalate": f"nudge:{req.id}:escalate:{stamp}",
        "escalated": f"nudge:{req.id}:escalated:{stamp}",
        "waiting_reminder": f"nudge:{req.id}:waiting-reminder:{held}",
        "waited_too_long": f"nudge:{req.id}:waited-too-long:{held}",
    }[rule]


def _due_nudge_on(session: Session, req: Request, day: str, tz: str) -> bool:
    from zoneinfo import ZoneInfo

    row = session.exec(select(Notification).where(Notification.idempotency_key == _key("due", req, day))).first()
    return row is not None and row.due_at.astimezone(ZoneInfo(tz)).date().isoformat() == day


def _fold_past_budget(session: Session, person: Person, day: str, line: str, *, now: datetime,
                      at: datetime) -> int | None:
    """Count one nudge against `person`'s day: None while within the budget (send
    it); past the budget, fold it into the day's summary and return the rows that
    queued (0 when a pending summary was rewritten in place), so a tick's count is
    what it put in the outbox."""
    assert person.id is not None
    insert_ignore(session, NudgeBudget(person_id=person.id, day=day))
    budget = session.exec(select(NudgeBudget).where(NudgeBudget.person_id == person.id, NudgeBudget.day == day)
                          .with_for_update()).one()
    session.refresh(budget)
    if budget.sent < BUDGET:
        budget.sent += 1
        return None
    lines = json.loads(budget.summary_json) + [line]
    budget.summary_json = json.dumps(lines)
    budget.folded += 1
    message = say.summary(lines, budget=BUDGET)
    key = f"nudge-summary:{person.id}:{day}"
    session.flush()
    updated = session.exec(
        update(Notification)
        .where(col(Notification.idempotency_key) == key, col(Notification.status) == "pending",
               or_(col(Notification.lease_until).is_(None), col(Notification.lease_until) < now))
        .values(message_json=message.model_dump_json()).returning(col(Notification.id)))
    if updated.first() is not None:
        return 0
    exists = session.exec(select(Notification.id).where(Notification.idempotency_key == key)).first() is not None
    if not exists:
        outbox.notify(session, outbox.to_person(person), message, key=key, now=now, due_at=at, topic=key,
                      kind="nudge_summary")
    else:
        budget.summary_versions += 1
        outbox.notify(session, outbox.to_person(person), message, key=f"{key}:{budget.summary_versions}", now=now,
                      due_at=at, topic=key, replace=True, kind="nudge_summary")
    return 1
