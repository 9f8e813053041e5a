"""The Microsoft Teams adapter: Tandem in Teams through botbuilder.

botbuilder-python is archived (the Microsoft 365 Agents SDK succeeds it), so
every import of it lives in this folder and nowhere else: moving to the
successor touches `adapters/teams/` alone. The modules: `activities` reads a
Bot Framework activity into the core's neutral events, `cards` renders
neutral messages and forms as Adaptive Cards, `handler` is the
`ActivityHandler` that ties the two to the core, `directory` keeps the
conversation references Teams shows us, `port` delivers outbox
notifications proactively, `app` mounts it all on the aiohttp server, and
`package` builds the Teams app zip.
"""
