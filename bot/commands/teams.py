"""`/tandem team …`: teams, their leads and members, and their settings.

A person becomes a member when the lead or an admin adds them, or by a join
request the lead approves; never by joining alone, since members see and
move the team's private requests.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import col, select

from bot import access
from bot.commands import args
from bot.context import Context
from bot.messages import Message, Reply
from bot.problems import Problem
from bot.registry import registry
from bot.services import audit, membership, people, teams
from bot.services.people import ref
from bot.texts import tandem as say
from storage.models import Person, Team, TeamMember

EDIT_FIELDS = "name|lead|channel|timezone|hours|days|first-response|resolution|holidays|closed|causes"


@registry.command("tandem team add", allow=access.ADMINS, doing="create teams", usage='<handle> "<name>" [@lead]',
                  example='/tandem team add finance "Finance" @sam')
def add(ctx: Context, text: str) -> Reply:
    """Create a team, led by you or by the person you mention."""
    leads = args.mentioned(ctx, text)
    if len(leads) > 1:
        raise Problem(say.ONE_LEAD)
    parts = args.words(args.as_written(ctx, people.MENTION.sub("", text)))
    if not parts:
        raise Problem(say.TEAM_USAGE)
    handle, name = parts[0], " ".join(parts[1:])
    lead = leads[0] if leads else ctx.person
    if not lead.active:
        raise Problem(say.INACTIVE.format(name=lead.display_name))
    team = teams.create(ctx.session, handle=handle, name=name, creator=lead, now=ctx.now(), tz=lead.timezone)
    audit.record(ctx.session, actor=ctx.person, action="team.create", subject=team.handle,
                 new=f"{team.name}, led by {lead.display_name}", now=ctx.now())
    if lead.id == ctx.person.id:
        return Reply.say(say.CREATED.format(name=team.name, handle=team.handle))
    return Reply.say(say.CREATED_FOR.format(name=team.name, handle=team.handle), ref(lead, ping=False), ".")


@registry.command("tandem team list", rest="", example="/tandem team list")
def list_teams(ctx: Context, text: str) -> Reply:
    """Every team, with how many people are in it."""
    rows = ctx.session.exec(
        select(Team, func.count(col(TeamMember.person_id))).join(TeamMember, col(TeamMember.team_id) == Team.id,
                                                                 isouter=True)
        .group_by(col(Team.id)).order_by(Team.handle)).all()
    return Reply(message=say.team_list([(t, int(n)) for t, n in rows]))


@registry.command("tandem team show <team>", rest="", example="/tandem team show it")
def show(ctx: Context, text: str) -> Reply:
    """A team's lead, channel, hours, service standard and members."""
    return Reply(message=_card(ctx, ctx.team))


@registry.command("tandem team join <team>", rest="", example="/tandem team join it")
def join(ctx: Context, text: str) -> Reply:
    """Ask to join a team; its lead (or an admin) approves."""
    return Reply.say(membership.ask_to_join(ctx.session, ctx.team, ctx.person, now=ctx.now()))


@registry.command("tandem team leave <team>", rest="", example="/tandem team leave it")
def leave(ctx: Context, text: str) -> Reply:
    """Leave a team (a lead who leaves leaves it to the admins to name a new one)."""
    team = ctx.team
    was_lead = team.lead_id == ctx.person.id
    if not teams.leave(ctx.session, team, ctx.person):
        return Reply.say(say.NOT_IN.format(name=team.name))
    audit.record(ctx.session, actor=ctx.person, action="team.leave", subject=team.handle,
                 old=ctx.person.display_name + (" (lead)" if was_lead else ""), now=ctx.now())
    return Reply.say(say.LEFT.format(name=team.name))


@registry.command("tandem team add-member <team>", allow=access.LEAD_OR_ADMIN, doing="add people to {team}",
                  usage="@name [@name…]", example="/tandem team add-member it @sam")
def add_member(ctx: Context, text: str) -> Reply:
    """Add people to a team (the lead or an admin)."""
    who = args.mentioned(ctx, text)
    if not who:
        raise Problem(say.MENTION_WHO.format(verb="add-member", handle=ctx.team.handle))
    return Reply.say(membership.add(ctx.session, ctx.team, who, by=ctx.person, now=ctx.now()))


@registry.command("tandem team remove-member <team>", allow=access.LEAD_OR_ADMIN, doing="remove people from {team}",
                  usage="@name", example="/tandem team remove-member it @sam")
