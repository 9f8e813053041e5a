"""The chat commands. Importing this package registers every command, form
and button of Tandem in `bot.registry.registry`, one module per feature."""

from bot.commands import ask, brag, celebration, flow, kudos, me, org, requests, roles, suggestions, tandem, teams, values  # noqa: F401
