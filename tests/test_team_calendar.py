"""A team's holidays and closed days, typed in the terminal as a lead would:
set, shown, cleared; bad input refused with nothing changed; and due dates
(from the service standard or typed) that keep off the days the team is off.

The clock stands at Mon 23 Nov 2026 10:00 UTC; alice leads IT Help (UTC,
Mon–Fri 09:00–17:00, 3 working days to resolve), bob asks.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import Session, func, select

from bot.services.clock import FrozenClock
from storage.models import Request, Team
from tests.conftest import Chat

UTC = timezone.utc


@pytest.fixture
async def it(chat: Chat) -> Chat:
    await chat.as_("alice")
    await chat('/tandem team add it "IT Help"')
    await chat.as_("bob")
    await chat.as_("alice")
    return chat


def team(chat: Chat) -> Team:
    with Session(chat.core.engine) as session:
        found = session.exec(select(Team).where(Team.handle == "it")).one()
        return found


def requests(chat: Chat) -> list[Request]:
    with Session(chat.core.engine) as session:
        return list(session.exec(select(Request).order_by(Request.id)).all())


async def test_a_lead_sets_a_holiday_calendar_that_team_show_lists_with_the_next_holiday(it: Chat) -> None:
    out = await it("/tandem team edit it holidays de-by")
    assert "Holidays: DE-BY (next: Fri 25 Dec, Christmas Day)" in out
    assert team(it).holidays == "DE-BY"
    assert "Holidays: DE-BY (next: Fri 25 Dec, Christmas Day)" in await it("/tandem team show it")
    out = await it("/tandem team edit it holidays off")
    assert "Holidays: none" in out and team(it).holidays is None


@pytest.mark.parametrize("code, expected", [
    ("XX", "“XX” isn't a holiday calendar I know. Write a country code, with a region after a dash"),
    ("DE-ZZ", "“DE-ZZ”: I know DE, but not that region. Its regions: BB, BE, BW, BY,"),
    ("x" * 500, "isn't a holiday calendar I know"),
])
async def test_an_unknown_holiday_code_is_refused_with_how_to_write_one_and_nothing_changes(
        it: Chat, code: str, expected: str) -> None:
    await it("/tandem team edit it holidays US-CA")
    out = await it(f"/tandem team edit it holidays {code}")
    assert expected in out
    assert team(it).holidays == "US-CA"


async def test_closed_days_are_set_added_removed_and_cleared(it: Chat) -> None:
    out = await it("/tandem team edit it closed 2026-12-24..2026-12-31")
    assert "Closed days: Thu 24 Dec – Thu 31 Dec" in out
    out = await it("/tandem team edit it closed add 2027-01-04, 2027-01-05")
    assert "Closed days: Thu 24 Dec – Thu 31 Dec; Mon 4 Jan 2027 – Tue 5 Jan 2027" in out
    out = await it("/tandem team edit it closed remove 2026-12-31..2027-01-04")
    assert "Closed days: Thu 24 Dec – Wed 30 Dec; Tue 5 Jan 2027" in out
    assert team(it).closed_days == "2026-12-24..2026-12-30,2027-01-05..2027-01-05"
    assert "Closed days: Thu 24 Dec – Wed 30 Dec; Tue 5 Jan 2027" in await it("/tandem team show it")
    out = await it("/tandem team edit it closed off")
    assert "Closed days: none" in out and team(it).closed_days == ""


@pytest.mark.parametrize("value, expected", [
    ("2026-12-31..2026-12-24", "“2026-12-31..2026-12-24” ends before it starts"),
    ("2026-13-01", "“2026-13-01” names a day that doesn't exist"),
    ("christmas", "“christmas” isn't a date or a range"),
    ("2026-01-01..2027-06-30", "longer than 366 days"),
    ("2030-01-01", "outside the dates I keep closed days for: 2000-01-01 to 2027-11-23"),
    ("add", "Closed days are dates or ranges"),
])
async def test_bad_closed_days_are_refused_with_what_was_typed_and_nothing_changes(
        it: Chat, value: str, expected: str) -> None:
    await it("/tandem team edit it closed 2026-12-24")
    out = await it(f"/tandem team edit it closed {value}")
    assert expected in out
    assert team(it).closed_days == "2026-12-24..2026-12-24"


async def test_the_service_standards_due_date_skips_closed_days_and_holidays(it: Chat) -> None:
    await it("/tandem team edit it closed 2026-11-24..2026-11-25")
    await it.as_("bob")
    out = await it("/ask it reset my password")
    # Mon 10–17 (7 h), Tue and Wed closed, Thu and Fri (16 h), Mon 30 09–10 (1 h): 3 working days
    assert "Due Mon 30 Nov, 10:00 (UTC) (IT Help's service standard)" in out
    await it.as_("alice")
    await it("/tandem team edit it closed off")
    await it("/tandem team edit it holidays US")
    await it.as_("bob")
    out = await it("/ask it new monitor")
    # Thanksgiving (Thu 26 Nov) is skipped: Mon 7 h, Tue 8 h, Wed 8 h, Fri 1 h
    assert "Due Fri 27 Nov, 10:00 (UTC) (IT Help's service standard)" in out
    assert [r.first_response_due_at for r in requests(it)] == [datetime(2026, 11, 23, 14, tzinfo=UTC)] * 2


async def test_a_typed_date_on_a_weekend_moves_to_the_last_working_day_before_it_and_says_so(it: Chat) -> None:
    await it.as_("bob")
    out = await it("/ask it new laptop by 5 Dec")
    assert "Due Fri 4 Dec, 17:00 (UTC) (read from “5 Dec”)" in out
    assert "Sat 5 Dec is not a working day for IT Help, so it's due at the end of their last working day" in out
    assert requests(it)[0].due_at == datetime(2026, 12, 4, 17, tzinfo=UTC)


async def test_a_typed_date_on_a_holiday_or_closed_day_names_it(it: Chat) -> None:
    await it("/tandem team edit it holidays DE-BY")
    await it("/tandem team edit it closed 2026-12-28..2026-12-31")
    await it.as_("bob")
    out = await it("/ask it year-end report by 25.12.")
    assert "Fri 25 Dec is a holiday (Christmas Day) for IT Help" in out
    assert "Due Thu 24 Dec, 17:00 (UTC)" in out
    out = await it("/ask it inventory by 2026-12-30")
    assert "Wed 30 Dec is a closed day (Mon 28 Dec – Thu 31 Dec) for IT Help" in out
    assert "Due Thu 24 Dec, 17:00 (UTC)" in out


async def test_a_weekend_date_with_no_working_time_before_it_moves_to_the_next_working_day(
        it: Chat, clock: FrozenClock) -> None:
    clock.set(datetime(2026, 11, 28, 10, tzinfo=UTC))  # Saturday
    await it.as_("bob")
    out = await it("/ask it fix the printer by sunday")
    assert "Due Mon 30 Nov, 17:00 (UTC) (read from “sunday”)" in out
    assert "Sun 29 Nov is not a working day for IT Help and they have no working time before it" in out


@pytest.mark.parametrize("line, expected", [
    ("/tandem team edit it resolution 100000d", "“100000d” is longer than I keep a resolution target: at most 250"),
    ("/tandem team edit it first-response 99999999999999999999h",
     "“99999999999999999999h” is longer than I keep a first-response target: at most 20 working days (160 h)"),
    ("/tandem team edit it first-response " + "9" * 400 + "h", "is longer than I keep a first-response target"),
    ("/tandem team edit it resolution 0.001m", "shorter than a minute"),
    ("/tandem team edit it hours 09:00-09:30", "shorter than an hour"),
])
async def test_targets_and_hours_out_of_bounds_are_refused_and_nothing_changes(it: Chat, line: str,
                                                                               expected: str) -> None:
    before = team(it)
    out = await it(line)
    assert expected in out
    after = team(it)
    assert (after.first_response_hours, after.resolution_days, after.work_start, after.work_end) == \
        (before.first_response_hours, before.resolution_days, before.work_start, before.work_end)


async def test_a_huge_target_stored_before_the_bounds_still_files_requests(it: Chat) -> None:
    with Session(it.core.engine) as session:
        row = session.exec(select(Team).where(Team.handle == "it")).one()
        row.resolution_days, row.first_response_hours = 1e18, 1e300
        session.add(row)
        session.commit()
    await it.as_("bob")
    out = await it("/ask it new chair")
    assert "Request #1 is with IT Help" in out
    filed = requests(it)[0]
    assert filed.due_at - filed.created_at < timedelta(days=400)
    assert "Service standard: first response 6 days 16 h, resolution 250 working days" in await it("/tandem team show it")


async def test_working_time_targets_within_bounds_are_kept(it: Chat) -> None:
    out = await it("/tandem team edit it resolution 250d")
    assert "resolution 250 working days" in out
    out = await it("/tandem team edit it first-response 160h")
    assert "first response 6 days 16 h" in out
    with Session(it.core.engine) as session:
        assert session.exec(select(func.count()).select_from(Request)).one() == 0
