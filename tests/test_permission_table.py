"""The permission table, checked row by row: every registered command,
button and form, tried by a person holding each role in turn, is either
allowed or refused with a reply that names who can and nothing changed.

The expectations come from the registrations themselves (`allow=`), so a
new command is covered the day it is registered; the test only needs its
`example` to work in the small world built here.
"""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

from bot.access import Role
from bot.core import Tandem
from bot.events import Actor, Command, FormSubmission
from bot.messages import plain
from bot.registry import CommandSpec, registry
from storage.models import CompanyValue, Feedback, JoinRequest, Person, Request, Setting, Team, TeamMember
from storage.suggestions import Suggestion, SuggestionReplyRoute
from tests.conftest import MONDAY_10_UTC
from tests.helpers import PLACE, press

MENTION = re.compile(r"(?<![\w<])@([a-z][\w.-]*)")

# Who holds what in the world below. Team roles count towards team `it` and its
# requests; the requester role towards the requests rita filed (all of them).
PERSONAS: dict[str, dict[str | None, frozenset[Role]]] = {
    "ada": {None: frozenset({Role.EVERYONE, Role.ADMIN})},
    "hana": {None: frozenset({Role.EVERYONE, Role.HR})},
    "leo": {None: frozenset({Role.EVERYONE}), "team": frozenset({Role.EVERYONE, Role.LEAD, Role.MEMBER})},
    "mia": {None: frozenset({Role.EVERYONE}), "team": frozenset({Role.EVERYONE, Role.MEMBER})},
    "rita": {None: frozenset({Role.EVERYONE}), "request": frozenset({Role.EVERYONE, Role.REQUESTER})},
    "otto": {None: frozenset({Role.EVERYONE})},
}

# Example values for buttons and forms; every registered one must have an entry.
BUTTONS = {
    "request.claim": "1", "request.start": "1", "request.cancel": "1:filed twice", "request.snooze": "1:tomorrow 10am",
    "request.reopen": "2", "request.rate": "2:4", "kudos.thank": "2",
    "team.approve": "it:{sam}", "team.decline": "it:{sam}",
}
FORMS = {
    "ask": ("", {"team": "it", "what": "a new mouse"}),
    "kudos": ("", {"people": ["sam"], "message": "thanks for the demo"}),
    "wait": ("1", {"note": "which floor?"}),
    "done": ("1", {"note": "all set"}),
    "handled": ("3", {"note": "called them"}),
    "feedback": ("2:4", {"rating": "4", "comment": "quick"}),
}


def roles_for(persona: str, subject: str | None) -> frozenset[Role]:
    held = PERSONAS[persona]
    if subject == "request":
        return held.get("request", frozenset()) | held.get("team", held[None])
    return held.get(subject, held[None]) if subject else held[None]


def build_world(engine: Engine) -> dict[str, int]:
    """Admin ada, HR hana, IT Help led by leo with mia, rita's requests #1 (open),
    #2 (done by mia) and #3 (done, rated 1, awaiting the lead), sam asking to join,
    otto's anonymous suggestion #1 to IT Help."""
    now = MONDAY_10_UTC
    with Session(engine, expire_on_commit=False) as session:
        ids: dict[str, int] = {}
        for name in ("ada", "hana", "leo", "mia", "rita", "otto", "sam"):
            person = Person(platform="shell", tenant="local", user_id=name, display_name=name, timezone="UTC",
                            created_at=now, is_admin=name == "ada", is_hr=name == "hana")
            session.add(person)
            session.flush()
            assert person.id is not None
            ids[name] = person.id
        session.add(Setting(key="org.first_admin", value=str(ids["ada"])))
        team = Team(handle="it", name="IT Help", lead_id=ids["leo"], intake_platform="shell", intake_tenant="local",
                    intake_channel="it-help", created_at=now)
        session.add(team)
        session.flush()
        for name in ("leo", "mia"):
            session.add(TeamMember(team_id=team.id, person_id=ids[name], joined_at=now))
        session.add(Team(handle="fin", name="Finance", created_at=now))  # where requests can be moved
        session.add(JoinRequest(team_id=team.id, person_id=ids["sam"], created_at=now))
        session.add(CompanyValue(tag="ownership", description="Own the outcome"))
        for number, status in ((1, "open"), (2, "done"), (3, "done")):
            session.add(Request(id=number, team_id=team.id, requester_id=ids["rita"], title=f"thing {number}",
                                status=status, assignee_id=None if status == "open" else ids["mia"],
                                due_at=now + timedelta(days=3), first_response_due_at=now + timedelta(hours=4),
                                done_at=now if status == "done" else None, created_at=now, updated_at=now))
        session.flush()
        session.add(Feedback(request_id=3, requester_id=ids["rita"], rating=1, follow_up="open", created_at=now,
                             updated_at=now))
        session.add(Suggestion(id=1, team_id=team.id, suggester_id=None, anonymous=True, body="a second printer",
                               created_at=now))
        session.flush()
        session.add(SuggestionReplyRoute(suggestion_id=1, person_id=ids["otto"]))
        session.commit()
    if engine.dialect.name == "postgresql":  # rows were given ids by hand
        with engine.begin() as connection:
            connection.execute(text("SELECT setval('request_id_seq', 3)"))
            connection.execute(text("SELECT setval('suggestion_id_seq', 1)"))
    return ids


