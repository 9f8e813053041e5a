"""Tandem's records: SQLModel tables, the engine, migrations and queries.

Imports nothing from `bot/` or `adapters/`: the core uses storage, never the
reverse.
"""
