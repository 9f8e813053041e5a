"""A message becomes a request, over real signed HTTP: the request emoji on
a message in a team's channel, or the "Turn into request" message shortcut,
files one request to that team from the message's author, with its text and
a link back; the card goes into the message's thread and is updated there."""

from __future__ import annotations

from sqlmodel import Session, select

from storage.models import Person, Request
from tests.slack import payloads
from tests.slack.conftest import ANA, BOB, CAT, GENERAL, IT_CHANNEL, SlackHarness, blocks_text, build_valid_request

TS = "1700000900.000100"


async def it_team(slack: SlackHarness) -> None:
    await slack.command(ANA, '/tandem team add it "IT Help"')
    await slack.command(ANA, f"/tandem team edit it channel <#{IT_CHANNEL}|it-help>")
    slack.api.clear()


def requests(slack: SlackHarness) -> list[tuple[str, str, str]]:
    """(team handle, requester, title) of every request."""
    with Session(slack.core.engine) as session:
        rows = session.exec(select(Request).order_by(Request.id)).all()
        return [(str(r.team_id), session.get(Person, r.requester_id).user_id, r.title) for r in rows]  # type: ignore[union-attr]


async def deliver_all(slack: SlackHarness) -> None:
    for _ in range(4):
        slack.clock.advance(seconds=2)
        await slack.deliver()


async def react(slack: SlackHarness, user: str, *, channel: str = IT_CHANNEL, event_id: str, emoji: str = "ticket",
                retry: bool = False) -> None:
    body = payloads.reaction(user_id=user, reaction=emoji, channel_id=channel, ts=TS, item_user=BOB,
                             event_id=event_id)
    headers = build_valid_request(body, content_type="application/json")
    if retry:
        headers["X-Slack-Retry-Num"] = "1"
    assert (await slack.post(body, headers=headers)).status == 200
    await slack.settle()
    await deliver_all(slack)


async def test_the_ticket_emoji_files_the_message_with_its_team_card_in_the_thread(sqlite_slack: SlackHarness) -> None:
    await it_team(sqlite_slack)
    sqlite_slack.api.add_message(IT_CHANNEL, TS, user=BOB, text="my VPN drops every hour since Monday")
    await react(sqlite_slack, CAT, event_id="Ev0T1")
    [(team, requester, title)] = requests(sqlite_slack)
    assert requester == BOB
    assert title == (f"my VPN drops every hour since Monday — https://acme.slack.com/archives/{IT_CHANNEL}/"
                     f"p{TS.replace('.', '')}")
    cards = [m for m in sqlite_slack.api.of("chat.postMessage") if m["channel"] == IT_CHANNEL]
    assert len(cards) == 1 and cards[0]["thread_ts"] == TS
    assert "my VPN drops" in blocks_text(cards[0])
    told = [m for m in sqlite_slack.api.of("chat.postMessage") if m["channel"] == f"D{BOB}"]
    assert len(told) == 1 and "Cat Wu turned your message" in blocks_text(told[0])
    # the card is updated where it is: in the thread
    await sqlite_slack.command(ANA, "/requests 1 claim")
    await deliver_all(sqlite_slack)
    updates = [m for m in sqlite_slack.api.of("chat.update") if m["channel"] == IT_CHANNEL]
    assert updates and {u["ts"] for u in updates} == {cards[0]["_posted_ts"]}


async def test_a_retried_ticket_reaction_and_a_second_ticket_file_once(slack: SlackHarness) -> None:
    await it_team(slack)
    slack.api.add_message(IT_CHANNEL, TS, user=BOB, text="printer on 3 is jammed")
    await react(slack, CAT, event_id="Ev0T2")
    slack.adapter.listeners._seen.clear()  # as if another replica got the retry
    await react(slack, CAT, event_id="Ev0T2", retry=True)
    await react(slack, ANA, event_id="Ev0T3")  # someone else adds the ticket too
    assert len(requests(slack)) == 1


async def test_the_ticket_emoji_outside_a_teams_channel_is_just_an_emoji(sqlite_slack: SlackHarness) -> None:
    await it_team(sqlite_slack)
    sqlite_slack.api.add_message(GENERAL, TS, user=BOB, text="lunch at noon?")
    await react(sqlite_slack, CAT, channel=GENERAL, event_id="Ev0T4")
    assert requests(sqlite_slack) == []
    assert sqlite_slack.api.of("chat.postMessage") == []


async def shortcut(slack: SlackHarness, user: str, *, channel: str, text: str, author: str = BOB) -> str:
    body = payloads.message_action(user_id=user, channel_id=channel, text=text, callback_id="message_to_request",
                                   author_id=author, response_url=slack.api.response_url("shortcut"),
                                   message_ts=TS)
    assert (await slack.post(body)).status == 200
    await slack.settle()
    await deliver_all(slack)
    return blocks_text(slack.replies()[-1])


async def test_the_turn_into_request_shortcut_files_the_message(sqlite_slack: SlackHarness) -> None:
    await it_team(sqlite_slack)
    answer = await shortcut(sqlite_slack, CAT, channel=IT_CHANNEL, text="need access to the &lt;finance&gt; share")
    assert "as request #1 for IT Help" in answer
    [(_, requester, title)] = requests(sqlite_slack)
    assert requester == BOB and title.startswith("need access to the <finance> share — https://")
    again = await shortcut(sqlite_slack, ANA, channel=IT_CHANNEL, text="need access to the &lt;finance&gt; share")
    assert "request #1 already" in again
    assert len(requests(sqlite_slack)) == 1


async def test_the_shortcut_outside_a_teams_channel_says_why_it_did_nothing(sqlite_slack: SlackHarness) -> None:
    await it_team(sqlite_slack)
    answer = await shortcut(sqlite_slack, CAT, channel=GENERAL, text="lunch at noon?")
    assert "isn't where any team takes requests" in answer
    assert requests(sqlite_slack) == []
