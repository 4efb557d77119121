"""OAuth 1.0a: request token, the user's approval, access token.

Follows https://www.discogs.com/developers/#page:authentication,header:authentication-oauth-flow.
Needs a consumer key and secret (:class:`DiscogsError` without); a refused key or verifier
raises :class:`AuthError`; an answer without tokens raises :class:`InvalidResponseError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, quote

from discogs_tui.api.auth import oauth_header
from discogs_tui.api.client._shared import DEFAULT_BASE_URL
from discogs_tui.api.client.core import ClientCore
from discogs_tui.api.errors import DiscogsError, InvalidResponseError

_FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@dataclass(frozen=True)
class OAuthTokens:
    """An OAuth token pair as Discogs hands it out (request token or access token)."""

    oauth_token: str
    oauth_token_secret: str
    callback_confirmed: bool = False

    def __repr__(self) -> str:
        return "OAuthTokens(oauth_token=****, oauth_token_secret=****)"


class OAuthAPI(ClientCore):
    """The three steps of signing in with OAuth; the tokens are the caller's to keep."""

    async def get_request_token(self, *, callback_url: str = "oob") -> OAuthTokens:
        """Step 1: a request token for the consumer key and secret (``oob``: no callback).

        https://www.discogs.com/developers/#page:authentication,header:authentication-request-token-url
        """
        return await self._oauth_exchange("GET", "/oauth/request_token", callback_url=callback_url)

    def authorize_url(self, request_token: str) -> str:
        """Step 2: where the user approves a request token and is shown the verifier.

        The emulator serves it under its own base URL.
        https://www.discogs.com/developers/#page:authentication,header:authentication-authorize-url
        """
        root = "https://www.discogs.com" if self.base_url == DEFAULT_BASE_URL else self.base_url
        return f"{root}/oauth/authorize?oauth_token={quote(request_token)}"

    async def create_access_token(
        self, request_token: str, request_token_secret: str, verifier: str
    ) -> OAuthTokens:
        """Step 3: trade the approved request token and its ``verifier`` for an access token.

        https://www.discogs.com/developers/#page:authentication,header:authentication-access-token-url
        """
        return await self._oauth_exchange(
            "POST",
            "/oauth/access_token",
            token=request_token,
            token_secret=request_token_secret,
            verifier=verifier,
        )

    async def _oauth_exchange(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        token_secret: str | None = None,
        verifier: str | None = None,
        callback_url: str | None = None,
    ) -> OAuthTokens:
        creds = self.credentials
        if not (creds.consumer_key and creds.consumer_secret):
            raise DiscogsError("OAuth needs a consumer key and secret.")
        consumer_key, consumer_secret = creds.consumer_key, creds.consumer_secret

        def sign(url: str) -> str:
            return oauth_header(
                method,
                url,
                consumer_key=consumer_key,
                consumer_secret=consumer_secret,
                token=token,
                token_secret=token_secret,
                verifier=verifier,
                callback_uri=callback_url,
            )

        answer = await self._network(method, path, {}, None, None, sign=sign, extra_headers=_FORM)
        fields = parse_qs(answer.body.decode("utf-8", "replace"))
        try:
            return OAuthTokens(
                oauth_token=fields["oauth_token"][0],
                oauth_token_secret=fields["oauth_token_secret"][0],
                callback_confirmed=fields.get("oauth_callback_confirmed", ["false"])[0] == "true",
            )
        except KeyError:
            raise InvalidResponseError(f"Discogs sent no OAuth token from {path}.") from None
