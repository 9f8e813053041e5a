"""Queries per command: how many SQL statements the core's transaction sends
for one `/kudos` and one `/ask`, counted with SQLAlchemy's
`before_cursor_execute` event on the real core, on SQLite and PostgreSQL.

The commands are the ones benchmark 1 sends over HTTP (the same text, the
same people, known from the directory the way Slack's users.info makes
them), run through `Tandem.run_command`, so the count is the command's own
transaction: receipt, person, registration, body, outbox, commit. Delivery
is not in it (it is its own transaction, one run for many commands).

    python bench/queries.py [--commands 20] [--no-postgres] [--show]

`--show` prints the statements of one command of each kind (what to batch).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import Results, postgres_reachable, temporary_postgres  # noqa: E402
from sqlalchemy import event  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

QUERIES_TARGET = 8
USERS = 200
TENANT = "T0BENCH"
MEASURED_FROM = 100_000  # measured commands are numbered from here, after the warm-up's


@dataclass
class Counted:
    """Statements seen while counting (the text of each, for `--show`)."""

    statements: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.statements)


@contextmanager
def counting(engine: Engine) -> Iterator[Counted]:
    """Every statement `engine` sends to the database meanwhile (from any thread)."""
    counted = Counted()

    def seen(_conn: Any, _cursor: Any, statement: str, _params: Any, _context: Any, _many: bool) -> None:
        counted.statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        yield counted
    finally:
        event.remove(engine, "before_cursor_execute", seen)


def kind_of(statement: str) -> str:
    """"SELECT person", "INSERT notification", "BEGIN"…: what a statement does to which table."""
    text = " ".join(statement.split())
    verb = text.split(" ", 1)[0].upper()
    table = ""
    pattern = {"SELECT": r"\bFROM\s+\"?(\w+)", "INSERT": r"\bINTO\s+\"?(\w+)", "UPDATE": r"^UPDATE\s+\"?(\w+)",
               "DELETE": r"\bFROM\s+\"?(\w+)"}.get(verb)
    if pattern:
        found = re.search(pattern, text, re.IGNORECASE)
        table = found.group(1) if found else ""
    return f"{verb} {table}".strip()


def _user(n: int) -> str:
    return f"U{n % USERS:05d}"


def bench_commands(count: int, start: int) -> list[Any]:
    """Benchmark 1's commands as the Slack adapter hands them to the core."""
    from bot.events import Actor, Command, Place

    def actor(user_id: str) -> Actor:
        return Actor(platform="slack", tenant=TENANT, user_id=user_id, display_name=f"Person {user_id}",
                     timezone="Europe/Paris", locale="en-US")

    place = Place(platform="slack", tenant=TENANT, channel="C0GENERAL", name="general")
    made = []
    for n in range(start, start + count):
        if n % 2 == 0:
            other = _user(n + 1)
            made.append(Command(actor=actor(_user(n)), place=place, name="kudos",
                                text=f"<@{other}> thanks for the fix, #teamwork ({n})", command_id=f"q{n}",
                                mentions=(actor(other),)))
        else:
            made.append(Command(actor=actor(_user(n)), place=place, name="ask",
                                text=f"it Printer on floor {n % 9} is jammed again ({n})", command_id=f"q{n}"))
    return made


@dataclass
class PerCommand:
    kudos: float
    ask: float
    kudos_kinds: Counter[str]
    ask_kinds: Counter[str]
    kudos_sample: list[str]
    ask_sample: list[str]


@contextmanager
def steady_core(url: str, *, warm: int) -> Iterator[tuple[Any, Engine]]:
    """(the core, its engine) on a fresh, migrated database at `url`, with the IT team of the
    `/ask` commands and `warm` commands run once before (every person seen: a running company's
    steady state, caches warm). Benchmark 9 measures the same commands' CPU on it."""
    from bot.core import Tandem
    from bot.events import Actor, Command, Place
    from storage.db import make_engine, upgrade

    engine = make_engine(url)
    try:
        upgrade(engine)
        core = Tandem(engine)
        admin = Actor(platform="slack", tenant=TENANT, user_id=_user(0), display_name=f"Person {_user(0)}",
                      timezone="Europe/Paris", locale="en-US")
        place = Place(platform="slack", tenant=TENANT, channel="C0GENERAL", name="general")
        reply = core.run_command(Command(actor=admin, place=place, name="tandem", text='team add it "IT Help"',
                                         command_id="setup"))
        assert reply.ok, reply
        # the same people once before (the same numbers modulo USERS)
        for command in bench_commands(warm, MEASURED_FROM - USERS * (warm // USERS + 1)):
            core.run_command(command)
        yield core, engine
    finally:
        engine.dispose()


def per_command(url: str, *, commands: int) -> PerCommand:
    """Average statements per `/kudos` and per `/ask` on a fresh database at `url`
    (every person already seen once: the steady state of a running company)."""
    with steady_core(url, warm=commands) as (core, engine):
        counts: dict[str, list[int]] = {"kudos": [], "ask": []}
        kinds: dict[str, Counter[str]] = {"kudos": Counter(), "ask": Counter()}
        samples: dict[str, list[str]] = {}
        for one in bench_commands(commands, MEASURED_FROM):
            with counting(engine) as counted:
                reply = core.run_command(one)
            assert reply.ok, reply
            counts[one.name].append(len(counted))
            kinds[one.name].update(kind_of(s) for s in counted.statements)
            samples.setdefault(one.name, counted.statements)
        return PerCommand(kudos=sum(counts["kudos"]) / len(counts["kudos"]), ask=sum(counts["ask"]) / len(counts["ask"]),
                          kudos_kinds=kinds["kudos"], ask_kinds=kinds["ask"], kudos_sample=samples["kudos"],
                          ask_sample=samples["ask"])


def measure_all(*, commands: int, postgres: bool) -> dict[str, PerCommand]:
    """`per_command` on a SQLite file and (when `postgres` and reachable) a fresh PostgreSQL database."""
    found: dict[str, PerCommand] = {}
    with tempfile.TemporaryDirectory(prefix="tandem-queries-") as tmp:
        found["SQLite"] = per_command(f"sqlite:///{Path(tmp) / 'q.db'}", commands=commands)
    if postgres and postgres_reachable():
        with temporary_postgres() as url:
            found["PostgreSQL"] = per_command(url, commands=commands)
    return found


def add_rows(results: Results, found: dict[str, PerCommand]) -> None:
    for name, per in found.items():
        for command, value in (("/kudos", per.kudos), ("/ask", per.ask)):
            results.add(f"{name} queries per {command}", f"{value:.1f}", target=f"<= {QUERIES_TARGET}",
                        met=value <= QUERIES_TARGET)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--commands", type=int, default=20, help="commands counted (half /kudos, half /ask)")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--show", action="store_true", help="print one command's statements of each kind")
    args = parser.parse_args(argv)
    found = measure_all(commands=max(2, args.commands), postgres=not args.no_postgres)
    results = Results("Queries per command in the core's transaction")
    add_rows(results, found)
    results.print()
    if args.show:
        for name, per in found.items():
            for command, kinds, sample in (("/kudos", per.kudos_kinds, per.kudos_sample),
                                           ("/ask", per.ask_kinds, per.ask_sample)):
                print(f"\n{name} {command}: " + ", ".join(f"{k} ×{v}" for k, v in kinds.most_common()))
                for statement in sample:
                    print("   ", " ".join(statement.split())[:160])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
