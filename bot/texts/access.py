"""What Tandem says about roles, rights, people who leave and the audit trail."""

from __future__ import annotations

from datetime import datetime

from bot.messages import Message, Section, Span, Text, text
from bot.services.dates import describe
from bot.services.people import ref
from storage.models import AuditEntry, Person

ONLY = "Only "
AN_ADMIN = "an admin"
HR = "HR"
NO_LEAD = ": {team} has no lead right now (an admin can name one)."
ASK_TO_JOIN = " If you're one of them, `/tandem team join {handle}` asks its lead to add you."
FIRST_ADMIN = ("You're Tandem's first admin: you set it up, and you can make others admins or HR "
               "with /tandem admin add @name and /tandem hr add @name.")
DEACTIVATED = "Your Tandem account is switched off. If that's a mistake, ask an admin: {admins}."
NOBODY = "nobody yet"

LAST_ADMIN = ("{name} the last admin, so Tandem would have nobody to run it: "
              "make someone else an admin first (/tandem admin add @name).")
PLATFORM_ADMIN = "{name} is an admin of the workspace itself, so they stay a Tandem admin while they are one."
ROLE_USAGE = "`/tandem {role} add @name` or `/tandem {role} remove @name`."
ALREADY_ROLE = "{name} is already {role}; nothing changed."
NOT_ROLE = "{name} isn't {role}; nothing changed."
GRANTED = " is now {role}."
REVOKED = " is no longer {role}."
ROLE_NAMES = {"admin": "an admin", "hr": "HR"}
PERSON_USAGE = "`/tandem person deactivate @name` or `/tandem person reactivate @name`."
ALREADY_INACTIVE = "{name} is already switched off; nothing changed."
ALREADY_ACTIVE = "{name} is active; nothing changed."
CANT_DEACTIVATE_SELF = "You can't switch yourself off; ask another admin."
INACTIVE_PERSON = "{name} has left (their Tandem account is switched off), so I can't {doing} them."
AUDIT_USAGE = "`/tandem audit` shows the latest 20 changes; `/tandem audit 50` more (up to 200)."


def roles_message(admins: list[Person], hr: list[Person], leads: list[tuple[str, Person | None]]) -> Message:
    """`/tandem roles`: who holds which role."""
    def names(people: list[Person]) -> Text:
        out: list[Span] = []
        for i, person in enumerate(people):
            if i:
                out.append(", ")
            out.append(ref(person, ping=False))
        return tuple(out) or (NOBODY,)

    lead_lines: list[Span] = []
    for i, (team_name, lead) in enumerate(leads):
        if i:
            lead_lines.append("\n")
        lead_lines.extend(text(f"{team_name}: ", ref(lead, ping=False) if lead else "no lead (admins edit it)"))
    return Message(
        title=("Who can do what in Tandem",),
        sections=(
            Section(heading="Admins (organisation settings, roles, any team)", text=names(admins)),
            Section(heading="HR (the digest, its channel and schedule)", text=names(hr)),
            Section(heading="Team leads (their team's settings, members and requests)",
                    text=tuple(lead_lines) or ("no teams yet",)),
        ),
        context=(("Admins grant roles: /tandem admin add @name, /tandem hr add @name.",),),
    )


def audit_message(rows: list[tuple[AuditEntry, Person | None]], *, tz: str, now: datetime) -> Message:
    if not rows:
        return Message(title=("Nothing has been changed yet.",))
    sections = []
    for entry, actor in rows:
        who: Text = (ref(actor, ping=False),) if actor is not None else ("Tandem",)
        change = f"{entry.old or '—'} → {entry.new or '—'}"
        sections.append(Section(text=text(f"{describe(entry.created_at, tz, now=now)} · ", who,
                                          f" · {entry.action} {entry.subject}: ", change[:400])))
    return Message(title=(f"The latest {len(rows)} changes",), sections=tuple(sections))


def left_notice_team(team_name: str, person: Person, request_ids: list[int]) -> Message:
    listed = ", ".join(f"#{i}" for i in request_ids)
    return Message(title=text(ref(person, ping=False), f" has left; their open requests for {team_name} "
                              f"are back in the queue: {listed}."))


def lead_left_notice(team_name: str, person: Person, handle: str) -> Message:
    return Message(title=text(f"{team_name} has no lead now: ", ref(person, ping=False), " has left."),
                   context=((f"Name a new one with /tandem team edit {handle} lead @name.",),))
