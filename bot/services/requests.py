"""The life of a cross-team request: filing, moving it through the states of
`bot.services.lifecycle`, comments, and the lists people see.

Every change is a `RequestEvent` and a refreshed card for the team,
written with the notifications it causes in one transaction. The service clock
pauses while a request waits on its requester: on resuming, the due date moves
on by the working time spent waiting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlmodel import Session, col, or_, select

from bot import access
from bot.messages import Message
from bot.problems import Conflict, Problem
from bot.services import causes, edits, handover, lifecycle, nudges, outbox, teams
from bot.services.dates import (
    ASAP,
    DateAmbiguous,
    DateImpossible,
    DateInPast,
    DateNotUnderstood,
    DateReading,
    DateTooFar,
    WeekdayMismatch,
    describe,
    describe_day,
    parse_when,
)
from bot.services.lifecycle import RequestStatus
from bot.services.people import ref
from bot.services.worktime import Closure, WorkCalendar
from bot.texts import calendar as calendar_say
from bot.texts import history as history_say
from bot.texts import requests as say
from storage.models import Person, Request, RequestEvent, Team
from storage.rows import insert_loaded

TITLE_LIMIT = 2000


@dataclass(frozen=True)
class Due:
    """A request's due date and how it came about, so the reply can say so.

    `typed` is what the requester wrote; `closure` is set when that fell on a
    day the team doesn't work, with `moved` saying whether it was moved
    ("earlier" to the end of the last working day before, "later" to the end
    of the next one, or "" when the calendar had nowhere to move it).
    """

    at: datetime
    requested: bool
    typed: str | None = None
    asap: bool = False
    closure: Closure | None = None
    closed_day: date | None = None
    moved: str = ""


@dataclass(frozen=True)
class Ask:
    team: Team
    title: str
    when: str | None = None
    private: bool = False
    due: Due | None = None  # read beforehand by the caller, with the requester's DateReading


def due_for(*, team: Team, requester: Person, when: str | None, now: datetime,
            reading: DateReading | None = None) -> Due:
    """The due date: what the requester typed (in their zone and their order
    of day and month), else the team's resolution target counted in the
    team's working time. "asap" is one working day, or the standard if shorter.
    A typed date on a day the team doesn't work moves to a working day."""
    cal = teams.calendar(team)
    standard = cal.add(now, teams.resolution_target(team, cal))
    if not when:
        return Due(at=standard, requested=False)
    if ASAP.match(when):
        return Due(at=min(standard, cal.add(now, cal.day_length)), requested=True, typed=when, asap=True)
    reading = reading or DateReading(tz=requester.timezone)
    at = read_date(when, reading=reading, now=now, default_time=cal.end, field="due")
    return _off_closed_days(Due(at=at, requested=True, typed=when), cal, now)


def _off_closed_days(due: Due, cal: WorkCalendar, now: datetime) -> Due:
    day = due.at.astimezone(cal.zone).date()
    closure = cal.closure(day)
    if closure is None:
        return due
    earlier = cal.end_of_last_working_day_before(due.at)
    if earlier is not None and earlier > now:
        return replace(due, at=earlier, closure=closure, closed_day=day, moved="earlier")
    start = cal.next_working_moment(due.at)
    if start == due.at:  # no working time left in the calendar: flag it, keep the date
        return replace(due, closure=closure, closed_day=day)
    later = datetime.combine(start.astimezone(cal.zone).date(), cal.end, cal.zone).astimezone(timezone.utc)
    return replace(due, at=later, closure=closure, closed_day=day, moved="later")


