"""The weekly recognition digest, checked against a hand-counted week.

The company (org zone UTC): IT Help = alice (lead), bob; People Ops = hana
(lead), ivan; Sales = sam; carol and zoe are in no team. Week 2026-W47 runs
Mon 16 – Sun 22 Nov. Hand count, W47 (W46 in brackets):

- kudos given 4 (1), received 5 (1): bob→alice+hana, carol→bob, hana→bob,
  ivan→carol; a kudos on Mon 23 Nov 00:10 belongs to W48.
- most recognized: bob 2, then alice, hana, carol 1 each (by id order).
- values: #teamwork 2, #ownership 1 (#notavalue is a plain tag).
- team → team: IT→IT 1, IT→People Ops 1, no team→IT 1, People Ops→IT 1,
  People Ops→no team 1. Sales gave and got none.
- unrecognized for 4 weeks (26 Oct – 22 Nov): ivan, sam, zoe.
- IT Help: 3 requests; first responses 1 h 30 min, 4 h, 2 h (Fri 16:00 →
  Mon 10:00 in working time) → median 2 h; 1 of 1 finished on time;
  rating 4. People Ops: 0 received; 0 of 1 on time (#1 was due Fri 13
  Nov, done Tue 17); rating 2. Sales: nothing.
- at the week's end IT Help's backlog is #3 and #4, neither overdue (#3 is due
  Mon 23); People Ops' 2-star rating of #1 is unhandled.
- participation: 7 people; 4 gave (bob, carol, hana, ivan), 4 received
  (bob 2, alice, hana, carol). The most thanked tenth (1 person, bob) got
  2 of 5; Gini of [2, 1, 1, 1, 0, 0, 0] = 2·29/(7·5) − 8/7 ≈ 0.51.
- so far on Wed 18 Nov 12:00: 2 given (bob's, carol's) against 1 by Wed
  11 Nov 12:00 (alice's).
"""

from __future__ import annotations

import base64
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from PIL import Image as Picture
from sqlmodel import Session, select

from adapters import cli
from bot.core import Tandem
from bot.messages import plain
from bot.services import digest
from bot.services.clock import FrozenClock
from storage.models import Notification
from tests.helpers import command, grant, join
from tests.scheduler.support import RecordingPort, run, settle


def utc(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=timezone.utc)


def hand_counted_company(core: Tandem, clock: FrozenClock) -> None:
    clock.set(utc(10, 1, 10))
    run(core, "alice", 'tandem team add it "IT Help"')
    join(core, "it", "bob")
    grant(core, "admin", "hana", "sam", "carol")
    grant(core, "hr", "zoe")
    run(core, "hana", 'tandem team add hr "People Ops"')
    join(core, "hr", "ivan")
    run(core, "sam", 'tandem team add sales "Sales"')
    run(core, "carol", "tandem values add ownership")
    run(core, "carol", "tandem values add teamwork")
    run(core, "zoe", "tandem digest channel #people")
    steps = [
        (utc(11, 9, 10), "alice", "kudos <@bob> thanks #ownership"),
        (utc(11, 10, 10), "zoe", "ask hr update my bank details"),            # 1
        (utc(11, 16, 10), "bob", "kudos <@alice> <@hana> thanks #teamwork #ownership"),
        (utc(11, 16, 10), "carol", "ask it new laptop"),                      # 2
        (utc(11, 16, 11, 30), "bob", "requests 2 claim"),
        (utc(11, 17, 10), "ivan", "requests 1 done"),
        (utc(11, 17, 10), "bob", "requests 2 done"),
        (utc(11, 17, 11), "zoe", "requests 1 rate 2 slow"),
        (utc(11, 17, 12), "carol", "requests 2 rate 4"),
        (utc(11, 17, 13), "carol", "kudos <@bob> great #teamwork"),
        (utc(11, 18, 9), "carol", "ask it a second monitor"),                 # 3
        (utc(11, 18, 13), "bob", "requests 3 claim"),
        (utc(11, 18, 14), "hana", "kudos <@bob> cheers #notavalue"),
        (utc(11, 20, 16), "zoe", "ask it VPN access"),                        # 4
        (utc(11, 22, 23, 30), "ivan", "kudos <@carol> late night thanks"),
        (utc(11, 23, 0, 10), "zoe", "kudos <@sam> first thing on monday"),
        (utc(11, 23, 10), "bob", "requests 4 claim"),
    ]
    for moment, who, line in steps:
        clock.set(moment)
        run(core, who, line)


