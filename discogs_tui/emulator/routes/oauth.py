"""The service root and the OAuth 1.0a endpoints, with the signature checks they need.

The dance runs as on Discogs: ``GET /oauth/request_token`` (consumer key and secret
signed in an ``Authorization: OAuth`` header) → the user opens
``/oauth/authorize?oauth_token=…`` (on the emulator it approves as ``demo`` at once and
shows ``Verifier: CODE``) → ``POST /oauth/access_token`` with the request token and the
verifier → an access token that never expires. Signatures are checked with oauthlib's
own functions, PLAINTEXT and HMAC-SHA1 both. Nonces and timestamps are not checked.

Errors from the two token endpoints are plain text, as Discogs sends them
(``Invalid consumer.``); everything else answers JSON.
"""

from __future__ import annotations

import html
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode, urlsplit

from oauthlib.oauth1.rfc5849 import signature as oauth_signature
from oauthlib.oauth1.rfc5849 import utils as oauth_utils

from discogs_tui.emulator.core import (
    BASE,
    MSG_UNAUTHENTICATED,
    Context,
    EmuRequest,
    EmuResponse,
    HTTPError,
    Router,
)
from discogs_tui.emulator.state import State

REQUEST_TOKEN_TTL = 15 * 60.0
"""Seconds a request token and its verifier stay valid (Discogs: 15 minutes)."""

DEMO_APPROVER = "demo"
"""The user the emulator's authorize page approves as."""

CONSUMER_NAME = "discogs-tui emulator"
"""``consumer_name`` in ``/oauth/identity``: every consumer is named after the emulator."""

SUPPORTED_METHODS = ("PLAINTEXT", "HMAC-SHA1")


class OAuthError(Exception):
    """A rejected OAuth request; answered in plain text like Discogs' token endpoints."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message

    def response(self) -> EmuResponse:
        """The plain-text answer."""
        return EmuResponse.text(self.message, self.status)


def oauth_header_params(request: EmuRequest) -> dict[str, str] | None:
    """The unescaped ``oauth_*`` parameters of an ``Authorization: OAuth`` header.

    ``None`` when the request has no OAuth header; :class:`OAuthError` (400) when it is malformed.
    """
    header = request.headers.get("authorization", "")
    if header[:6].lower() != "oauth ":
        return None
    try:
        pairs = oauth_utils.parse_authorization_header(header)
    except ValueError:
        raise OAuthError(400, "Malformed authorization header.") from None
    return {
        oauth_utils.unescape(key): oauth_utils.unescape(value)
        for key, value in pairs
        if key.startswith("oauth_")
    }


def _signed_uris(request: EmuRequest, base_urls: Iterable[str]) -> list[str]:
    """The absolute URIs the client may have signed: by its Host header and by our base URLs."""
    uris: list[str] = []
    host = request.headers.get("host")
    for base in base_urls:
        parts = urlsplit(base)
        if host:
            uris.append(f"{parts.scheme or 'http'}://{host}{request.path}")
        uris.append(f"{base.rstrip('/')}{request.path}")
    return list(dict.fromkeys(uris))


def verify_signature(
    request: EmuRequest,
    params: Mapping[str, str],
    *,
    consumer_secret: str,
    token_secret: str = "",
    base_urls: Iterable[str],
) -> bool:
    """True when the request's OAuth signature matches the secrets (PLAINTEXT or HMAC-SHA1)."""
    method = params.get("oauth_signature_method", "")
    given = params.get("oauth_signature", "")
    if method == "PLAINTEXT":
        expected = oauth_signature.sign_plaintext(consumer_secret, token_secret)
        return bool(oauth_signature.safe_string_equals(expected, given))
    if method != "HMAC-SHA1":
        return False
    query = [(key, value) for key, values in request.query.items() for value in values]
    body: list[tuple[str, str]] = []
    if "application/x-www-form-urlencoded" in request.headers.get("content-type", ""):
        body = [(key, str(value)) for key, value in request.data().items()]
    collected = oauth_signature.collect_parameters(
        headers={"Authorization": request.headers["authorization"]},
        exclude_oauth_signature=True,
        with_realm=False,
    )
    normalized = oauth_signature.normalize_parameters([*query, *body, *collected])
    # oauthlib's signer reads the two secrets off a client-like object.
    secrets_holder = SimpleNamespace(
        client_secret=consumer_secret, resource_owner_secret=token_secret
    )
    for uri in _signed_uris(request, base_urls):
        base_string = oauth_signature.signature_base_string(
            request.method, oauth_signature.base_string_uri(uri), normalized
        )
        expected = oauth_signature.sign_hmac_sha1_with_client(base_string, secrets_holder)
        if oauth_signature.safe_string_equals(expected, given):
            return True
    return False


