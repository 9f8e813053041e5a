"""The "Say thanks" button on a done request's card: anyone who may see the
request thanks whoever finished it, once; colleagues' thanks grow one
announcement (and one DM to the receiver) per request, naming the first few
without pinging them; a private request's outsiders are refused as if it
did not exist; the requester's press is the kudos it always was."""

from __future__ import annotations

import asyncio

import pytest
from sqlmodel import Session, col, select

from bot.core import Tandem
from bot.messages import Message, PersonRef, plain
from bot.services.clock import FrozenClock
from scheduler.delivery import UPDATE_INTERVAL, deliver_batch
from storage.flow import KudosSource
from storage.models import Kudos, KudosReceiver, Notification, Person
from tests.conftest import Chat
from tests.helpers import join, ok, person, press
from tests.scheduler.support import RecordingPort


@pytest.fixture
def done_request(core: Tandem) -> Tandem:
    """IT Help (lead alice, kim finishes), its channel #it-help; bob's request #1 done by kim."""
    for name in ("alice", "kim", "bob"):
        core.introduce(person(name))
    ok(core, "alice", '/tandem team add it "IT Help"')
    ok(core, "alice", "/tandem team edit it channel #it-help")
    join(core, "it", "kim")
    ok(core, "bob", "/ask it vpn access")
    ok(core, "kim", "/requests 1 done access granted")
    return core


def thank(core: Tandem, who: str, *, click: str | None = None, card: str = "card-1") -> str:
    reply = core.run_action(press(who, "kudos.thank", "1", key=click or f"{who}-{card}", message=card))
    assert reply.message is not None
    return plain(reply.message.title)


def announcements(core: Tandem) -> list[Notification]:
    with Session(core.engine) as session:
        return list(session.exec(select(Notification).where(Notification.topic == "thanks:request:1")
                                 .order_by(col(Notification.id))).all())


def title(row: Notification) -> str:
    return plain(Message.model_validate_json(row.message_json).title)


def pinged(row: Notification) -> list[str]:
    return [span.user_id for span in Message.model_validate_json(row.message_json).title
            if isinstance(span, PersonRef) and span.ping]


def test_colleagues_grow_one_announcement_naming_the_first_two_and_counting_the_rest(done_request: Tandem) -> None:
    names = [f"fan{n:02d}" for n in range(12)]
    for name in names:
        assert "Thanks sent to @kim for #1" in thank(done_request, name)
    rows = announcements(done_request)
    assert len(rows) == 12 and {r.address for r in rows} == {"it-help"}  # the team's channel, where the card is
    assert {(r.replace, r.kind) for r in rows} == {(True, "kudos")}
    assert title(rows[-1]) == "🙌 @fan00, @fan01 and 10 others thanked @kim for #1: vpn access"
    assert title(rows[2]) == "🙌 @fan00, @fan01 and @fan02 thanked @kim for #1: vpn access"
    with Session(done_request.engine) as session:
        given = session.exec(select(Kudos).where(Kudos.request_id == 1)).all()
        dms = session.exec(select(Notification).where(Notification.topic == "thanks:request:1:dm")).all()
    assert sorted(k.giver_id for k in given) == sorted(set(k.giver_id for k in given)) and len(given) == 12
    assert len(dms) == 12 and "thanked you for #1" in title(dms[-1]) and "10 others" in title(dms[-1])
    # no one-announcement-per-kudos rows, and nobody but kim pinged
    assert {tuple(pinged(r)) for r in rows} == {("kim",)}
    with Session(done_request.engine) as session:
        assert session.exec(select(Notification).where(col(Notification.idempotency_key).like("kudos:%:announce"))
                            ).all() == []


def test_a_double_click_and_a_press_on_another_card_thank_once(done_request: Tandem) -> None:
    first = thank(done_request, "dan", click="c1")
    again = thank(done_request, "dan", click="c2")  # the same card: the press's receipt answers
    elsewhere = thank(done_request, "dan", click="c3", card="dm-card")
    assert first == again and "Thanks sent" in first
    assert elsewhere == "You already thanked @kim for #1: thanks count once per person, and yours counted. 🙌"
    with Session(done_request.engine) as session:
        assert len(session.exec(select(Kudos)).all()) == 1
        assert len(session.exec(select(KudosSource)).all()) == 1
    assert len(announcements(done_request)) == 1


def test_the_requesters_press_stays_their_own_kudos_and_the_finisher_is_told_politely(done_request: Tandem) -> None:
    assert "Sent! @kim will hear about it." in thank(done_request, "bob")
    assert "You finished #1 yourself" in thank(done_request, "kim")
    with Session(done_request.engine) as session:
        kudos = session.exec(select(Kudos)).one()
        announce = session.exec(select(Notification).where(Notification.idempotency_key == f"kudos:{kudos.id}:announce"))
        assert announce.one().topic is None  # its own announcement, as before
        kim = session.exec(select(Person).where(Person.user_id == "kim")).one()
        assert session.exec(select(KudosReceiver)).one().person_id == kim.id
    assert announcements(done_request) == []


