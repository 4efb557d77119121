"""The words an error reaches the user in: a title, one plain sentence and a severity.

Never a traceback and never the token: :class:`~discogs_tui.api.errors.DiscogsError` carries
what the server said; everything else is named by its type.
"""

from __future__ import annotations

import logging
from typing import Literal

from discogs_tui.api.errors import (
    AuthError,
    DiscogsError,
    HTTPStatusError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
)
from discogs_tui.sanitize import safe_line

logger = logging.getLogger("discogs_tui.app")

NOT_FOUND_PATHS = {
    "releases": "Release",
    "masters": "Master",
    "artists": "Artist",
    "labels": "Label",
}
"""The first part of an API path, and the thing a 404 there did not find."""

Severity = Literal["warning", "error"]


def error_notice(
    error: BaseException, where: str = "", *, signed_in: bool = False, palette: str = "ctrl+p"
) -> tuple[str, str, Severity]:
    """``(title, message, severity)`` telling the user about ``error``.

    ``where`` names what was being fetched (``"release 123"``). Errors that pass (not
    found, the network, the rate limit) are warnings; the rest are errors. An error that
    is not a :class:`DiscogsError` is logged with its traceback (the log only).
    ``signed_in`` says the request carried credentials (a 401 then means Discogs no longer
    accepts them); ``palette`` is the palette's key in words, for "Sign in".
    """
    if isinstance(error, DiscogsError):
        passing = isinstance(error, (NotFoundError, NetworkError, RateLimitedError))
        message = error_message(error, where, signed_in=signed_in, palette=palette)
        return error.title, message, "warning" if passing else "error"
    logger.error("unexpected error %s", safe_line(where), exc_info=error)
    place = f" while loading {where}" if where else ""
    return "Something went wrong", f"{type(error).__name__}{place}: {error}", "error"


def error_message(
    error: DiscogsError, where: str, *, signed_in: bool = False, palette: str = "ctrl+p"
) -> str:
    """One plain sentence for ``error`` met while loading ``where`` (may be empty); see
    :func:`error_notice` for ``signed_in`` and ``palette``."""
    if isinstance(error, NotFoundError):
        if where:
            return f"{where[:1].upper()}{where[1:]} not found."
        parts = error.path.strip("/").split("/")
        if len(parts) >= 2 and parts[0] in NOT_FOUND_PATHS:
            return f"{NOT_FOUND_PATHS[parts[0]]} {parts[1]} not found."
        return error.message
    if isinstance(error, RateLimitedError):
        return "Discogs asks us to slow down. Requests wait their turn; try again shortly."
    if isinstance(error, AuthError):
        if signed_in:
            what = f" (loading {where})" if where else ""
            return (
                f"Discogs no longer accepts your sign-in{what}: it may have been revoked "
                f"or replaced. Sign in again: {palette} → Sign in."
            )
        what = f"Loading {where}" if where else "This"
        return (
            f"{what} needs a Discogs sign-in. Sign in with {palette} → Sign in, or give a "
            "personal access token (discogs.com → Settings → Developers) with --token, "
            'DISCOGS_TOKEN or token = "..." in config.toml.'
        )
    if where and isinstance(error, (HTTPStatusError, NetworkError)):
        return f"{error.message} (while loading {where})"
    return error.message
