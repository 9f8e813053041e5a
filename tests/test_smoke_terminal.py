"""The terminal adapter end to end: a team, a request, kudos."""

from tests.conftest import Chat


async def test_a_request_reaches_the_team_channel_and_kudos_reach_the_receiver(chat: Chat) -> None:
    await chat.as_("alice")
    await chat('/tandem team add it "IT Help"')
    await chat("/tandem team edit it channel #it-help")
    await chat.as_("bob")
    out = await chat("/ask it new laptop for the new hire by friday")
    assert "Request #1 is with IT Help" in out
    assert "→ #it-help:" in out
    out = await chat("/kudos @alice thanks for the help")
    assert "→ @alice:" in out and "You got kudos from @bob" in out
