"""`/tandem help`, what `/tandem` says to words it doesn't know, and the
"who can do what" table that help and the README share."""

from __future__ import annotations

from bot import access
from bot.commands import args
from bot.context import Context
from bot.messages import Message, Reply, Section
from bot.problems import Problem
from bot.registry import registry
from bot.texts import tandem as say

ROLE_WORDS = {access.Role.EVERYONE: "everyone", access.Role.ADMIN: "an admin", access.Role.HR: "HR",
              access.Role.LEAD: "the team's lead", access.Role.MEMBER: "the team's members",
              access.Role.REQUESTER: "the requester"}
HELP_TITLE = "Tandem: ask other teams, keep promises, say thanks."


@registry.command("tandem help", rest="", example="/tandem help")
def help_command(ctx: Context, text: str) -> Reply:
    """Every command, and who may use it."""
    return Reply(message=help_message())


@registry.command("tandem", usage="", rest=r".*", example="/tandem", hidden=True)
def tandem(ctx: Context, text: str) -> Reply:
    """Set Tandem up: teams, company values, channels, roles and your own settings."""
    word, _ = args.head(text)
    if not word:
        return Reply(message=help_message())
    if word == "team":
        raise Problem(say.TEAM_USAGE)
    if word == "values":
        raise Problem(say.VALUES_USAGE)
    raise Problem(say.UNKNOWN.format(word=word[:30]))


def who_may(allow: frozenset[access.Role]) -> str:
    """Roles in words: "admins or the team's lead"."""
    names = [ROLE_WORDS[role] for role in access.NAMING_ORDER if role in allow]
    if access.Role.LEAD in allow and access.Role.MEMBER in allow:
        names = [n for n in names if n not in (ROLE_WORDS[access.Role.LEAD], ROLE_WORDS[access.Role.MEMBER])]
        names.insert(1 if access.Role.REQUESTER in allow else 0, "the team (members and lead)")
    if access.Role.EVERYONE in allow:
        return "everyone"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def help_message() -> Message:
    sections = []
    for name in registry.commands:
        lines = [f"{spec.words} — {spec.summary[0].lower() + spec.summary[1:]}"
                 + ("" if access.Role.EVERYONE in spec.allow else f" ({who_may(spec.allow)})")
                 for spec in registry.specs() if spec.name == name]
        sections.append(Section(heading=f"/{name}", text=("\n".join(lines),)))
    return Message(title=(HELP_TITLE,), sections=tuple(sections),
                   context=(("Who holds which role: /tandem roles.",),))


def permission_table() -> str:
    """The README's "Who can do what" table, from the registrations."""
    rows = ["| command | who can use it |", "| --- | --- |"]
    for spec in registry.specs():
        rows.append(f"| `{spec.words}` | {who_may(spec.allow)} |".replace("|", "\\|").replace("\\| `", "| `", 1)
                    .replace("` \\| ", "` | ").replace(" \\|", " |"))
    actions = sorted(registry.actions.values(), key=lambda a: a.action_id)
    for action in actions:
        rows.append(f"| button `{action.action_id}` | {who_may(action.allow)} |")
    return "\n".join(rows)
