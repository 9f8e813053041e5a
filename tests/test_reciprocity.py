"""Reciprocity signals in HR's digest: pairs who thank mostly each other,
people who give many kudos and receive none, teams that keep asking a team
and never thank it — worded as patterns worth a look, without pings."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.core import Tandem
from bot.messages import PersonRef, plain
from bot.services import digest, reciprocity
from bot.services.clock import FrozenClock
from tests.helpers import join, ok, person


def company(core: Tandem, clock: FrozenClock) -> digest.Week:
    """Three weeks of kudos and requests, ending in the week the digest covers."""
    for name in ("alice", "bob", "kim", "lee", "max", "una"):
        core.introduce(person(name))
    ok(core, "alice", 'tandem team add it "IT Help"')
    join(core, "it", "kim")
    ok(core, "alice", 'tandem team add sales "Sales" <@una>')
    join(core, "sales", "max")
    week = digest.week_of_day(clock.now().date(), "UTC")
    clock.set(week.start - timedelta(days=14))
    lines = [("alice", "kudos <@bob> for the plan"), ("bob", "kudos <@alice> for the review"),
             ("alice", "kudos <@bob> for the fix"), ("bob", "kudos <@alice> for lunch"),
             ("alice", "kudos <@bob> again")]
    lines += [("lee", f"kudos <@{who}> thanks {n}") for n, who in enumerate(("kim", "bob", "max", "kim", "una"))]
    lines += [("max", f"ask it thing number {n}") for n in range(3)]
    lines += [("una", "kudos <@max> good call")]  # Sales thanks itself, never IT
    for who, line in lines:
        clock.advance(hours=3)
        ok(core, who, "/" + line)
    return week


def test_the_three_patterns_are_found(sqlite_core: Tandem, clock: FrozenClock) -> None:
    week = company(sqlite_core, clock)
    with Session(sqlite_core.engine) as session:
        found = reciprocity.signals(session, until=week.end)
    assert [(p.first.user_id, p.second.user_id, p.between, p.given) for p in found.pairs] == \
        [("alice", "bob", 5, 5)]
    assert [(g.person.user_id, g.given) for g in found.givers] == [("lee", 5)]
    assert [(t.asking.handle, t.asked.handle, t.requests) for t in found.teams] == [("sales", "it", 3)]


def test_one_thanks_back_is_enough_for_teams_and_a_third_person_breaks_a_pair(sqlite_core: Tandem,
                                                                            clock: FrozenClock) -> None:
    week = company(sqlite_core, clock)
    for _ in range(3):
        ok(sqlite_core, "bob", "/kudos <@kim> thanks for the cables")
    ok(sqlite_core, "max", "/kudos <@kim> thanks for sorting it")
    ok(sqlite_core, "una", "/kudos <@lee> thanks for all the thanks")
    with Session(sqlite_core.engine) as session:
        found = reciprocity.signals(session, until=week.end)
    assert found.pairs == [] and found.givers == [] and found.teams == []
    assert not found


def test_the_digest_words_them_as_patterns_without_pinging(sqlite_core: Tandem, clock: FrozenClock) -> None:
    week = company(sqlite_core, clock)
    with Session(sqlite_core.engine) as session:
        message = digest.build_message(session, week, with_charts=False)
    [section] = [s for s in message.sections if s.heading == "Patterns worth a look"]
    words = plain(section.text)
    assert "patterns, not conclusions" in words
    assert "@alice and @bob gave most of their thanks to each other (5 of 5)" in words
    assert "@lee thanked people 5 times and was thanked by nobody" in words
    assert "Sales asked IT Help for things 3 times and thanked nobody in IT Help" in words
    refs = [span for span in section.text if isinstance(span, PersonRef)]
    assert refs and not any(r.ping for r in refs)


def test_thanks_that_flow_around_clear_people_but_not_teams(engine: Engine, clock: FrozenClock) -> None:
    """On both databases: once the pair and the giver are thanked around, only the team pattern stays."""
    core = Tandem(engine, clock=clock)
    week = company(core, clock)
    ok(core, "kim", "/kudos <@lee> thanks")
    ok(core, "kim", "/kudos <@max> thanks for asking clearly")
    ok(core, "bob", "/kudos <@max> <@una> thanks")
    ok(core, "bob", "/kudos <@kim> thanks")
    ok(core, "alice", "/kudos <@kim> thanks")
    with Session(engine) as session:
        found = reciprocity.signals(session, until=week.end)
        message = digest.build_message(session, week, with_charts=False)
    assert found.givers == [] and found.pairs == []
    assert [(t.asking.handle, t.asked.handle) for t in found.teams] == [("sales", "it")]
    assert any(s.heading == "Patterns worth a look" for s in message.sections)