def test_digest_numbers_match_the_hand_count(core: Tandem, clock: FrozenClock) -> None:
    hand_counted_company(core, clock)
    with Session(core.engine) as session:
        d = digest.compute(session, digest.parse_week("2026-W47", "UTC"))
    assert (d.kudos_given, d.kudos_received, d.previous_given, d.previous_received) == (4, 5, 1, 1)
    assert [(p.display_name, n) for p, n in d.top] == [("bob", 2), ("alice", 1), ("hana", 1), ("carol", 1)]
    assert d.values == [("teamwork", 2), ("ownership", 1)]
    assert d.thanks == {("IT Help", "IT Help"): 1, ("IT Help", "People Ops"): 1, ("no team", "IT Help"): 1,
                        ("People Ops", "IT Help"): 1, ("People Ops", "no team"): 1}
    assert (d.gave_none, d.got_none) == (["Sales"], ["Sales"])
    assert d.unrecognized_count == 3 and [p.display_name for p in d.unrecognized] == ["ivan", "sam", "zoe"]
    it, hr, sales = d.service
    assert (it.name, it.received, it.median_first_response, it.finished, it.on_time, it.average_rating) == \
        ("IT Help", 3, timedelta(hours=2), 1, 1, 4.0)
    assert (hr.name, hr.received, hr.median_first_response, hr.finished, hr.on_time, hr.average_rating) == \
        ("People Ops", 0, None, 1, 0, 2.0)
    assert (sales.received, sales.finished, sales.ratings) == (0, 0, 0)
    assert [(r.backlog, r.overdue, r.low_unhandled) for r in d.service] == [(2, 0, 0), (0, 0, 1), (0, 0, 0)]
    p = d.participation
    assert p is not None and (p.people, p.gave, p.received, p.top_people) == (7, 4, 4, 1)
    assert p.top_share == pytest.approx(0.4) and p.gini == pytest.approx(2 * 29 / 35 - 8 / 7)
    assert not d.so_far


def test_a_running_week_is_labelled_so_far_and_compared_with_the_same_part_of_the_week_before(
        core: Tandem, clock: FrozenClock) -> None:
    hand_counted_company(core, clock)
    wednesday_noon = utc(11, 18, 12)
    with Session(core.engine) as session:
        week = digest.parse_week("2026-W47", "UTC")
        d = digest.compute(session, week, now=wednesday_noon)
        message = digest.build_message(session, week, now=wednesday_noon, with_charts=False)
    assert d.so_far and d.cutoff == wednesday_noon
    assert (d.kudos_given, d.previous_given) == (2, 1)
    assert plain(message.title).endswith(", so far")
    kudos = next(s for s in message.sections if s.heading == "Kudos (week so far)")
    assert plain(kudos.text) == ("This week is still running: counted to Wed 12:00.\n"
                                 "Given so far: 2 (+1 (+100%) vs 1 by this point the week before).\n"
                                 "Received so far: 3 (+2 (+200%) vs 1 by this point the week before).")
    it = d.service[0]
    assert (it.received, it.backlog) == (2, 1)  # #2 was done on Tuesday; #3 came in at 09:00 and is open


def test_gini_is_zero_for_equal_and_near_one_for_one_holder() -> None:
    assert digest.gini([3, 3, 3]) == 0.0
    assert digest.gini([0, 0, 0, 10]) == pytest.approx(0.75)


def test_digest_message_names_people_without_pinging_and_carries_a_chart(core: Tandem, clock: FrozenClock) -> None:
    hand_counted_company(core, clock)
    with Session(core.engine) as session:
        message = digest.build_message(session, digest.parse_week("2026-W47", "UTC"))
    assert plain(message.title) == "Recognition digest, 2026-W47 (Mon 16 Nov – Sun 22 Nov)"
    by_heading = {s.heading: s for s in message.sections}
    assert plain(by_heading["Kudos"].text) == ("Given: 4 (+3 (+300%) vs 1 the week before).\n"
                                               "Received: 5 (+4 (+400%) vs 1 the week before).")
    quiet = by_heading["Unrecognized for 4 weeks: 3"].text
    assert plain(quiet) == "@ivan, @sam, @zoe"
    people = [span for section in message.sections for span in section.text if not isinstance(span, str)]
    assert people and all(ref.ping is False for ref in people)
    assert plain(by_heading["Service record (requests to each team)"].text).splitlines()[0] == (
        "IT Help: 3 received · median first response 2 h (working time) · 100% of 1 finished on time · "
        "average rating 4.0 (1) · backlog 2 (0 overdue) · 0 low ratings unhandled")
    assert plain(by_heading["Participation"].text).startswith("57% of people gave kudos (4 of 7); 57% received")
    assert [image.name for image in message.images] == ["team-map-2026-W47", "trends-2026-W47"]
    assert all(base64.b64decode(image.png_base64)[:8] == b"\x89PNG\r\n\x1a\n" and image.alt
               for image in message.images)


