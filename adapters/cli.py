"""The `tandem` command line: serve, chat, db, export, seed-demo, digest, teams-package.

It lives with the adapters because it wires platforms to the core; the work
itself is done by the core and storage.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import csv
import json
import sys
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from adapters import config as config_module
from adapters.config import Config

if TYPE_CHECKING:  # the core, SQLModel and Alembic load after the configuration is checked
    from sqlalchemy.engine import Engine

    from bot.core import Tandem
    from bot.messages import Message

DESCRIPTION = """Tandem: cross-team requests, service standards, feedback and kudos, in Slack, Teams or a terminal.

With no platform credentials set, `tandem serve` runs the terminal adapter on SQLite."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tandem", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"tandem {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sub.add_parser("config", help="print the configuration in force (environment and .env), secrets masked")
    sub.add_parser("secret-key", help="print a new key for TANDEM_SECRET_KEY (Fernet)")
    sub.add_parser("rotate-tokens", help="re-encrypt the stored Slack bot tokens under the first TANDEM_SECRET_KEY")

    serve = sub.add_parser("serve", help="run Tandem: every platform with credentials, else the terminal")
    serve.add_argument("--as", dest="name", default=None, help="terminal only: who you are (default: $USER)")

    chat = sub.add_parser("chat", help="talk to Tandem in the terminal (reads stdin when it is not a terminal)")
    chat.add_argument("--as", dest="name", required=True, help="your name; @NAME mentions someone")

    db = sub.add_parser("db", help="database schema")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_upgrade = db_sub.add_parser("upgrade", help="apply Alembic migrations up to the newest (replicas that start "
                                                   "together take turns: the first applies them)")
    db_upgrade.add_argument("--check", action="store_true",
                            help="change nothing; exit 1 if migrations are pending (for deploy pipelines)")

    export = sub.add_parser("export", help="export kudos, requests, feedback or the audit trail as CSV or JSON "
                                           "(to stdout)")
    export.add_argument("kind", choices=["kudos", "requests", "feedback", "audit"])
    export.add_argument("--format", choices=["csv", "json"], default="json")

    sub.add_parser("seed-demo", help="fill the database with a demo company (6 teams, 40 people, 4 weeks)")

    digest = sub.add_parser("digest", help="print the weekly recognition digest (default: last full week)")
    digest.add_argument("--week", default=None, help="ISO week, like 2026-W47 (in TANDEM_TIMEZONE)")
    digest.add_argument("--post", action="store_true", help="also queue it to the HR digest channel (once a week)")
    digest.add_argument("--out", default=None, metavar="DIR",
                        help="also write the pictures (PNG) and the text digest (digest-WEEK.txt) into DIR")

    teams_package = sub.add_parser("teams-package", help="write the Teams app zip (manifest with TEAMS_APP_ID, icons)")
    teams_package.add_argument("--out", default="tandem-teams.zip", help="where to write the zip")
    teams_package.add_argument("--domain", action="append", default=[], help="add a validDomains entry (repeatable)")
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("tandem")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "unknown (not installed)"


