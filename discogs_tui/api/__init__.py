"""The service layer: the Discogs client, rate governor, disk cache. Never imports textual."""

from __future__ import annotations

from discogs_tui.api.cache import ResponseCache
from discogs_tui.api.client import DEFAULT_BASE_URL, DEFAULT_USER_AGENT, DiscogsClient
from discogs_tui.api.errors import (
    AuthError,
    DiscogsError,
    ForbiddenError,
    InvalidResponseError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    ValidationError,
)
from discogs_tui.api.ratelimit import Priority, RateGovernor, RateState

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_USER_AGENT",
    "AuthError",
    "DiscogsClient",
    "DiscogsError",
    "ForbiddenError",
    "InvalidResponseError",
    "NetworkError",
    "NotFoundError",
    "Priority",
    "RateGovernor",
    "RateLimitedError",
    "RateState",
    "ResponseCache",
    "ServerError",
    "ValidationError",
]
