"""Kudos: public thanks with company values, no self-kudos, an optional
allowance, links to finished requests, leaderboards and stats."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session, select

from bot.core import Tandem
from bot.messages import plain
from bot.services.clock import FrozenClock
from storage.models import Kudos, KudosReceiver, KudosTag, Notification
from tests.helpers import command, person, say


@pytest.fixture
def staff(core: Tandem) -> Tandem:
    for name in ("alice", "bob", "carol"):
        core.introduce(person(name))
    say(core, "alice", '/tandem values add ownership "Own the outcome"')
    return core


def kudos_rows(core: Tandem) -> list[Kudos]:
    with Session(core.engine) as session:
        return list(session.exec(select(Kudos)).all())


def test_kudos_thank_everyone_mentioned_and_sort_values_from_tags(staff: Tandem) -> None:
    out = say(staff, "alice", "/kudos <@bob> <@carol> thanks for staying late on the release #ownership #release")
    assert "Sent!" in out
    with Session(staff.engine) as session:
        receivers = {r.person_id for r in session.exec(select(KudosReceiver)).all()}
        tags = {(t.tag, t.is_value) for t in session.exec(select(KudosTag)).all()}
        notes = session.exec(select(Notification)).all()
    assert len(receivers) == 2
    assert tags == {("ownership", True), ("release", False)}
    assert kudos_rows(staff)[0].message == "thanks for staying late on the release #ownership #release"
    dms = {n.address for n in notes if n.recipient_kind == "person"}
    assert dms == {"bob", "carol"}
    announcement = [n for n in notes if n.kind == "kudos"]
    assert len(announcement) == 1 and announcement[0].address == "general"


def test_kudos_announce_in_the_kudos_channel_once_one_is_set(staff: Tandem) -> None:
    say(staff, "alice", "/tandem kudos channel #kudos")
    say(staff, "alice", "/kudos <@bob> thanks")
    with Session(staff.engine) as session:
        announcement = session.exec(select(Notification).where(Notification.kind == "kudos")).one()
    assert announcement.address == "kudos"


def test_nobody_can_thank_themselves(staff: Tandem) -> None:
    out = say(staff, "alice", "/kudos <@alice> great job me")
    assert "can't thank yourself" in out
    assert "great job me" in out  # what they wrote is given back
    assert kudos_rows(staff) == []


def test_a_refused_kudos_hands_back_the_whole_command_the_people_named_included(staff: Tandem) -> None:
    out = say(staff, "bob", "/kudos <@bob> <@bob> thanks for the fix")
    assert "can't thank yourself" in out
    assert "@bob @bob thanks for the fix" in out
    out = say(staff, "alice", "/kudos <@bob> <@carol>")
    assert "Say what you're thanking them for" in out and "@bob @carol" in out
    assert kudos_rows(staff) == []


def test_kudos_without_a_reason_or_a_person_are_refused_politely(staff: Tandem) -> None:
    assert "Say what you're thanking them for" in say(staff, "alice", "/kudos <@bob>")
    assert "Who would you like to thank?" in say(staff, "alice", "/kudos thanks everyone")
    assert kudos_rows(staff) == []


def test_a_20000_character_kudos_is_refused_and_handed_back_whole(staff: Tandem) -> None:
    long_text = "thank you " * 2000
    reply = staff.run_command(command("alice", f"/kudos <@bob> {long_text}"))
    assert not reply.ok and reply.message is not None
    assert "2,000 characters" in plain(reply.message.title)
    assert plain(reply.message.sections[0].text) == long_text.strip()
    assert kudos_rows(staff) == []


def test_channel_pings_typed_in_a_kudos_stay_plain_text(staff: Tandem) -> None:
    say(staff, "alice", "/kudos <@bob> thanks &lt;!channel&gt; @here &amp; all")
    row = kudos_rows(staff)[0]
    assert row.message == "thanks <!channel> @here & all"
    with Session(staff.engine) as session:
        announcement = session.exec(select(Notification).where(Notification.kind == "kudos")).one()
    spans = json.loads(announcement.message_json)["sections"][0]["text"]
    assert spans == ["thanks <!channel> @here & all"]  # a plain string: every renderer escapes it


def test_an_unknown_person_is_named_back_and_nothing_is_saved(staff: Tandem) -> None:
    assert "I don't know @zed" in say(staff, "alice", "/kudos <@zed> thanks")
    assert kudos_rows(staff) == []


def test_the_weekly_allowance_stops_the_sixth_kudos_until_monday(staff: Tandem, clock: FrozenClock) -> None:
    say(staff, "alice", "/tandem kudos allowance 2")
    say(staff, "alice", "/kudos <@bob> one")
    say(staff, "alice", "/kudos <@carol> two")
    assert "allowance renews on Monday" in say(staff, "alice", "/kudos <@bob> three")
    assert len(kudos_rows(staff)) == 2
    clock.advance(days=7)
    assert "Sent!" in say(staff, "alice", "/kudos <@bob> three")


def test_kudos_naming_a_finished_request_are_linked_to_it(staff: Tandem) -> None:
    say(staff, "alice", '/tandem team add it "IT Help"')
    say(staff, "bob", "/ask it vpn")
    assert "finished request #1" in say(staff, "bob", "/kudos <@alice> thanks for #1")
    say(staff, "alice", "/requests 1 done")
    say(staff, "bob", "/kudos <@alice> thanks for #1")
    assert kudos_rows(staff)[0].request_id == 1


def test_top_and_stats_count_what_was_received(staff: Tandem) -> None:
    say(staff, "alice", "/kudos <@bob> one #ownership")
    say(staff, "carol", "/kudos <@bob> two")
    say(staff, "bob", "/kudos <@carol> three")
    top = say(staff, "alice", "/kudos top week")
    assert top.index("@bob — 2") < top.index("@carol — 1")
    reply = staff.run_command(command("alice", "/kudos stats <@bob>"))
    assert reply.message is not None
    fields = {f.label: plain(f.value) for f in reply.message.fields}
    assert fields["Received"] == "2" and fields["Given"] == "1" and "#ownership (1)" in fields["Values"]
    assert "Choose week, month or all" in say(staff, "alice", "/kudos top year")


def test_kudos_alone_opens_the_form(staff: Tandem) -> None:
    reply = staff.run_command(command("alice", "/kudos"))
    assert reply.form is not None and reply.form.form_id == "kudos"
    assert [i.input_id for i in reply.form.inputs] == ["people", "message", "values"]
