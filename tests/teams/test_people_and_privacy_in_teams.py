"""Teams: people removed from the team are switched off, "Say thanks"
pressed twice thanks once, and a private request looked up in a channel is
answered in the person's own chat, not in the channel's thread."""

from __future__ import annotations

from sqlmodel import Session, select

from bot.core import Tandem
from storage.models import Kudos, Person
from tests.teams.conftest import MockConnector, TeamsChat, card_of, card_text
from tests.teams.payloads import ANN, BOT, GENERAL, IT_CHANNEL, KIM, SAM, TENANT
from tests.teams.payloads import message as teams_message


def members_removed(*who: object, channel: str = GENERAL) -> dict:  # type: ignore[type-arg]
    return {"type": "conversationUpdate", "id": "f:removed", "channelId": "msteams",
            "serviceUrl": "https://smba.trafficmanager.net/emea/", "from": ANN.account, "recipient": dict(BOT),
            "conversation": {"id": channel, "conversationType": "channel", "isGroup": True, "tenantId": TENANT},
            "channelData": {"tenant": {"id": TENANT}, "team": {"id": GENERAL}, "eventType": "teamMemberRemoved"},
            "membersRemoved": [w.account for w in who] + [dict(BOT)]}  # type: ignore[attr-defined]


async def test_someone_removed_from_the_team_is_switched_off_but_the_bot_leaving_is_not_a_person(
        chat: TeamsChat, core: Tandem) -> None:
    for who in (ANN, SAM, KIM):
        await chat.say(who, "help")
    await chat.send(members_removed(SAM))
    with Session(core.engine) as session:
        active = {p.display_name: p.active for p in session.exec(select(Person)).all()}
    assert active == {"Ann Lee": True, "Sam Roy": False, "Kim Wu": True}
    [reply] = await chat.say(SAM, "requests")
    assert "switched off" in card_text(card_of(reply))


async def test_say_thanks_pressed_twice_in_teams_thanks_once(chat: TeamsChat, core: Tandem) -> None:
    await chat.say(ANN, 'tandem team add it "IT Help"')
    [filed] = await chat.say(SAM, "ask it new laptop")
    await chat.say(ANN, "requests 1 done all set")
    from scheduler.delivery import deliver_due  # the prompt, as Sam's chat shows it

    prompts: list = []

    class Keep:
        platform = "teams"

        async def send(self, recipient, message, **_):  # type: ignore[no-untyped-def]
            prompts.append(message)
            from bot.ports import Delivered
            return Delivered(message_ref=f"m{len(prompts)}", channel=recipient.address)

    await deliver_due(core.engine, {"teams": Keep()}, core.clock)
    prompt = next(m for m in prompts if any(b.action_id == "kudos.thank" for b in m.buttons))
    thanks = next(b for b in prompt.buttons if b.action_id == "kudos.thank")
    value = {"tandem_action": thanks.action_id, "value": thanks.value}
    first = await chat.send(teams_message(SAM, "", value=value, reply_to_id="prompt-card-1"))
    again = await chat.send(teams_message(SAM, "", value=value, reply_to_id="prompt-card-1"))
    assert card_text(card_of(first[0])) == card_text(card_of(again[0]))
    with Session(core.engine) as session:
        assert len(session.exec(select(Kudos)).all()) == 1


async def test_a_private_request_looked_up_in_a_channel_is_answered_in_the_personal_chat(
        chat: TeamsChat, core: Tandem, connector: MockConnector) -> None:
    url = connector.url
    await chat.say(ANN, 'tandem team add it "IT Help"', service_url=url)  # Ann: the first, so the admin
    await chat.say(SAM, "help", service_url=url)
    await chat.say(SAM, "ask it payroll question about my salary private", service_url=url)
    [answer] = await chat.say(SAM, "requests 1", channel=IT_CHANNEL, service_url=url)
    in_channel = card_text(card_of(answer))
    assert "payroll" not in in_channel and "personal chat" in in_channel
    from scheduler.delivery import deliver_due

    await deliver_due(core.engine, {"teams": chat.app.port}, core.clock)
    privately = [c for c in connector.delivered() if c.conversation_id == "a:personal-sam"]
    assert any("payroll question about my salary" in card_text(c.card) for c in privately)
    others = {c.conversation_id for c in connector.delivered() if "payroll" in card_text(c.card)}
    assert others <= {"a:personal-sam", "a:personal-ann"}  # the requester, and IT Help's lead (no channel set)
    assert IT_CHANNEL not in {c.conversation_id.split(";")[0] for c in connector.delivered()
                              if "payroll" in card_text(c.card)}
