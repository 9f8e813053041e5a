"""A request's timeline in the viewer's time zone, finding past requests by
words or among closed ones (private ones only for those allowed), and a
cancel by someone else that asks for a reason and passes it on."""

from __future__ import annotations

from sqlmodel import Session, select

from bot.core import Tandem
from bot.messages import plain
from storage.models import Notification
from tests.helpers import command, ok, person, say
from tests.test_assign_and_move import desk, request  # noqa: F401  (the fixture)
from tests.test_permission_table import fingerprint


def show(core: Tandem, who: str, line: str) -> str:
    reply = core.run_command(command(who, line))
    assert reply.message is not None
    message = reply.message
    return "\n".join([plain(message.title), *(plain(s.text) for s in message.sections),
                      *(plain(c) for c in message.context), *(b.label for b in message.buttons)])


def test_a_request_shows_who_did_what_when_in_the_viewers_time_zone(desk: Tandem, clock) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    desk.introduce(person("bob", tz="America/New_York"))
    ok(desk, "kim", "/requests 1 claim")
    clock.advance(minutes=30)
    ok(desk, "kim", "/requests 1 comment which office are you in?")
    ok(desk, "bob", "/requests 1 edit due friday")
    ok(desk, "kim", "/requests 1 assign <@lee>")
    out = show(desk, "bob", "/requests 1")
    lines = [line for line in out.splitlines() if " · " in line and line[:3] in ("Mon", "Tue")]
    assert lines == [
        "Mon 23 Nov, 05:00 (EST) · @bob asked for it",
        "Mon 23 Nov, 05:00 (EST) · @kim claimed it",
        "Mon 23 Nov, 05:30 (EST) · @kim commented: which office are you in?",
        "Mon 23 Nov, 05:30 (EST) · @bob changed it: due: Thu 26 Nov, 05:00 (EST) → Fri 27 Nov, 17:00 (EST)",
        "Mon 23 Nov, 05:30 (EST) · @kim assigned it: to @lee",
    ]


def test_a_finished_unrated_request_offers_its_requester_the_rating_again(desk: Tandem) -> None:  # noqa: F811
    ok(desk, "kim", "/requests 1 done")
    out = show(desk, "bob", "/requests 1")
    assert "Not rated yet: /requests 1 rate" in out and "@kim finished it" in out
    assert "Not rated yet" not in show(desk, "kim", "/requests 1")
    ok(desk, "bob", "/requests 1 rate 4 quick")
    out = show(desk, "bob", "/requests 1")
    assert "Not rated yet" not in out and "@bob rated it: 4/5: quick" in out


def test_search_finds_open_and_finished_requests_by_title_or_comment(desk: Tandem) -> None:  # noqa: F811
    ok(desk, "bob", "/ask it new monitor")
    ok(desk, "kim", "/requests 2 comment a 27 inch DELL?")
    ok(desk, "kim", "/requests 2 done")
    assert "#1 [it] vpn access" in say(desk, "carol", "/requests search VPN")
    found = say(desk, "carol", "/requests search dell")
    assert "#2 [it] new monitor" in found and "#1" not in found
    assert "#1 isn't rated" not in show(desk, "carol", "/requests search monitor")
    assert "#2 isn't rated yet" in show(desk, "bob", "/requests search monitor")
    assert "Nothing found for “100%”" in say(desk, "carol", "/requests search 100%")
    assert "Search for what?" in say(desk, "carol", "/requests search")


def test_closed_lists_mine_or_a_teams_finished_and_cancelled_requests(desk: Tandem) -> None:  # noqa: F811
    ok(desk, "bob", "/ask it new monitor")
    ok(desk, "carol", "/ask it a chair")
    ok(desk, "kim", "/requests 1 done")
    ok(desk, "bob", "/requests 2 cancel")
    mine = say(desk, "bob", "/requests closed")
    assert "Your closed requests (2)" in mine and "a chair" not in mine
    assert "#1 isn't rated yet" in show(desk, "bob", "/requests closed")
    assert "IT Help: closed (2)" in say(desk, "carol", "/requests closed it")
    assert "Your closed requests: No finished" in say(desk, "carol", "/requests closed")
    assert "There is no team called “nope”" in say(desk, "carol", "/requests closed nope")


def test_private_requests_stay_out_of_search_closed_and_history_for_outsiders(desk: Tandem) -> None:  # noqa: F811
    ok(desk, "bob", "/ask it salary slip question private")
    ok(desk, "kim", "/requests 2 done")
    assert "Nothing found for “salary”" in say(desk, "carol", "/requests search salary")
    assert "salary" not in say(desk, "carol", "/requests closed it")
    assert "can't find request #2" in say(desk, "carol", "/requests 2")
    assert "salary slip" in say(desk, "kim", "/requests search salary")
    assert "salary slip" in say(desk, "bob", "/requests closed")


def test_cancelling_someone_elses_request_needs_a_reason_which_they_are_told(desk: Tandem) -> None:  # noqa: F811
    before = fingerprint(desk.engine)
    assert "Say why you're cancelling #1, so @bob knows" in say(desk, "kim", "/requests 1 cancel")
    assert fingerprint(desk.engine) == before and request(desk).status == "open"
    ok(desk, "kim", "/requests 1 cancel duplicate of #7")
    assert request(desk).status == "cancelled"
    with Session(desk.engine) as session:
        told = [n for n in session.exec(select(Notification).where(Notification.address == "bob")).all()
                if "cancelled your request #1" in n.message_json]
    assert len(told) == 1 and "duplicate of #7" in told[0].message_json
    ok(desk, "bob", "/ask it a chair")
    assert ok(desk, "bob", "/requests 2 cancel") == "#2 is cancelled."  # your own: no reason needed


def test_search_and_closed_queries_on_both_databases(core: Tandem) -> None:
    """The queries themselves (LIKE with escaped wildcards, the privacy filter) on SQLite and PostgreSQL."""
    for name in ("alice", "bob", "carol"):
        core.introduce(person(name))
    ok(core, "alice", '/tandem team add it "IT Help"')
    ok(core, "bob", "/ask it 100% CPU on the build box")
    ok(core, "bob", "/ask it 1000 CPUs please")
    ok(core, "bob", "/ask it CPU for payroll private")
    ok(core, "alice", "/requests 1 comment Fixed_it")
    ok(core, "alice", "/requests 1 done")
    found = say(core, "carol", "/requests search 100% cpu")
    assert "(1)" in found and "#1 " in found
    assert "#1 " in say(core, "carol", "/requests search FIXED_IT") and "#2" not in say(core, "carol",
                                                                                       "/requests search fixed_it")
    assert "payroll" not in say(core, "carol", "/requests search cpu")
    assert "payroll" in say(core, "alice", "/requests search cpu")
    assert "IT Help: closed (1)" in say(core, "carol", "/requests closed it")
    assert "@alice finished it" in show(core, "bob", "/requests 1")
