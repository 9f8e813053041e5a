"""Tandem's platform-neutral core.

Everything a person can do with Tandem is written here once, against neutral
types (`bot.events`, `bot.messages`), so it works on Slack, Teams and the
terminal on the day it lands. Nothing in this package imports a platform SDK.
"""