def read_date(phrase: str, *, reading: DateReading, now: datetime, default_time: time, field: str) -> datetime:
    """A typed date as a future moment within the horizon, or a Problem that
    says what was wrong with it and echoes what was typed."""
    when = phrase[:60]
    today = now.astimezone(ZoneInfo(reading.tz)).date()
    try:
        return parse_when(phrase, now=now, tz=reading.tz, end_of_day=default_time, order=reading.order,
                          horizon=reading.horizon).moment
    except DateNotUnderstood:
        raise Problem(calendar_say.DATE_UNREADABLE.format(when=when), field=field) from None
    except DateInPast:
        raise Problem(calendar_say.DATE_PAST.format(when=when), field=field) from None
    except DateTooFar:
        limit = describe_day((now + reading.horizon).astimezone(ZoneInfo(reading.tz)).date(), today=today)
        raise Problem(calendar_say.DATE_TOO_FAR.format(when=when, days=reading.horizon.days, limit=limit),
                      field=field) from None
    except DateImpossible as impossible:
        raise Problem(calendar_say.DATE_NO_SUCH_TIME.format(when=when, part=impossible.part[:20]),
                      field=field) from None
    except DateAmbiguous as ambiguous:
        if len(ambiguous.readings) == 2:
            first, second = ambiguous.readings
            raise Problem(calendar_say.DATE_TWO_WAYS.format(when=when, first=describe_day(first, today=today),
                                                            second=describe_day(second, today=today),
                                                            iso=first.isoformat()),
                          field=field) from None
        raise Problem(calendar_say.DATE_UNCLEAR_NUMBER.format(when=when, part=ambiguous.part[:20]),
                      field=field) from None
    except WeekdayMismatch as mismatch:
        raise Problem(calendar_say.DATE_WRONG_WEEKDAY.format(when=when, day=describe_day(mismatch.day, today=today),
                                                             weekday=mismatch.day.strftime("%A")),
                      field=field) from None


def file(session: Session, ask: Ask, *, requester: Person, now: datetime, origin: tuple[str, str, str]) -> Request:
    title = ask.title.strip()
    if not title:
        raise Problem(say.ASK_EMPTY.format(team=ask.team.name, handle=ask.team.handle), field="what")
    if len(title) > TITLE_LIMIT:
        raise Problem(say.TITLE_TOO_LONG.format(limit=TITLE_LIMIT, length=len(title)), field="what", echo=title)
    due = ask.due or due_for(team=ask.team, requester=requester, when=ask.when, now=now)
    cal = teams.calendar(ask.team)
    assert ask.team.id is not None and requester.id is not None  # stored rows have their ids
    req = Request(
        team_id=ask.team.id,
        requester_id=requester.id,
        title=title,
        private=ask.private,
        due_at=due.at,
        due_requested=due.requested,
        first_response_due_at=cal.add(now, teams.first_response_target(ask.team, cal)),
        origin_platform=origin[0],
        origin_tenant=origin[1],
        origin_channel=origin[2],
        created_at=now,
        updated_at=now,
    )
    req.next_nudge_at = nudges.next_check(req, cal, now)  # before the INSERT: no UPDATE after it
    insert_loaded(session, req)
    event = _event(session, req, requester, "filed", "", now)
    _publish_card(session, req, event, now, first=True)
    return req


def get_visible(session: Session, request_id: int, viewer: Person) -> Request:
    """Request `request_id` if `viewer` may see it; otherwise the same answer
    as for a request that doesn't exist, so a private one is not revealed."""
    req = session.get(Request, request_id)
    if req is None or not access.can_see(session, req, viewer):
        raise Problem(say.NOT_FOUND.format(id=request_id))
    return req


def can_see(session: Session, req: Request, viewer: Person) -> bool:
    return access.can_see(session, req, viewer)


def _resume_clock(req: Request, cal_team: Team, now: datetime) -> None:
    if req.waiting_since is not None:
        cal = teams.calendar(cal_team)
        paused = cal.between(req.waiting_since, now)
        if paused > timedelta(0):
            req.due_at = cal.add(req.due_at, paused)
        req.waiting_since = None


def _first_response(req: Request, now: datetime) -> None:
    if req.first_response_at is None:
        req.first_response_at = now


