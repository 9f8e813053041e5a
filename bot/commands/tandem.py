"""`/tandem`: teams, company values, channels, your own settings, and help."""

from __future__ import annotations

import re

from sqlalchemy import func
from sqlmodel import select

from bot.commands import args
from bot.context import Context
from bot.events import Place
from bot.messages import Message, Reply, Section
from bot.ports import Recipient
from bot.problems import Problem
from bot.registry import registry
from bot.services import people, settings, teams
from bot.texts import tandem as say
from storage.models import CompanyValue, Person, Team, TeamMember

TAG = re.compile(r"^#?([a-z][a-z0-9_-]{0,39})$")


@registry.command("tandem", usage="/tandem team …|values …|digest channel #c|kudos channel #c|kudos allowance <n|off>"
                                  "|me timezone <zone>|me locale <locale>|help")
def tandem(ctx: Context, text: str) -> Reply:
    """Set Tandem up: teams, company values, channels and your time zone.

    `/tandem team add it "IT Help"` creates a team (you lead it);
    `/tandem team edit it channel #it-help` sets where its requests land;
    `/tandem values add ownership "Own the outcome"` adds a company value;
    `/tandem digest channel #people` picks HR's digest channel;
    `/tandem digest schedule mon 09:00` sets when it goes out (org time zone);
    `/tandem team edit it holidays DE-BY` and `… closed 2026-12-24..2026-12-31`
    set the days its clock skips; `/tandem me timezone Europe/Paris` and
    `/tandem me locale en-GB` set your zone and how you write dates;
    `/tandem help` lists it all.
    """
    word, rest = args.head(text)
    if word in ("", "help"):
        return Reply(message=help_message())
    if word == "team":
        return _team(ctx, rest)
    if word == "values":
        return _values(ctx, rest)
    if word == "digest":
        sub, value = args.head(rest)
        if sub == "channel" and value.strip():
            place = args.channel(ctx, value)
            settings.put_channel(ctx.session, settings.DIGEST_CHANNEL, _recipient(place))
            return Reply.say(f"The weekly recognition digest will go to #{place.name or place.channel}.")
        if sub == "schedule" and value.strip():
            from bot.services import digest

            weekday, moment = digest.parse_schedule(value)
            settings.put(ctx.session, settings.DIGEST_SCHEDULE, f"{digest.DAYS[weekday]} {moment:%H:%M}")
            return Reply.say(f"The digest will go out every {digest.DAYS[weekday].capitalize()} at {moment:%H:%M} "
                             f"({ctx.default_tz}), covering the week before.")
        raise Problem("Say where or when: `/tandem digest channel #people` or `/tandem digest schedule mon 09:00`.")
    if word == "kudos":
        sub, value = args.head(rest)
        if sub == "channel" and value.strip():
            place = args.channel(ctx, value)
            settings.put_channel(ctx.session, settings.KUDOS_CHANNEL, _recipient(place))
            return Reply.say(f"Kudos will be announced in #{place.name or place.channel}.")
        if sub == "allowance" and value.strip():
            amount = value.strip().lower()
            if amount in {"off", "0", "none"}:
                settings.put(ctx.session, settings.KUDOS_ALLOWANCE, "0")
                return Reply.say("No weekly kudos allowance: thank as often as you like.")
            if not amount.isdigit() or not 0 < int(amount) <= 1000:
                raise Problem("The allowance is a number of kudos a week, like 5, or off.")
            settings.put(ctx.session, settings.KUDOS_ALLOWANCE, str(int(amount)))
            return Reply.say(f"Everyone can now give {int(amount)} kudos a week.")
        raise Problem("`/tandem kudos channel #kudos` or `/tandem kudos allowance 5|off`.")
    if word == "me":
        sub, value = args.head(rest)
        if sub in {"timezone", "tz"} and value.strip():
            ctx.person.timezone = teams.check_timezone(value.strip())
            return Reply.say(f"Your time zone is now {ctx.person.timezone}.")
        if sub == "locale" and value.strip():
            ctx.person.locale = people.check_locale(value.strip())
            return Reply.say(people.locale_reply(ctx.person.locale))
        return Reply.say(f"You are {ctx.person.display_name}, in {ctx.person.timezone}"
                         f"{', writing dates as ' + ctx.person.locale if ctx.person.locale else ''}. "
                         "Change it with `/tandem me timezone Europe/Paris` or `/tandem me locale en-GB`.")
    raise Problem(f"I don't know “{word[:30]}”. `/tandem help` lists what I can do.")


def _recipient(place: Place) -> Recipient:
    return Recipient(kind="channel", platform=place.platform, tenant=place.tenant, address=place.channel)


def help_message() -> Message:
    sections = tuple(
        Section(heading=spec.usage, text=(spec.help,)) for spec in registry.commands.values()
    )
    return Message(title=("Tandem: ask other teams, keep promises, say thanks.",), sections=sections)


