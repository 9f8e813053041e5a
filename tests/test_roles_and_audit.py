"""Roles as a company meets them: the first admin, granting and revoking,
what an ordinary member may not change, people who leave, and the audit
trail that records all of it."""

from __future__ import annotations

import csv
import io
import json
from contextlib import redirect_stdout

from sqlmodel import Session, select

from adapters import cli
from bot.core import Tandem
from storage.models import AuditEntry, Person, Request, Team
from tests.conftest import Chat
from tests.helpers import command, grant, join, ok, person, say


async def test_mallory_can_change_nothing_until_alice_makes_her_hr(chat: Chat) -> None:
    await chat.as_("alice")
    assert "You're Tandem's first admin" in chat.out.getvalue()
    await chat('/tandem team add it "IT Help"')
    await chat("/tandem team edit it channel #it-help")
    await chat('/tandem values add ownership "Own the outcome"')
    await chat("/tandem digest channel #people")
    await chat("/tandem kudos channel #kudos")
    await chat.as_("mallory")
    before = [await chat(line) for line in ("/tandem team show it", "/tandem values list")]
    attempts = {
        "/tandem digest channel #random": "Only HR or an admin can choose where HR's digest goes.",
        "/tandem digest schedule fri 17:00": "Only HR or an admin can change when HR's digest goes out.",
        "/tandem kudos channel #random": "Only an admin can choose where kudos are announced.",
        "/tandem kudos allowance 1": "Only an admin can change the kudos allowance.",
        "/tandem values remove ownership": "Only an admin can change the company values.",
        '/tandem team add ops "Ops"': "Only an admin can create teams.",
        "/tandem team edit it hours 00:00-01:00": "Only IT Help's lead (@alice) or an admin can change IT Help's hours.",
        "/tandem team edit it lead @mallory": "Only IT Help's lead (@alice) or an admin can change IT Help's lead.",
        "/tandem team add-member it @mallory": "Only IT Help's lead (@alice) or an admin can add people to IT Help.",
        "/tandem admin add @mallory": "Only an admin can grant or revoke roles.",
        "/tandem audit": "Only an admin can read the audit trail.",
    }
    for line, refusal in attempts.items():
        assert refusal in await chat(line), line
    assert "I've asked to add you to IT Help" in await chat("/tandem team join it")
    after = [await chat(line) for line in ("/tandem team show it", "/tandem values list")]
    assert after[1] == before[1]
    members, asking = after[0].split("Asking to join")
    assert "@mallory" not in members and "@mallory" in asking
    assert members == before[0].rstrip("\n") + "\n" or members.startswith(before[0].split("Members")[0])
    await chat.as_("alice")
    assert "@mallory is now HR." in await chat("/tandem hr add @mallory")
    await chat.as_("mallory")
    assert "will go to #random" in await chat("/tandem digest channel #random")
    await chat.as_("alice")
    trail = await chat("/tandem audit 50")
    for change in ("setting digest.channel", "role.grant hr: mallory", "team.create it", "value.add #ownership",
                   "team.channel it"):
        assert change in trail, change
    assert trail.count("digest.channel") == 2  # alice's, then mallory's as HR; none for her refused tries


def test_the_first_person_is_the_first_admin_and_only_once(core: Tandem) -> None:
    reply = core.run_command(command("alice", "/tandem me"))
    assert reply.message is not None and "You're Tandem's first admin" in str(reply.message.context)
    assert "first admin" not in say(core, "bob", "/tandem me")
    with Session(core.engine) as session:
        admins = [p.user_id for p in session.exec(select(Person)).all() if p.is_admin]
    assert admins == ["alice"]


