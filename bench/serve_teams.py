"""`tandem serve` for benchmark 7: Teams with its token checks against the
benchmark's local OpenID metadata and its own token from the local Entra ID
(bench/botframework_local.py), SQL statements counted (bench/serve_counted.py).

    TANDEM_BENCH_OPENID_URL=… TANDEM_BENCH_LOGIN_URL=… TEAMS_APP_ID=… python bench/serve_teams.py
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from botframework_local import settings_from_env  # noqa: E402
from serve_counted import main  # noqa: E402 - also puts the repository root on sys.path


def local_microsoft() -> None:
    """Make `adapters.teams.app.mount` build the adapter with the local settings."""
    from adapters.teams import app

    overrides = settings_from_env()
    build = app.build

    def build_locally(core: Any, config: Any, **given: str) -> app.TeamsApp:
        return build(core, config, **{**overrides, **given})

    app.build = build_locally


if __name__ == "__main__":
    local_microsoft()
    raise SystemExit(main())
