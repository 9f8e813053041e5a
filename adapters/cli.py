"""The `tandem` command line: serve, chat, db, export, seed-demo.

It lives with the adapters because it wires platforms to the core; the work
itself is done by the core and storage.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import logging
import sys
from collections.abc import Sequence

from sqlmodel import Session

from adapters import config as config_module
from adapters.config import Config
from bot.core import Tandem
from storage.db import make_engine, upgrade

DESCRIPTION = """Tandem: cross-team requests, service standards, feedback and kudos, in Slack, Teams or a terminal.

With no platform credentials set, `tandem serve` runs the terminal adapter on SQLite."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tandem", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", help="run Tandem: every platform with credentials, else the terminal")
    serve.add_argument("--as", dest="name", default=None, help="terminal only: who you are (default: $USER)")

    chat = sub.add_parser("chat", help="talk to Tandem in the terminal (reads stdin when it is not a terminal)")
    chat.add_argument("--as", dest="name", required=True, help="your name; @NAME mentions someone")

    db = sub.add_parser("db", help="database schema")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_sub.add_parser("upgrade", help="apply Alembic migrations up to the newest")

    export = sub.add_parser("export", help="export kudos, requests or feedback as CSV or JSON (to stdout)")
    export.add_argument("kind", choices=["kudos", "requests", "feedback"])
    export.add_argument("--format", choices=["csv", "json"], default="json")

    sub.add_parser("seed-demo", help="fill the database with a demo company (6 teams, 40 people, 4 weeks)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    config = config_module.load()
    engine = make_engine(config.database_url)
    upgrade(engine)
    core = Tandem(engine, default_tz=config.timezone)
    if args.command == "db":
        print("Database is up to date.")
        return 0
    if args.command == "chat":
        return _chat(core, args.name)
    if args.command == "serve":
        return _serve(core, config, args.name)
    if args.command == "export":
        return _export(core, args.kind, args.format)
    if args.command == "seed-demo":
        from bot.demo import seed

        created = seed(engine, now=core.clock.now())
        print(f"Demo company ready: {created['people']} people, 6 teams, {created['requests']} requests, "
              f"{created['ratings']} ratings, {created['kudos']} kudos.")
        print("Try: tandem chat --as Ada   then   /requests team it   or   /kudos top month")
        return 0
    return 2


def _chat(core: Tandem, name: str) -> int:
    from adapters.shell.session import run

    asyncio.run(run(core, name, sys.stdin, sys.stdout, interactive=sys.stdin.isatty()))
    return 0


def _serve(core: Tandem, config: Config, name: str | None) -> int:
    from adapters.serve import serve

    return asyncio.run(serve(core, config, terminal_name=name))


def _export(core: Tandem, kind: str, fmt: str) -> int:
    from bot.services.export import rows

    with Session(core.engine) as session:
        data = rows(session, kind)
    if fmt == "json":
        json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    fields = list(data[0].keys()) if data else []
    writer = csv.DictWriter(sys.stdout, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
