"""Proactive messages: outbox notifications reach Teams through
`continue_conversation` with the stored conversation references, over real
HTTP to a mock Bot Connector. Request cards are updated in place, comments
land in the card's thread, limits and back-off keep Teams happy."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from adapters.teams.app import TeamsApp
from bot.core import Tandem
from bot.messages import Message
from bot.ports import DeliveryFailed, Recipient, RetryLater
from bot.services.clock import FrozenClock
from scheduler.delivery import deliver_due
from storage.models import Notification
from tests.teams.conftest import MockConnector, TeamsChat, card_text
from tests.teams.payloads import (
    ANN,
    GENERAL,
    IT_CHANNEL,
    SAM,
    TENANT,
    channel_mention,
    installed_in_personal_chat,
    installed_in_team,
)
from tests.teams.payloads import KIM as KIM_


async def _deliver(core: Tandem, teams: TeamsApp) -> int:
    return await deliver_due(core.engine, {"teams": teams.port}, core.clock)


async def test_kudos_reach_the_channel_with_a_real_mention_and_the_receivers_personal_chat(
        chat: TeamsChat, core: Tandem, teams: TeamsApp, connector: MockConnector) -> None:
    await chat.send(installed_in_personal_chat(SAM, service_url=connector.url))
    sam, entity = SAM.mention()
    await chat.say(ANN, f"kudos {sam} thanks for the demo #ownership", entities=[entity], channel=GENERAL,
                   service_url=connector.url)
    assert await _deliver(core, teams) == 2
    by_conversation = {call.conversation_id: call for call in connector.delivered()}
    announcement = by_conversation[GENERAL]
    assert announcement.method == "POST" and announcement.activity_id is None
    assert "thanked <at>Sam Roy</at>" in card_text(announcement.card)
    assert announcement.card["msteams"]["entities"] == [
        {"type": "mention", "text": "<at>Sam Roy</at>", "mentioned": {"id": "aad-sam", "name": "Sam Roy"}}]
    assert announcement.body["summary"].startswith("🎉 @Ann Lee thanked")
    dm = by_conversation["a:personal-sam"]
    assert "You got kudos from Ann Lee!" in card_text(dm.card)
    assert dm.body["from"]["id"] == "28:tandem-bot" and dm.body["recipient"]["id"] == "29:sam"
    assert await _deliver(core, teams) == 0


async def test_a_request_card_goes_to_the_team_channel_and_is_updated_in_place(
        chat: TeamsChat, core: Tandem, teams: TeamsApp, connector: MockConnector) -> None:
    url = connector.url
    await chat.say(ANN, 'tandem team add it "IT Help"', channel=IT_CHANNEL, service_url=url)
    shown, entity = channel_mention(IT_CHANNEL, "IT help")
    await chat.say(ANN, f"tandem team edit it channel {shown}", entities=[entity], channel=IT_CHANNEL,
                   service_url=url)
    await chat.say(SAM, "ask it new laptop for the new hire", service_url=url)
    await _deliver(core, teams)
    [posted] = [c for c in connector.delivered() if c.conversation_id == IT_CHANNEL]
    assert posted.method == "POST"
    assert "Status: Open" in card_text(posted.card) and "[Claim]" in card_text(posted.card)
    card_id = _id_of(connector, posted)

    await chat.say(ANN, "requests 1 claim", service_url=url)
    await _deliver(core, teams)
    updates = [c for c in connector.delivered() if c.method == "PUT"]
    assert [(u.conversation_id, u.activity_id) for u in updates] == [(IT_CHANNEL, card_id)]
    assert "Status: Claimed" in card_text(updates[0].card) and "Owner: Ann Lee" in card_text(updates[0].card)
    assert any(c.conversation_id == "a:personal-sam" and "picked up your request #1" in card_text(c.card)
               for c in connector.delivered())

    await chat.say(SAM, "requests 1 comment the old one is broken too", service_url=url)
    await _deliver(core, teams)
    thread = [c for c in connector.delivered() if c.conversation_id == f"{IT_CHANNEL};messageid={card_id}"]
    assert len(thread) == 1 and "the old one is broken too" in card_text(thread[0].card)


def _id_of(connector: MockConnector, call) -> str:  # type: ignore[no-untyped-def]
    """The activity id the mock gave a successful POST (msg-1, msg-2… in order)."""
    posts = [c for c in connector.calls if c.status == 200 and c.method == "POST"]
    return f"msg-{posts.index(call) + 1}"


async def test_a_429_is_survived_with_nothing_lost_or_doubled(
        chat: TeamsChat, core: Tandem, teams: TeamsApp, connector: MockConnector, clock: FrozenClock) -> None:
    await chat.send(installed_in_personal_chat(SAM, service_url=connector.url))
    sam, entity = SAM.mention()
    await chat.say(ANN, f"kudos {sam} thanks", entities=[entity], service_url=connector.url)
    connector.fail_next.append(429)  # the first call: the announcement in Ann's chat
    assert await _deliver(core, teams) == 1  # Sam's notice still goes out
    assert [(c.conversation_id, c.status) for c in connector.calls] == [("a:personal-ann", 429),
                                                                        ("a:personal-sam", 200)]
    with Session(core.engine) as session:
        row = session.exec(select(Notification).where(Notification.address == "a:personal-ann")).one()
        assert row.status == "pending" and "429" in (row.last_error or "")
    assert await _deliver(core, teams) == 0  # not due yet: nothing is sent early
    clock.advance(seconds=2)
    assert await _deliver(core, teams) == 1
    clock.advance(minutes=10)
    assert await _deliver(core, teams) == 0
    delivered = [(c.conversation_id, card_text(c.card).splitlines()[0]) for c in connector.delivered()]
    assert delivered == [("a:personal-sam", "You got kudos from Ann Lee!"),
                         ("a:personal-ann", "🎉 Ann Lee thanked <at>Sam Roy</at>")]


async def test_back_off_grows_on_412_502_and_504_and_resets_after_a_success(
        teams: TeamsApp, connector: MockConnector, chat: TeamsChat, clock: FrozenClock) -> None:
    await chat.send(installed_in_personal_chat(SAM, service_url=connector.url))
    to_sam = Recipient(kind="person", platform="teams", tenant=TENANT, address="aad-sam")
    connector.fail_next.extend([412, 502, 504])
    delays = []
    for _ in range(3):
        with pytest.raises(RetryLater) as later:
            await teams.port.send(to_sam, Message(title=("hello",)))
        delays.append(later.value.seconds)
        with pytest.raises(RetryLater):  # still backing off: Teams is not asked again
            await teams.port.send(to_sam, Message(title=("hello",)))
        clock.advance(seconds=later.value.seconds)
    assert delays == [2.0, 4.0, 8.0]
    assert len(connector.calls) == 3
    await teams.port.send(to_sam, Message(title=("hello",)))
    connector.fail_next.append(502)
    with pytest.raises(RetryLater) as later:
        await teams.port.send(to_sam, Message(title=("hello",)))
    assert later.value.seconds == 2.0


async def test_more_than_seven_messages_a_second_in_one_conversation_wait_their_turn(
        teams: TeamsApp, connector: MockConnector, chat: TeamsChat, clock: FrozenClock) -> None:
    await chat.send(installed_in_personal_chat(SAM, service_url=connector.url))
    await chat.send(installed_in_personal_chat(ANN, service_url=connector.url))
    to_sam = Recipient(kind="person", platform="teams", tenant=TENANT, address="aad-sam")
    to_ann = Recipient(kind="person", platform="teams", tenant=TENANT, address="aad-ann")
    for n in range(7):
        await teams.port.send(to_sam, Message(title=(f"note {n}",)))
    with pytest.raises(RetryLater) as later:
        await teams.port.send(to_sam, Message(title=("note 7",)))
    assert 0 < later.value.seconds <= 1
    await teams.port.send(to_ann, Message(title=("other chat",)))
    clock.advance(seconds=1)
    await teams.port.send(to_sam, Message(title=("note 7",)))
    assert len(connector.calls) == 9


async def test_someone_who_never_wrote_to_the_bot_gets_a_personal_chat_opened_once(
        chat: TeamsChat, core: Tandem, teams: TeamsApp, connector: MockConnector) -> None:
    sam, entity = SAM.mention()
    await chat.say(ANN, f"kudos {sam} thanks for the demo", entities=[entity], channel=GENERAL,
                   service_url=connector.url)
    assert await _deliver(core, teams) == 2
    created = [c for c in connector.calls if c.method == "CREATE"]
    assert len(created) == 1
    assert created[0].body["members"] == [{"id": "29:sam", "name": "Sam Roy", "aadObjectId": "aad-sam"}]
    assert created[0].body["channelData"] == {"tenant": {"id": TENANT}} and created[0].body["isGroup"] is False
    dm = [c for c in connector.calls if c.conversation_id == "a:created-29:sam"]
    assert len(dm) == 1 and "You got kudos from Ann Lee!" in card_text(dm[0].card)
    await chat.say(KIM_, f"kudos {sam} and again", entities=[entity], channel=GENERAL, service_url=connector.url)
    assert await _deliver(core, teams) == 2
    assert len([c for c in connector.calls if c.method == "CREATE"]) == 1
    assert len([c for c in connector.calls if c.conversation_id == "a:created-29:sam"]) == 2


async def test_a_person_teams_never_showed_us_fails_for_good_with_a_clear_reason(
        chat: TeamsChat, core: Tandem, teams: TeamsApp, connector: MockConnector) -> None:
    await chat.say(ANN, "help", service_url=connector.url)
    with pytest.raises(DeliveryFailed, match="no personal chat with Tandem in Teams yet"):
        await teams.port.send(Recipient(kind="person", platform="teams", tenant=TENANT, address="aad-nobody"),
                              Message(title=("hello",)))
    assert connector.calls == []


async def test_a_403_from_teams_fails_for_good(teams: TeamsApp, connector: MockConnector, chat: TeamsChat) -> None:
    await chat.send(installed_in_personal_chat(SAM, service_url=connector.url))
    connector.fail_next.append(403)
    with pytest.raises(DeliveryFailed, match="403"):
        await teams.port.send(Recipient(kind="person", platform="teams", tenant=TENANT, address="aad-sam"),
                              Message(title=("hello",)))


async def test_a_channel_first_seen_through_the_team_install_can_be_posted_to(
        teams: TeamsApp, connector: MockConnector, chat: TeamsChat) -> None:
    await chat.send(installed_in_team(ANN, service_url=connector.url))
    delivered = await teams.port.send(Recipient(kind="channel", platform="teams", tenant=TENANT, address=IT_CHANNEL),
                                      Message(title=("Digest",)))
    [call] = connector.calls
    assert (call.conversation_id, delivered.channel, delivered.message_ref) == (IT_CHANNEL, IT_CHANNEL, "msg-1")
    assert call.body["conversation"]["id"] == IT_CHANNEL


async def test_an_answer_to_a_thread_in_a_personal_chat_is_just_the_next_message(
        teams: TeamsApp, connector: MockConnector, chat: TeamsChat) -> None:
    await chat.send(installed_in_personal_chat(SAM, service_url=connector.url))
    earlier = await teams.port.send(Recipient(kind="person", platform="teams", tenant=TENANT, address="aad-sam"),
                                    Message(title=("card",)))
    await teams.port.send(Recipient(kind="person", platform="teams", tenant=TENANT, address="aad-sam"),
                          Message(title=("comment",)), thread_of=earlier)
    assert [c.conversation_id for c in connector.calls] == ["a:personal-sam", "a:personal-sam"]


async def test_a_failed_update_is_tried_once_and_left_to_the_outbox(
        teams: TeamsApp, connector: MockConnector, chat: TeamsChat) -> None:
    await chat.send(installed_in_team(ANN, service_url=connector.url, channel=IT_CHANNEL))
    to_channel = Recipient(kind="channel", platform="teams", tenant=TENANT, address=IT_CHANNEL)
    card = await teams.port.send(to_channel, Message(title=("Status: Open",)))
    connector.fail_next.append(502)
    with pytest.raises(RetryLater):
        await teams.port.send(to_channel, Message(title=("Status: Claimed",)), replace=card)
    assert [(c.method, c.status) for c in connector.calls] == [("POST", 200), ("PUT", 502)]
