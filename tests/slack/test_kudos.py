"""Kudos in Slack: announced where typed (or in the kudos channel), each
receiver told by DM; typed broadcasts and ids never ping anyone; the
"Give kudos for this" shortcut opens the form about that message."""

from __future__ import annotations

import pytest
from slack_sdk.models.views import View
from sqlmodel import Session, select

from storage.models import Kudos, KudosReceiver, Person
from tests.slack import payloads
from tests.slack.conftest import ANA, BOB, CAT, DAN, GENERAL, KUDOS_CHANNEL, SlackHarness, blocks_text


def _posted(slack: SlackHarness, channel: str) -> list[dict]:
    return [m for m in slack.api.of("chat.postMessage") if m["channel"] == channel]


async def test_kudos_are_announced_where_typed_and_each_receiver_gets_a_dm(slack: SlackHarness) -> None:
    await slack.command(ANA, f"/kudos <@{BOB}|bob> <@{CAT}|cat> thanks for staying late #ownership")
    announced = _posted(slack, GENERAL)
    assert len(announced) == 1
    assert f"<@{BOB}>" in announced[0]["text"] and f"<@{CAT}>" in announced[0]["text"]
    assert "thanks for staying late #ownership" in blocks_text(announced[0])
    assert len(_posted(slack, f"D{BOB}")) == 1 and len(_posted(slack, f"D{CAT}")) == 1
    assert "You got kudos from Ana Lima" in blocks_text(_posted(slack, f"D{BOB}")[0])
    with Session(slack.core.engine) as session:
        bob = session.exec(select(Person).where(Person.user_id == BOB)).one()
    assert (bob.display_name, bob.timezone) == ("Bob Stone", "America/New_York")


async def test_kudos_go_to_the_kudos_channel_when_one_is_set(slack: SlackHarness) -> None:
    await slack.command(ANA, f"/tandem kudos channel <#{KUDOS_CHANNEL}|kudos>")
    await slack.command(ANA, f"/kudos <@{BOB}|bob> great demo")
    assert len(_posted(slack, KUDOS_CHANNEL)) == 1 and _posted(slack, GENERAL) == []


async def test_a_typed_channel_broadcast_never_reaches_slack_unescaped(slack: SlackHarness) -> None:
    await slack.command(ANA, f"/kudos <@{BOB}|bob> you rock <!channel> <!here> <!everyone> "
                             "<!subteam^S0DESIGN|@design> &lt;@U0CAT&gt; a &amp; b")
    sent = [c.body for c in slack.api.calls if c.method in {"chat.postMessage", "chat.update"}]
    assert sent
    for body in sent:
        raw = str(body)
        for forbidden in ("<!channel>", "<!here>", "<!everyone>", "<!subteam", f"<@{CAT}>"):
            assert forbidden not in raw
    text = blocks_text(_posted(slack, GENERAL)[0])
    assert "you rock @channel @here @everyone @design &lt;@U0CAT&gt; a &amp; b" in text
    with Session(slack.core.engine) as session:
        assert len(session.exec(select(KudosReceiver)).all()) == 1  # Bob only


async def test_a_20000_character_kudos_gets_a_polite_reply_and_changes_nothing(slack: SlackHarness) -> None:
    await slack.command(ANA, f"/kudos <@{BOB}|bob> " + "x" * 20_000)
    assert "Kudos are kept to 2,000 characters; yours has 20,000" in slack.last_reply_text()
    reply = slack.replies()[-1]
    assert all(len(b.get("text", {}).get("text", "")) <= 3000 for b in reply["blocks"] if b["type"] == "section")
    assert slack.api.of("chat.postMessage") == []
    with Session(slack.core.engine) as session:
        assert session.exec(select(Kudos)).all() == []


async def test_kudos_to_someone_slack_does_not_know_is_refused_politely(slack: SlackHarness) -> None:
    await slack.command(ANA, "/kudos <@U0NOBODY|ghost> thanks")
    await slack.command(ANA, f"/kudos <@{DAN}|dan> thanks")  # a deactivated account
    replies = [blocks_text(r) for r in slack.replies()[-2:]]
    assert all("I don't know @" in r for r in replies)
    assert slack.api.of("chat.postMessage") == []
    with Session(slack.core.engine) as session:
        assert session.exec(select(Kudos)).all() == []


async def test_someone_slack_cannot_look_up_is_asked_to_say_hello_first(slack: SlackHarness) -> None:
    await slack.command("U0STRANGER", f"/kudos <@{BOB}|bob> thanks")
    assert "I don't know you yet" in slack.last_reply_text()
    with Session(slack.core.engine) as session:
        assert session.exec(select(Kudos)).all() == []


async def test_give_kudos_for_this_shortcut_opens_the_form_about_that_message(slack: SlackHarness) -> None:
    body = payloads.message_action(user_id=ANA, channel_id=GENERAL,
                                   text=f"Fixed the build for <@{BOB}|bob> &amp; the team")
    response = await slack.post(body)
    await slack.settle()
    assert response.status == 200
    view = slack.api.of("views.open")[-1]["view"]
    assert view["callback_id"] == "tandem:kudos"
    message = [b for b in view["blocks"] if b["block_id"] == "message"][0]["element"]
    assert message["initial_value"] == "Thanks for this: Fixed the build for @bob & the team"
    status, ack = await slack.submit(ANA, view, {"people": payloads.users_picked(BOB),
                                                  "message": payloads.text_input(message["initial_value"]),
                                                  "values": payloads.options_picked()})
    assert ack is None
    announced = _posted(slack, GENERAL)
    assert len(announced) == 1 and "Fixed the build for @bob &amp; the team" in blocks_text(announced[0])


@pytest.mark.parametrize("text", ["🎉" * 250, "é" * 500 + "ü" * 300, "谢谢你帮我修好了构建" * 60,
                                  "👩🏽‍💻 " * 120 + "naïve café"])
async def test_give_kudos_for_this_opens_the_form_whatever_the_message_is_written_in(
        slack: SlackHarness, text: str) -> None:
    """Slack counts private_metadata in characters: JSON's ASCII escapes (twelve for one emoji)
    used to overflow its 3,000 and the shortcut silently did nothing."""
    response = await slack.post(payloads.message_action(user_id=ANA, channel_id=GENERAL, text=text))
    await slack.settle()
    assert response.status == 200
    [opened] = slack.api.of("views.open")
    view = opened["view"]
    assert len(view["private_metadata"]) <= 3000
    View(**view).validate_json()  # slack_sdk's own checks of a modal
    message = [b for b in view["blocks"] if b["block_id"] == "message"][0]["element"]
    assert message["initial_value"].startswith("Thanks for this: " + text.split()[0][:10])
