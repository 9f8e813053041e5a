"""Examples the fuzz suite (and issue 16) found, kept as regular test cases:
each goes through the same properties as the fuzzed ones, every run."""

from __future__ import annotations

import pytest

from bot.core import Tandem
from bot.events import Action, Command, FormSubmission, Place
from tests.fuzz.conftest import ADA, BOB, TENANT
from tests.fuzz.properties import call

PLACE = Place(platform="slack", tenant=TENANT, channel="C0GENERAL", name="general")

COMMANDS = [
    ("kudos", "stats <at>Ada</at>"),  # a typed Teams mention tag stays text (escaped), never an entity-less mention
    ("ask", "it thing by 9999-12-31"),
    ("ask", "it thing by 2099-01-01"),
    ("ask", "it x by in 100000 days"),
    ("ask", "it thing by 0001-01-01"),
    ("ask", "it thing by tomorrow 25pm"),
    ("ask", "it by friday"),
    ("tandem", "team edit it resolution 100000d"),
    ("tandem", "team edit it response 99999999999999999999h"),
    ("tandem", "me timezone " + "x" * 5000),
    ("requests", "2 rate ²"),
    ("kudos", "<@U0BOB> nul\x00byte"),
    ("kudos", "<@U0BOB> <!channel> <!here> <!everyone> &lt;!channel&gt;"),
    ("kudos", " ".join(f"<@U0P{n:03d}>" for n in range(60)) + " thanks"),
    ("kudos", "<@U0BOB>, : great help"),
    ("requests", "1" * 30),
    ("requests", "١ claim"),
    ("ask", "it \u202eexe.txt\u200b"),
]


@pytest.mark.parametrize("name, text", COMMANDS, ids=[f"/{n} {t[:40]!r}" for n, t in COMMANDS])
def test_found_command(company: Tandem, name: str, text: str) -> None:
    command = Command(actor=ADA, place=PLACE, name=name, text=text)
    call(company, lambda: company.run_command(command), what=f"/{name} {text}")


@pytest.mark.parametrize("action_id, value", [
    ("request.claim", "1" * 30), ("request.claim", "request:abc"), ("request.rate", "2:99999999999999999999"),
    ("request.rate", "2:²"), ("team.approve", "it:U0GHOST"), ("form.open", "wait:request:abc"), ("form.open", ":"),
])
def test_found_button(company: Tandem, action_id: str, value: str) -> None:
    action = Action(actor=BOB, place=PLACE, action_id=action_id, value=value)
    call(company, lambda: company.run_action(action), what=f"{action_id} {value}")


@pytest.mark.parametrize("form_id, values, metadata", [
    ("wait", {"note": "x"}, "request:abc"),
    ("kudos", {"people": ["U0BOB"] * 25 + ["U0GHOST"], "message": "thanks"}, ""),
    ("ask", {"team": "it", "what": "", "due": "by 9999-12-31"}, ""),
    ("feedback", {"rating": "²"}, "2"),
])
def test_found_form(company: Tandem, form_id: str, values: dict[str, str | list[str]], metadata: str) -> None:
    submission = FormSubmission(actor=ADA, place=PLACE, form_id=form_id, values=values, private_metadata=metadata)
    call(company, lambda: company.run_form(submission), what=f"{form_id} {values!r}")
