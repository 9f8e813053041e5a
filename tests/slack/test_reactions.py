"""Reacting to thank, over real signed HTTP: the kudos emoji on a message
gives its author one kudos (the message, shortened, and its link as the
reason; its #values counted), fetched through the Web API; several reactors
grow one announcement; taking the reaction off within 10 minutes takes the
kudos back; retries act once."""

from __future__ import annotations

from sqlmodel import Session, select

from storage.flow import KudosSource
from storage.models import Kudos, KudosReceiver, KudosTag, Person
from tests.slack import payloads
from tests.slack.conftest import ANA, BOB, CAT, GENERAL, KUDOS_CHANNEL, SlackHarness, build_valid_request
from tests.slack.mock_web_api import MockSlackApi

TS = "1700000800.000100"
EVE = "U0EVE"


def received(slack: SlackHarness) -> list[tuple[str, str, str]]:
    """(giver, receiver, reason) of every kudos, in order."""
    with Session(slack.core.engine) as session:
        rows = []
        for kudos in session.exec(select(Kudos).order_by(Kudos.id)):
            giver = session.get(Person, kudos.giver_id)
            [receiver] = session.exec(select(Person).join(KudosReceiver, KudosReceiver.person_id == Person.id)
                                      .where(KudosReceiver.kudos_id == kudos.id)).all()
            assert giver is not None
            rows.append((giver.user_id, receiver.user_id, kudos.message))
        return rows