async def test_scheduled_digest_goes_to_the_hr_channel_once_on_monday_morning(core: Tandem, clock: FrozenClock) -> None:
    hand_counted_company(core, clock)
    port = RecordingPort(clock)
    clock.set(utc(11, 23, 8, 59))
    first = await settle(core, port)
    assert first.digest is None, first
    for _ in range(3):
        clock.advance(minutes=1)
        await settle(core, port)
    digests = port.to("#people", "Recognition digest")
    assert [(s.at, s.title[:29]) for s in digests] == [(utc(11, 23, 9), "Recognition digest, 2026-W47 ")]
    assert len(digests[0].message.images) == 2
    clock.set(utc(11, 30, 9))
    await settle(core, port)
    assert len(port.to("#people", "Recognition digest, 2026-W48")) == 1


async def test_digest_schedule_is_configurable(core: Tandem, clock: FrozenClock) -> None:
    hand_counted_company(core, clock)
    assert run(core, "zoe", "tandem digest schedule fri 17:30") == (
        "The digest will go out every Fri at 17:30 (UTC), covering the week before.")
    refused = core.run_command(command("zoe", "tandem digest schedule someday"))
    assert not refused.ok and "mon 09:00" in plain(refused.message.title)  # type: ignore[union-attr]
    port = RecordingPort(clock)
    clock.set(utc(11, 27, 17, 29))
    await settle(core, port)
    assert port.to("#people") == []
    clock.set(utc(11, 27, 17, 30))
    await settle(core, port)
    assert len(port.to("#people", "Recognition digest, 2026-W47")) == 1


def test_cli_prints_the_week_and_post_queues_it_once(core: Tandem, clock: FrozenClock, db_url: str, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    hand_counted_company(core, clock)
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("TANDEM_TIMEZONE", "UTC")
    assert cli.main(["digest", "--week", "2026-W47"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("Recognition digest, 2026-W47 (Mon 16 Nov – Sun 22 Nov)")
    assert "IT Help → IT Help: 1" in printed and "[chart: Team map, 2026-W47]" in printed
    out = tmp_path / "d"
    assert cli.main(["digest", "--week", "2026-W47", "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["digest-2026-W47.txt", "team-map-2026-W47.png",
                                                     "team-map-2026-W47.txt", "trends-2026-W47.png",
                                                     "trends-2026-W47.txt"]
    assert (out / "digest-2026-W47.txt").read_text().startswith("Recognition digest, 2026-W47")
    for name in ("team-map-2026-W47.png", "trends-2026-W47.png"):
        with Picture.open(out / name) as picture:
            assert picture.format == "PNG" and picture.size[0] >= 1100
    assert "Sales" in (out / "team-map-2026-W47.txt").read_text()
    capsys.readouterr()
    assert cli.main(["digest", "--week", "2026-W47", "--post"]) == 0
    assert cli.main(["digest", "--week", "2026-W47", "--post"]) == 1
    assert "already sent" in capsys.readouterr().err
    assert cli.main(["digest", "--week", "2026-W99"]) == 2
    with Session(core.engine) as session:
        keys = session.exec(select(Notification.idempotency_key).where(Notification.kind == "digest")).all()
    assert keys == ["digest:2026-W47"]


def test_people_who_left_are_not_counted_as_unrecognized(core: Tandem, clock: FrozenClock) -> None:
    hand_counted_company(core, clock)
    run(core, "alice", "tandem person deactivate <@sam>")
    with Session(core.engine) as session:
        d = digest.compute(session, digest.parse_week("2026-W47", "UTC"))
    assert d.unrecognized_count == 2 and [p.display_name for p in d.unrecognized] == ["ivan", "zoe"]