def test_admins_grant_and_revoke_and_the_last_admin_cannot_step_down(core: Tandem) -> None:
    grant(core, "admin", "alice")
    core.introduce(person("bob"))
    assert "the last admin" in say(core, "alice", "/tandem admin remove <@alice>")
    assert "@bob is now an admin." in say(core, "alice", "/tandem admin add <@bob>")
    assert "already an admin" in say(core, "alice", "/tandem admin add <@bob>")
    assert "Who can do what in Tandem\n@alice, @bob\nnobody yet" in say(core, "bob", "/tandem roles")
    assert "@alice is no longer an admin." in say(core, "bob", "/tandem admin remove <@alice>")
    assert "Only an admin can grant or revoke roles." in say(core, "alice", "/tandem admin add <@alice>")
    assert "the last admin" in say(core, "bob", "/tandem admin remove <@bob>")


def test_a_person_who_leaves_hands_back_their_work_and_drops_out_of_leaderboards(core: Tandem) -> None:
    grant(core, "admin", "alice")
    ok(core, "alice", '/tandem team add it "IT Help" <@alice>')
    ok(core, "alice", "/tandem team edit it channel #it-help")
    join(core, "it", "kim")
    ok(core, "bob", "/ask it vpn access")
    ok(core, "kim", "/requests 1 claim")
    ok(core, "bob", "/kudos <@kim> thanks for the vpn")
    assert "@kim" in say(core, "bob", "/kudos top week")
    assert "switched off" in say(core, "alice", "/tandem person deactivate <@kim>")
    with Session(core.engine) as session:
        req = session.get(Request, 1)
        assert (req.status, req.assignee_id) == ("open", None)
        told = session.exec(select(AuditEntry).where(AuditEntry.action == "person.deactivate")).one()
        assert told.subject == "kim"
    assert "@kim" not in say(core, "bob", "/kudos top week")
    assert "has left the company" in say(core, "bob", "/kudos <@kim> thanks again")
    assert "switched off" in say(core, "kim", "/requests mine") and "alice" in say(core, "kim", "/requests mine")
    assert "Welcome back" in say(core, "alice", "/tandem person reactivate <@kim>")
    assert "@kim" in say(core, "bob", "/kudos top week")


def test_a_lead_who_leaves_is_flagged_to_the_admins_and_the_team_is_edited_by_admins_only(core: Tandem) -> None:
    grant(core, "admin", "alice")
    core.introduce(person("kim"))
    ok(core, "alice", '/tandem team add it "IT Help" <@kim>')
    join(core, "it", "bob")
    ok(core, "alice", "/tandem person deactivate <@kim>")
    from storage.models import Notification

    with Session(core.engine) as session:
        flags = session.exec(select(Notification).where(Notification.address == "alice")).all()
        team = session.exec(select(Team)).one()
    assert any("IT Help has no lead now" in f.message_json for f in flags)
    assert "Only an admin can change IT Help's hours: IT Help has no lead right now" in say(
        core, "bob", "/tandem team edit it hours 08:00-16:00")
    assert team.lead_id is not None  # kept, so reactivating kim gives IT Help its lead back
    ok(core, "alice", "/tandem person reactivate <@kim>")
    assert "IT Help's hours" not in say(core, "kim", "/tandem team edit it hours 08:00-16:00")


def test_the_audit_trail_exports_whole_as_csv_and_json(core: Tandem, db_url: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    grant(core, "admin", "alice")
    ok(core, "alice", '/tandem values add ownership "Own the outcome"')
    ok(core, "alice", '/tandem values add ownership "Own it"')
    monkeypatch.setenv("DATABASE_URL", db_url)
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli.main(["export", "audit", "--format", "json"]) == 0
    rows = json.loads(out.getvalue())
    edit = [r for r in rows if r["action"] == "value.edit"]
    assert edit and edit[0]["old"] == "Own the outcome" and edit[0]["new"] == "Own it"
    assert edit[0]["actor_name"] == "alice"
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli.main(["export", "audit", "--format", "csv"]) == 0
    assert [r["action"] for r in csv.DictReader(io.StringIO(out.getvalue()))] == [r["action"] for r in rows]
