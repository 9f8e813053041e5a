"""Inline thanks through the core, in the terminal: `@bob++` and `thanks @bob`
posted in a conversation give kudos by the kudos rules, answer in the thread
without pinging, and a retried event gives once."""

from __future__ import annotations

from sqlmodel import Session, select

from bot.core import Tandem
from bot.events import Actor, ConversationEvent, Place, Said
from storage.flow import KudosSource
from storage.models import Kudos, KudosReceiver, Notification
from tests.conftest import Chat
from tests.helpers import ok, person


def kudos_rows(core: Tandem) -> list[tuple[str, list[int]]]:
    with Session(core.engine) as session:
        return [(k.message, [r.person_id for r in session.exec(select(KudosReceiver)
                                                                .where(KudosReceiver.kudos_id == k.id))])
                for k in session.exec(select(Kudos).order_by(Kudos.id))]


async def company(chat: Chat) -> None:
    for name in ("alice", "bob", "kim"):
        chat.core.introduce(person(name))
    await chat.as_("alice")


async def test_plusplus_gives_kudos_and_answers_in_the_thread(sqlite_chat: Chat) -> None:
    await company(sqlite_chat)
    printed = await sqlite_chat("@bob++ for the demo #ownership")
    assert kudos_rows(sqlite_chat.core) == [("for the demo #ownership", [2])]
    assert "→ #terminal (in thread):\n    🙌 Kudos to @bob.\n" in printed
    assert "→ @bob:\n    You got kudos from @alice!" in printed  # bob's DM, as for /kudos
    with Session(sqlite_chat.core.engine) as session:
        source = session.exec(select(KudosSource)).one()
        assert source.kind == "inline"


async def test_thanks_names_several_people(sqlite_chat: Chat) -> None:
    await company(sqlite_chat)
    await sqlite_chat("thanks @bob @kim for the release #teamwork")
    assert kudos_rows(sqlite_chat.core) == [("for the release #teamwork", [2, 3])]


async def test_mention_in_code_block_or_plain_chatter_gives_nothing(sqlite_chat: Chat) -> None:
    await company(sqlite_chat)
    await sqlite_chat("`@bob++` is how you'd thank him")
    await sqlite_chat("@bob can you look at the build?")
    await sqlite_chat("@bob-- for breaking it")
    assert kudos_rows(sqlite_chat.core) == []


async def test_thanking_yourself_gives_nothing_and_only_you_hear_why(sqlite_chat: Chat) -> None:
    await company(sqlite_chat)
    printed = await sqlite_chat("@alice++ for my own demo")
    assert kudos_rows(sqlite_chat.core) == []
    assert "→ @alice:\n    Your thanks in the conversation gave no kudos" in printed
    assert "#terminal" not in printed


async def test_thanks_form_can_be_turned_off_by_admins_only(sqlite_chat: Chat) -> None:
    await company(sqlite_chat)
    await sqlite_chat.as_("bob")
    refused = await sqlite_chat("/tandem kudos thanks off")
    assert "Only an admin" in refused
    await sqlite_chat.as_("alice")
    assert "no longer gives kudos" in await sqlite_chat("/tandem kudos thanks off")
    await sqlite_chat("thanks @bob for the release")
    assert kudos_rows(sqlite_chat.core) == []
    await sqlite_chat("@bob++ for the release")
    assert len(kudos_rows(sqlite_chat.core)) == 1
    assert "Say on or off" in await sqlite_chat("/tandem kudos thanks maybe")


async def test_allowance_refusal_reaches_the_author_alone(sqlite_chat: Chat) -> None:
    await company(sqlite_chat)
    ok(sqlite_chat.core, "alice", "/tandem kudos allowance 1")
    await sqlite_chat("@bob++ for the demo")
    printed = await sqlite_chat("@kim++ for the notes")
    assert len(kudos_rows(sqlite_chat.core)) == 1
    assert "→ @alice:\n    Your thanks in the conversation gave no kudos: You've given your 1 kudos" in printed


