"""`/tandem admin|hr|roles|audit|person …`: who holds which role, granting
and revoking them, the audit trail, and switching off people who left."""

from __future__ import annotations

from sqlmodel import select

from bot import access
from bot.commands import args
from bot.context import Context
from bot.messages import Reply
from bot.problems import Problem
from bot.registry import registry
from bot.services import audit, roles
from bot.texts import access as say
from storage.models import Person, Team


def _role_command(role: str, verb: str) -> None:
    def change(ctx: Context, text: str) -> Reply:
        who = args.mentioned(ctx, text)
        if len(who) != 1:
            raise Problem(say.ROLE_USAGE.format(role=role))
        apply = roles.grant if verb == "add" else roles.revoke
        return Reply.say(apply(ctx.session, role, who[0], by=ctx.person, now=ctx.now()))

    name = say.ROLE_NAMES[role]
    change.__doc__ = (f"Make someone {name}." if verb == "add" else f"Take the role of {name} from someone.")
    registry.command(f"tandem {role} {verb}", allow=access.ADMINS, doing="grant or revoke roles", usage="@name",
                     example=f"/tandem {role} {verb} @sam")(change)


for _role in roles.ROLES:
    for _verb in ("add", "remove"):
        _role_command(_role, _verb)


@registry.command("tandem roles", rest="", example="/tandem roles")
def list_roles(ctx: Context, text: str) -> Reply:
    """Who the admins, HR and team leads are."""
    teams = ctx.session.exec(select(Team).order_by(Team.name)).all()
    return Reply(message=say.roles_message(access.admins(ctx.session), access.hr_people(ctx.session),
                                           [(t.name, access.lead_of(ctx.session, t)) for t in teams]))


@registry.command("tandem audit", allow=access.ADMINS, doing="read the audit trail", usage="[n]", rest=r"\d{0,4}",
                  example="/tandem audit 20")
def show_audit(ctx: Context, text: str) -> Reply:
    """The latest changes to settings, roles, teams, values and people."""
    limit = int(text) if text else 20
    return Reply(message=say.audit_message(audit.latest(ctx.session, limit), tz=ctx.person.timezone, now=ctx.now()))


@registry.command("tandem person deactivate", allow=access.ADMINS, doing="switch people off", usage="@name",
                  example="/tandem person deactivate @sam")
def deactivate(ctx: Context, text: str) -> Reply:
    """Switch off someone who left: their open work goes back to their teams; their history stays."""
    person = _one(ctx, text)
    if person.id == ctx.person.id:
        raise Problem(say.CANT_DEACTIVATE_SELF)
    if not roles.set_active(ctx.session, person, active=False, by=ctx.person, now=ctx.now()):
        return Reply.say(say.ALREADY_INACTIVE.format(name=person.display_name))
    return Reply.say(f"{person.display_name} is switched off; their open requests are back in their teams' queues.")


@registry.command("tandem person reactivate", allow=access.ADMINS, doing="switch people back on", usage="@name",
                  example="/tandem person reactivate @sam")
def reactivate(ctx: Context, text: str) -> Reply:
    """Switch someone back on."""
    person = _one(ctx, text)
    if not roles.set_active(ctx.session, person, active=True, by=ctx.person, now=ctx.now()):
        return Reply.say(say.ALREADY_ACTIVE.format(name=person.display_name))
    return Reply.say(f"Welcome back, {person.display_name}: they can use Tandem again.")


def _one(ctx: Context, text: str) -> Person:
    who = args.mentioned(ctx, text)
    if len(who) != 1:
        raise Problem(say.PERSON_USAGE)
    return who[0]


