"""A team's own report: its figures in working time, the low ratings and how
they were handled, the causes, what is overdue, and a chart; for its
members and lead only."""

from __future__ import annotations

import base64
from datetime import datetime, timezone

import pytest

from bot.core import Tandem
from bot.messages import Image, plain
from bot.services.clock import FrozenClock
from tests.helpers import command, ok, say
from tests.test_assign_and_move import desk  # noqa: F401  (the fixture)
from tests.test_permission_table import fingerprint


def report(core: Tandem, who: str, line: str) -> tuple[dict[str, str], str, Image]:
    reply = core.run_command(command(who, line))
    assert reply.ok and reply.message is not None, reply
    fields = {f.label: plain(f.value) for f in reply.message.fields}
    sections = "\n".join(plain(s.text) for s in reply.message.sections)
    (image,) = reply.message.images  # the report carries exactly one chart
    return fields, plain(reply.message.title) + "\n" + sections, image


def test_the_weeks_figures_count_working_time(desk: Tandem, clock: FrozenClock) -> None:  # noqa: F811
    # #1 vpn access filed Mon 10:00 (by the fixture); claimed at 11:00, done Tuesday 11:00: 1 h, 8 h.
    ok(desk, "alice", "/tandem team edit it causes add missing-docs duplicate")
    clock.set(datetime(2026, 11, 23, 11, 0, tzinfo=timezone.utc))
    ok(desk, "kim", "/requests 1 claim")
    ok(desk, "bob", "/ask it printer by today 3pm")          # #2, due Mon 15:00
    ok(desk, "bob", "/ask it new chair")                     # #3, stays open
    ok(desk, "bob", "/ask it badge by today 12pm")           # #4, will be overdue
    clock.set(datetime(2026, 11, 24, 11, 0, tzinfo=timezone.utc))
    ok(desk, "kim", "/requests 1 done cause:missing-docs")
    ok(desk, "kim", "/requests 2 done cause:missing-docs")   # a day late: not on time
    ok(desk, "bob", "/requests 1 rate 5")
    ok(desk, "bob", "/requests 2 rate 1 too slow")
    ok(desk, "alice", "/requests 2 handled called bob, new printer ordered")
    fields, text, image = report(desk, "kim", "/requests report it")
    assert fields["Received"] == "4"
    assert fields["Median first response"] == "4 h 30 min"   # #1 after 1 h, #2 after 8 h (both at done/claim)
    assert fields["Median resolution"] == "8 h 30 min"       # #1: 9 h, #2: 8 h
    assert fields["On time"] == "50% (1 of 2)"
    assert fields["Average rating"] == "3.0 from 2"
    assert fields["Overdue now"] == "1"
    assert "#2: 1/5 — followed up: called bob, new printer ordered" in text
    assert "cause:missing-docs — 2 requests" in text
    assert text.endswith("\n#4")  # the overdue section
    assert image is not None and base64.b64decode(image.png_base64).startswith(b"\x89PNG")
    assert "4 received, 2 finished, 1 on time, 1 overdue now" in image.alt


def test_own_team_by_default_and_longer_periods(desk: Tandem, clock: FrozenClock) -> None:  # noqa: F811
    _, text, _ = report(desk, "kim", "/requests report")
    assert text.startswith("IT Help: the last 7 days")
    _, text, _ = report(desk, "kim", "/requests report quarter")
    assert text.startswith("IT Help: the last 91 days")
    clock.advance(days=20)
    assert report(desk, "alice", "/requests report it week")[0]["Received"] == "0"
    assert report(desk, "alice", "/requests report it month")[0]["Received"] == "1"


@pytest.mark.parametrize("who, line, says", [
    ("bob", "/requests report it", "Only IT Help's lead (@alice) or members of IT Help can see IT Help's report"),
    ("bob", "/requests report", "Which team?"),
    ("kim", "/requests report nope", "There is no team called “nope”"),
    ("kim", "/requests report it yearly", "A report covers a week, a month or a quarter"),
])
def test_the_report_is_for_the_team_only_and_bad_input_is_refused(desk: Tandem, who: str, line: str,  # noqa: F811
                                                                  says: str) -> None:
    before = fingerprint(desk.engine)
    assert says in say(desk, who, line)
    assert fingerprint(desk.engine) == before


async def test_the_report_in_the_terminal_names_its_chart(sqlite_chat) -> None:  # type: ignore[no-untyped-def]
    chat = sqlite_chat
    await chat.as_("alice")
    await chat('/tandem team add it "IT Help"')
    await chat.as_("bob")
    await chat("/ask it printer toner")
    await chat.as_("alice")
    out = await chat("/requests report")
    assert "IT Help: the last 7 days" in out and "Received: 1" in out
    assert "[chart: IT Help: service record, last week]" in out


def test_the_chart_is_small_enough_for_a_teams_card(desk: Tandem) -> None:  # noqa: F811
    _, _, image = report(desk, "kim", "/requests report it")
    assert len(image.png_base64) < 20_000
