"""Feedback closes the loop: one rating per request, changeable for 7 days,
and a low rating goes to the team lead, who tells the requester it's handled."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from bot.core import Tandem
from bot.events import FormSubmission
from bot.messages import plain
from bot.services.clock import FrozenClock
from storage.models import Feedback, Kudos, KudosReceiver, Notification
from tests.helpers import PLACE, join, person, press, say


@pytest.fixture
def done_request(core: Tandem) -> Tandem:
    for name in ("alice", "kim", "bob"):
        core.introduce(person(name))
    say(core, "alice", '/tandem team add it "IT Help"')
    join(core, "it", "kim")
    say(core, "bob", "/ask it vpn access")
    say(core, "kim", "/requests 1 done access granted")
    return core


def notifications(core: Tandem) -> list[Notification]:
    with Session(core.engine) as session:
        return list(session.exec(select(Notification).order_by(Notification.id)).all())


def test_done_asks_the_requester_for_a_rating_with_buttons(done_request: Tandem) -> None:
    prompt = [n for n in notifications(done_request) if n.kind == "feedback_prompt"]
    assert len(prompt) == 1 and prompt[0].address == "bob"
    assert '"action_id":"request.rate","value":"1:5"' in prompt[0].message_json and "Say thanks" in prompt[0].message_json


def test_a_rating_is_kept_once_and_can_change_within_a_week(done_request: Tandem, clock: FrozenClock) -> None:
    assert "rated #1 ★★★★☆" in say(done_request, "bob", "/requests 1 rate 4 quick and friendly")
    clock.advance(days=6)
    assert "updated your rating" in say(done_request, "bob", "/requests 1 rate 5")
    with Session(done_request.engine) as session:
        rows = session.exec(select(Feedback)).all()
    assert len(rows) == 1 and rows[0].rating == 5 and rows[0].comment == "quick and friendly"
    clock.advance(days=2)
    assert "can be changed for 7 days" in say(done_request, "bob", "/requests 1 rate 1")


def test_only_the_requester_rates_and_only_when_done(done_request: Tandem) -> None:
    assert "Only its requester (@bob) can rate #1." in say(done_request, "kim", "/requests 1 rate 5")
    assert "whole number from 1 to 5" in say(done_request, "bob", "/requests 1 rate 9")
    assert "whole number from 1 to 5" in say(done_request, "bob", "/requests 1 rate great")
    say(done_request, "bob", "/ask it another")
    assert "isn't done yet" in say(done_request, "bob", "/requests 2 rate 5")


def test_a_low_rating_reaches_the_lead_who_closes_the_loop(done_request: Tandem) -> None:
    say(done_request, "bob", "/requests 1 rate 2 took three days and nobody answered")
    alert = [n for n in notifications(done_request) if n.kind == "low_rating"]
    assert len(alert) == 1 and alert[0].address == "alice"
    assert "nobody answered" in alert[0].message_json
    assert "Only IT Help's lead" in say(done_request, "kim", "/requests 1 handled sorry")
    say(done_request, "alice", "/requests 1 handled talked to bob, fixed the rota")
    told = [n for n in notifications(done_request) if n.idempotency_key == "feedback-handled:1"]
    assert told and told[0].address == "bob" and "fixed the rota" in told[0].message_json
    with Session(done_request.engine) as session:
        assert session.exec(select(Feedback)).one().follow_up == "handled"
    assert "no open follow-up" in say(done_request, "alice", "/requests 1 handled again")


def test_the_rating_buttons_and_the_comment_form_work_like_the_command(done_request: Tandem) -> None:
    reply = done_request.run_action(press("bob", "request.rate", "1:3"))
    assert reply.message is not None and "★★★☆☆" in plain(reply.message.title)
    form_button = reply.message.buttons[0]
    opened = done_request.run_action(press("bob", form_button.action_id, form_button.value))
    assert opened.form is not None and opened.form.form_id == "feedback"
    bad = done_request.run_form(FormSubmission(actor=person("bob"), place=PLACE, form_id="feedback",
                                               private_metadata=opened.form.private_metadata,
                                               values={"rating": "", "comment": "ok"}))
    assert bad.errors == {"rating": "Pick a rating from 1 to 5."}
    done_request.run_form(FormSubmission(actor=person("bob"), place=PLACE, form_id="feedback",
                                         private_metadata=opened.form.private_metadata,
                                         values={"rating": "3", "comment": "fine, a bit slow"}))
    with Session(done_request.engine) as session:
        row = session.exec(select(Feedback)).one()
    assert (row.rating, row.comment) == (3, "fine, a bit slow")


def test_say_thanks_gives_kudos_to_whoever_finished_once_even_when_double_clicked(done_request: Tandem) -> None:
    first = done_request.run_action(press("bob", "kudos.thank", "1", key="click-1", message="prompt-1"))
    again = done_request.run_action(press("bob", "kudos.thank", "1", key="click-2", message="prompt-1"))
    assert first == again
    with Session(done_request.engine) as session:
        kudos = session.exec(select(Kudos)).all()
        receivers = session.exec(select(KudosReceiver)).all()
    assert len(kudos) == 1 and kudos[0].request_id == 1
    assert len(receivers) == 1
