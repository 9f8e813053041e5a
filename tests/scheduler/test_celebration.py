"""The monthly celebration, checked against a hand-counted November 2026
(org zone UTC; Tue 1 Dec is the first working day of December):

- #ownership: bob 2 (zoe's, carol's), alice 1. #teamwork: hana 2, alice 1
  — but hana opted out, so alice is named for it.
- Service: IT Help finished #1, #2, #3 on time (rated 5, 4); People Ops
  finished #4 on time and #5, #6 late (rated 2): IT Help is best.
- Kudos for finished work: carol thanked bob and alice for #2 (two people),
  zoe thanked bob for #1 (one): carol's is the kudos of the month.
- An October kudos for bob (#ownership) is not November's.
"""

from __future__ import annotations

import threading
from datetime import datetime, timezone

from sqlmodel import Session, select

from bot.core import Tandem
from bot.messages import plain
from bot.services import celebration
from bot.services.clock import FrozenClock
from storage.db import make_engine
from storage.models import Notification
from tests.helpers import command, grant, join
from tests.scheduler.support import RecordingPort, run, settle


def utc(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=timezone.utc)


def november(core: Tandem, clock: FrozenClock) -> None:
    clock.set(utc(10, 1, 10))
    run(core, "alice", 'tandem team add it "IT Help"')
    join(core, "it", "bob")
    grant(core, "admin", "hana")
    run(core, "hana", 'tandem team add hr "People Ops"')
    join(core, "hr", "ivan")
    for name in ("carol", "zoe"):
        core.introduce(command(name, "x").actor)
    run(core, "alice", "tandem values add ownership")
    run(core, "alice", "tandem values add teamwork")
    run(core, "alice", "tandem kudos channel #kudos")
    steps = [
        (utc(10, 20, 10), "carol", "kudos <@bob> october thanks #ownership"),
        (utc(11, 2, 10), "zoe", "ask it new laptop"),                       # 1
        (utc(11, 2, 10), "carol", "ask it VPN access"),                     # 2
        (utc(11, 2, 11), "dave", "ask it a second monitor"),                # 3
        (utc(11, 2, 11), "carol", "ask hr bank details"),                   # 4
        (utc(11, 2, 11), "zoe", "ask hr parental leave"),                   # 5
        (utc(11, 2, 11), "dave", "ask hr reference letter"),                # 6
        (utc(11, 3, 10), "bob", "requests 1 done"),
        (utc(11, 3, 10), "alice", "requests 2 done"),
        (utc(11, 3, 11), "bob", "requests 3 done"),
        (utc(11, 3, 12), "ivan", "requests 4 done"),
        (utc(11, 3, 13), "zoe", "requests 1 rate 5"),
        (utc(11, 3, 13), "carol", "requests 2 rate 4"),
        (utc(11, 3, 14), "zoe", "kudos <@bob> thanks for #1 #ownership"),
        (utc(11, 3, 15), "carol", "kudos <@bob> <@alice> thanks for #2 #ownership"),
        (utc(11, 10, 10), "ivan", "kudos <@hana> great help #teamwork"),
        (utc(11, 11, 10), "ivan", "kudos <@hana> again #teamwork"),
        (utc(11, 12, 10), "bob", "kudos <@alice> pairing #teamwork"),
        (utc(11, 20, 10), "hana", "requests 5 done"),
        (utc(11, 20, 11), "hana", "requests 6 done"),
        (utc(11, 20, 12), "zoe", "requests 5 rate 2 slow"),
        (utc(11, 21, 10), "hana", "tandem me celebrate off"),
    ]
    for moment, who, line in steps:
        clock.set(moment)
        run(core, who, line)


def test_the_celebration_matches_the_hand_count_and_leaves_out_who_opted_out(core: Tandem, clock: FrozenClock) -> None:
    november(core, clock)
    with Session(core.engine) as session:
        found = celebration.compute(session, celebration.month_of(2026, 11, "UTC"))
        names = [(tag, p.display_name, n) for tag, p, n in found.per_value]
        assert names == [("ownership", "bob", 2), ("teamwork", "alice", 1)]
        assert found.service is not None
        assert (found.service.team.name, found.service.finished, found.service.on_time) == ("IT Help", 3, 3)
        assert found.service.rating == 4.5
        assert found.kudos is not None and found.kudos.request_id == 2
        assert [p.display_name for p in found.kudos_receivers] == ["alice", "bob"]


