"""Microsoft kept on this machine, for the two Teams servers of benchmark 7
(bench/serve_teams.py and bench/bare_botbuilder.py): both check incoming
tokens against the benchmark's OpenID metadata and keys, and both get their
own outbound token from the benchmark's mock of Entra ID
(tests/teams/microsoft_mock.py), never from the internet.

botbuilder takes the OpenID metadata address as a setting
(`TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL`). The outbound token comes from
MSAL, which wants an https authority on a Microsoft host, so the authority
stays https://login.microsoftonline.com/<tenant> and MSAL's HTTP client, the
`requests.Session` it would make for itself, sends what is meant for that
host to the mock instead and refuses anything else.
"""

from __future__ import annotations

import os
from typing import Any

import requests

OPENID_URL_VAR = "TANDEM_BENCH_OPENID_URL"
LOGIN_URL_VAR = "TANDEM_BENCH_LOGIN_URL"
ISSUER = "https://api.botframework.com"
ENTRA = "https://login.microsoftonline.com"


class LoginRedirect(requests.Session):
    """A `requests.Session` for MSAL that talks to `login_url` instead of Entra ID."""

    def __init__(self, login_url: str) -> None:
        super().__init__()
        self.login_url = login_url.rstrip("/")

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        target = url.decode() if isinstance(url, bytes) else url
        if not target.startswith(ENTRA + "/"):
            raise RuntimeError(f"the benchmark keeps Microsoft local; refusing {method!r} {target}")
        return super().request(method, self.login_url + target[len(ENTRA):], *args, **kwargs)


def settings_from_env() -> dict[str, str]:
    """botbuilder settings (attribute → value) pointing the token checks at the
    local metadata; MSAL is routed to the local Entra ID from here on."""
    login_url = os.environ[LOGIN_URL_VAR]
    from botframework.connector.auth import microsoft_app_credentials

    make_app = microsoft_app_credentials.ConfidentialClientApplication

    def local_app(*args: Any, **kwargs: Any) -> Any:
        return make_app(*args, http_client=LoginRedirect(login_url), **kwargs)

    microsoft_app_credentials.ConfidentialClientApplication = local_app  # type: ignore[misc]
    return {"TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL": os.environ[OPENID_URL_VAR],
            "TO_BOT_FROM_CHANNEL_TOKEN_ISSUER": ISSUER}
