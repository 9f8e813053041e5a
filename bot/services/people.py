"""People: found or created from what the adapter knows, never guessed.

A person is (platform, tenant, user id). The adapter's directory (Slack's
users.info, the Teams roster) is the truth for names and time zones; a
mention the adapter could not look up is accepted only if Tandem has seen
that person before, so a typo never creates a stranger.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from bot.events import Actor
from bot.messages import PersonRef
from bot.problems import Problem
from bot.services import audit
from bot.services.dates import canonical_locale
from bot.texts import calendar as calendar_say
from storage.models import Person
from storage.schedule import insert_ignore

MENTION = re.compile(r"<@([^<>|\s]+)>")


TIMEZONE_LIMIT = 64  # the longest IANA name is 32 characters; Person.timezone holds 64


def valid_timezone(name: str | None) -> bool:
    """Whether `name` is an IANA time zone. Anything too long to be one is not
    looked up: zoneinfo reads a file named after it (OSError past the OS's limit)."""
    if not name or len(name) > TIMEZONE_LIMIT or "\x00" in name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


# built once: building a statement cost more than running it, on every command (benchmark 1)
_EVERYONE_NAMED = select(Person).where(Person.platform == bindparam("platform"), Person.tenant == bindparam("tenant"),
                                       col(Person.user_id).in_(bindparam("user_ids", expanding=True)))
_ONE_NAMED = select(Person).where(Person.platform == bindparam("platform"), Person.tenant == bindparam("tenant"),
                                  Person.user_id == bindparam("user_id"))
_DIRECTORY = "tandem.people"  # session.info: (platform, tenant, user id) → Person, or None for "not there"


def prefetch(session: Session, *, platform: str, tenant: str, user_ids: list[str]) -> None:
    """Look up everyone a command names (who typed it and whom it mentions) in
    one query, for `find` to answer from during this transaction."""
    wanted = sorted({u for u in user_ids if u})
    if not wanted:
        return
    found = session.exec(_EVERYONE_NAMED, params={"platform": platform, "tenant": tenant,
                                                  "user_ids": wanted}).all()
    directory: dict[tuple[str, str, str], Person | None] = session.info.setdefault(_DIRECTORY, {})
    for user_id in wanted:
        directory[(platform, tenant, user_id)] = None
    for person in found:
        directory[(platform, tenant, person.user_id)] = person


def find(session: Session, *, platform: str, tenant: str, user_id: str, fresh: bool = False) -> Person | None:
    """The person, from this transaction's `prefetch` when it looked them up (unless `fresh`)."""
    directory: dict[tuple[str, str, str], Person | None] = session.info.get(_DIRECTORY, {})
    key = (platform, tenant, user_id)
    if not fresh and key in directory:
        return directory[key]
    person = session.exec(_ONE_NAMED, params={"platform": platform, "tenant": tenant,
                                              "user_id": user_id}).first()
    if key in directory:
        directory[key] = person
    return person


def ensure(session: Session, actor: Actor, *, now: datetime, default_tz: str) -> Person | None:
    """The person for `actor`: updated from the directory when `known`, else
    only looked up. Returns None for an unknown, unlooked-up id."""
    person = find(session, platform=actor.platform, tenant=actor.tenant, user_id=actor.user_id)
    if not actor.known:
        return person
    tz = actor.timezone if valid_timezone(actor.timezone) else None
    locale = canonical_locale(actor.locale)
    if person is None:
        person = Person(
            platform=actor.platform,
            tenant=actor.tenant,
            user_id=actor.user_id,
            display_name=(actor.display_name or actor.user_id)[:200],
            timezone=tz or default_tz,
            locale=locale,
            created_at=now,
            platform_admin=bool(actor.platform_admin),
        )
        # A newcomer's first commands can arrive at once (Slack acks, then works in
        # parallel): whoever inserts second takes the row the first one made. No
        # savepoint: pysqlite commits a savepoint's work on its own, so a refused
        # command would leave people behind (a kudos naming 60 strangers).
        insert_ignore(session, person)
        person = find(session, platform=actor.platform, tenant=actor.tenant, user_id=actor.user_id, fresh=True)
        assert person is not None
    else:
        if actor.display_name and actor.display_name != person.display_name:
            person.display_name = actor.display_name[:200]
        if tz and tz != person.timezone:
            person.timezone = tz
        if actor.platform_admin is not None and actor.platform_admin != person.platform_admin:
            person.platform_admin = actor.platform_admin
            audit.record(session, actor=None, action="role.platform", subject=f"admin: {person.display_name}",
                         old="workspace admin" if not actor.platform_admin else "",
                         new="workspace admin" if actor.platform_admin else "", now=now)
        if locale and locale != person.locale:
            person.locale = locale
    return person


def check_locale(value: str) -> str:
    """A locale typed by its person ("en-GB") as Babel spells it, or a polite Problem."""
    locale = canonical_locale(value)
    if locale is None:
        raise Problem(calendar_say.LOCALE_UNKNOWN.format(value=value[:40]))
    return locale


def locale_reply(locale: str) -> str:
    """"I'll read your dates the en_GB way: 12/05/2026 is Tue 12 May 2026." """
    from babel.dates import format_date

    sample = date(2026, 5, 12)
    return calendar_say.LOCALE_SET.format(locale=locale, example=format_date(sample, format="short", locale=locale),
                                          meaning=sample.strftime("%a %-d %b %Y"))


def resolve_mentions(ctx_session: Session, tokens: list[str], mentions: dict[str, Actor], *, platform: str,
                     tenant: str, now: datetime, default_tz: str) -> list[Person]:
    """People for the `<@id>` tokens of a command, in order, without repeats.

    Raises:
        Problem: a token names someone neither the adapter nor Tandem knows.
    """
    people: list[Person] = []
    for user_id in tokens:
        actor = mentions.get(user_id) or Actor(platform=platform, tenant=tenant, user_id=user_id, known=False)
        person = ensure(ctx_session, actor, now=now, default_tz=default_tz)
        if person is None:
            raise Problem(
                f"I don't know @{actor.display_name or user_id}. Check the name, or ask them to say hello to Tandem first.",
            )
        if person.id not in {p.id for p in people}:
            people.append(person)
    return people


def ref(person: Person, *, ping: bool = True) -> PersonRef:
    """How a message mentions `person` (`ping=False`: the name, no notification)."""
    return PersonRef(
        platform=person.platform, tenant=person.tenant, user_id=person.user_id, name=person.display_name, ping=ping
    )


def strip_mentions(value: str, names: dict[str, str]) -> str:
    """`value` with `<@id>` tokens turned into plain `@name` text."""
    return MENTION.sub(lambda m: "@" + names.get(m.group(1), m.group(1)), value)
