"""Dates are never silently wrong, and never crash a session.

A typed date is read in the person's order of day and month (their locale,
else TANDEM_LOCALE), echoed with its weekday, kept within the horizon, and
refused with a useful message when it is impossible or reads two ways. The
terminal session goes on to the next line after every refusal.
The clock stands at Mon 23 Nov 2026 10:00 UTC.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from bot.core import Tandem
from bot.services.clock import FrozenClock
from bot.services.dates import (
    DateAmbiguous,
    DateImpossible,
    DateInPast,
    DateNotUnderstood,
    DateTooFar,
    WeekdayMismatch,
    date_order,
    looks_like_date,
    parse_when,
    split_due,
)
from storage.models import Notification, Person, Request
from tests.conftest import Chat

UTC = timezone.utc
MON_10 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def at(month: int, day: int, hour: int = 17, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


@pytest.mark.parametrize("phrase, order, expected", [
    ("05.12.", "DMY", at(12, 5)),
    ("05.12.", "MDY", at(5, 12, year=2027)),
    ("12/05", "DMY", at(5, 12, year=2027)),
    ("12/05", "MDY", at(12, 5)),
    ("25/12", "MDY", at(12, 25)),  # reads only one way
    ("25/12", None, at(12, 25)),
    ("5.12.2026", "DMY", at(12, 5)),
    ("2026-12-05", None, at(12, 5)),
    ("12/05 3pm", "DMY", at(5, 12, 15, year=2027)),
    ("the 5th", None, at(12, 5)),
    ("in 3.5 hours", None, datetime(2026, 11, 23, 13, 30, tzinfo=UTC)),
    ("friday 4 dec", None, at(12, 4)),
    ("2026-11-27 11:00", None, at(11, 27, 11)),
])
def test_numeric_dates_follow_the_day_and_month_order_of_the_locale(phrase: str, order: str | None,
                                                                    expected: datetime) -> None:
    assert parse_when(phrase, now=MON_10, tz="UTC", end_of_day=time(17), order=order).moment == expected


@pytest.mark.parametrize("phrase, error", [
    ("12/05", DateAmbiguous),  # no locale: 12 May or 5 Dec
    ("05.12.", DateAmbiguous),
    ("tomorrow 25pm", DateImpossible),
    ("tomorrow 3:75", DateImpossible),
    ("31.02.", DateImpossible),
    ("13/13", DateImpossible),
    ("friday 17", DateAmbiguous),  # the 17th or 17:00?
    ("tomorrow at 3", DateAmbiguous),
    ("friday 5 dec", WeekdayMismatch),  # 5 Dec 2026 is a Saturday
    ("9999-12-31", DateTooFar),
    ("2099-01-01", DateTooFar),
    ("in 100000 days", DateTooFar),
    ("in 99999999999999 days", DateTooFar),
    ("0001-01-01", DateInPast),
    ("2020-01-01", DateInPast),
    ("when pigs fly", DateNotUnderstood),
    ("x" * 5000, DateNotUnderstood),
])
def test_impossible_ambiguous_and_far_dates_are_refused_not_guessed(phrase: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        parse_when(phrase, now=MON_10, tz="Pacific/Kiritimati")


def test_the_horizon_is_a_setting() -> None:
    assert parse_when("2027-11-23", now=MON_10, tz="UTC", horizon=timedelta(days=366)).moment == at(11, 23, year=2027)
    with pytest.raises(DateTooFar):
        parse_when("2027-01-15", now=MON_10, tz="UTC", horizon=timedelta(days=30))


@pytest.mark.parametrize("locale, order", [
    ("de-DE", "DMY"), ("en_US", "MDY"), ("en-GB", "DMY"), ("ja-JP", "YMD"), ("fr-FR", "DMY"), ("en", "MDY"),
    ("klingon", None), ("x" * 5000, None), (None, None),
])
def test_babel_tells_each_locales_order_of_day_and_month(locale: str | None, order: str | None) -> None:
    assert date_order(locale) == order


@pytest.mark.parametrize("text, title, when", [
    ("new laptop by friday", "new laptop", "friday"),
    ("new laptop in 2 days", "new laptop", "in 2 days"),
    ("new laptop asap", "new laptop", "asap"),
    ("new chair by the kitchen", "new chair by the kitchen", None),
    ("desk by the window by friday", "desk by the window", "friday"),
    ("by friday", "", "friday"),
    ("report by fridya", "report", "fridya"),  # a typo is still meant as a date, and refused as one
    ("a note written by ana", "a note written by ana", None),
])
def test_the_due_date_is_split_off_the_title(text: str, title: str, when: str | None) -> None:
    assert split_due(text) == (title, when)


def test_only_date_like_words_after_by_are_a_date() -> None:
    assert looks_like_date("end of month") and looks_like_date("next week") and looks_like_date("5 dec")
    assert not looks_like_date("the kitchen") and not looks_like_date("alice")


# --- end to end in the terminal ---------------------------------------------------------------------------------

@pytest.fixture
async def it(chat: Chat) -> Chat:
    await chat.as_("alice")
    await chat('/tandem team add it "IT Help"')
    await chat.as_("bob")
    return chat


def count(engine: Engine) -> tuple[int, int]:
    with Session(engine) as session:
        return (session.exec(select(func.count()).select_from(Request)).one(),
                session.exec(select(func.count()).select_from(Notification)).one())


def filed(chat: Chat) -> list[Request]:
    with Session(chat.core.engine) as session:
        return list(session.exec(select(Request).order_by(Request.id)).all())


@pytest.mark.parametrize("line, expected", [
    ("/ask it thing by 9999-12-31", "“9999-12-31” is too far ahead: I keep dates within 365 days, so until "
                                    "Tue 23 Nov 2027 at the latest"),
    ("/ask it thing by 2099-01-01", "“2099-01-01” is too far ahead"),
    ("/ask it x by in 100000 days", "“in 100000 days” is too far ahead"),
    ("/ask it thing by 0001-01-01", "“0001-01-01” has already gone by"),
    ("/ask it thing by tomorrow 25pm", "“tomorrow 25pm” names a time or day that doesn't exist (25pm)"),
    ("/ask it thing by 12/05", "“12/05” could be Wed 12 May 2027 or Sat 5 Dec. Write the month as a word"),
    ("/ask it thing by friday 17", "In “friday 17” I can't tell whether 17 is a day or an hour"),
    ("/ask it thing by friday 5 dec", "“friday 5 dec”: Sat 5 Dec is a Saturday"),
    ("/ask it thing by fridya", "I couldn't read “fridya” as a date"),
    ("/ask it by friday", "“friday” is a due date, but what do you need from IT Help? `/ask it <what> by friday`"),
    ("/tandem me timezone " + "x" * 5000, "is not a time zone I know"),
    ("/tandem me locale klingon", "“klingon” isn't a locale I know"),
])
async def test_bad_dates_get_a_polite_reply_change_nothing_and_the_session_goes_on(it: Chat, line: str,
                                                                                   expected: str) -> None:
    before = count(it.core.engine)
    out = await it(line)
    assert expected in out
    assert count(it.core.engine) == before
    assert "Request #1 is with IT Help" in await it("/ask it the next line still works")


async def test_a_snooze_beyond_the_horizon_is_refused_and_a_snooze_is_echoed_with_its_weekday(it: Chat) -> None:
    await it("/ask it new laptop")
    await it.as_("alice")
    assert "“2099-01-01” is too far ahead" in await it("/requests 1 snooze 2099-01-01")
    assert filed(it)[0].snoozed_until is None
    assert "#1 is snoozed until Tue 24 Nov, 10:00 (UTC); no reminders until then." in \
        await it("/requests 1 snooze tomorrow 10am")


async def test_the_readme_example_in_2_days_without_by_is_a_due_date(it: Chat) -> None:
    out = await it("/ask it new laptop for the new hire in 2 days")
    assert "Due Wed 25 Nov, 17:00 (UTC) (read from “in 2 days”)" in out
    assert filed(it)[0].title == "new laptop for the new hire"


async def test_asap_is_one_working_day_of_the_team(it: Chat) -> None:
    out = await it("/ask it printer jam asap")
    assert "Due Tue 24 Nov, 10:00 (UTC) (as soon as possible: within one working day of IT Help)" in out
    assert filed(it)[0].title == "printer jam"


async def test_by_the_kitchen_is_part_of_the_title_not_a_date(it: Chat) -> None:
    out = await it("/ask it new chair by the kitchen")
    assert "(IT Help's service standard)" in out
    assert filed(it)[0].title == "new chair by the kitchen"


async def test_a_person_sets_how_they_write_dates_and_their_dates_are_read_that_way(it: Chat) -> None:
    out = await it("/tandem me locale de-DE")
    assert "I'll read your dates the de_DE way: 12.05.26 is Tue 12 May 2026." in out
    out = await it("/ask it new badge by 05.12.")
    assert "Due Fri 4 Dec, 17:00 (UTC) (read from “05.12.”)" in out  # Sat 5 Dec moves to Friday
    out = await it("/ask it new keys by 12/05")
    assert "Due Wed 12 May 2027, 17:00 (UTC) (read from “12/05”)" in out


def test_the_organisations_locale_is_the_default_for_people_without_one(engine: Engine, clock: FrozenClock) -> None:
    from tests.helpers import person, say

    berlin = Tandem(engine, clock=clock, default_locale="de_DE")
    berlin.introduce(person("alice"))
    say(berlin, "alice", '/tandem team add it "IT Help"')
    assert "Due Wed 2 Dec, 17:00 (UTC)" in say(berlin, "alice", "/ask it thing by 2.12.")
    with Session(engine) as session:
        alice = session.exec(select(Person).where(Person.user_id == "alice")).one()
        alice.locale = "en_US"
        session.add(alice)
        session.commit()
    assert "Due Tue 2 Feb 2027, 17:00 (UTC)" in say(berlin, "alice", "/ask it thing by 2.2.")
    assert "Due Wed 3 Feb 2027, 17:00 (UTC)" in say(berlin, "alice", "/ask it thing by 2/3")  # month first


def test_a_shorter_horizon_is_passed_in_by_the_process(engine: Engine, clock: FrozenClock) -> None:
    from tests.helpers import person, say

    core = Tandem(engine, clock=clock, horizon=timedelta(days=30))
    core.introduce(person("alice"))
    say(core, "alice", '/tandem team add it "IT Help"')
    assert "I keep dates within 30 days" in say(core, "alice", "/ask it thing by 2027-01-15")
    assert "Due Tue 15 Dec" in say(core, "alice", "/ask it thing by 2026-12-15")
