"""Credentials and how they go on a request: personal token, consumer key/secret, OAuth 1.0a.

OAuth 1.0a signing is done by oauthlib, a maintained implementation of the RFC, rather
than by hand-rolled HMAC code of our own.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from oauthlib.oauth1 import SIGNATURE_HMAC_SHA1, SIGNATURE_PLAINTEXT, SIGNATURE_TYPE_AUTH_HEADER
from oauthlib.oauth1 import Client as OAuth1Client

from discogs_tui.api.errors import CredentialsError, InsecureTransportError

# oauthlib logs every parameter it signs at DEBUG, access tokens included: whoever turns on
# debug logging would write the user's OAuth token to the log. Its warnings still come through.
logging.getLogger("oauthlib").setLevel(logging.WARNING)

_CREDENTIAL_LABELS = {
    "token": "token",
    "consumer_key": "consumer key",
    "consumer_secret": "consumer secret",
    "oauth_token": "OAuth token",
    "oauth_token_secret": "OAuth token secret",
}


@dataclass(frozen=True, repr=False)
class Credentials:
    """Whatever the user signed in with; every field optional (anonymous when all are empty).

    ``repr`` never shows secrets, so a credentials object in a log or traceback leaks nothing.
    """

    token: str | None = None
    """A personal access token (Discogs settings → Developers)."""
    consumer_key: str | None = None
    consumer_secret: str | None = None
    oauth_token: str | None = None
    """An OAuth 1.0a access token (with ``consumer_key``/``consumer_secret``)."""
    oauth_token_secret: str | None = None

    def __post_init__(self) -> None:
        # Surrounding whitespace comes from copy and paste (a trailing newline in an env
        # variable); inside a credential, anything but printable ASCII cannot be right and
        # would fail or split the Authorization header.
        for name, label in _CREDENTIAL_LABELS.items():
            value = getattr(self, name)
            if value is None:
                continue
            value = value.strip()
            if not all("!" <= char <= "~" for char in value):
                raise CredentialsError(
                    f"The {label} contains a space, a line break or a non-ASCII character, "
                    "which Discogs credentials never do. Copy it again from discogs.com → "
                    "Settings → Developers."
                )
            object.__setattr__(self, name, value or None)

    def __repr__(self) -> str:
        return f"Credentials(kind={self.kind!r})"

    @property
    def kind(self) -> str:
        """``oauth``, ``token``, ``consumer`` or ``anonymous``."""
        if self.oauth_token and self.consumer_key and self.consumer_secret:
            return "oauth"
        if self.token:
            return "token"
        if self.consumer_key and self.consumer_secret:
            return "consumer"
        return "anonymous"

    @property
    def is_user(self) -> bool:
        """True when these credentials identify a user (token or OAuth), not only an app."""
        return self.kind in ("oauth", "token")

    @property
    def fingerprint(self) -> str | None:
        """A one-way hash identifying these credentials (for cache namespaces); never the secret."""
        secret = {
            "oauth": self.oauth_token,
            "token": self.token,
            "consumer": self.consumer_key,
        }.get(self.kind)
        if not secret:
            return None
        return hashlib.sha256(f"{self.kind}:{secret}".encode()).hexdigest()[:24]

    def secrets(self) -> list[str]:
        """Every secret value, for scrubbing them out of messages."""
        values = [
            self.token,
            self.consumer_secret,
            self.oauth_token,
            self.oauth_token_secret,
            self.consumer_key,
        ]
        return [value for value in values if value]

    def authorization(self, method: str, url: str, body: bytes | None = None) -> str | None:
        """The ``Authorization`` header value for one request, or ``None`` when anonymous."""
        kind = self.kind
        if kind == "token":
            return f"Discogs token={self.token}"
        if kind == "consumer":
            return f"Discogs key={self.consumer_key}, secret={self.consumer_secret}"
        if kind == "oauth":
            return oauth_header(
                method,
                url,
                consumer_key=self.consumer_key or "",
                consumer_secret=self.consumer_secret or "",
                token=self.oauth_token,
                token_secret=self.oauth_token_secret,
            )
        return None


def oauth_header(
    method: str,
    url: str,
    *,
    consumer_key: str,
    consumer_secret: str,
    token: str | None = None,
    token_secret: str | None = None,
    verifier: str | None = None,
    callback_uri: str | None = None,
    plaintext: bool = False,
) -> str:
    """An OAuth 1.0a ``Authorization`` header signed by oauthlib (HMAC-SHA1 or PLAINTEXT).

    Query parameters in ``url`` are part of the signature; JSON bodies are not (RFC 5849 §3.4.1.3).
    """
    client = OAuth1Client(
        consumer_key,
        client_secret=consumer_secret,
        resource_owner_key=token,
        resource_owner_secret=token_secret,
        verifier=verifier,
        callback_uri=callback_uri,
        signature_method=SIGNATURE_PLAINTEXT if plaintext else SIGNATURE_HMAC_SHA1,
        signature_type=SIGNATURE_TYPE_AUTH_HEADER,
    )
    _, headers, _ = client.sign(url, http_method=method.upper())
    return str(headers["Authorization"])


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1)."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_transport_security(url: str, credentials: Credentials) -> None:
    """Refuse to send credentials over plain http except to a loopback address."""
    if credentials.kind == "anonymous":
        return
    parts = urlsplit(url)
    if parts.scheme == "https":
        return
    if parts.scheme == "http" and is_loopback(parts.hostname or ""):
        return
    raise InsecureTransportError(
        f"Refusing to send Discogs credentials to {parts.scheme}://{parts.hostname}: "
        "use https (plain http is allowed only for 127.0.0.1 and localhost)."
    )


def scrub(text: str, credentials: Credentials) -> str:
    """``text`` with every secret of ``credentials`` replaced by ``****``.

    Values shorter than six characters are left alone: real Discogs secrets are long, and
    masking a one-letter test value would garble every message.
    """
    for secret in credentials.secrets():
        if len(secret) >= 6:
            text = text.replace(secret, "****")
    return text
