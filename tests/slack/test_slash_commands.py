"""Every slash command of Tandem works over HTTP, acked at once and answered
through the response URL."""

from __future__ import annotations

from sqlmodel import Session, select

from storage.models import Person, Team
from tests.slack.conftest import ANA, IT_CHANNEL, SlackHarness, blocks_text


async def test_tandem_help_is_answered_privately_through_the_response_url(slack: SlackHarness) -> None:
    status = await slack.command(ANA, "/tandem help")
    assert status == 200
    reply = slack.replies()[-1]
    assert reply["response_type"] == "ephemeral"
    assert "/kudos" in blocks_text(reply) and "/ask" in blocks_text(reply)


async def test_a_person_is_created_from_users_info_with_name_and_time_zone(slack: SlackHarness) -> None:
    await slack.command(ANA, "/tandem me")
    with Session(slack.core.engine) as session:
        ana = session.exec(select(Person).where(Person.user_id == ANA)).one()
    assert (ana.display_name, ana.timezone, ana.tenant) == ("Ana Lima", "Europe/Paris", "T0TANDEM")
    assert "Ana Lima, in Europe/Paris" in slack.last_reply_text()


async def test_users_info_is_asked_once_per_person_then_cached(slack: SlackHarness) -> None:
    await slack.command(ANA, "/tandem me")
    await slack.command(ANA, "/tandem help")
    assert [c["user"] for c in slack.api.of("users.info")] == [ANA]


async def test_a_channel_token_sets_a_teams_intake_channel(slack: SlackHarness) -> None:
    await slack.command(ANA, '/tandem team add it "IT Help"')
    await slack.command(ANA, f"/tandem team edit it channel <#{IT_CHANNEL}|it-help>")
    with Session(slack.core.engine) as session:
        team = session.exec(select(Team).where(Team.handle == "it")).one()
    assert (team.intake_platform, team.intake_channel) == ("slack", IT_CHANNEL)
