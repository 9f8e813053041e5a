"""Two scheduler replicas, two OS processes, one PostgreSQL database: every
nudge, summary, feedback prompt and reminder, and the digest go out exactly
once — the same messages a single scheduler sends.

Not parametrised over SQLite: there a second scheduler is refused (see
test_runner.py). This test needs the local PostgreSQL.
"""

from __future__ import annotations

import json
import multiprocessing
import re
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlmodel import Session, select

from bot.core import Tandem
from bot.services.clock import FrozenClock
from storage.db import make_engine, upgrade
from storage.models import Notification
from tests.helpers import grant
from tests.scheduler.replica import run_replica
from tests.scheduler.support import it_team, run

START = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)


def busy_week(core: Tandem) -> None:
    """A week with every kind of scheduled message: unclaimed and overdue
    requests, a budget overflow, done requests awaiting a rating, a digest."""
    it_team(core)
    grant(core, "hr", "zoe")
    run(core, "zoe", "tandem digest channel #people")
    for n in range(1, 9):
        run(core, "carol", f"ask it task number {n}")
        if n <= 7:
            run(core, "bob", f"requests {n} claim")
    run(core, "carol", "kudos <@bob> thanks for everything")
    for n in (9, 10, 11):
        run(core, "dave", f"ask it quick question {n}")
        run(core, "bob", f"requests {n} done")
    run(core, "dave", "requests 9 rate 5")


def moments(step: timedelta = timedelta(minutes=30)) -> list[str]:
    out, moment = [], START
    while moment <= START + timedelta(days=7, hours=1):
        out.append(moment.isoformat())
        moment += step
    return out


def without_numbers(line: str) -> str:
    """A delivered message with its request numbers taken out: which of a
    person's nudges fill the day's five and which fold into the summary depends
    on which replica reached them first, not on how many were sent."""
    return re.sub(r"#\d+|number \d+", "#N", line)


def numbers_by_person(lines: list[str]) -> Counter[tuple[str, str]]:
    """Each (recipient, request number) mentioned, counted: every request is named as often."""
    return Counter((json.loads(line)["to"], number) for line in lines for number in re.findall(r"#(\d+)", line))


def delivered(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def test_two_replicas_on_postgres_send_everything_exactly_once(pg_url: str, tmp_path: Path) -> None:
    engine = make_engine(pg_url)
    upgrade(engine)
    busy_week(Tandem(engine, clock=FrozenClock(START)))
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    outputs = [tmp_path / "replica-a.jsonl", tmp_path / "replica-b.jsonl"]
    replicas = [context.Process(target=run_replica, args=(pg_url, moments(), str(out), barrier)) for out in outputs]
    for replica in replicas:
        replica.start()
    for replica in replicas:
        replica.join(timeout=600)
        assert replica.exitcode == 0
    both = delivered(outputs[0]) + delivered(outputs[1])

    # the same week with one scheduler on its own database
    reference_url = f"sqlite:///{tmp_path}/reference.db"
    reference = make_engine(reference_url)
    upgrade(reference)
    busy_week(Tandem(reference, clock=FrozenClock(START)))
    run_replica(reference_url, moments(), str(tmp_path / "single.jsonl"))
    single = delivered(tmp_path / "single.jsonl")

    assert Counter(map(without_numbers, both)) == Counter(map(without_numbers, single))
    assert numbers_by_person(both) == numbers_by_person(single)
    titles = [json.loads(line)["title"] for line in both]
    assert sum(t.startswith("Recognition digest, 2026-W48") for t in titles) == 1
    assert sum(t.startswith("A last reminder") for t in titles) == 2  # 10 and 11; 9 was rated
    # eight escalations reach alice at once: five, and a summary of three
    assert sum(t.startswith("Escalation: #") for t in titles) == 5
    assert sum(json.loads(line)["to"] == "alice" and "3 more reminders" in json.loads(line)["title"]
               for line in both) == 1
    assert delivered(outputs[0]) and delivered(outputs[1]), "both replicas should have done some of the work"
    with Session(engine) as session:
        statuses = Counter(session.exec(select(Notification.status)).all())
    assert statuses == Counter({"sent": len(both)})
    engine.dispose()
    reference.dispose()