def test_an_outsider_cannot_thank_for_a_private_request_but_its_team_can(core: Tandem) -> None:
    for name in ("alice", "kim", "bob", "mallory", "ivan"):
        core.introduce(person(name))
    ok(core, "alice", '/tandem team add it "IT Help"')
    join(core, "it", "kim")
    join(core, "it", "ivan")
    ok(core, "bob", "/ask it payroll question private")
    ok(core, "kim", "/requests 1 done sorted")
    refused = core.run_action(press("mallory", "kudos.thank", "1", key="m1", message="card-1"))
    assert not refused.ok and refused.message is not None
    assert plain(refused.message.title).startswith("I can't find request #1.")  # as if it did not exist
    with Session(core.engine) as session:
        assert session.exec(select(Kudos)).all() == []
    assert "Thanks sent to @kim for #1" in thank(core, "ivan")
    assert title(announcements(core)[-1]) == "🙌 @ivan thanked @kim for #1"  # a private title is never announced


def test_an_open_request_cannot_be_thanked_yet(core: Tandem) -> None:
    for name in ("alice", "kim", "bob"):
        core.introduce(person(name))
    ok(core, "alice", '/tandem team add it "IT Help"')
    ok(core, "bob", "/ask it vpn access")
    reply = core.run_action(press("kim", "kudos.thank", "1", key="k1", message="card-1"))
    assert not reply.ok and reply.message is not None
    assert "I can't find a finished request #1" in plain(reply.message.title)


def test_a_burst_of_presses_is_delivered_as_one_post_and_one_update_that_counts_everyone(
        done_request: Tandem, clock: FrozenClock) -> None:
    port = RecordingPort(clock)
    asyncio.run(deliver_batch(done_request.engine, {"shell": port}, clock))  # the card, bob's prompt, …
    port.sent.clear()
    for n in range(5):
        thank(done_request, f"early{n}")
    asyncio.run(deliver_batch(done_request.engine, {"shell": port}, clock))
    for n in range(40):
        thank(done_request, f"late{n:02d}")
    asyncio.run(deliver_batch(done_request.engine, {"shell": port}, clock))  # paced: nothing yet
    clock.advance(UPDATE_INTERVAL)
    asyncio.run(deliver_batch(done_request.engine, {"shell": port}, clock))
    channel = port.to("#it-help")
    assert [(s.replaced, s.title) for s in channel] == [
        (False, "🙌 @early0, @early1 and 3 others thanked @kim for #1: vpn access"),
        (True, "🙌 @early0, @early1 and 43 others thanked @kim for #1: vpn access")]
    assert [s.title for s in port.to("@kim")][-1] == "🙌 @early0, @early1 and 43 others thanked you for #1: vpn access"


async def test_in_the_terminal_a_colleague_presses_say_thanks_on_the_card(chat: Chat) -> None:
    await chat.as_("alice")
    await chat('/tandem team add it "IT Help"')
    await chat("/tandem team edit it channel #it-help")
    await chat.as_("bob")
    await chat("/ask it new laptop")
    await chat.as_("alice")
    await chat("/requests 1 done all set")
    await chat.as_("carol")
    card = await chat("/requests 1")
    number = next(part.split()[0] for part in card.split("[")[1:] if "Say thanks" in part)
    pressed = await chat(f"/press {number}")
    assert "Thanks sent to @alice for #1" in pressed
    assert "🙌 @carol thanked @alice for #1: new laptop" in pressed  # the announcement, delivered
    again = await chat(f"/press {number}")
    assert "Thanks sent to @alice for #1" in again and "🙌 @carol" not in again  # the receipt answers; nothing new
    with Session(chat.core.engine) as session:
        assert len(session.exec(select(Kudos)).all()) == 1


def test_the_announcement_is_built_afresh_when_sent_so_presses_side_by_side_count_everyone(
        done_request: Tandem, clock: FrozenClock) -> None:
    port = RecordingPort(clock)
    asyncio.run(deliver_batch(done_request.engine, {"shell": port}, clock))
    port.sent.clear()
    for name in ("ann", "ben", "cat"):
        thank(done_request, name)
    # as if cat's press had counted beside ben's, without it: its row is one short
    stale = Message(title=("🙌 ann and ben thanked kim",)).model_dump_json()
    with Session(done_request.engine) as session:
        for row in session.exec(select(Notification).where(col(Notification.topic).like("thanks:request:1%"))):
            row.message_json = stale
            session.add(row)
        session.commit()
    asyncio.run(deliver_batch(done_request.engine, {"shell": port}, clock))
    assert [s.title for s in port.to("#it-help")] == ["🙌 @ann, @ben and @cat thanked @kim for #1: vpn access"]
    assert [s.title for s in port.to("@kim")] == ["🙌 @ann, @ben and @cat thanked you for #1: vpn access"]