def test_a_retried_event_gives_once(sqlite_core: Tandem) -> None:
    for name in ("alice", "bob"):
        sqlite_core.introduce(person(name))
    place = Place(platform="shell", tenant="local", channel="general")
    said = Said(author=person("alice"), place=place, message_ref="m1", text="<@bob>++ for the demo",
                mentions=(Actor(platform="shell", tenant="local", user_id="bob", known=False),))
    event = ConversationEvent(actor=person("alice"), kind="message", said=said, event_id="Ev1")
    first = sqlite_core.run_event(event)
    again = sqlite_core.run_event(event)
    assert first.ok and again == first
    assert kudos_rows(sqlite_core) == [("for the demo", [2])]
    with Session(sqlite_core.engine) as session:
        threads = session.exec(select(Notification).where(Notification.kind == "thanks_thread")).all()
        assert len(threads) == 1


def test_someone_elses_message_is_not_their_thanks(sqlite_core: Tandem) -> None:
    """A "message" event acts only for the message's author (an edge replaying someone's text gives nothing)."""
    for name in ("alice", "bob", "kim"):
        sqlite_core.introduce(person(name))
    place = Place(platform="shell", tenant="local", channel="general")
    said = Said(author=person("kim"), place=place, message_ref="m1", text="<@bob>++ for the demo")
    sqlite_core.run_event(ConversationEvent(actor=person("alice"), kind="message", said=said, event_id="Ev2"))
    assert kudos_rows(sqlite_core) == []


async def test_the_terminal_reacts_to_a_persons_last_line(sqlite_chat: Chat) -> None:
    await company(sqlite_chat)
    await sqlite_chat.as_("bob")
    await sqlite_chat("shipped the release notes #ownership")
    await sqlite_chat.as_("kim")
    printed = await sqlite_chat("/react @bob :raised_hands:")
    assert kudos_rows(sqlite_chat.core) == [("for “shipped the release notes #ownership”", [2])]
    assert "Kudos to @bob" in printed and "thanked @bob" in printed
    assert "Thanks withdrawn" in await sqlite_chat("/unreact @bob :raised_hands:")
    assert kudos_rows(sqlite_chat.core) == []
    assert "hasn't said anything" in await sqlite_chat("/react @alice :raised_hands:")
    assert "React to someone's last line" in await sqlite_chat("/react")


async def test_the_ticket_emoji_in_the_terminal_files_a_request_when_it_is_the_teams_channel(sqlite_chat: Chat) -> None:
    await company(sqlite_chat)
    await sqlite_chat('/tandem team add it "IT Help"')
    await sqlite_chat("/tandem team edit it channel #terminal")
    await sqlite_chat.as_("bob")
    await sqlite_chat("the printer on 3 is jammed again")
    await sqlite_chat.as_("kim")
    printed = await sqlite_chat("/react @bob :ticket:")
    assert "Filed the message by @bob as request #1 for IT Help" in printed
    assert "→ #terminal (in thread):" in printed and "the printer on 3 is jammed again" in printed
    assert "→ @bob:" in printed  # told it is their request now


async def test_admins_choose_the_emoji_and_a_typo_changes_nothing(sqlite_chat: Chat) -> None:
    await company(sqlite_chat)
    assert "Reacting with :clap: to a message now thanks its author" in \
        await sqlite_chat("/tandem kudos emoji :clap:")
    assert "must differ: :clap: is already the kudos emoji" in await sqlite_chat("/tandem request emoji clap")
    refused = await sqlite_chat("/tandem kudos emoji two words")
    assert "Name one emoji" in refused and "two words" in refused
    await sqlite_chat.as_("bob")
    assert "Only an admin" in await sqlite_chat("/tandem request emoji tada")
    await sqlite_chat("fixed the flaky test")
    await sqlite_chat.as_("kim")
    await sqlite_chat("/react @bob :raised_hands:")
    assert kudos_rows(sqlite_chat.core) == []  # no longer the kudos emoji
    await sqlite_chat("/react @bob :clap::skin-tone-2:")
    assert len(kudos_rows(sqlite_chat.core)) == 1


async def test_a_line_that_is_neither_command_nor_thanks_is_answered_as_before(sqlite_chat: Chat) -> None:
    await company(sqlite_chat)
    assert "I don't know /helo" in await sqlite_chat("helo")
    assert kudos_rows(sqlite_chat.core) == []
