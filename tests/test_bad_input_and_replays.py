"""Bad input gets one polite reply and changes nothing; the same platform
delivery twice changes state once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlmodel import Session, func, select

from bot.core import Tandem
from bot.messages import plain
from storage.models import CommandReceipt, Kudos, Notification, Person, Request, RequestEvent
from tests.helpers import command, person, press


def counts(core: Tandem) -> tuple[int, int, int]:
    with Session(core.engine) as session:
        return (session.exec(select(func.count()).select_from(Request)).one(),
                session.exec(select(func.count()).select_from(Kudos)).one(),
                session.exec(select(func.count()).select_from(Notification)).one())


@pytest.fixture
def company(core: Tandem) -> Tandem:
    for name in ("alice", "bob"):
        core.introduce(person(name))
    core.run_command(command("alice", '/tandem team add it "IT Help"'))
    return core


@pytest.mark.parametrize("line, expected", [
    ("/ask legal contract review", "There is no team called"),
    ("/ask it printer by the day after the apocalypse", "couldn't read"),
    ("/ask it printer by 2020-01-01", "already gone by"),
    ("/ask it", "What do you need from IT Help?"),
    ("/ask it " + "x" * 2001, "2,000 characters"),
    ("/requests 999 claim", "can't find request #999"),
    ("/requests abc", "isn't a request number"),
    ("/kudos <@ghost> thanks", "I don't know @ghost"),
    ("/kudos <@alice> " + "y" * 20000, "2,000 characters"),
    ("/frobnicate now", "I don't know /frobnicate"),
    ("/tandem teleport", "I don't know “teleport”"),
])
def test_bad_input_is_answered_politely_and_changes_nothing(company: Tandem, line: str, expected: str) -> None:
    before = counts(company)
    reply = company.run_command(command("bob", line))
    assert reply.ok is False and reply.public is False
    assert reply.message is not None and expected in plain(reply.message.title)
    assert counts(company) == before


def test_the_same_command_delivered_twice_files_one_request(company: Tandem) -> None:
    first = company.run_command(command("bob", "/ask it vpn access", command_id="slack-T1-abc"))
    again = company.run_command(command("bob", "/ask it vpn access", command_id="slack-T1-abc"))
    assert first == again
    assert counts(company)[0] == 1


def test_concurrent_duplicate_deliveries_still_act_once(company: Tandem) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        replies = list(pool.map(lambda _: company.run_command(
            command("bob", "/kudos <@alice> thanks", command_id="retry-7")), range(4)))
    assert all(r.ok for r in replies)
    assert counts(company)[1] == 1
    with Session(company.engine) as session:
        receipts = session.exec(select(CommandReceipt).where(CommandReceipt.key.contains("retry-7"))).all()
        assert len(receipts) == 1


def test_double_clicking_claim_claims_once(company: Tandem) -> None:
    company.run_command(command("bob", "/ask it vpn access"))
    first = company.run_action(press("alice", "request.claim", "1", key="ts-1", message="card-1"))
    second = company.run_action(press("alice", "request.claim", "1", key="ts-2", message="card-1"))
    assert "is yours" in plain(first.message.title)
    assert "already yours" in plain(second.message.title)
    with Session(company.engine) as session:
        claims = session.exec(select(RequestEvent).where(RequestEvent.kind == "claim")).all()
    assert len(claims) == 1


def test_a_newcomers_first_commands_arriving_at_once_all_succeed(core: Tandem) -> None:
    """Slack acks first and works in parallel, so a new person's first two
    commands (and a mention of them) can race to create them."""
    core.introduce(person("alice"))
    core.run_command(command("alice", '/tandem team add it "IT Help"'))
    lines = ["/ask it vpn access", "/ask it new mouse", "/kudos <@alice> thanks", "/requests mine"]
    with ThreadPoolExecutor(max_workers=4) as pool:
        replies = list(pool.map(lambda line: core.run_command(command("newcomer", line)), lines))
    assert all(r.ok for r in replies), [plain(r.message.title) for r in replies if r.message]
    with Session(core.engine) as session:
        assert len(session.exec(select(Person).where(Person.user_id == "newcomer")).all()) == 1