def _hold(session: Session, req: Request) -> None:
    """Take the request for this transaction, or learn someone else moved it first.

    A conditional update on the state this command read: on PostgreSQL it
    waits for a concurrent transition's row lock, on SQLite for the writer
    lock, then matches nothing if that transition changed the state. Exactly
    one of two simultaneous clicks wins; the core runs the other again on
    fresh state, where it is refused with who has the request now.
    """
    guard = (update(Request)
             .where(col(Request.id) == req.id, col(Request.status) == req.status,
                    col(Request.assignee_id) == req.assignee_id if req.assignee_id is not None
                    else col(Request.assignee_id).is_(None))
             .values(updated_at=req.updated_at)
             .execution_options(synchronize_session=False))
    if session.execute(guard).rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(f"request {req.id} changed")


@dataclass
class Change:
    """What one transition works with, beyond the request.

    `person` and `to_team` are what `assign` and `move` read from the text;
    `words` fills the table's reply ("{who}", "{to}", "{what}"); `then`
    holds notices that need the event's id, sent after the card.
    """

    team: Team
    actor: Person
    note: str
    now: datetime
    reading: DateReading
    person: Person | None = None
    to_team: Team | None = None
    words: dict[str, str] = field(default_factory=dict)
    then: list[Callable[[RequestEvent], None]] = field(default_factory=list)


def transition(session: Session, req: Request, *, actor: Person, verb: str, note: str, now: datetime,
               reading: DateReading | None = None, person: Person | None = None,
               to_team: Team | None = None) -> str:
    """Apply `verb` to `req` as `actor`: look it up, check, apply, notify.

    Who may use the verb is checked before this runs (the registry's rows
    come from `lifecycle.TRANSITIONS`). Returns what to tell the actor.

    Args:
        person: for `assign`, who gets the request.
        to_team: for `move`, the team it goes to.

    Raises:
        Problem: the request's state does not allow it, or the note is missing.
        Conflict: another transition changed the request first.
    """
    step = lifecycle.TRANSITIONS.get(verb)
    if step is None:
        raise Problem(say.UNKNOWN_VERB.format(verb=verb[:30]))
    team = session.get(Team, req.team_id)
    assert team is not None
    _check_state(session, req, step, actor)
    if step.note == "required" and not note.strip() and not step.own_command:
        raise Problem(say.NOTE_NEEDED[verb].format(id=req.id), field="when" if verb == "snooze" else "note")
    _hold(session, req)
    change = Change(team=team, actor=actor, note=note, now=now, reading=reading or DateReading(tz=actor.timezone),
                    person=person, to_team=to_team)
    note = _APPLY[verb](session, req, change)
    if step.target is not None:
        req.status = step.target
    req.updated_at = now
    now_team = session.get(Team, req.team_id)  # a move changed it
    assert now_team is not None
    req.next_nudge_at = nudges.next_check(req, teams.calendar(now_team), now)
    event = _event(session, req, actor, verb, note, now)
    _publish_card(session, req, event, now)
    for tell in change.then:
        tell(event)
    if not step.own_command:
        _tell_requester(session, req, team, actor, step, note, event, now)
    until = describe(req.snoozed_until, actor.timezone, now=now) if req.snoozed_until else ""
    return step.reply.format(id=req.id, until=until, **change.words)


def _check_state(session: Session, req: Request, step: lifecycle.Transition, actor: Person) -> None:
    if req.status in step.sources:
        return
    label = lifecycle.label(req.status).lower()
    if step.verb == "claim" and req.assignee_id is not None:
        if req.assignee_id == actor.id:
            raise Problem(say.ALREADY.format(id=req.id, status="yours"))
        holder = session.get(Person, req.assignee_id)
        if req.status not in lifecycle.FINAL and holder is not None:
            raise Problem(say.HELD_BY_ANOTHER.format(id=req.id, status=label), ref(holder, ping=False), ".")
    if step.target is not None and req.status == step.target:
        raise Problem(say.ALREADY.format(id=req.id, status=label))
    if step.verb == "reopen":
        raise Problem(say.ALREADY.format(id=req.id, status=f"{label} (not closed)"))
    raise Problem(say.BAD_TRANSITION.format(id=req.id, status=label, verb=step.past))


def _claim(session: Session, req: Request, change: Change) -> str:
    req.assignee_id = change.actor.id
    _first_response(req, change.now)
    return change.note


