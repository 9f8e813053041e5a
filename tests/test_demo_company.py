"""`tandem seed-demo` looks like a real company's month, so its digest reads
like a real digest: answers take working hours, some work is late, some low
ratings wait for their lead, recognition is uneven and one team is a silo."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.services import digest
from tests.conftest import MONDAY_10_UTC


def _last_week(engine: Engine) -> digest.Digest:
    with Session(engine) as session:
        return digest.compute(session, digest.last_full_week(MONDAY_10_UTC, "UTC"), now=MONDAY_10_UTC)


def test_demo_service_record_is_not_a_wall_of_perfect_scores(demo_engine: Engine) -> None:
    d = _last_week(demo_engine)
    busy = [r for r in d.service if r.finished >= 3]
    assert len(busy) >= 3
    assert all(r.median_first_response is not None and r.median_first_response > timedelta(minutes=20)
               for r in d.service if r.first_responses)
    assert any(r.on_time_share is not None and r.on_time_share < 0.8 for r in busy)
    assert sum(r.backlog for r in d.service) > 0 and sum(r.overdue for r in d.service) > 0
    assert sum(r.low_unhandled for r in d.service) > 0


def test_demo_recognition_is_uneven_and_one_team_thanks_nobody(demo_engine: Engine) -> None:
    d = _last_week(demo_engine)
    p = d.participation
    assert p is not None and p.people == 40
    assert 0 < p.gave < p.people and 0 < p.received < p.people
    assert p.gini is not None and p.gini > 0.4
    assert d.gave_none == ["Sales"]
    assert d.unrecognized_count > 0