@dataclass
class RequestToken:
    """A request token on its way to becoming an access token."""

    token: str
    secret: str
    consumer_key: str
    issued_at: float
    callback: str = "oob"
    verifier: str | None = None
    username: str | None = None


class OAuthFlow:
    """The pending request tokens of one emulator, on that emulator's clock.

    Request tokens live in memory only (they expire in 15 minutes anyway); the access
    tokens they turn into go into ``state.access_tokens`` and persist with the state.
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        ttl: float = REQUEST_TOKEN_TTL,
        base_urls: Callable[[], Iterable[str]] = lambda: ("http://localhost",),
    ) -> None:
        self.clock = clock
        self.ttl = ttl
        self.base_urls = base_urls
        self.pending: dict[str, RequestToken] = {}
        self._lock = threading.Lock()

    def live_token(self, token: str) -> RequestToken | None:
        """The pending request token, or ``None`` if unknown or expired (expired ones are dropped)."""
        with self._lock:
            found = self.pending.get(token)
            if found is not None and self.clock() - found.issued_at > self.ttl:
                del self.pending[token]
                return None
            return found

    def _consumer(self, ctx: Context) -> tuple[dict[str, str], str, str]:
        """The OAuth params, consumer key and consumer secret of a token-endpoint request."""
        params = oauth_header_params(ctx.request)
        if params is None or not params.get("oauth_consumer_key"):
            raise OAuthError(401, "Parameter not found: oauth_consumer_key")
        for name in ("oauth_signature_method", "oauth_signature"):
            if not params.get(name):
                raise OAuthError(400, f"Parameter not found: {name}")
        if params["oauth_signature_method"] not in SUPPORTED_METHODS:
            raise OAuthError(400, "Unsupported signature method.")
        key = params["oauth_consumer_key"]
        secret = consumer_secrets(ctx.state).get(key)
        if secret is None:
            raise OAuthError(401, "Invalid consumer.")
        return params, key, secret

    def request_token(self, ctx: Context) -> EmuResponse:
        """``GET /oauth/request_token``: a new request token for a known consumer."""
        params, key, secret = self._consumer(ctx)
        if not verify_signature(
            ctx.request, params, consumer_secret=secret, base_urls=self.base_urls()
        ):
            raise OAuthError(401, "Invalid signature.")
        token = RequestToken(
            token=secrets.token_urlsafe(18),
            secret=secrets.token_urlsafe(24),
            consumer_key=key,
            issued_at=self.clock(),
            callback=params.get("oauth_callback", "oob") or "oob",
        )
        with self._lock:
            self.pending[token.token] = token
        body = urlencode(
            {
                "oauth_token": token.token,
                "oauth_token_secret": token.secret,
                "oauth_callback_confirmed": "true",
            }
        )
        return EmuResponse.text(body, 200, "application/x-www-form-urlencoded")

    def authorize(self, ctx: Context) -> EmuResponse:
        """``GET /oauth/authorize?oauth_token=…``: approve as ``demo`` and show the verifier."""
        token_value = ctx.request.param("oauth_token") or ""
        token = self.live_token(token_value)
        if token is None:
            page = _page(
                "Authorization failed",
                "<p>This request token is unknown or has expired. Start again from your application.</p>",
            )
            return EmuResponse.text(page, 400, "text/html")
        with self._lock:
            if token.verifier is None:
                token.verifier = secrets.token_hex(5).upper()
            token.username = DEMO_APPROVER
        code = html.escape(token.verifier)
        parts = [
            f"<p>discogs-tui emulator authorized your application as <b>{DEMO_APPROVER}</b>.</p>",
            f"<p>Verifier: {code}</p>",
        ]
        if token.callback != "oob":
            query = urlencode({"oauth_token": token.token, "oauth_verifier": token.verifier})
            separator = "&" if "?" in token.callback else "?"
            link = html.escape(f"{token.callback}{separator}{query}", quote=True)
            parts.append(f'<p><a href="{link}">Return to your application</a></p>')
        return EmuResponse.text(_page("Application authorized", "\n".join(parts)), 200, "text/html")

    def access_token(self, ctx: Context) -> EmuResponse:
        """``POST /oauth/access_token``: trade an authorized request token for an access token."""
        params, key, secret = self._consumer(ctx)
        token_value = params.get("oauth_token", "")
        verifier = params.get("oauth_verifier") or ctx.request.param("oauth_verifier") or ""
        token = self.live_token(token_value)
        if token is None or token.consumer_key != key:
            raise OAuthError(400, "Invalid or expired request token.")
        if not verify_signature(
            ctx.request,
            params,
            consumer_secret=secret,
            token_secret=token.secret,
            base_urls=self.base_urls(),
        ):
            raise OAuthError(401, "Invalid signature.")
        if token.verifier is None or token.username is None:
            raise OAuthError(400, "Request token not authorized.")
        if not secrets.compare_digest(token.verifier, verifier):
            raise OAuthError(400, "Invalid verifier.")
        access = secrets.token_urlsafe(24)
        access_secret = secrets.token_urlsafe(24)
        ctx.state.access_tokens[access] = (access_secret, token.username)
        with self._lock:
            self.pending.pop(token.token, None)
        body = urlencode({"oauth_token": access, "oauth_token_secret": access_secret})
        return EmuResponse.text(body, 200, "application/x-www-form-urlencoded")


def consumer_secrets(state: State) -> dict[str, str]:
    """The state's consumer key → secret table."""
    return dict(state.consumers)


