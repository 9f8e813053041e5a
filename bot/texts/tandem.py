"""What Tandem says about teams, values and settings."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.messages import Button, Message, MessageField, Section, Span, Text, text
from bot.services import holiday_calendars
from bot.services.dates import describe_span
from bot.services.people import ref
from bot.services.teams import calendar, describe_days, first_response_target, resolution_target
from bot.texts import calendar as calendar_say
from storage.models import CompanyValue, Person, Team

TEAM_USAGE = ('`/tandem team add <handle> "<name>" [@lead]`, `team edit <handle> name|lead|channel|timezone|hours|'
              'days|first-response|resolution <value>`, `team edit <handle> holidays <DE-BY|off>`, '
              '`team edit <handle> closed <2026-12-24..2026-12-31 …|add …|remove …|off>`, `team join <handle>`, '
              '`team leave <handle>`, `team add-member <handle> @name`, `team remove-member <handle> @name`, '
              '`team approve|decline <handle> @name`, `team list`, `team show <handle>`.')
VALUES_USAGE = '`/tandem values add <tag> "<what it means>"`, `values remove <tag>`, `values list`.'
UNKNOWN = "I don't know “{word}”. `/tandem help` lists what I can do."
CREATED = "Created {name} ({handle}); you lead it. Set its channel with /tandem team edit {handle} channel #{handle}-help."
CREATED_FOR = "Created {name} ({handle}), led by "
ONE_LEAD = "A team has one lead: mention one person, like `/tandem team add it \"IT Help\" @kim`."
NOT_IN = "You're not in {name}; nothing changed."
LEFT = "You've left {name}."
MENTION_WHO = "Mention who: `/tandem team {verb} {handle} @name`."
MENTION_LEAD = "Mention the new lead: `/tandem team edit it lead @kim`."
NO_SUCH_JOIN_REQUEST = "There is no such request to join; nothing changed."
ALREADY_IN = "You're already in {name}."
WELCOME = "Welcome to {name}! You'll see its queue with /requests team {handle}."
JOIN_PENDING = "You've already asked to join {name}; its lead will answer."
THE_ADMINS = "the admins"
JOIN_ASKED = "I've asked to add you to {name}; you'll hear when it's decided by "
ALREADY_MEMBER = " is already in {name}; nothing changed."
APPROVED = " is now in {name}."
DECLINED = " won't join {name}; I've told them."
INACTIVE = "{name} has left the company, so they can't join a team."
NOTHING_CHANGED_MEMBERS = "Nothing changed in {name}."
NOW_IN = " now in {name}."
NO_LONGER_IN = " no longer in {name}."


def join_request(team: Team, person: Person) -> Message:
    """To the lead: someone asks to join, with the answer as buttons."""
    return Message(
        title=text(ref(person, ping=False), f" asks to join {team.name}."),
        context=((f"Members see and move {team.name}'s requests, private ones too. "
                  f"Or type /tandem team approve {team.handle} @name.",),),
        buttons=(Button(label="Approve", action_id="team.approve", value=f"{team.handle}:{person.id}", style="primary"),
                 Button(label="Decline", action_id="team.decline", value=f"{team.handle}:{person.id}")),
    )


def join_decided(team: Team, by: Person, approved: bool) -> Message:
    if approved:
        return Message(title=text(ref(by, ping=False), f" added you to {team.name}. "
                                  f"Its queue: /requests team {team.handle}."))
    return Message(title=text(ref(by, ping=False), f" didn't add you to {team.name}; ask them if you'd like to know why."))


def team_card(team: Team, lead: Person | None, members: list[Person], waiting: list[Person] = (),  # type: ignore[assignment]
              *, now: datetime | None = None) -> Message:
    names: list[Span] = []
    for i, person in enumerate(members):
        if i:
            names.append(", ")
        names.append(ref(person, ping=False))
    channel = f"#{team.intake_channel}" if team.intake_channel else "none (requests go to the lead)"
    cal = calendar(team)
    today = (now or datetime.now().astimezone()).astimezone(cal.zone).date()
    day_hours = cal.day_length / timedelta(hours=1)
    resolution_days = round(resolution_target(team, cal) / timedelta(hours=1) / day_hours, 2) if day_hours else 0
    return Message(
        title=(f"{team.name} ({team.handle})",),
        fields=(
            MessageField(label="Lead", value=(ref(lead, ping=False),) if lead else ("nobody yet",)),
            MessageField(label="Intake channel", value=(channel,)),
            MessageField(label="Hours", value=(f"{describe_days(team.work_days)} {team.work_start}–{team.work_end} "
                                               f"({team.timezone})",)),
            MessageField(label="Service standard", value=(
                f"first response {describe_span(first_response_target(team, cal))}, "
                f"resolution {resolution_days:g} working days",)),
            MessageField(label="Holidays", value=(calendar_say.holidays_label(
                cal.holidays, holiday_calendars.next_holiday(cal.holidays, today), today=today),)),
            MessageField(label="Closed days", value=(calendar_say.closed_label(cal.closed, today=today),)),
            MessageField(label="Causes", value=(", ".join(t for t in (team.causes or "").split(",") if t)
                                                or "any tag (no list)",)),
        ),
        sections=(Section(heading="Members", text=text(*names) if names else ("nobody yet",)),
                  *((Section(heading="Asking to join", text=_names(waiting)),) if waiting else ())),
    )


def _names(people: list[Person]) -> Text:
    out: list[Span] = []
    for i, person in enumerate(people):
        if i:
            out.append(", ")
        out.append(ref(person, ping=False))
    return tuple(out)


def team_list(rows: list[tuple[Team, int]]) -> Message:
    if not rows:
        return Message(title=('No teams yet. Create one: /tandem team add it "IT Help"',))
    return Message(
        title=(f"Teams ({len(rows)})",),
        sections=tuple(Section(text=(f"{t.handle} — {t.name} · {n} member{'s' if n != 1 else ''}",)) for t, n in rows),
    )


def values_list(values: list[CompanyValue]) -> Message:
    if not values:
        return Message(title=('No company values yet. Add one: /tandem values add ownership "Own the outcome"',))
    return Message(title=("Company values",),
                   sections=tuple(Section(text=(f"#{v.tag} — {v.description}",)) for v in values))
