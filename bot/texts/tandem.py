"""What Tandem says about teams, values and settings."""

from __future__ import annotations

from bot.messages import Message, MessageField, Section, text
from bot.services import holiday_calendars
from bot.services.dates import describe_span
from bot.services.people import ref
from bot.services.teams import calendar, describe_days, first_response_target, resolution_target
from bot.texts import calendar as calendar_say
from datetime import datetime, timedelta
from storage.models import CompanyValue, Person, Team

TEAM_USAGE = ('`/tandem team add <handle> "<name>"`, `team edit <handle> name|lead|channel|timezone|hours|days|'
              'first-response|resolution <value>`, `team edit <handle> holidays <DE-BY|off>`, '
              '`team edit <handle> closed <2026-12-24..2026-12-31 …|add …|remove …|off>`, `team join <handle>`, '
              '`team leave <handle>`, `team list`, `team show <handle>`.')
VALUES_USAGE = '`/tandem values add <tag> "<what it means>"`, `values remove <tag>`, `values list`.'
NOT_LEAD = "Only {team}'s lead can change it{lead}."


def team_card(team: Team, lead: Person | None, members: list[Person], *, now: datetime | None = None) -> Message:
    names = []
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
        ),
        sections=(Section(heading="Members", text=text(*names) if names else ("nobody yet",)),),
    )


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