def _page(title: str, body: str) -> str:
    """A minimal HTML page."""
    return (
        "<!DOCTYPE html>\n<html><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title></head>\n"
        f"<body><h1>{html.escape(title)}</h1>\n{body}\n</body></html>\n"
    )


def build_router(flow: OAuthFlow) -> Router:
    """The routes of ``/`` and ``/oauth/*``, bound to one emulator's :class:`OAuthFlow`."""
    router = Router()

    def service(ctx: Context) -> dict[str, Any]:
        """``GET /``: what the service is and how big its database is."""
        return {
            "hello": "Welcome to the Discogs API (discogs-tui emulator).",
            "api_version": "v2",
            "documentation_url": "https://www.discogs.com/developers/",
            "statistics": ctx.dataset.statistics(),
        }

    def request_token(ctx: Context) -> EmuResponse:
        try:
            return flow.request_token(ctx)
        except OAuthError as error:
            return error.response()

    def authorize(ctx: Context) -> EmuResponse:
        return flow.authorize(ctx)

    def access_token(ctx: Context) -> EmuResponse:
        try:
            return flow.access_token(ctx)
        except OAuthError as error:
            return error.response()

    def identity(ctx: Context) -> dict[str, Any]:
        """``GET /oauth/identity``: who the credentials belong to (a user, not a bare consumer)."""
        if ctx.identity is None:
            raise HTTPError(401, MSG_UNAUTHENTICATED)
        username = ctx.identity
        user = ctx.state.user(username)
        return {
            "id": user.id if user is not None else 0,
            "username": username,
            "resource_url": f"{BASE}/users/{username}",
            "consumer_name": CONSUMER_NAME,
        }

    router.add("GET", "/", service)
    router.add("GET", "/oauth/request_token", request_token)
    router.add("GET", "/oauth/authorize", authorize)
    router.add("POST", "/oauth/access_token", access_token)
    router.add("GET", "/oauth/identity", identity)
    return router
