"""Signing in to Discogs without a user interface: OAuth 1.0a out of band (PIN), or a
personal access token; then an identity check, storing and forgetting the credentials.

The ``discogs-tui login`` command drives these with terminal prompts; the app's welcome
page calls the same functions. Every failure is a :class:`SignInError` whose message
gives the server's own words and what to do next; no message ever holds a secret.

The flow follows https://www.discogs.com/developers/#page:authentication,header:authentication-oauth-flow:
:func:`start_oauth` gets a request token and the authorize URL, the user approves the
application there and is shown a verifier, :func:`finish_oauth` trades the request token
and the verifier for an access token and asks ``/oauth/identity`` who it belongs to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from discogs_tui.api.auth import Credentials
from discogs_tui.api.client import DiscogsClient
from discogs_tui.api.errors import (
    AuthError,
    CredentialsError,
    DiscogsError,
    HTTPStatusError,
    InsecureTransportError,
    NetworkError,
)
from discogs_tui.config import (
    DEVELOPER_SETTINGS,
    remove_server_credentials,
    save_server_credentials,
)

_SERVER_SAID = re.compile(r"^Discogs answered HTTP \d{3}: ")


class SignInError(Exception):
    """Signing in failed; ``message`` says what went wrong and what to do next."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True, repr=False)
class PendingSignIn:
    """Step 1 done: a request token waiting for the user's approval at ``authorize_url``."""

    base_url: str
    consumer_key: str
    consumer_secret: str
    request_token: str
    request_token_secret: str
    authorize_url: str

    def __repr__(self) -> str:
        return f"PendingSignIn(base_url={self.base_url!r})"


@dataclass(frozen=True, repr=False)
class SignedIn:
    """Credentials Discogs accepted, and the user they belong to."""

    base_url: str
    username: str
    credentials: Credentials = field(default_factory=Credentials)

    def __repr__(self) -> str:
        return f"SignedIn(base_url={self.base_url!r}, username={self.username!r})"

    def stored_fields(self) -> dict[str, str | None]:
        """The credential fields as ``config.toml`` stores them."""
        creds = self.credentials
        return {
            "token": creds.token,
            "consumer_key": creds.consumer_key,
            "consumer_secret": creds.consumer_secret,
            "oauth_token": creds.oauth_token,
            "oauth_token_secret": creds.oauth_token_secret,
        }


def _server_words(error: DiscogsError) -> str:
    """The server's own text of ``error`` (``Invalid verifier.``), without our prefix."""
    return _SERVER_SAID.sub("", error.message).strip()


def _explain(error: DiscogsError, *, step: str, base_url: str) -> SignInError:
    """A :class:`SignInError` for ``error`` raised at ``step``, with the next thing to do."""
    if isinstance(error, SignInError):
        return error
    said = _server_words(error)
    lowered = said.lower()
    again = "Run discogs-tui login again."
    if isinstance(error, NetworkError):
        return SignInError(f"Cannot reach {base_url}: {said} Check the address and try again.")
    if isinstance(error, (InsecureTransportError, CredentialsError)):
        return SignInError(said)
    if not isinstance(error, HTTPStatusError):
        return SignInError(f"Signing in failed at the {step}: {said} {again}")
    quoted = f'Discogs said "{said}"'
    if "consumer" in lowered:
        return SignInError(
            f"{quoted}: it does not know this consumer key. Check the consumer key and "
            f"secret of your application at {DEVELOPER_SETTINGS}."
        )
    if "signature" in lowered:
        return SignInError(
            f"{quoted}: the consumer secret (or the request token's secret) does not match. "
            f"Check the consumer secret of your application at {DEVELOPER_SETTINGS}."
        )
    if "verifier" in lowered:
        return SignInError(
            f"{quoted}: the verifier was wrong. Run discogs-tui login again and type "
            "the code the authorize page shows."
        )
    if "not authorized" in lowered:
        return SignInError(
            f"{quoted}: the application was not approved yet. Run discogs-tui login "
            "again, open the authorize URL, approve, then type the code it shows."
        )
    if "expired" in lowered or "request token" in lowered:
        return SignInError(
            f"{quoted}: the request token expired or is unknown (it lasts 15 minutes). {again}"
        )
    if isinstance(error, AuthError) and step == "identity check":
        return SignInError(
            f"{quoted}: Discogs does not accept these credentials. "
            f"Check the token at {DEVELOPER_SETTINGS}, or run discogs-tui login again."
        )
    return SignInError(f"{quoted} at the {step} (HTTP {error.status}). {again}")


