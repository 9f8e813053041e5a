"""The chat commands. Importing this package registers every command, form
and button of Tandem in `bot.registry.registry`."""

from bot.commands import ask, kudos, requests, tandem  # noqa: F401