def wipe(engine: Engine) -> None:
    with engine.begin() as connection:
        for table in reversed(SQLModel.metadata.sorted_tables):
            if table.name != "alembic_version":
                connection.execute(table.delete())


def fingerprint(engine: Engine) -> str:
    """Every row of every table: a refused command must leave this unchanged."""
    digest = hashlib.sha256()
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            rows = sorted(repr(tuple(row)) for row in connection.execute(table.select()))
            digest.update(f"{table.name}:{rows}".encode())
    return digest.hexdigest()


def as_command(persona: str, example: str, ids: dict[str, int]) -> Command:
    line = MENTION.sub(lambda m: f"<@{m.group(1)}>", example.format(**ids))
    name, _, rest = line.lstrip("/").partition(" ")
    mentions = tuple(Actor(platform="shell", tenant="local", user_id=u, known=False) for u in MENTION.findall(example))
    return Command(actor=Actor(platform="shell", tenant="local", user_id=persona, display_name=persona), place=PLACE,
                   name=name, text=rest, command_id=None, mentions=mentions)


def check(core: Tandem, persona: str, allowed: bool, run: object, what: str) -> None:
    before = fingerprint(core.engine)
    reply = run()  # type: ignore[operator]
    said = plain(reply.message.title) if reply.message else ""
    if allowed:
        assert reply.ok, f"{persona} may {what}, but: {said}"
    else:
        assert not reply.ok and said.startswith("Only "), f"{persona} may not {what}, but: {said}"
        assert fingerprint(core.engine) == before, f"refusing {persona} to {what} changed something"


def commands() -> list[CommandSpec]:
    return [spec for spec in registry.specs()]


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_every_command_is_allowed_or_refused_by_role_with_nothing_changed(core: Tandem, persona: str) -> None:
    for spec in commands():
        wipe(core.engine)
        ids = build_world(core.engine)
        allowed = bool(roles_for(persona, spec.subject) & spec.allow)
        check(core, persona, allowed, lambda: core.run_command(as_command(persona, spec.example, ids)), spec.example)


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_every_button_and_form_is_allowed_or_refused_by_role_with_nothing_changed(core: Tandem,
                                                                                   persona: str) -> None:
    assert set(BUTTONS) == set(registry.actions), "every button needs an example value here"
    assert set(FORMS) == set(registry.forms), "every form needs an example submission here"
    for action_id, value in BUTTONS.items():
        spec = registry.actions[action_id]
        wipe(core.engine)
        ids = build_world(core.engine)
        allowed = bool(roles_for(persona, spec.subject) & spec.allow)
        pressed = press(persona, action_id, value.format(**ids), key=f"click-{action_id}", message="card-1")
        check(core, persona, allowed, lambda: core.run_action(pressed), f"press {action_id}")
    for form_id, (metadata, values) in FORMS.items():
        form = registry.forms[form_id]
        wipe(core.engine)
        build_world(core.engine)
        allowed = bool(roles_for(persona, form.subject) & form.allow)
        mentions = tuple(Actor(platform="shell", tenant="local", user_id=u, known=False)
                         for u in values.get("people", []))
        submission = FormSubmission(actor=Actor(platform="shell", tenant="local", user_id=persona, display_name=persona),
                                    place=PLACE, form_id=form_id, values=values, private_metadata=metadata,
                                    mentions=mentions)
        check(core, persona, allowed, lambda: core.run_form(submission), f"submit the {form_id} form")
        wipe(core.engine)
        build_world(core.engine)
        opened = press(persona, "form.open", f"{form_id}:{metadata}")
        check(core, persona, allowed, lambda: core.run_action(opened), f"open the {form_id} form")


def test_the_world_is_what_the_personas_say(engine: Engine) -> None:
    from bot import access

    ids = build_world(engine)
    with Session(engine) as session:
        team = session.exec(select(Team).where(Team.handle == "it")).one()
        request = session.get(Request, 1)
        for persona in PERSONAS:
            person = session.get(Person, ids[persona])
            assert access.roles_of(session, person, None) == roles_for(persona, None)
            assert access.roles_of(session, person, team) == roles_for(persona, "team")
            assert access.roles_of(session, person, request) == roles_for(persona, "request")
