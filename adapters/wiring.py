"""How a process connects the core to delivery: one `Deliverer` over every
platform's port, handed to the core as its after-commit hook.

`tandem serve` (adapters/server.py) and `tandem chat` (adapters/cli.py) both
wire through here, so notifications go out right after the command that
queued them on every platform, and the scheduler's periodic run uses the
same runner as its backstop.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.core import Tandem
from bot.ports import ChatPort
from scheduler.deliverer import Deliverer


def wire_delivery(core: Tandem, ports: Mapping[str, ChatPort]) -> Deliverer:
    """A deliverer over `ports` (a live mapping: ports added later count), kicked after each commit."""
    deliverer = Deliverer(core.engine, core.clock, ports)
    core.on_commit(deliverer.kick)
    return deliverer
