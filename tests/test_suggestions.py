"""Suggestions: anyone sends a team an idea, its lead lists and answers it, the
suggester hears back, and an anonymous suggester is never named to the team."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.core import Tandem
from bot.messages import plain
from bot.services import digest, suggestions
from storage.models import Notification, Person, Team
from storage.suggestions import Suggestion, SuggestionReplyRoute
from tests.conftest import MONDAY_10_UTC, Chat
from tests.helpers import join, person, say


@pytest.fixture
def it(sqlite_core: Tandem) -> Tandem:
    for name in ("alice", "kim", "bob", "otto"):
        sqlite_core.introduce(person(name))
    say(sqlite_core, "alice", '/tandem team add it "IT Help"')
    say(sqlite_core, "alice", "/tandem team edit it lead <@kim>")
    join(sqlite_core, "it", "kim")
    return sqlite_core


def sent(core: Tandem) -> list[Notification]:
    with Session(core.engine) as session:
        return list(session.exec(select(Notification).order_by(Notification.id)).all())  # type: ignore[arg-type]


def rows(core: Tandem) -> list[Suggestion]:
    with Session(core.engine) as session:
        return list(session.exec(select(Suggestion)).all())


def test_an_anonymous_suggestion_never_names_its_sender_to_the_team(it: Tandem) -> None:
    before = len(sent(it))
    assert "anonymously" in say(it, "bob", "/suggest it a second printer on floor 2 anonymous")
    to_team = sent(it)[before:]
    assert [n.address for n in to_team] == ["kim"]
    assert "bob" not in to_team[0].message_json.lower() and "a second printer" in to_team[0].message_json
    listing = say(it, "kim", "/suggestions it")
    assert "#1" in listing and "anonymous" in listing and "a second printer on floor 2" in listing
    assert "bob" not in listing.lower()
    assert "bob" not in say(it, "kim", "/suggestions").lower()
    assert rows(it)[0].suggester_id is None and rows(it)[0].body == "a second printer on floor 2"


def test_the_suggester_is_told_the_answer_even_when_anonymous(it: Tandem) -> None:
    say(it, "bob", "/suggest it standing desks anonymous")
    before = len(sent(it))
    assert "declined" in say(it, "kim", "/suggestions it 1 decline no budget this year")
    told = sent(it)[before:]
    assert [(n.address, n.kind) for n in told] == [("bob", "suggestion_reply")]
    assert "no budget this year" in told[0].message_json
    assert "No open suggestions" in say(it, "kim", "/suggestions it")
    assert "already declined" in say(it, "kim", "/suggestions it 1 accept")


def test_a_named_suggestion_shows_its_author(it: Tandem) -> None:
    say(it, "bob", "/suggest it a team lunch")
    assert "from bob" in say(it, "kim", "/suggestions it")
    assert "answered" in say(it, "kim", "/suggestions it 1 answer next Friday")
    assert "next Friday" in sent(it)[-1].message_json and sent(it)[-1].address == "bob"


def test_refusals_change_nothing_and_echo(it: Tandem) -> None:
    before = len(sent(it))
    assert "Say what you suggest" in say(it, "bob", "/suggest it anonymous")
    assert "nope" in say(it, "bob", "/suggest nope more coffee")
    assert rows(it) == [] and len(sent(it)) == before
    say(it, "bob", "/suggest it more coffee")
    assert "has no suggestion #7" in say(it, "kim", "/suggestions it 7 accept")
    assert "Say your answer" in say(it, "kim", "/suggestions it 1 answer")
    assert rows(it)[0].status == "open"


def test_an_outsider_can_neither_read_nor_answer(it: Tandem) -> None:
    say(it, "bob", "/suggest it more coffee anonymous")
    before = len(sent(it))
    assert say(it, "otto", "/suggestions it 1 accept").startswith("Only")
    assert say(it, "otto", "/suggestions it").startswith("Only")
    assert "No open suggestions" in say(it, "otto", "/suggestions")
    assert rows(it)[0].status == "open" and len(sent(it)) == before


async def test_through_the_terminal_chat(sqlite_chat: Chat) -> None:
    chat = await sqlite_chat.as_("alice")
    await chat('/tandem team add it "IT Help"')
    await chat.as_("bob")
    assert "Sent to IT Help anonymously" in await chat("/suggest it quieter fans anonymous")
    await chat.as_("alice")
    out = await chat("/suggestions it 1 accept ordered")
    assert "accepted" in out


def test_storage_keeps_no_suggester_on_anonymous_rows(db_url: str, engine: Engine) -> None:
    with Session(engine) as session:
        bob = Person(platform="shell", tenant="local", user_id="bob", display_name="bob", created_at=MONDAY_10_UTC)
        team = Team(handle="it", name="IT Help", created_at=MONDAY_10_UTC)
        session.add(bob)
        session.add(team)
        session.flush()
        row = suggestions.send(session, team, bob, "quieter fans", anonymous=True, now=MONDAY_10_UTC)
        named = suggestions.send(session, team, bob, "more coffee", anonymous=False, now=MONDAY_10_UTC)
        session.commit()
        assert row.suggester_id is None and named.suggester_id == bob.id
        route = session.get(SuggestionReplyRoute, row.id)
        assert route is not None and route.person_id == bob.id
        assert suggestions.author(session, row) == "someone (anonymous)"


def test_revision_0802_downgrade_drops_both_tables(engine: Engine) -> None:
    from sqlalchemy import inspect

    from storage.db import upgrade
    from tests.test_calendar_migration import _downgrade

    assert {"suggestion", "suggestion_reply_route"} <= set(inspect(engine).get_table_names())
    _downgrade(engine, "desk@-1")
    left = set(inspect(engine).get_table_names())
    assert "suggestion" not in left and "suggestion_reply_route" not in left and "team" in left
    upgrade(engine)
    assert {"suggestion", "suggestion_reply_route"} <= set(inspect(engine).get_table_names())


def test_help_lists_the_commands_and_a_missing_team_is_explained(it: Tandem) -> None:
    shown = say(it, "bob", "/tandem help")
    assert "/suggest <team>" in shown and "/suggestions <team>" in shown
    say(it, "bob", "/suggest it more coffee")
    assert "Name the team too" in say(it, "kim", "/suggestions 1 accept")
    assert rows(it)[0].status == "open"


def test_a_lead_hears_once_a_week_of_suggestions_left_unanswered(it: Tandem) -> None:
    say(it, "bob", "/suggest it label the cables anonymous")
    assert suggestions.remind_leads(it.engine, now=MONDAY_10_UTC + timedelta(days=6)) == 0  # not a week old yet
    week_later = MONDAY_10_UTC + timedelta(days=7, hours=1)
    assert suggestions.remind_leads(it.engine, now=week_later) == 1
    assert suggestions.remind_leads(it.engine, now=week_later + timedelta(hours=3)) == 0  # once that week
    reminder = [n for n in sent(it) if n.kind == "suggestion_reminder"]
    assert [n.address for n in reminder] == ["kim"] and "1 suggestion(s)" in reminder[0].message_json
    assert "bob" not in reminder[0].message_json.lower()
    assert suggestions.remind_leads(it.engine, now=week_later + timedelta(days=7)) == 1  # and again the next week
    say(it, "kim", "/suggestions it 1 accept")
    assert suggestions.remind_leads(it.engine, now=week_later + timedelta(days=14)) == 0  # answered: quiet


def test_hr_digest_counts_suggestions_received_and_answered_per_team(it: Tandem) -> None:
    say(it, "bob", "/suggest it label the cables")
    say(it, "otto", "/suggest it more chargers anonymous")
    say(it, "kim", "/suggestions it 2 answer ordered ten")
    with Session(it.engine) as session:
        message = digest.build_message(session, digest.week_of_day(MONDAY_10_UTC.date(), "UTC"), now=MONDAY_10_UTC,
                                       with_charts=False)
    (section,) = [s for s in message.sections if s.heading == "Suggestions to teams"]
    assert plain(section.text) == "IT Help: 2 received, 1 answered"
    assert "otto" not in plain(section.text) and "bob" not in plain(section.text)
