"""Slack's escaped command text becomes the core's text: mentions and
channels as `<@id>`/`<#id>` tokens, broadcasts and links as plain text."""

from __future__ import annotations

from adapters.slack.tokens import parse, to_plain


def test_mentions_and_channels_become_core_tokens() -> None:
    parsed = parse("<@U1|bob> <@U2> and <@U1|bob> in <#C9|it-help>")
    assert parsed.text == "<@U1> <@U2> and <@U1> in <#C9>"
    assert parsed.user_ids == ["U1", "U2"]
    assert parsed.channels == {"C9": "it-help"}


def test_broadcasts_and_user_groups_become_text_that_pings_nobody() -> None:
    parsed = parse("<!channel> <!here|here> <!everyone> <!subteam^S1|@design> <!date^1392734382^{date}|Feb 18>")
    assert parsed.text == "@channel @here @everyone @design Feb 18"
    assert parsed.user_ids == []


def test_slack_escapes_are_kept_and_stray_brackets_escaped() -> None:
    assert parse("a &amp; b &lt;@U3&gt;").text == "a &amp; b &lt;@U3&gt;"
    assert parse("1 < 2 > 0").text == "1 &lt; 2 &gt; 0"
    assert parse("see <https://x.test/?a=1&amp;b=2|the doc>").text == "see the doc"


def test_message_text_reads_as_plain_text_for_a_form() -> None:
    assert to_plain("hi <@U1|bob> &amp; <#C1|general> <!here>") == "hi @bob & #general @here"
