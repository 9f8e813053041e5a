"""Slack tells Tandem how a person writes dates: users.info is asked with
`include_locale`, and the locale it returns decides whether 05/12 is the
5th of December (Ana, fr-FR) or the 12th of May (Bob, en-US)."""

from __future__ import annotations

from sqlmodel import Session, select

from storage.models import Person, Request
from tests.slack.conftest import ANA, BOB, SlackHarness


def _person(slack: SlackHarness, user_id: str) -> Person:
    with Session(slack.core.engine) as session:
        return session.exec(select(Person).where(Person.user_id == user_id)).one()


async def test_users_info_is_asked_for_the_locale_and_the_person_keeps_it(slack: SlackHarness) -> None:
    await slack.command(ANA, "/tandem me")
    assert [str(c["include_locale"]).lower() for c in slack.api.of("users.info")] in (["1"], ["true"])
    assert _person(slack, ANA).locale == "fr_FR"
    assert "writing dates as fr_FR" in slack.last_reply_text()


async def test_the_same_numeric_date_is_read_in_each_persons_own_order(slack: SlackHarness) -> None:
    await slack.command(ANA, '/tandem team add it "IT Help"')
    await slack.command(ANA, "/ask it new badge by 07/12")
    assert "Due Mon 7 Dec" in slack.last_reply_text() and "read from “07/12”" in slack.last_reply_text()
    await slack.command(BOB, "/ask it new keys by 12/07")
    assert "Due Mon 7 Dec" in slack.last_reply_text()
    with Session(slack.core.engine) as session:
        days = [r.due_at.date().isoformat() for r in session.exec(select(Request).order_by(Request.id)).all()]
    assert days == ["2026-12-07", "2026-12-07"]
