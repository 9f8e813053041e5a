"""Exports for HR and analysts: complete, flat, machine-readable rows.

Every id, person and team appears by id *and* name, timestamps are ISO 8601
in UTC, so the rows load into a spreadsheet or a warehouse without joins.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from storage.models import AuditEntry, Feedback, Kudos, KudosReceiver, KudosTag, Person, Request, Team

KINDS = ("kudos", "requests", "feedback", "audit")


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _people(session: Session) -> dict[int, Person]:
    return {p.id: p for p in session.exec(select(Person)).all() if p.id is not None}


def _name(people: dict[int, Person], person_id: int | None) -> str | None:
    return people[person_id].display_name if person_id in people else None


def _handle(people: dict[int, Person], person_id: int | None) -> str | None:
    person = people.get(person_id) if person_id is not None else None
    return f"{person.platform}:{person.user_id}" if person else None


def rows(session: Session, kind: str) -> list[dict[str, Any]]:
    if kind not in KINDS:
        raise ValueError(kind)
    people = _people(session)
    teams = {t.id: t for t in session.exec(select(Team)).all()}
    if kind == "kudos":
        receivers: dict[int, list[int]] = defaultdict(list)
        for row in session.exec(select(KudosReceiver)).all():
            receivers[row.kudos_id].append(row.person_id)
        tags: dict[int, list[KudosTag]] = defaultdict(list)
        for tag in session.exec(select(KudosTag)).all():
            tags[tag.kudos_id].append(tag)
        out = []
        for k in session.exec(select(Kudos).order_by(col(Kudos.id))).all():
            assert k.id is not None  # a stored row has its id
            out.append({
                "id": k.id,
                "created_at": _iso(k.created_at),
                "giver": _handle(people, k.giver_id),
                "giver_name": _name(people, k.giver_id),
                "receivers": ";".join(filter(None, (_handle(people, p) for p in receivers[k.id]))),
                "receiver_names": ";".join(filter(None, (_name(people, p) for p in receivers[k.id]))),
                "values": ";".join(t.tag for t in tags[k.id] if t.is_value),
                "tags": ";".join(t.tag for t in tags[k.id] if not t.is_value),
                "request_id": k.request_id,
                "message": k.message,
            })
        return out
    if kind == "requests":
        out = []
        for r in session.exec(select(Request).order_by(col(Request.id))).all():
            team = teams.get(r.team_id)
            out.append({
                "id": r.id,
                "team": team.handle if team else None,
                "team_name": team.name if team else None,
                "title": r.title,
                "status": r.status,
                "private": r.private,
                "requester": _handle(people, r.requester_id),
                "requester_name": _name(people, r.requester_id),
                "assignee": _handle(people, r.assignee_id),
                "assignee_name": _name(people, r.assignee_id),
                "created_at": _iso(r.created_at),
                "first_response_due_at": _iso(r.first_response_due_at),
                "first_response_at": _iso(r.first_response_at),
                "due_at": _iso(r.due_at),
                "due_requested": r.due_requested,
                "done_at": _iso(r.done_at),
                "on_time": (r.done_at <= r.due_at) if r.done_at else None,
                "cause": r.cause,
            })
        return out
    if kind == "audit":
        return [{
            "id": a.id,
            "created_at": _iso(a.created_at),
            "actor": _handle(people, a.actor_id),
            "actor_name": _name(people, a.actor_id) if a.actor_id else "Tandem",
            "action": a.action,
            "subject": a.subject,
            "old": a.old,
            "new": a.new,
        } for a in session.exec(select(AuditEntry).order_by(col(AuditEntry.id))).all()]
    out = []
    for f in session.exec(select(Feedback).order_by(col(Feedback.id))).all():
        req = session.get(Request, f.request_id)
        team = teams.get(req.team_id) if req else None
        out.append({
            "id": f.id,
            "request_id": f.request_id,
            "team": team.handle if team else None,
            "requester": _handle(people, f.requester_id),
            "requester_name": _name(people, f.requester_id),
            "rating": f.rating,
            "comment": f.comment,
            "follow_up": f.follow_up,
            "follow_up_note": f.follow_up_note,
            "handled_by": _handle(people, f.handled_by_id),
            "handled_at": _iso(f.handled_at),
            "created_at": _iso(f.created_at),
            "updated_at": _iso(f.updated_at),
        })
    return out
