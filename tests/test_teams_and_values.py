"""Teams and company values: creating, editing, joining, leaving, and the
rights around them."""

from __future__ import annotations

from datetime import time

from sqlmodel import Session, select

from bot.core import Tandem
from bot.services.teams import calendar
from storage.models import CompanyValue, Team
from tests.helpers import person, say


def team(core: Tandem, handle: str = "it") -> Team:
    with Session(core.engine) as session:
        return session.exec(select(Team).where(Team.handle == handle)).one()


def test_the_creator_leads_a_new_team_with_the_default_service_standard(core: Tandem) -> None:
    core.introduce(person("alice"))
    assert "you lead it" in say(core, "alice", '/tandem team add it "IT Help"')
    created = team(core)
    assert created.name == "IT Help" and created.lead_id is not None
    assert (created.first_response_hours, created.resolution_days) == (4.0, 3.0)
    assert calendar(created).start == time(9) and calendar(created).end == time(17)
    assert "already a team called it" in say(core, "alice", "/tandem team add it again")
    assert "can't be a team handle" in say(core, "alice", "/tandem team add 'I T' x")


def test_the_lead_edits_hours_days_zone_and_targets(core: Tandem) -> None:
    core.introduce(person("alice"))
    say(core, "alice", '/tandem team add sales "Sales"')
    say(core, "alice", "/tandem team edit sales timezone Asia/Tokyo")
    say(core, "alice", "/tandem team edit sales hours 10:00-18:30")
    say(core, "alice", "/tandem team edit sales days sun-thu")
    say(core, "alice", "/tandem team edit sales first-response 2h")
    out = say(core, "alice", "/tandem team edit sales resolution 5d")
    edited = team(core, "sales")
    assert (edited.timezone, edited.work_start, edited.work_end) == ("Asia/Tokyo", "10:00", "18:30")
    assert edited.work_days == "6,0,1,2,3"
    assert edited.first_response_hours == 2.0 and round(edited.resolution_days, 6) == 5.0
    assert "Sun, Mon, Tue, Wed, Thu 10:00–18:30 (Asia/Tokyo)" in out
    assert "not a time zone I know" in say(core, "alice", "/tandem team edit sales timezone Mars/Olympus")
    assert "look like 09:00-17:00" in say(core, "alice", "/tandem team edit sales hours late")
    assert team(core, "sales").timezone == "Asia/Tokyo"


def test_only_the_lead_or_an_admin_edits_and_joining_needs_the_leads_yes(core: Tandem) -> None:
    for name in ("alice", "kim", "bob"):
        core.introduce(person(name))
    say(core, "alice", '/tandem team add it "IT Help" <@kim>')
    assert "Only IT Help's lead (@kim) or an admin can change IT Help's name." in say(
        core, "bob", "/tandem team edit it name Hackers")
    assert team(core).name == "IT Help"
    assert "I've asked to add you to IT Help" in say(core, "bob", "/tandem team join it")
    assert "already asked" in say(core, "bob", "/tandem team join it")
    assert "it — IT Help · 1 member" in say(core, "bob", "/tandem team list")
    assert "is now in IT Help" in say(core, "kim", "/tandem team approve it <@bob>")
    assert "it — IT Help · 2 members" in say(core, "bob", "/tandem team list")
    assert "You've left IT Help" in say(core, "bob", "/tandem team leave it")
    say(core, "alice", "/tandem team edit it lead <@bob>")
    assert "Lead: @bob" in say(core, "alice", "/tandem team show it")


def test_a_team_whose_lead_left_is_edited_by_admins_only(core: Tandem) -> None:
    for name in ("alice", "kim", "mallory"):
        core.introduce(person(name))
    say(core, "alice", '/tandem team add it "IT Help" <@kim>')
    say(core, "kim", "/tandem team leave it")
    assert "I've asked to add you to IT Help; you'll hear when it's decided by the admins." in say(
        core, "mallory", "/tandem team join it")
    assert "Only an admin can change IT Help's lead: IT Help has no lead right now" in say(
        core, "mallory", "/tandem team edit it lead <@mallory>")
    assert team(core).lead_id is None
    say(core, "alice", "/tandem team edit it lead <@kim>")
    assert "Lead: @kim" in say(core, "alice", "/tandem team show it")


def test_an_unknown_team_is_named_with_the_ones_that_exist(core: Tandem) -> None:
    core.introduce(person("alice"))
    say(core, "alice", '/tandem team add it "IT Help"')
    assert "There is no team called “legal”. Teams: it." in say(core, "alice", "/ask legal contract review")


def test_company_values_are_added_listed_and_removed(core: Tandem) -> None:
    core.introduce(person("alice"))
    say(core, "alice", '/tandem values add ownership "Own the outcome"')
    say(core, "alice", "/tandem values add #customer-first")
    assert "#ownership — Own the outcome" in say(core, "alice", "/tandem values")
    say(core, "alice", "/tandem values remove customer-first")
    with Session(core.engine) as session:
        assert [v.tag for v in session.exec(select(CompanyValue)).all()] == ["ownership"]
    assert "one short word" in say(core, "alice", "/tandem values add 'two words'")


def test_help_lists_every_command_with_its_usage(core: Tandem) -> None:
    core.introduce(person("alice"))
    out = say(core, "alice", "/tandem help")
    for name in ("/kudos", "/ask", "/requests", "/tandem"):
        assert name in out
