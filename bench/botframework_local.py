"""Microsoft kept on this machine, for the two Teams servers of benchmark 7
(bench/serve_teams.py and bench/bare_botbuilder.py): both check incoming
tokens against the benchmark's OpenID metadata and keys, and both get their
own outbound token from the benchmark's mock of Entra ID
(tests/teams/microsoft_mock.py), never from the internet.

botbuilder takes the OpenID metadata address as a setting
(`TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL`). The outbound token comes from
MSAL, which wants an https authority on a Microsoft host, so the authority
stays https://login.microsoftonline.com/<tenant> and MSAL's HTTP client
sends what is meant for that host to the mock instead and refuses anything
else (`local_msal_app`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.teams.microsoft_mock import local_msal_app, public_cloud_settings  # noqa: E402

OPENID_URL_VAR = "TANDEM_BENCH_OPENID_URL"
LOGIN_URL_VAR = "TANDEM_BENCH_LOGIN_URL"


def settings_from_env() -> dict[str, str]:
    """botbuilder settings (attribute → value) pointing the token checks at the
    local metadata; MSAL is routed to the local Entra ID from here on."""
    from botframework.connector.auth import microsoft_app_credentials

    microsoft_app_credentials.ConfidentialClientApplication = local_msal_app(os.environ[LOGIN_URL_VAR])
    return public_cloud_settings(os.environ[OPENID_URL_VAR])
