"""Microsoft's side of Bot Framework authentication, on 127.0.0.1:0: the
channel's OpenID metadata and signing keys (what a bot checks incoming tokens
against) and Entra ID's token endpoint (where a bot gets its own token to
call the Bot Connector).

It answers from a thread, because botbuilder fetches the keys and MSAL its
tokens with blocking `requests` calls. Tests and benchmarks share it:
`signed_token()` makes the token the Bot Framework would send,
`token_requests` counts how often a bot asked Entra ID for a token.

MSAL wants an https authority on a Microsoft host, so a bot keeps
https://login.microsoftonline.com/<tenant> as its authority and
`local_msal_app(login_url)` gives MSAL an HTTP client (`LoginRedirect`, the
`requests.Session` MSAL would make for itself) that sends what is meant for
that host to the mock and refuses anything else.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

ISSUER = "https://api.botframework.com"
KEY_ID = "bf-key"
ACCESS_TOKEN = "entra-mock-access-token"  # what the token endpoint hands out
ENTRA = "https://login.microsoftonline.com"


class LoginRedirect(requests.Session):
    """A `requests.Session` for MSAL that talks to `login_url` instead of Entra ID."""

    def __init__(self, login_url: str) -> None:
        super().__init__()
        self.login_url = login_url.rstrip("/")

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        target = url.decode() if isinstance(url, bytes) else url
        if not target.startswith(ENTRA + "/"):
            raise RuntimeError(f"Microsoft is kept local here; refusing {method!r} {target}")
        return super().request(method, self.login_url + target[len(ENTRA):], *args, **kwargs)


def public_cloud_settings(openid_url: str) -> dict[str, str]:
    """botbuilder settings for the public cloud with the channel's keys at
    `openid_url`. Setting any of them makes botbuilder take its "parameterized"
    path, where the ones left out are None (a token from /common, no scope):
    so all of them, with the values the public cloud uses."""
    return {"TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL": openid_url, "TO_BOT_FROM_CHANNEL_TOKEN_ISSUER": ISSUER,
            "TO_CHANNEL_FROM_BOT_LOGIN_URL": f"{ENTRA}/", "TO_CHANNEL_FROM_BOT_OAUTH_SCOPE": ISSUER,
            "OAUTH_URL": ISSUER, "CALLER_ID": "urn:botframework:azure"}


def local_msal_app(login_url: str) -> Callable[..., Any]:
    """What to put in place of botframework's `ConfidentialClientApplication`
    (in `botframework.connector.auth.microsoft_app_credentials`): the same
    MSAL app, its HTTP going to the mock at `login_url`."""
    from msal import ConfidentialClientApplication

    def make(*args: Any, **kwargs: Any) -> Any:
        return ConfidentialClientApplication(*args, http_client=LoginRedirect(login_url), **kwargs)

    return make


class MicrosoftMock:
    """The OpenID metadata at `openid_url`, the JWKS publishing `signing_key` as
    kid "bf-key" (endorsed for msteams), and Entra ID's tenant discovery and
    token endpoint under `login_url` (`{login_url}/{tenant}/...`)."""

    def __init__(self, signing_key: Any = None) -> None:
        self.signing_key = signing_key or rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.token_requests = 0
        self.key_requests = 0
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self._httpd is not None, "start() first"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    @property
    def openid_url(self) -> str:
        return f"{self.base_url}/openid"

    @property
    def login_url(self) -> str:
        """Where requests meant for https://login.microsoftonline.com go instead."""
        return f"{self.base_url}/login"

    def start(self) -> MicrosoftMock:
        jwk = json.loads(RSAAlgorithm.to_jwk(self.signing_key.public_key()))
        jwk.update({"kid": KEY_ID, "use": "sig", "endorsements": ["msteams"]})
        mock = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as Microsoft's endpoints do
            disable_nagle_algorithm = True  # headers and body leave at once, not 40 ms apart

            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                path = urllib.parse.urlsplit(self.path).path
                if path == "/openid":
                    self._json({"issuer": ISSUER, "jwks_uri": f"{mock.base_url}/keys"})
                elif path == "/keys":
                    with mock._lock:
                        mock.key_requests += 1
                    self._json({"keys": [jwk]})
                elif path.startswith("/login/") and path.endswith("/.well-known/openid-configuration"):
                    tenant = path.split("/")[2]
                    entra = f"https://login.microsoftonline.com/{tenant}"
                    self._json({"token_endpoint": f"{entra}/oauth2/v2.0/token",
                                "authorization_endpoint": f"{entra}/oauth2/v2.0/authorize",
                                "issuer": f"{entra}/v2.0"})
                else:
                    self._json({"error": "not_found"}, status=404)

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                form = urllib.parse.parse_qs(self.rfile.read(length).decode())
                if self.path.startswith("/login/") and self.path.endswith("/oauth2/v2.0/token") \
                        and form.get("grant_type") == ["client_credentials"]:
                    with mock._lock:
                        mock.token_requests += 1
                    self._json({"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599,
                                "access_token": ACCESS_TOKEN})
                else:
                    self._json({"error": "invalid_request"}, status=400)

            def _json(self, body: dict[str, Any], *, status: int = 200) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()

    def signed_token(self, *, audience: str, service_url: str, key: Any = None, kid: str = KEY_ID,
                     lifetime: float = 3600) -> str:
        """A channel token as the Bot Framework signs it (with `key`, a forger's)."""
        now = int(time.time())
        claims = {"iss": ISSUER, "aud": audience, "serviceurl": service_url, "nbf": now - 60,
                  "exp": now + int(lifetime)}
        return jwt.encode(claims, key or self.signing_key, algorithm="RS256", headers={"kid": kid})
