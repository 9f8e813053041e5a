"""Teams tells Tandem how a person writes dates with each activity's
`locale`: a de-DE sender's 12/05 is the 12th of May, an en-US sender's the
5th of December."""

from __future__ import annotations

from sqlmodel import Session, select

from bot.core import Tandem
from storage.models import Person, Request
from tests.teams.conftest import TeamsChat, card_of, card_text
from tests.teams.payloads import ANN, SAM


async def test_the_activity_locale_decides_the_order_of_day_and_month(chat: TeamsChat, core: Tandem) -> None:
    await chat.say(ANN, 'tandem team add it "IT Help"', locale="de-DE")
    replies = await chat.say(ANN, "ask it new badge by 12/05", locale="de-DE")
    assert "Due Wed 12 May 2027" in card_text(card_of(replies[0]))
    replies = await chat.say(SAM, "ask it new keys by 12/07", locale="en-US")
    assert "Due Mon 7 Dec" in card_text(card_of(replies[0]))
    with Session(core.engine) as session:
        people = {p.user_id: p.locale for p in session.exec(select(Person)).all()}
        due = [r.due_at.date().isoformat() for r in session.exec(select(Request).order_by(Request.id)).all()]
    assert people == {"aad-ann": "de_DE", "aad-sam": "en_US"}
    assert due == ["2027-05-12", "2026-12-07"]
