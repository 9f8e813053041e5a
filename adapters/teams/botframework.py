"""Costs botbuilder pays on every turn and every proactive message, taken
away (found by profiling benchmark 7, bench/teams.py):

- Its credentials factory makes new app credentials for each connector
  client, so each reply got a new MSAL app with an empty token cache: one
  blocking tenant discovery and one token request to Entra ID per message
  sent, on the event loop. `ReusedCredentials` makes each credential once, so
  MSAL's cache answers until the token is near its end (about an hour).
- Every connector client (two a turn: the Bot Connector's and the user token
  service's) builds msrest's `ClientRetryPolicy`, whose list of retried
  statuses is computed by testing 999 numbers for membership in a 500-item
  list: about 5 ms of CPU each time. A frozenset of the same numbers gives
  the same list in a fiftieth of that.
- Every turn got a new user-token client (a client, its configuration and a
  `requests` session) for signing people in, which Tandem never does.
  `ReusedUserTokenClients` keeps one per app id.
"""

from __future__ import annotations

from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
from botframework.connector.auth import (
    AuthenticationConstants,
    ClaimsIdentity,
    ServiceClientCredentialsFactory,
    UserTokenClient,
)
from msrest.authentication import Authentication
from msrest.universal_http.requests import ClientRetryPolicy


class ReusedCredentials(ServiceClientCredentialsFactory):  # type: ignore[misc]
    """botbuilder's credentials factory, each credential made once and kept
    (there are a handful: one per app id, scope and login endpoint)."""

    def __init__(self, inner: ServiceClientCredentialsFactory) -> None:
        self._inner = inner
        self._made: dict[tuple[str, str, str, bool], Authentication] = {}

    async def is_valid_app_id(self, app_id: str) -> bool:
        return bool(await self._inner.is_valid_app_id(app_id))

    async def is_authentication_disabled(self) -> bool:
        return bool(await self._inner.is_authentication_disabled())

    async def create_credentials(self, app_id: str, oauth_scope: str, login_endpoint: str,
                                 validate_authority: bool) -> Authentication:
        key = (app_id, oauth_scope, login_endpoint, validate_authority)
        made = self._made.get(key)
        if made is None:
            made = await self._inner.create_credentials(app_id, oauth_scope, login_endpoint, validate_authority)
            self._made[key] = made
        return made


class ReusedUserTokenClients(ConfigurationBotFrameworkAuthentication):  # type: ignore[misc]
    """botbuilder's authentication, its user-token client made once per app id."""

    KEEP = 100  # app ids (a bot has one; more would be odd)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._user_token_clients: dict[str | None, UserTokenClient] = {}

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        # the app id botbuilder's own create_user_token_client uses
        app_id = claims_identity.get_claim_value(AuthenticationConstants.AUDIENCE_CLAIM)
        if app_id is None:
            app_id = claims_identity.get_claim_value(AuthenticationConstants.APP_ID_CLAIM)
        client = self._user_token_clients.get(app_id)
        if client is None:
            client = await super().create_user_token_client(claims_identity)
            if len(self._user_token_clients) >= self.KEEP:
                self._user_token_clients.clear()
            self._user_token_clients[app_id] = client
        return client


def cheaper_retry_policy() -> None:
    """Let msrest's `ClientRetryPolicy` test status codes against a frozenset (same result, ~50x less CPU)."""
    if not isinstance(ClientRetryPolicy.safe_codes, frozenset):
        ClientRetryPolicy.safe_codes = frozenset(ClientRetryPolicy.safe_codes)