def remove_member(ctx: Context, text: str) -> Reply:
    """Take people out of a team (the lead or an admin)."""
    who = args.mentioned(ctx, text)
    if not who:
        raise Problem(say.MENTION_WHO.format(verb="remove-member", handle=ctx.team.handle))
    return Reply.say(membership.remove(ctx.session, ctx.team, who, by=ctx.person, now=ctx.now()))


@registry.command("tandem team approve <team>", allow=access.LEAD_OR_ADMIN, doing="approve who joins {team}",
                  usage="@name", example="/tandem team approve it @sam")
def approve(ctx: Context, text: str) -> Reply:
    """Approve a request to join the team."""
    return Reply.say(membership.decide(ctx.session, ctx.team, _one(ctx, text, "approve"), approve=True,
                                       by=ctx.person, now=ctx.now()))


@registry.command("tandem team decline <team>", allow=access.LEAD_OR_ADMIN, doing="decline who joins {team}",
                  usage="@name", example="/tandem team decline it @sam")
def decline(ctx: Context, text: str) -> Reply:
    """Decline a request to join the team."""
    return Reply.say(membership.decide(ctx.session, ctx.team, _one(ctx, text, "decline"), approve=False,
                                       by=ctx.person, now=ctx.now()))


@registry.action("team.approve", allow=access.LEAD_OR_ADMIN, doing="approve who joins {team}", subject="team")
def approve_button(ctx: Context, person_id: str) -> Reply:
    return Reply.say(membership.decide(ctx.session, ctx.team, _by_id(ctx, person_id), approve=True,
                                       by=ctx.person, now=ctx.now()))


@registry.action("team.decline", allow=access.LEAD_OR_ADMIN, doing="decline who joins {team}", subject="team")
def decline_button(ctx: Context, person_id: str) -> Reply:
    return Reply.say(membership.decide(ctx.session, ctx.team, _by_id(ctx, person_id), approve=False,
                                       by=ctx.person, now=ctx.now()))


@registry.command("tandem team edit <team>", allow=access.LEAD_OR_ADMIN, doing="change {team}'s {word}",
                  usage=f"{EDIT_FIELDS} <value>", example="/tandem team edit it hours 08:00-16:00")
def edit(ctx: Context, text: str) -> Reply:
    """Change a team's name, lead, intake channel, time zone, hours, days, service standard,
    holiday calendar (`holidays DE-BY`), closed days (`closed 2026-12-24..2026-12-31`) or the causes
    its requests are closed with (`causes add missing-docs`)."""
    team = ctx.team
    parts = args.words(args.as_written(ctx, text) if "<@" not in text else text)
    if len(parts) < 2:
        raise Problem(say.TEAM_USAGE)
    field, value = parts[0].lower(), " ".join(parts[1:])
    before = teams.describe_setting(team, field)
    if field == "lead":
        who = args.mentioned(ctx, value)
        if not who:
            raise Problem(say.MENTION_LEAD)
        membership.make_lead(ctx.session, team, who[0], by=ctx.person, now=ctx.now())
    elif field == "channel":
        place = args.channel(ctx, value)
        team.intake_platform, team.intake_tenant, team.intake_channel = place.platform, place.tenant, place.channel
    else:
        teams.apply_setting(team, field, value, today=ctx.now().astimezone(teams.calendar(team).zone).date(),
                            horizon=ctx.horizon)
    audit.record(ctx.session, actor=ctx.person, action=f"team.{field}", subject=team.handle, old=before,
                 new=teams.describe_setting(team, field), now=ctx.now())
    return Reply(message=_card(ctx, team))


def _card(ctx: Context, team: Team) -> Message:
    return say.team_card(team, access.lead_of(ctx.session, team), teams.members(ctx.session, team),
                         membership.pending(ctx.session, team), now=ctx.now())


def _one(ctx: Context, text: str, verb: str) -> Person:
    who = args.mentioned(ctx, text)
    if len(who) != 1:
        raise Problem(say.MENTION_WHO.format(verb=verb, handle=ctx.team.handle))
    return who[0]


def _by_id(ctx: Context, person_id: str) -> Person:
    valid = person_id.isascii() and person_id.isdigit() and len(person_id) <= 9
    person = ctx.session.get(Person, int(person_id)) if valid else None
    if person is None:
        raise Problem(say.NO_SUCH_JOIN_REQUEST)
    return person
