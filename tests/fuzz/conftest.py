"""Hypothesis profiles for the fuzz suite, and one seeded company to fuzz.

`TANDEM_FUZZ=ci` (what `.ci/run` exports, and the default): a fixed seed and
a small fixed number of examples per command, button and form, so the suite
is deterministic and stays within its budget. `TANDEM_FUZZ=long`: thousands
of random examples each (README, "Fuzzing"). Whatever Hypothesis finds is
kept as a regular test case in `test_found_examples.py`.

The company lives on SQLite for the whole module (it's not a storage test):
two teams, an admin, a member, requests in several states. Commands that
succeed may change it as they go; that is fine, every property is about one
call.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from bot.core import Tandem
from bot.events import Actor
from bot.services.clock import FrozenClock
from storage.db import make_engine, upgrade
from tests.conftest import MONDAY_10_UTC

SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile("ci", derandomize=True, max_examples=6, deadline=None, database=None,
                          suppress_health_check=SLOW, phases=[Phase.explicit, Phase.generate])
settings.register_profile("long", max_examples=2000, deadline=None, suppress_health_check=SLOW)
settings.register_profile("dev", max_examples=50, deadline=None, suppress_health_check=SLOW)
settings.load_profile(os.environ.get("TANDEM_FUZZ", "ci"))

TENANT = "T0FUZZ"
ADA = Actor(platform="slack", tenant=TENANT, user_id="U0ADA", display_name="Ada Admin", timezone="Europe/Berlin")
BOB = Actor(platform="slack", tenant=TENANT, user_id="U0BOB", display_name="Bob Member", timezone="UTC")


def fingerprint(engine: Engine) -> str:
    """Every row of every table, hashed: equal before and after means nothing changed."""
    digest = hashlib.sha256()
    with engine.connect() as connection:
        for table in sorted(SQLModel.metadata.tables):
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def _seed(core: Tandem) -> None:
    from bot.events import Command
    from tests.helpers import PLACE

    place = PLACE.__class__(platform="slack", tenant=TENANT, channel="C0GENERAL", name="general")

    def run(actor: Actor, line: str, *mentions: Actor) -> None:
        name, _, rest = line.lstrip("/").partition(" ")
        reply = core.run_command(Command(actor=actor, place=place, name=name, text=rest, mentions=mentions))
        assert reply.ok, (line, reply.message)

    core.introduce(ADA)
    core.introduce(BOB)
    run(ADA, '/tandem team add it "IT Help"')
    run(ADA, '/tandem team add hr "People"')
    run(ADA, "/tandem values add ownership Owning it end to end")
    run(ADA, "/tandem team add-member it <@U0BOB>", BOB)
    run(BOB, "/ask it new laptop by friday")
    run(BOB, "/ask it vpn access")
    run(ADA, "/requests 2 claim")
    run(ADA, "/requests 2 done all set")
    run(BOB, "/ask hr a private matter private")
    run(ADA, "/kudos <@U0BOB> thanks for the help #ownership", BOB)


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tandem]:
    path: Path = tmp_path_factory.mktemp("fuzz") / "tandem.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    core = Tandem(engine, clock=FrozenClock(MONDAY_10_UTC), default_tz="Europe/Berlin")
    _seed(core)
    yield core
    engine.dispose()
