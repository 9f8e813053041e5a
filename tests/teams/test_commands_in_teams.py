"""Typed commands in Teams: the same words as everywhere, with or without a
slash, with or without @Tandem in front, Teams mentions resolving to people."""

from __future__ import annotations

import json

from sqlmodel import Session, select

from bot.core import Tandem
from storage.models import Kudos, KudosReceiver, Person, Request, Team
from tests.teams.conftest import TeamsChat, card_of, card_text
from tests.teams.payloads import ANN, IT_CHANNEL, KIM, SAM, bot_mention, channel_mention


def _people(core: Tandem) -> dict[str, Person]:
    with Session(core.engine) as session:
        return {p.user_id: p for p in session.exec(select(Person)).all()}


def _receivers(core: Tandem) -> list[list[str]]:
    with Session(core.engine) as session:
        out = []
        for kudos in session.exec(select(Kudos).order_by(Kudos.id)).all():
            rows = session.exec(select(Person).join(KudosReceiver, KudosReceiver.person_id == Person.id)
                                .where(KudosReceiver.kudos_id == kudos.id)).all()
            out.append([p.user_id for p in rows])
        return out


async def test_kudos_with_a_teams_mention_thanks_that_person(chat: TeamsChat, core: Tandem) -> None:
    shown, entity = SAM.mention()
    replies = await chat.say(ANN, f"kudos {shown} thanks for the demo #ownership", entities=[entity])
    assert len(replies) == 1
    assert "Sent! Sam Roy will hear about it." in card_text(card_of(replies[0]))
    assert _receivers(core) == [["aad-sam"]]
    people = _people(core)
    assert people["aad-ann"].display_name == "Ann Lee" and people["aad-ann"].timezone == "Europe/Paris"
    assert people["aad-sam"].platform == "teams" and people["aad-sam"].tenant.startswith("72f988bf")
    with Session(core.engine) as session:
        assert session.exec(select(Kudos.message)).one() == "thanks for the demo #ownership"


async def test_a_leading_slash_and_the_bots_own_mention_are_both_optional(chat: TeamsChat, core: Tandem) -> None:
    at_bot, bot_entity = bot_mention()
    await chat.say(ANN, f'{at_bot} /tandem team add it "IT Help"', entities=[bot_entity], channel=IT_CHANNEL)
    await chat.say(ANN, "tandem team add hr HR")
    await chat.say(ANN, f"{at_bot} tandem team add fin Finance", entities=[bot_entity])
    with Session(core.engine) as session:
        assert sorted(t.handle for t in session.exec(select(Team)).all()) == ["fin", "hr", "it"]


async def test_ask_files_a_request_and_requests_lists_it(chat: TeamsChat, core: Tandem) -> None:
    await chat.say(ANN, 'tandem team add it "IT Help"')
    replies = await chat.say(SAM, "/ask it new laptop for the new hire by friday")
    assert "Request #1 is with IT Help" in card_text(card_of(replies[0]))
    replies = await chat.say(SAM, "requests")
    text = card_text(card_of(replies[0]))
    assert "Your open requests (1)" in text and "new laptop for the new hire" in text
    with Session(core.engine) as session:
        request = session.exec(select(Request)).one()
        assert (request.origin_platform, request.origin_channel) == ("teams", "a:personal-sam")


async def test_a_mention_without_an_entra_id_finds_the_person_tandem_already_knows(chat: TeamsChat,
                                                                                  core: Tandem) -> None:
    await chat.say(SAM, "help")  # Sam's personal chat: Tandem learns 29:sam is aad-sam
    shown, entity = SAM.mention(with_aad=False)
    await chat.say(ANN, f"kudos {shown} thanks!", entities=[entity])
    assert _receivers(core) == [["aad-sam"]]
    assert "29:sam" not in _people(core)


async def test_typed_markup_and_fake_tokens_stay_text_and_ping_nobody(chat: TeamsChat, core: Tandem) -> None:
    shown, entity = SAM.mention()
    replies = await chat.say(ANN, f"kudos {shown} for <@aad-kim> & <at>Kim Wu</at> **bold** [x](http://evil)",
                             entities=[entity])
    assert len(replies) == 1
    assert _receivers(core) == [["aad-sam"]]
    assert "aad-kim" not in _people(core)
    with Session(core.engine) as session:
        assert session.exec(select(Kudos.message)).one() == \
            "for <@aad-kim> & <at>Kim Wu</at> **bold** [x](http://evil)"


async def test_a_channel_mention_sets_where_a_teams_requests_land(chat: TeamsChat, core: Tandem) -> None:
    at_bot, bot_entity = bot_mention()
    shown, channel_entity = channel_mention(IT_CHANNEL, "IT help")
    await chat.say(ANN, 'tandem team add it "IT Help"')
    replies = await chat.say(ANN, f"{at_bot} tandem team edit it channel {shown}",
                             entities=[bot_entity, channel_entity], channel=IT_CHANNEL)
    assert len(replies) == 1
    with Session(core.engine) as session:
        team = session.exec(select(Team)).one()
        assert (team.intake_platform, team.intake_channel) == ("teams", IT_CHANNEL)


async def test_two_people_and_the_same_person_twice_are_each_thanked_once(chat: TeamsChat, core: Tandem) -> None:
    sam, sam_entity = SAM.mention()
    kim, kim_entity = KIM.mention()
    await chat.say(ANN, f"kudos {sam} {kim} {sam} great launch", entities=[sam_entity, kim_entity, sam_entity])
    assert _receivers(core) == [["aad-kim", "aad-sam"]] or _receivers(core) == [["aad-sam", "aad-kim"]]


async def test_an_unknown_word_gets_a_polite_pointer_to_help(chat: TeamsChat, core: Tandem) -> None:
    replies = await chat.say(ANN, "dance please")
    assert "I don't know /dance. Try /tandem help." in card_text(card_of(replies[0]))
    replies = await chat.say(ANN, "help")
    assert "kudos" in card_text(card_of(replies[0]))


async def test_a_replayed_activity_id_acts_once(chat: TeamsChat, core: Tandem) -> None:
    shown, entity = SAM.mention()
    for _ in range(2):
        await chat.say(ANN, f"kudos {shown} thanks", entities=[entity], activity_id="1700000000999")
    assert _receivers(core) == [["aad-sam"]]


async def test_a_20000_character_kudos_is_refused_politely_in_a_card_teams_accepts(chat: TeamsChat,
                                                                                   core: Tandem) -> None:
    shown, entity = SAM.mention()
    [reply] = await chat.say(ANN, f"kudos {shown} " + "thanks " * 2900, entities=[entity])
    card = card_of(reply)
    assert card["body"][0]["text"].startswith("Kudos are kept to 2,000 characters; yours has 20,29")
    assert card["body"][-1]["text"].endswith("…")
    assert len(json.dumps(reply.serialize())) < 28_000
    assert _receivers(core) == []
