"""What the fuzz suite types: unicode of every category, huge and empty
inputs, platform mention and link tokens, numbers at the edges, date-like
phrases, and the issue's own crashing inputs."""

from __future__ import annotations

from hypothesis import strategies as st

TOKENS = ["<!channel>", "<!here>", "<!everyone>", "<!subteam^S123|@team>", "<@U0ADA>", "<@U0BOB|bob>",
          "<@U0GHOST>", "<@>", "<#C0GENERAL|general>", "<#C0NOPE>", "<http://evil.example|click me>",
          "<mailto:a@b.c>", "&lt;", "&amp;", "&gt;", "@channel", "@here", "@everyone", "#ownership", "#1",
          "<at>Ada</at>", "**bold**", "[link](http://x.example)", "`code`", "> quote", "1. list", "@ada",
          "<", ">", "&", "|", ":", ",", '"', "'", "\\", "\u202e", "\u200b", "\x00", "\ufeff", "\n", "\t"]
NUMBERS = ["0", "-1", "1", "2", "3", "5", "6", "#2", "2147483648", "99999999999999999999", "1e309", "NaN",
           "inf", "²", "١", "0x10", "1_000", "3.5", "999999999", "1000000000", "-0", "00001",
           "99999999999999999999h", "100000d", "0h", "-4h", "1.5d", "25:61", "9-5", "24-0"]
DATES = ["by 9999-12-31", "by 2099-01-01", "by in 100000 days", "by 0001-01-01", "by tomorrow 25pm",
         "by friday", "in 2 days", "asap", "by 31/02", "by 05.12.", "by 12/05", "by the kitchen",
         "by 24:00", "by noon", "by 29 Feb", "by next year", "by yesterday", "in 0 days", "in -3 days",
         "by 2026-13-45", "by tomorrow 3pm", "by 1/1/1", "by monday 9:99", "in 1e9 hours"]
HUGE = ["x" * 5000, "é" * 3001, "\U0001F600" * 2100, " " * 4000, "\n" * 300, "<@U0BOB> " * 60,
        "#ownership " * 400, "a" * 20001, "\u0301" * 500]

piece = st.one_of(st.sampled_from(TOKENS), st.sampled_from(NUMBERS), st.sampled_from(DATES),
                  st.text(max_size=30), st.text(alphabet=st.characters(min_codepoint=0x2000, max_codepoint=0x206f),
                                                max_size=5),
                  st.integers().map(str), st.sampled_from(["it", "hr", "@it", "team", "private", "mine", "overdue",
                                                           "all", "week", "month", "add", "remove", "edit"]))
phrase = st.one_of(st.lists(piece, max_size=7).map(" ".join), st.sampled_from(HUGE), st.just(""),
                   st.lists(piece, max_size=4).map("".join))
team_word = st.sampled_from(["it", "@it", "hr", "nope", "IT", "x" * 41, "1"])
request_word = st.sampled_from(["1", "2", "3", "#2", "999", "0", "999999999"])
value = st.one_of(phrase, st.sampled_from(NUMBERS), st.sampled_from(["1", "2", "3", "it", "hr", "1:5", "2:5",
                                                                     "it:U0BOB", "request:abc", "1" * 30,
                                                                     "2:99999999999999999999", ":", ""]))
