"""The chat commands. Importing this package registers every command, form
and button of Tandem in `bot.registry.registry`, one module per feature."""

from bot.commands import ask, kudos, me, org, requests, roles, tandem, teams, values  # noqa: F401
from bot.commands import celebration  # noqa: F401,I001  (after `tandem`: registration order is the help's order)