def _client(
    base_url: str, credentials: Credentials, transport: httpx.AsyncBaseTransport | None
) -> DiscogsClient:
    creds = credentials
    return DiscogsClient(
        base_url=base_url,
        token=creds.token,
        consumer_key=creds.consumer_key,
        consumer_secret=creds.consumer_secret,
        oauth_token=creds.oauth_token,
        oauth_token_secret=creds.oauth_token_secret,
        transport=transport,
        cache=None,
    )


async def _identify(
    base_url: str, credentials: Credentials, transport: httpx.AsyncBaseTransport | None
) -> SignedIn:
    """Ask ``/oauth/identity`` who ``credentials`` belong to."""
    try:
        async with _client(base_url, credentials, transport) as client:
            identity = await client.get_user_identity()
    except DiscogsError as exc:
        raise _explain(exc, step="identity check", base_url=base_url) from None
    return SignedIn(base_url=base_url, username=identity.username, credentials=credentials)


def _credentials(**values: str | None) -> Credentials:
    try:
        return Credentials(**values)
    except CredentialsError as exc:
        raise SignInError(exc.message) from None


async def start_oauth(
    base_url: str,
    consumer_key: str,
    consumer_secret: str,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
) -> PendingSignIn:
    """Step 1: a request token for the application, and the URL where the user approves it.

    The URL is on www.discogs.com for the real service, ``{base_url}/oauth/authorize``
    for any other API root.
    https://www.discogs.com/developers/#page:authentication,header:authentication-request-token-url
    Raises :class:`SignInError` (unknown consumer key, wrong secret, no connection).
    """
    if not consumer_key.strip() or not consumer_secret.strip():
        raise SignInError(
            "OAuth needs the consumer key and secret of your own Discogs application: "
            f"register one at {DEVELOPER_SETTINGS}."
        )
    creds = _credentials(consumer_key=consumer_key, consumer_secret=consumer_secret)
    try:
        async with _client(base_url, creds, transport) as client:
            tokens = await client.get_request_token()
            url = client.authorize_url(tokens.oauth_token)
    except DiscogsError as exc:
        raise _explain(exc, step="request token", base_url=base_url) from None
    return PendingSignIn(
        base_url=base_url,
        consumer_key=creds.consumer_key or "",
        consumer_secret=creds.consumer_secret or "",
        request_token=tokens.oauth_token,
        request_token_secret=tokens.oauth_token_secret,
        authorize_url=url,
    )


async def finish_oauth(
    pending: PendingSignIn,
    verifier: str,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
) -> SignedIn:
    """Step 3: trade the approved request token and ``verifier`` for an access token, then
    check who it belongs to.

    https://www.discogs.com/developers/#page:authentication,header:authentication-access-token-url
    Raises :class:`SignInError` (a wrong verifier, an expired request token, ...).
    """
    code = verifier.strip()
    if not code:
        raise SignInError(
            "No verifier was typed: the authorize page shows it after you approve. "
            "Run discogs-tui login again."
        )
    creds = _credentials(consumer_key=pending.consumer_key, consumer_secret=pending.consumer_secret)
    try:
        async with _client(pending.base_url, creds, transport) as client:
            access = await client.create_access_token(
                pending.request_token, pending.request_token_secret, code
            )
    except DiscogsError as exc:
        raise _explain(exc, step="access token", base_url=pending.base_url) from None
    signed = _credentials(
        consumer_key=pending.consumer_key,
        consumer_secret=pending.consumer_secret,
        oauth_token=access.oauth_token,
        oauth_token_secret=access.oauth_token_secret,
    )
    return await _identify(pending.base_url, signed, transport)


async def check_token(
    base_url: str, token: str, *, transport: httpx.AsyncBaseTransport | None = None
) -> SignedIn:
    """Check a personal access token (from :data:`DEVELOPER_SETTINGS`) by asking who it
    belongs to. https://www.discogs.com/developers/#page:user-identity,header:user-identity-identity
    Raises :class:`SignInError` (refused token, no connection)."""
    if not token.strip():
        raise SignInError(f"No token was given: copy one from {DEVELOPER_SETTINGS}.")
    return await _identify(base_url, _credentials(token=token), transport)


def store(signed_in: SignedIn, path: Path | None = None) -> Path:
    """Keep ``signed_in``'s credentials in ``config.toml`` (mode 0600) for its API root, so
    the next start there is signed in. Returns the file's path; raises
    :class:`~discogs_tui.config.ConfigError` when the file cannot be read."""
    return save_server_credentials(signed_in.base_url, signed_in.stored_fields(), path)


def forget(base_url: str, path: Path | None = None) -> list[str]:
    """Remove the stored sign-in for ``base_url``; what was removed, in words (empty when
    nothing was). Raises :class:`~discogs_tui.config.ConfigError` like :func:`store`."""
    return remove_server_credentials(base_url, path)