def _team(ctx: Context, text: str) -> Reply:
    parts = args.words(args.plain(ctx, text) if "<@" not in text else text)
    if not parts:
        raise Problem(say.TEAM_USAGE)
    sub = parts[0].lower()
    now = ctx.now()
    if sub == "list":
        rows = ctx.session.exec(
            select(Team, func.count(TeamMember.person_id)).join(TeamMember, TeamMember.team_id == Team.id, isouter=True)
            .group_by(Team.id).order_by(Team.handle)).all()
        return Reply(message=say.team_list([(t, int(n)) for t, n in rows]))
    if len(parts) < 2:
        raise Problem(say.TEAM_USAGE)
    handle = parts[1]
    if sub == "add":
        name = " ".join(parts[2:]) or handle.upper()
        team = teams.create(ctx.session, handle=handle, name=name, creator=ctx.person, now=now, tz=ctx.person.timezone)
        return Reply.say(f"Created {team.name} ({team.handle}); you lead it. "
                         f"Set its channel with /tandem team edit {team.handle} channel #{team.handle}-help.")
    team = teams.by_handle(ctx.session, handle)
    if sub == "show":
        lead = ctx.session.get(Person, team.lead_id) if team.lead_id else None
        return Reply(message=say.team_card(team, lead, teams.members(ctx.session, team), now=now))
    if sub == "join":
        if not teams.join(ctx.session, team, ctx.person, now):
            return Reply.say(f"You're already in {team.name}.")
        return Reply.say(f"Welcome to {team.name}! You'll see its queue with /requests team {team.handle}.")
    if sub == "leave":
        if not teams.leave(ctx.session, team, ctx.person):
            return Reply.say(f"You're not in {team.name}; nothing changed.")
        return Reply.say(f"You've left {team.name}.")
    if sub == "edit":
        return _edit(ctx, team, parts[2:])
    raise Problem(say.TEAM_USAGE)


def _edit(ctx: Context, team: Team, parts: list[str]) -> Reply:
    if not teams.may_edit(ctx.session, team, ctx.person):
        lead = ctx.session.get(Person, team.lead_id) if team.lead_id else None
        raise Problem(say.NOT_LEAD.format(team=team.name, lead=f" (ask {lead.display_name})" if lead else ""))
    if len(parts) < 2:
        raise Problem(say.TEAM_USAGE)
    field, value = parts[0].lower(), " ".join(parts[1:])
    cal_hours = teams.calendar(team).day_length.total_seconds() / 3600
    if field == "name":
        team.name = value[:120]
    elif field == "lead":
        who = args.mentioned(ctx, value)
        if not who:
            raise Problem("Mention the new lead: `/tandem team edit it lead @kim`.")
        team.lead_id = who[0].id
        teams.join(ctx.session, team, who[0], ctx.now())
    elif field == "channel":
        place = args.channel(ctx, value)
        team.intake_platform, team.intake_tenant, team.intake_channel = place.platform, place.tenant, place.channel
    elif field in {"timezone", "tz"}:
        team.timezone = teams.check_timezone(value)
    elif field == "hours":
        team.work_start, team.work_end = teams.parse_hours(value)
    elif field == "days":
        team.work_days = teams.parse_days(value)
    elif field in {"first-response", "response"}:
        team.first_response_hours = teams.parse_first_response(value, day_hours=cal_hours)
    elif field == "resolution":
        team.resolution_days = teams.parse_resolution(value, day_hours=cal_hours)
    elif field == "holidays":
        team.holidays = teams.parse_holidays(value)
    elif field == "closed":
        today = ctx.now().astimezone(teams.calendar(team).zone).date()
        team.closed_days = teams.edit_closed(team.closed_days, value, today=today, horizon=ctx.horizon)
    else:
        raise Problem(say.TEAM_USAGE)
    lead = ctx.session.get(Person, team.lead_id) if team.lead_id else None
    return Reply(message=say.team_card(team, lead, teams.members(ctx.session, team), now=ctx.now()))


def _values(ctx: Context, text: str) -> Reply:
    parts = args.words(args.plain(ctx, text))
    sub = parts[0].lower() if parts else "list"
    if sub == "list":
        rows = list(ctx.session.exec(select(CompanyValue).order_by(CompanyValue.tag)).all())
        return Reply(message=say.values_list(rows))
    if sub in {"add", "remove"} and len(parts) >= 2:
        match = TAG.match(parts[1].lower())
        if not match:
            raise Problem("A value is one short word, like ownership or customer-first.")
        tag = match.group(1)
        existing = ctx.session.get(CompanyValue, tag)
        if sub == "add":
            description = " ".join(parts[2:])[:300]
            if existing is not None:
                existing.description = description or existing.description
                return Reply.say(f"Updated #{tag}.")
            ctx.session.add(CompanyValue(tag=tag, description=description))
            return Reply.say(f"Added #{tag}. Use it in kudos: /kudos @name thanks for … #{tag}")
        if existing is None:
            raise Problem(f"There is no value #{tag}.")
        ctx.session.delete(existing)
        return Reply.say(f"Removed #{tag}. Past kudos keep it as a plain tag.")
    raise Problem(say.VALUES_USAGE)