async def react(slack: SlackHarness, user: str, *, event_id: str, emoji: str = "raised_hands", added: bool = True,
                ts: str = TS, retry: bool = False) -> None:
    body = payloads.reaction(user_id=user, reaction=emoji, channel_id=GENERAL, ts=ts, item_user=BOB,
                             event_id=event_id, added=added)
    headers = build_valid_request(body, content_type="application/json")
    if retry:
        headers.update({"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    assert (await slack.post(body, headers=headers)).status == 200
    await slack.settle()
    for _ in range(4):  # past Slack's one message a second per channel
        slack.clock.advance(seconds=2)
        await slack.deliver()


def bobs_message(api: MockSlackApi, text: str = "Shipped the release notes for 4.2 #ownership — took all night") -> None:
    api.add_message(GENERAL, TS, user=BOB, text=text)


def announcements(slack: SlackHarness) -> list[dict]:  # type: ignore[type-arg]
    return [m for m in slack.api.of("chat.postMessage") + slack.api.of("chat.update")
            if m.get("channel") == KUDOS_CHANNEL]


async def test_the_kudos_emoji_thanks_the_author_with_the_message_as_reason(sqlite_slack: SlackHarness) -> None:
    bobs_message(sqlite_slack.api)
    await sqlite_slack.command(ANA, "/tandem values add ownership \"Own the outcome\"")
    await react(sqlite_slack, CAT, event_id="Ev0R1")
    [(giver, receiver, reason)] = received(sqlite_slack)
    assert (giver, receiver) == (CAT, BOB)
    assert reason.startswith("for “Shipped the release notes for 4.2 #ownership")
    with Session(sqlite_slack.core.engine) as session:
        assert [t.tag for t in session.exec(select(KudosTag).where(KudosTag.is_value == True))] == ["ownership"]  # noqa: E712
        source = session.exec(select(KudosSource)).one()
        assert source.link == f"https://acme.slack.com/archives/{GENERAL}/p{TS.replace('.', '')}"
    assert sqlite_slack.api.of("conversations.history")[0]["latest"] == TS
    dm = [m for m in sqlite_slack.api.of("chat.postMessage") if m["channel"] == f"D{BOB}"]
    assert len(dm) == 1 and "You got kudos from Cat Wu" in dm[0]["text"]


async def test_other_emoji_and_your_own_message_give_nothing(sqlite_slack: SlackHarness) -> None:
    bobs_message(sqlite_slack.api)
    await react(sqlite_slack, CAT, event_id="Ev0R1", emoji="eyes")
    await react(sqlite_slack, BOB, event_id="Ev0R2")
    assert received(sqlite_slack) == []
    assert len(sqlite_slack.api.of("conversations.history")) == 1  # :eyes: means nothing: not even fetched


async def test_several_reactors_grow_one_announcement(sqlite_slack: SlackHarness) -> None:
    for user, name in ((EVE, "Eve Park"), ("U0FAY", "Fay Ng"), ("U0GUS", "Gus Bo")):
        sqlite_slack.api.add_user(user, name)
    bobs_message(sqlite_slack.api)
    await sqlite_slack.command(ANA, f"/tandem kudos channel <#{KUDOS_CHANNEL}|kudos>")
    for n, user in enumerate((ANA, CAT, EVE, "U0FAY", "U0GUS")):
        await react(sqlite_slack, user, event_id=f"Ev0G{n}")
    assert [r[0] for r in received(sqlite_slack)] == [ANA, CAT, EVE, "U0FAY", "U0GUS"]
    posted = [m for m in sqlite_slack.api.of("chat.postMessage") if m["channel"] == KUDOS_CHANNEL]
    updates = [m for m in sqlite_slack.api.of("chat.update") if m["channel"] == KUDOS_CHANNEL]
    assert len(posted) == 1 and len(updates) == 4
    assert {u["ts"] for u in updates} == {posted[0]["_posted_ts"]}
    assert "Ana Lima, Cat Wu and 3 others thanked <@U0BOB>" in updates[-1]["text"]


async def test_taking_the_reaction_off_within_ten_minutes_takes_the_kudos_back(sqlite_slack: SlackHarness) -> None:
    bobs_message(sqlite_slack.api)
    await sqlite_slack.command(ANA, f"/tandem kudos channel <#{KUDOS_CHANNEL}|kudos>")
    await react(sqlite_slack, ANA, event_id="Ev0A")
    await react(sqlite_slack, CAT, event_id="Ev0B")
    await react(sqlite_slack, CAT, event_id="Ev0C", added=False)
    assert [r[0] for r in received(sqlite_slack)] == [ANA]
    last = announcements(sqlite_slack)[-1]
    assert "Ana Lima thanked" in last["text"] and "Cat Wu" not in last["text"]
    assert "took all night”" in last["text"]  # the reason survives the update
    sqlite_slack.clock.advance(minutes=11)
    await react(sqlite_slack, ANA, event_id="Ev0D", added=False)
    assert [r[0] for r in received(sqlite_slack)] == [ANA]  # too late to take back


async def test_a_retried_reaction_acts_once(slack: SlackHarness) -> None:
    bobs_message(slack.api)
    await react(slack, CAT, event_id="Ev0SAME")
    slack.adapter.listeners._seen.clear()  # as if another replica received the retry
    await react(slack, CAT, event_id="Ev0SAME", retry=True)
    await react(slack, CAT, event_id="Ev0OTHER", emoji="raised_hands::skin-tone-3")  # the same person, again
    assert received(slack) == [(CAT, BOB, received(slack)[0][2])]
    assert len([m for m in slack.api.of("chat.postMessage") if m["channel"] == f"D{BOB}"]) == 1


async def test_a_reply_in_a_thread_is_found_through_conversations_replies(sqlite_slack: SlackHarness) -> None:
    sqlite_slack.api.add_message(GENERAL, "1700000790.000001", user=ANA, text="who can fix the build?")
    sqlite_slack.api.add_message(GENERAL, TS, user=BOB, text="fixed it", thread_ts="1700000790.000001")
    await react(sqlite_slack, CAT, event_id="Ev0T")
    assert received(sqlite_slack) == [(CAT, BOB, "for “fixed it”")]
    assert sqlite_slack.api.of("conversations.replies")[0]["ts"] == TS


async def test_a_bots_message_gives_nothing(sqlite_slack: SlackHarness) -> None:
    sqlite_slack.api.add_message(GENERAL, TS, user=None, text="Deploy finished", bot_id="B0CI")
    await react(sqlite_slack, CAT, event_id="Ev0BOT")
    assert received(sqlite_slack) == []
