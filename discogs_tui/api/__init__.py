"""The service layer: the Discogs client, rate governor, disk cache. Never imports textual."""

from __future__ import annotations

from discogs_tui.api.cache import ResponseCache
from discogs_tui.api.client import (
    DEFAULT_BASE_URL,
    DEFAULT_USER_AGENT,
    DiscogsClient,
    ListingFields,
    OAuthTokens,
)
from discogs_tui.api.errors import (
    AuthError,
    CredentialsError,
    DiscogsError,
    ForbiddenError,
    HTTPStatusError,
    InsecureTransportError,
    InvalidResponseError,
    MethodNotAllowedError,
    NetworkError,
    NotFoundError,
    OutcomeUnknownError,
    RateLimitedError,
    RedirectError,
    ServerError,
    ValidationError,
    WebPageError,
)
from discogs_tui.api.ratelimit import Priority, RateGovernor, RateState

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_USER_AGENT",
    "AuthError",
    "CredentialsError",
    "DiscogsClient",
    "DiscogsError",
    "ForbiddenError",
    "HTTPStatusError",
    "InsecureTransportError",
    "InvalidResponseError",
    "ListingFields",
    "MethodNotAllowedError",
    "NetworkError",
    "NotFoundError",
    "OAuthTokens",
    "OutcomeUnknownError",
    "Priority",
    "RateGovernor",
    "RateLimitedError",
    "RateState",
    "RedirectError",
    "ResponseCache",
    "ServerError",
    "ValidationError",
    "WebPageError",
]