async def test_it_goes_out_once_on_the_first_working_day_in_the_kudos_channel(core: Tandem, clock: FrozenClock) -> None:
    november(core, clock)
    port = RecordingPort(clock)
    clock.set(utc(12, 1, 8, 59))
    assert (await settle(core, port)).celebration is None
    clock.set(utc(12, 1, 9, 0))
    assert (await settle(core, port)).celebration == "2026-11"
    for moment in (utc(12, 1, 9, 15), utc(12, 2, 9), utc(12, 7, 9)):
        clock.set(moment)
        assert (await settle(core, port)).celebration is None
    [post] = port.to("#kudos", "Celebrating")
    assert post.title == "🎉 Celebrating November 2026: thank you, everyone!" and post.at == utc(12, 1, 9)
    shown = "\n".join(plain(s.text) for s in post.message.sections)
    assert "#ownership: @bob (2 kudos)" in shown and "#teamwork: @alice (1 kudos)" in shown
    assert "IT Help: 3 of 3 requests finished on time, rated 4.5 out of 5" in shown
    assert "@carol thanked @alice, @bob for #2, now done: “thanks for #2 #ownership”" in shown
    assert "hana" not in shown.lower()
    people = [span for s in post.message.sections for span in s.text if not isinstance(span, str)]
    assert people and all(ref.ping is False for ref in people)


async def test_admins_can_switch_it_off_and_nobody_else_can(core: Tandem, clock: FrozenClock) -> None:
    november(core, clock)
    refused = core.run_command(command("bob", "tandem celebration off"))
    assert not refused.ok and "admin" in plain(refused.message.title)  # type: ignore[union-attr]
    bad = core.run_command(command("alice", "tandem celebration maybe"))
    assert not bad.ok and "maybe" in plain(bad.message.title)  # type: ignore[union-attr]
    assert run(core, "alice", "tandem celebration off").startswith("The monthly celebration is off.")
    port = RecordingPort(clock)
    clock.set(utc(12, 1, 9))
    assert (await settle(core, port)).celebration is None
    assert run(core, "hana", "tandem celebration on").startswith("The monthly celebration is on")
    clock.set(utc(12, 1, 9, 15))  # switched back on the same week: it still goes out, once
    assert (await settle(core, port)).celebration == "2026-11"
    clock.set(utc(12, 9, 9))
    assert (await settle(core, port)).celebration is None and len(port.to("#kudos", "Celebrating")) == 1


def test_opting_out_and_back_in_is_ones_own_choice(core: Tandem, clock: FrozenClock) -> None:
    november(core, clock)
    assert run(core, "hana", "tandem me celebrate off").startswith("You had already asked")
    assert run(core, "hana", "tandem me celebrate on") == "You may be named in the monthly celebration again."
    with Session(core.engine) as session:
        found = celebration.compute(session, celebration.month_of(2026, 11, "UTC"))
    assert [(tag, p.display_name) for tag, p, _ in found.per_value] == [("ownership", "bob"), ("teamwork", "hana")]
    bad = core.run_command(command("hana", "tandem me celebrate perhaps"))
    assert not bad.ok and "perhaps" in plain(bad.message.title)  # type: ignore[union-attr]


def test_two_replicas_ticking_at_once_queue_it_once(core: Tandem, clock: FrozenClock, db_url: str) -> None:
    november(core, clock)
    moment = utc(12, 1, 9, 0)
    engines = [make_engine(db_url) for _ in range(2)]
    results: list[str | None] = []
    barrier = threading.Barrier(2)

    def replica(index: int) -> None:
        barrier.wait()
        results.append(celebration.queue_if_due(engines[index], now=moment, tz="UTC"))

    threads = [threading.Thread(target=replica, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for engine in engines:
        engine.dispose()
    assert sorted(results, key=str) == ["2026-11", None]
    with Session(core.engine) as session:
        keys = session.exec(select(Notification.idempotency_key).where(Notification.kind == "celebration")).all()
    assert keys == ["celebration:2026-11"]


def test_the_first_working_day_skips_the_weekend_in_the_org_time_zone() -> None:
    assert celebration.first_working_moment(utc(8, 15, 12), "UTC") == utc(8, 3, 9)  # Sat 1, Sun 2 Aug 2026
    assert celebration.first_working_moment(utc(11, 10, 12), "Asia/Tokyo") == utc(11, 2, 0)  # Mon 2 Nov, 09:00 JST
    assert celebration.previous_month(utc(1, 4, 9, year=2027), "UTC").label == "2026-12"
