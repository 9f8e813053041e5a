"""The request lifecycle as a table: two people claiming at the same moment
get one winner, the card offers what the table offers, and the terminal's
buttons obey the same idempotency rules as Slack's and Teams'."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlmodel import Session, select

from bot.core import Tandem
from bot.messages import plain
from bot.services import lifecycle
from storage.models import Kudos, Request, RequestEvent
from tests.conftest import Chat
from tests.helpers import command, grant, join, ok


def test_two_simultaneous_claims_have_exactly_one_winner_who_the_loser_is_told(core: Tandem) -> None:
    grant(core, "admin", "alice")
    ok(core, "alice", '/tandem team add it "IT Help" <@alice>')
    join(core, "it", "kim")
    join(core, "it", "lee")
    requests = 10
    for n in range(requests):
        ok(core, "bob", f"/ask it thing {n}")
    for n in range(1, requests + 1):
        start = threading.Barrier(2)

        def claim(who: str, number: int = n) -> str:
            start.wait()
            reply = core.run_command(command(who, f"/requests {number} claim"))
            assert reply.message is not None
            return plain(reply.message.title)

        with ThreadPoolExecutor(max_workers=2) as pool:
            said = list(pool.map(claim, ["kim", "lee"]))
        winners = [s for s in said if s == f"#{n} is yours."]
        assert len(winners) == 1, said
        loser = next(s for s in said if s not in winners)
        assert f"#{n} is already claimed by @" in loser, loser
    with Session(core.engine) as session:
        claims = session.exec(select(RequestEvent).where(RequestEvent.kind == "claim")).all()
        assert len(claims) == requests
        assert all(r.assignee_id is not None for r in session.exec(select(Request)).all())


def test_the_card_buttons_and_state_sets_come_from_the_table() -> None:
    offered = {status: [t.verb for t in lifecycle.buttons_for(status)] for status in lifecycle.RequestStatus}
    assert offered == {"open": ["claim", "start", "wait", "done"], "claimed": ["start", "wait", "done"],
                       "in_progress": ["wait", "done"], "waiting": ["start", "done"], "done": ["reopen"],
                       "cancelled": ["reopen"]}
    assert lifecycle.FINAL == {"done", "cancelled"}
    assert lifecycle.ACTIVE | {"waiting"} == lifecycle.OPEN_STATES


async def test_pressing_say_thanks_twice_in_the_terminal_thanks_once(chat: Chat) -> None:
    await chat.as_("alice")
    await chat('/tandem team add it "IT Help"')
    await chat.as_("bob")
    await chat("/ask it new laptop")
    await chat.as_("alice")
    prompt = await chat("/requests 1 done all set")
    number = next(part.split()[0] for part in prompt.split("[")[1:] if "Say thanks" in part)
    await chat.as_("bob")
    first = await chat(f"/press {number}")
    again = await chat(f"/press {number}")
    assert "Sent! @alice will hear about it." in first and first.splitlines()[0] == again.splitlines()[0]
    with Session(chat.core.engine) as session:
        assert len(session.exec(select(Kudos)).all()) == 1
    assert "There is no button 999" in await chat("/press 999")
