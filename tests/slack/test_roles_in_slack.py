"""Roles in Slack: workspace owners and admins are Tandem admins without
anyone granting it, and a person Slack deactivates is switched off in
Tandem (`user_change` with `deleted`), their open work back in the queue."""

from __future__ import annotations

from sqlmodel import Session, select

from storage.models import AuditEntry, Person, Request
from tests.slack import payloads
from tests.slack.conftest import ANA, BOB, CAT, IT_CHANNEL, SlackHarness, build_valid_request

WORKSPACE_ADMIN = "U0WSADMIN"


async def _event(slack: SlackHarness, body: str) -> int:
    status, _ = await slack.post_json(body, headers=build_valid_request(body, content_type="application/json"))
    await slack.settle()
    return status


async def test_a_workspace_admin_is_a_tandem_admin_without_being_granted(slack: SlackHarness) -> None:
    slack.api.add_user(WORKSPACE_ADMIN, "Wanda Admin", "Europe/Paris", is_admin=True)
    await slack.command(ANA, '/tandem team add it "IT Help"')  # ana: the first person, so the first admin
    await slack.command(BOB, '/tandem values add ownership "Own it"')
    assert "Only an admin can change the company values" in slack.last_reply_text()
    await slack.command(WORKSPACE_ADMIN, '/tandem values add ownership "Own it"')
    assert "Added #ownership" in slack.last_reply_text()
    await slack.command(ANA, f"/tandem admin remove <@{WORKSPACE_ADMIN}|wanda>")
    assert "admin of the workspace itself" in slack.last_reply_text()
    with Session(slack.core.engine) as session:
        wanda = session.exec(select(Person).where(Person.user_id == WORKSPACE_ADMIN)).one()
        assert wanda.platform_admin and not wanda.is_admin
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "role.platform")).first()
    assert entry is None or "Wanda" in entry.subject  # created as an admin: nothing changed afterwards


async def test_a_person_slack_deactivates_is_switched_off_and_their_work_goes_back(slack: SlackHarness) -> None:
    await slack.command(ANA, '/tandem team add it "IT Help"')
    await slack.command(ANA, f"/tandem team edit it channel <#{IT_CHANNEL}|it-help>")
    await slack.command(ANA, f"/tandem team add-member it <@{CAT}|cat>")
    await slack.command(BOB, "/ask it a new laptop")
    await slack.command(CAT, "/requests 1 claim")
    slack.api.clear()
    assert await _event(slack, payloads.user_change(user_id=CAT, deleted=True, real_name="Cat Wu")) == 200
    assert await _event(slack, payloads.user_change(user_id=CAT, deleted=True, real_name="Cat Wu")) == 200
    with Session(slack.core.engine) as session:
        cat = session.exec(select(Person).where(Person.user_id == CAT)).one()
        assert cat.active is False
        req = session.get(Request, 1)
        assert (req.status, req.assignee_id) == ("open", None)
        assert len(session.exec(select(AuditEntry).where(AuditEntry.action == "person.deactivate")).all()) == 1
    slack.clock.advance(seconds=2)  # the channel's card was just posted: Slack's pacing holds the next message
    await slack.deliver()
    told = [c for c in slack.api.of("chat.postMessage") if c.get("channel") == IT_CHANNEL]
    assert any("has left" in str(c.get("text")) and "#1" in str(c.get("text")) for c in told)
    # a later profile change (deleted: false) from Slack brings back only those Slack switched off
    assert await _event(slack, payloads.user_change(user_id=CAT, deleted=False, event_id="Ev0USER0002")) == 200
    with Session(slack.core.engine) as session:
        assert session.exec(select(Person).where(Person.user_id == CAT)).one().active is True
    await slack.command(ANA, f"/tandem person deactivate <@{CAT}|cat>")
    assert await _event(slack, payloads.user_change(user_id=CAT, deleted=False, event_id="Ev0USER0003")) == 200
    with Session(slack.core.engine) as session:
        assert session.exec(select(Person).where(Person.user_id == CAT)).one().active is False