def _start(session: Session, req: Request, change: Change) -> str:
    _resume_clock(req, change.team, change.now)
    req.assignee_id = req.assignee_id or change.actor.id
    _first_response(req, change.now)
    return change.note


def _wait(session: Session, req: Request, change: Change) -> str:
    req.assignee_id = req.assignee_id or change.actor.id
    req.waiting_since = change.now
    _first_response(req, change.now)
    return change.note


def _done(session: Session, req: Request, change: Change) -> str:
    cause, note = causes.read(change.team, change.note)
    if cause is not None:
        req.cause = cause
    _resume_clock(req, change.team, change.now)
    req.assignee_id = req.assignee_id or change.actor.id
    req.done_at = change.now
    _first_response(req, change.now)
    return note


def _cancel(session: Session, req: Request, change: Change) -> str:
    if change.actor.id != req.requester_id and not change.note.strip():
        requester = session.get(Person, req.requester_id)
        raise Problem(history_say.CANCEL_WHY.format(id=req.id, name=f"@{requester.display_name}" if requester
                                                    else "its requester"), field="note")
    req.waiting_since = None
    return change.note


def _reopen(session: Session, req: Request, change: Change) -> str:
    req.status = RequestStatus.CLAIMED if req.assignee_id else RequestStatus.OPEN
    req.done_at = None
    if req.due_at <= change.now:
        cal = teams.calendar(change.team)
        req.due_at = cal.add(change.now, teams.resolution_target(change.team, cal))
    return change.note


def _snooze(session: Session, req: Request, change: Change) -> str:
    req.snoozed_until = read_date(change.note, reading=change.reading, now=change.now,
                                  default_time=teams.calendar(change.team).start, field="when")
    return change.note


def _edit(session: Session, req: Request, change: Change) -> str:
    return edits.apply(session, req, change, due_for=due_for)


_APPLY: dict[str, Callable[[Session, Request, Change], str]] = {
    "claim": _claim, "start": _start, "wait": _wait, "done": _done, "cancel": _cancel, "reopen": _reopen,
    "snooze": _snooze, "assign": handover.assign, "move": handover.move, "edit": _edit}
assert set(_APPLY) == set(lifecycle.TRANSITIONS), "every verb of the lifecycle table has its effect"


def comment(session: Session, req: Request, *, actor: Person, body: str, now: datetime) -> str:
    team = session.get(Team, req.team_id)
    assert team is not None
    if not body.strip():
        raise Problem(say.EMPTY_COMMENT.format(id=req.id), field="comment")
    if len(body) > TITLE_LIMIT:
        raise Problem(say.TITLE_TOO_LONG.format(limit=TITLE_LIMIT, length=len(body)), echo=body)
    resumed = req.status == RequestStatus.WAITING and actor.id == req.requester_id
    if resumed:
        _hold(session, req)
        _resume_clock(req, team, now)
        req.status = RequestStatus.IN_PROGRESS
        req.next_nudge_at = nudges.next_check(req, teams.calendar(team), now)
    req.updated_at = now
    event = _event(session, req, actor, "comment", body, now)
    intake = outbox.team_intake(team, session.get(Person, team.lead_id) if team.lead_id else None)
    message = say.comment_message(req, author=actor, comment=body)
    if intake is not None:
        shown = say.comment_message(req, author=actor, comment=body, shared=intake.kind == "channel")
        outbox.notify(session, intake, shown, key=f"request:{req.id}:comment:{event.id}", now=now,
                      topic=f"request:{req.id}", in_thread=True)
    other_id = req.assignee_id if actor.id == req.requester_id else req.requester_id
    if other_id and other_id != actor.id:
        other = session.get(Person, other_id)
        assert other is not None
        outbox.notify(session, outbox.to_person(other), message, key=f"request:{req.id}:comment:{event.id}:dm", now=now)
    if resumed:
        _publish_card(session, req, event, now)
        return f"Comment added to #{req.id}, and it's back with the team."
    return f"Comment added to #{req.id}."


