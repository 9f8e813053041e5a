"""The typed keys of the aiohttp app's shared state (aiohttp's `web.AppKey`): the
core, the configuration, and each platform's `ChatPort` by platform name."""

from __future__ import annotations

from aiohttp import web

from adapters.config import Config
from bot.core import Tandem
from bot.ports import ChatPort

CORE = web.AppKey("core", Tandem)
CONFIG = web.AppKey("config", Config)
PORTS = web.AppKey("ports", dict[str, ChatPort])