def main(argv: Sequence[str] | None = None) -> int:
    from sqlalchemy.exc import OperationalError

    from adapters.logs import restored

    try:
        with restored():  # tests call main() in-process: leave their logging as it was
            status = _main(argv)
            sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's last flush
            return status
    except config_module.ConfigError as error:
        print(f"tandem: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `tandem export … | head`: the reader has all it wanted
        _silence_stdout()
        return 141  # what a shell reports for a command stopped by SIGPIPE
    except OperationalError as error:  # raised by the first connection: the schema upgrade at start
        print(f"tandem: can't reach the database {_shown_url(error)}: {_first_line(error)}", file=sys.stderr)
        return 1


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's final flush finds no closed pipe to complain about."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _shown_url(error: Exception) -> str:
    from storage.db import database_url

    try:
        from sqlalchemy.engine import make_url

        return make_url(_url_in_use or database_url()).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - the URL was checked at start; this is only for the message
        return "(DATABASE_URL)"


def _first_line(error: Exception) -> str:
    """The driver's own reason ("connection refused", "unable to open database file"), without SQL."""
    orig = getattr(error, "orig", None) or error
    lines = [line.strip() for line in str(orig).splitlines() if line.strip()]
    return (lines[0] if lines else type(orig).__name__)[:300]


_url_in_use: str | None = None


def _main(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "secret-key":
        from cryptography.fernet import Fernet

        print(Fernet.generate_key().decode())
        return 0
    config = config_module.load()
    from adapters.logs import configure

    # a server's log is for its operator; a person at the terminal (serve without platform
    # credentials, chat, export…) wants replies, not a log line per command
    serving = args.command == "serve" and (config.slack_enabled or config.teams_enabled)
    configure(config, default_level="INFO" if serving else "WARNING")
    if args.command == "config":
        for name, value in config_module.effective(config):
            print(f"{name}={value}")
        return 0
    if args.command == "teams-package":
        return _teams_package(config, args.out, tuple(args.domain))
    from bot.core import Tandem
    from storage.db import make_engine, pending, upgrade

    global _url_in_use
    _url_in_use = config.database_url
    engine = make_engine(config.database_url)
    if args.command == "db" and args.check:
        todo = pending(engine)
        if todo:
            print(f"{len(todo)} migration(s) pending: {', '.join(todo)}. Run `tandem db upgrade`.")
            return 1
        print("Database is up to date.")
        return 0
    applied = upgrade(engine)
    if args.command == "db":
        print(f"Applied {len(applied)} migration(s): {', '.join(applied)}; the database is up to date." if applied
              else "Database is up to date.")
        return 0
    if args.command == "rotate-tokens":
        return _rotate_tokens(engine, config)
    core = Tandem(engine, default_tz=config.timezone, horizon=timedelta(days=config.horizon_days),
                  default_locale=config.locale)
    if args.command == "chat":
        return _chat(core, args.name)
    if args.command == "serve":
        return _serve(core, config, args.name)
    if args.command == "export":
        return _export(core, args.kind, args.format)
    if args.command == "digest":
        return _digest(core, args.week, post=args.post, out=args.out)
    if args.command == "seed-demo":
        from bot.demo import seed

        created = seed(engine, now=core.clock.now())
        print(f"Demo company ready: {created['people']} people, 6 teams, {created['requests']} requests, "
              f"{created['ratings']} ratings, {created['kudos']} kudos.")
        print("Try: tandem chat --as Ada   then   /requests team it   or   /kudos top month")
        return 0
    return 2


def _rotate_tokens(engine: Engine, config: Config) -> int:
    from storage.slack_installations import rotate_tokens
    from storage.token_crypto import TokenCipher

    if not config.secret_key:
        print("tandem: TANDEM_SECRET_KEY is not set: there is no key to encrypt the tokens with", file=sys.stderr)
        return 2
    changed = rotate_tokens(engine, TokenCipher(config.secret_key))
    print(f"Re-encrypted the tokens of {changed} installation(s) under the first key; "
          "older keys can now be removed from TANDEM_SECRET_KEY.")
    return 0


def _teams_package(config: Config, out: str, domains: tuple[str, ...]) -> int:

    from adapters.teams.package import PackageError, write_zip

    try:
        written = write_zip(Path(out), config.teams_app_id or "", domains=domains)
    except PackageError as error:
        print(f"Can't build the Teams package: {error}", file=sys.stderr)
        return 2
    print(f"Wrote {written}: upload it in Teams (Apps → Manage your apps → Upload an app) "
          "or in the Teams Developer Portal.")
    return 0


def _digest(core: Tandem, week_label: str | None, *, post: bool, out: str | None = None) -> int:
    """Print a week's digest as the terminal renders it; `post` queues it to
    the HR channel (the running scheduler delivers it); `out` writes its
    pictures and its text into a directory."""
    from adapters.shell import render
    from bot.problems import Problem
    from bot.services import digest
    from storage.db import session_scope

    now = core.clock.now()
    try:
        week = (digest.parse_week(week_label, core.default_tz) if week_label
                else digest.last_full_week(now, core.default_tz))
    except Problem as problem:
        print(render.text(problem.message), file=sys.stderr)
        return 2
    with session_scope(core.engine) as session:
        message = digest.build_message(session, week, now=now)
        printed = render.message(message)
        print(printed)
        if out is not None:
            for path in _write_digest(Path(out), message, printed, week.label):
                print(f"wrote {path}", file=sys.stderr)
        if post:
            queued, said = digest.post(session, week, now=now, trigger="cli")
            print(said, file=sys.stderr)
            return 0 if queued else 1
    return 0


def _write_digest(folder: Path, message: Message, printed: str, label: str) -> list[Path]:
    """The digest's pictures as PNG files (their alt text beside them) and its text, into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for image in message.images:
        picture = folder / f"{image.name}.png"
        picture.write_bytes(base64.b64decode(image.png_base64))
        picture.with_suffix(".txt").write_text(f"{image.title}\n\n{image.alt}\n", encoding="utf-8")
        written.append(picture)
    text_file = folder / f"digest-{label}.txt"
    text_file.write_text(printed + "\n", encoding="utf-8")
    return [*written, text_file]


def _chat(core: Tandem, name: str) -> int:
    from adapters.shell.port import ShellPort
    from adapters.shell.session import ShellSession, run
    from adapters.wiring import wire_delivery

    async def chat() -> None:
        port = ShellPort(sys.stdout)
        deliverer = wire_delivery(core, {port.platform: port})
        session = ShellSession(core, name, sys.stdout, port=port, deliverer=deliverer)
        await run(session, sys.stdin, sys.stdout, interactive=sys.stdin.isatty())
        await deliverer.settle()

    asyncio.run(chat())
    return 0


def _serve(core: Tandem, config: Config, name: str | None) -> int:
    from adapters.serve import serve

    return asyncio.run(serve(core, config, terminal_name=name))


def _export(core: Tandem, kind: str, fmt: str) -> int:
    from sqlmodel import Session

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