def _event(session: Session, req: Request, actor: Person, kind: str, note: str, now: datetime) -> RequestEvent:
    assert req.id is not None  # a stored request has its id
    # an event is written once and never changed: one Core INSERT, not the ORM's flush (storage/rows.py)
    return insert_loaded(session, RequestEvent(request_id=req.id, actor_id=actor.id, kind=kind, note=note,
                                               created_at=now))


def card_message(session: Session, req: Request, now: datetime, *, shared: bool = False) -> Message:
    team = session.get(Team, req.team_id)
    requester = session.get(Person, req.requester_id)
    assignee = session.get(Person, req.assignee_id) if req.assignee_id else None
    assert team is not None and requester is not None
    return say.card(req, team=team, requester=requester, assignee=assignee, now=now, shared=shared)


def _publish_card(session: Session, req: Request, event: RequestEvent, now: datetime, first: bool = False) -> None:
    team = session.get(Team, req.team_id)
    assert team is not None
    intake = outbox.team_intake(team, session.get(Person, team.lead_id) if team.lead_id else None)
    if intake is None:
        return
    shared = intake.kind == "channel"
    outbox.notify(session, intake, card_message(session, req, now, shared=shared),
                  key=f"request:{req.id}:card:{event.id}", now=now, topic=f"request:{req.id}", replace=not first,
                  kind="request_card")


def _tell_requester(session: Session, req: Request, team: Team, actor: Person, step: lifecycle.Transition,
                    note: str, event: RequestEvent, now: datetime) -> None:
    if actor.id == req.requester_id or step.tells is None:
        return
    requester = session.get(Person, req.requester_id)
    assert requester is not None
    key = f"request:{req.id}:{step.verb}:{event.id}"
    if step.tells == "feedback":
        message = say.feedback_prompt(req, team=team, finisher=actor, note=note)
        outbox.notify(session, outbox.to_person(requester), message, key=f"feedback-prompt:{req.id}:{event.id}",
                      now=now, kind="feedback_prompt")
        nudges.plan_feedback_reminder(session, req, requester=requester, team=team, cal=teams.calendar(team), now=now)
    elif step.tells == "waiting":
        outbox.notify(session, outbox.to_person(requester), say.waiting_notice(req, actor=actor, why=note),
                      key=key, now=now)
    else:
        outbox.notify(session, outbox.to_person(requester),
                      say.change_notice(req, actor=actor, verb=step.tells, note=note), key=key, now=now)


def visible_requests(session: Session, viewer: Person, *, scope: str, team: Team | None, now: datetime,
                     limit: int = 25) -> list[tuple[Request, Team, Person | None]]:
    """Requests for `/requests mine|team|overdue`, newest first, private ones hidden from outsiders."""
    query = select(Request, Team).join(Team, col(Team.id) == Request.team_id)
    my_team_ids = [t.id for t in teams.teams_of(session, viewer)]
    open_states = sorted(lifecycle.OPEN_STATES)
    if scope == "mine":
        query = query.where(or_(Request.requester_id == viewer.id, Request.assignee_id == viewer.id),
                            Request.status.in_(open_states))  # type: ignore[attr-defined]
    elif scope == "team" and team is not None:
        query = query.where(Request.team_id == team.id, Request.status.in_(open_states))  # type: ignore[attr-defined]
    elif scope == "overdue":
        query = query.where(Request.status.in_(open_states), Request.due_at < now,  # type: ignore[attr-defined]
                            or_(Request.team_id.in_(my_team_ids or [-1]),  # type: ignore[attr-defined]
                                Request.requester_id == viewer.id))
    if not access.is_admin(viewer) and (team is None or not teams.is_member(session, team, viewer)):
        query = query.where(or_(Request.private == False,  # noqa: E712
                                Request.requester_id == viewer.id,
                                Request.team_id.in_(my_team_ids or [-1])))  # type: ignore[attr-defined]
    rows = session.exec(query.order_by(Request.due_at).limit(limit)).all()  # type: ignore[arg-type]
    out = []
    for req, req_team in rows:
        assignee = session.get(Person, req.assignee_id) if req.assignee_id else None
        out.append((req, req_team, assignee))
    return out
