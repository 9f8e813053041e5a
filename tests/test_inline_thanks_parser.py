"""The inline thanks parser, table-driven: what karma bots learned people mean.

Each row is a message in the core's text convention (mentions as `<@id>`,
quotes as `&gt;`), the people it thanks and the reason left over; `None`
means the message thanks nobody.
"""

from __future__ import annotations

import pytest

from bot.services.inline_thanks import parse, visible_text

SAM, KIM, LEE = "<@sam>", "<@kim>", "<@lee>"

# (message, thanked ids, reason) — reason None: not checked
GIVES = [
    # ++ in its spellings
    (f"{SAM}++ for the demo", ("sam",), "for the demo"),
    (f"{SAM}++", ("sam",), ""),
    (f"{SAM} ++", ("sam",), ""),
    (f"{SAM} ++ great demo", ("sam",), "great demo"),
    (f"{SAM}: ++", ("sam",), ""),
    (f"{SAM}:++ nice", ("sam",), "nice"),
    (f"{SAM} : ++ for the fix", ("sam",), "for the fix"),
    (f"{SAM}+++ amazing", ("sam",), "amazing"),
    (f"{SAM}++!", ("sam",), ""),
    (f"{SAM}++, {KIM}++ for the release", ("sam", "kim"), "for the release"),
    (f"{SAM}++ {KIM}++", ("sam", "kim"), ""),
    (f"{SAM} {KIM} ++ for the offsite", ("sam", "kim"), "for the offsite"),
    (f"{SAM}, {KIM} ++", ("sam", "kim"), ""),
    (f"{SAM} and {KIM}++ for the launch", ("sam", "kim"), "for the launch"),
    (f"{SAM} &amp; {KIM} ++ teamwork", ("sam", "kim"), "teamwork"),
    (f"great job today {SAM}++", ("sam",), "great job today"),
    (f"for the demo: {SAM}++ #ownership", ("sam",), "for the demo: #ownership"),
    (f"{SAM}++ {SAM}++ twice", ("sam",), "twice"),
    (f"{SAM}++ and {LEE} helped too", ("sam",), None),
    (f"{SAM}++\nfor the migration", ("sam",), "for the migration"),
    (f"  {SAM}++   for   the   demo  ", ("sam",), "for the demo"),
    (f"{SAM}++ see https://example.com/x", ("sam",), "see"),
    (f"{SAM}++ `code` ok", ("sam",), "ok"),
    (f"&gt; quoted\n{SAM}++ for answering", ("sam",), "for answering"),
    # thanks / thank you
    (f"thanks {SAM} for the release #teamwork", ("sam",), "for the release #teamwork"),
    (f"thanks {SAM} {KIM} for the release #teamwork", ("sam", "kim"), "for the release #teamwork"),
    (f"Thanks {SAM}!", ("sam",), ""),
    (f"thank you {SAM} for covering", ("sam",), "for covering"),
    (f"Thank you, {SAM}, for covering", ("sam",), "for covering"),
    (f"thanks to {SAM} for the numbers", ("sam",), "for the numbers"),
    (f"many thanks {SAM}", ("sam",), ""),
    (f"thx {SAM} for the review", ("sam",), "for the review"),
    (f"ty {SAM}", ("sam",), ""),
    (f"thank you so much {SAM} and {KIM}", ("sam", "kim"), ""),
    (f"Great call. Thanks {SAM} for hosting", ("sam",), "Great call. for hosting"),
    (f"thanks, {SAM}, {KIM} and {LEE}!", ("sam", "kim", "lee"), ""),
    (f"THANKS {SAM}", ("sam",), ""),
    (f"thanks {SAM} and {KIM}++ for all", ("sam", "kim"), "thanks for all"),
]

NOTHING = [
    "thanks everyone",
    "++ to everyone",
    "c++ is hard",
    f"{SAM}--",
    f"{SAM} --",
    f"{SAM}: --",
    f"{SAM}-- for breaking the build",
    f"`{SAM}++`",
    f"```\n{SAM}++ for the demo\n```",
    f"```{SAM}++``` in a fence",
    f"```\nunclosed fence\n{SAM}++",
    f"&gt; {SAM}++ for the demo",
    f"  &gt; thanks {SAM}",
    f"&gt;&gt;&gt; all quoted\n{SAM}++",
    f"https://wiki.example.com/{SAM}++",
    f"see www.example.com/{SAM}++x",
    f"{SAM} can you look at this?",
    f"{SAM} thanks",
    f"no thanks {SAM}",
    f"{SAM} ++-",
    f"{SAM}++x",
    f"tanks {SAM}",
    f"party {SAM}",
    "@sam++ typed without a mention",
    "",
]


@pytest.mark.parametrize(("message", "thanked", "reason"), GIVES)
def test_message_thanks_the_people_it_names(message: str, thanked: tuple[str, ...], reason: str | None) -> None:
    found = parse(message)
    assert found is not None, message
    assert found.user_ids == thanked
    if reason is not None:
        assert found.reason == reason


@pytest.mark.parametrize("message", NOTHING)
def test_message_thanks_nobody(message: str) -> None:
    assert parse(message) is None


@pytest.mark.parametrize(("message", "form"), [
    (f"{SAM}++", "plusplus"), (f"thanks {SAM}", "thanks"), (f"{SAM}++ and thanks {KIM}", "plusplus")])
def test_form_says_how_it_was_said(message: str, form: str) -> None:
    found = parse(message)
    assert found is not None and found.form == form


@pytest.mark.parametrize(("message", "thanked"), [
    (f"thanks {SAM} for the release", None),
    (f"thank you {SAM}", None),
    (f"{SAM}++ for the demo", ("sam",)),
    (f"thanks {SAM}, and {KIM}++", ("kim",)),
])
def test_thanks_form_turned_off_leaves_plusplus(message: str, thanked: tuple[str, ...] | None) -> None:
    found = parse(message, thanks_form=False)
    assert (found.user_ids if found else None) == thanked


def test_visible_text_cuts_code_quotes_and_links_but_keeps_the_words_apart() -> None:
    assert visible_text("a`x`b") == "a b"
    assert "secret" not in visible_text("ok\n&gt; secret\nrest")
    assert visible_text("see https://x.y/z now").split() == ["see", "now"]
