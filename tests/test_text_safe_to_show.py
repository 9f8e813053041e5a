"""Text is made safe to show: bidirectional controls and invisible
characters never reach a screen, on any platform, while the records keep
what the person wrote (exports show it as written)."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from bot.messages import Message, Section, plain
from bot.services import export
from bot.text_safety import shown
from storage.models import Kudos, Request
from tests.conftest import Chat

RLO, ZWSP, LRI, PDI = "\u202e", "\u200b", "\u2066", "\u2069"
HIDDEN = (RLO, ZWSP, LRI, PDI, "\u200e", "\u2060", "\ufeff", "\u3164", "\x07", "\x1b")


@pytest.fixture
def db_url(tmp_path) -> str:  # type: ignore[no-untyped-def]
    return f"sqlite:///{tmp_path}/tandem.db"


@pytest.mark.parametrize("typed, seen", [
    ("plain words", "plain words"),
    (f"invoice{RLO}fdp.exe", "invoicefdp.exe"),
    (f"pay{ZWSP}pal", "paypal"),
    (f"{LRI}admin{PDI}", "admin"),
    ("\u3164", ""),  # the Hangul filler: an invisible "name"
    ("ring\x07 the bell\x1b[31m", "ring the bell[31m"),
    ("first\u2028second", "first\nsecond"),
    ("z" + "\u0301" * 40, "z" + "\u0301" * 4),  # a stack of accents is cut, not the letter
    ("Tiếng Việt", "Tiếng Việt"),  # real accents stay
    ("שלום עולם", "שלום עולם"),  # right-to-left text needs no controls
    ("👩\u200d💻 \U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F",
     "👩\u200d💻 \U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F"),  # ZWJ, England's flag
    ("x\U000E0041y", "xy"),  # a stray tag character hides text
])
def test_what_may_be_shown(typed: str, seen: str) -> None:
    assert shown(typed) == seen


def test_every_text_of_a_message_is_made_safe_whoever_builds_it() -> None:
    message = Message(title=(f"a{RLO}b",), sections=(Section(heading=f"h{ZWSP}", text=(f"c{LRI}d",)),))
    assert plain(message.title) == "ab" and message.sections[0].heading == "h"
    assert plain(message.sections[0].text) == "cd"
    assert Message.model_validate_json(message.model_dump_json()) == message  # the outbox round trip


async def test_kudos_and_titles_are_shown_clean_and_kept_as_written(chat: Chat) -> None:
    await chat.as_("ada")
    await chat("/as bob")
    await chat("/as ada")
    await chat('/tandem team add it "IT Help"')
    kudos_text = f"thanks for fixing {RLO}gnp.exe{ZWSP} today"
    printed = await chat(f"/kudos @bob {kudos_text}")
    printed += await chat(f"/ask it reset {LRI}the{PDI} vpn")
    assert "Sent!" in printed and "Request #1" in printed
    assert not any(char in printed for char in HIDDEN), repr(printed)
    assert "thanks for fixing gnp.exe today" in printed  # the announcement, delivered to the terminal
    with Session(chat.core.engine) as session:
        assert session.exec(select(Kudos.message)).one() == kudos_text
        assert session.exec(select(Request.title)).one() == f"reset {LRI}the{PDI} vpn"
        exported = export.rows(session, "kudos")
    assert exported[0]["message"] == kudos_text
