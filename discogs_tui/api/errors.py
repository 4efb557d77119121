"""The one error hierarchy the service layer raises.

Nothing above :class:`~discogs_tui.api.DiscogsClient` sees an ``httpx`` exception,
a ``KeyError`` or a pydantic ``ValidationError``::

    DiscogsError
    ├── HTTPStatusError            an answer with an error status
    │   ├── AuthError              401: sign in, or the token is wrong
    │   ├── ForbiddenError         403: signed in, but not as the owner
    │   ├── NotFoundError          404
    │   ├── MethodNotAllowedError  405
    │   ├── ValidationError        400 / 422: the server rejected what was sent
    │   ├── RateLimitedError       429: too many requests, even after retries
    │   └── ServerError            5xx
    ├── NetworkError               no answer at all: DNS, refused, reset, timeout
    ├── InvalidResponseError       an answer that is not the JSON we expect
    ├── CredentialsError           a token or key with characters no credential has
    └── InsecureTransportError     credentials would travel over plain http
"""

from __future__ import annotations

from typing import Any

from discogs_tui.sanitize import safe


class DiscogsError(Exception):
    """Base of every error the service layer raises."""

    title = "Discogs error"

    def __init__(self, message: str, *, status: int | None = None) -> None:
        # The server's words reach the screen and logs: no terminal control in them.
        message = safe(message)
        super().__init__(message)
        self.message = message
        self.status = status

    def __str__(self) -> str:
        return self.message


class HTTPStatusError(DiscogsError):
    """Discogs answered with an error status; ``message`` is the server's own text."""

    title = "Request failed"

    def __init__(
        self,
        message: str,
        *,
        status: int,
        detail: Any = None,
        method: str = "GET",
        path: str = "",
    ) -> None:
        super().__init__(message, status=status)
        self.detail = detail
        self.method = method
        self.path = path


class AuthError(HTTPStatusError):
    """401: no credentials, or credentials Discogs does not accept."""

    title = "Sign-in needed"


class ForbiddenError(HTTPStatusError):
    """403: the resource belongs to somebody else, or is private."""

    title = "Not allowed"


class NotFoundError(HTTPStatusError):
    """404: no such release, artist, listing, user, ..."""

    title = "Not found"


class MethodNotAllowedError(HTTPStatusError):
    """405: the path exists but not with this method."""

    title = "Method not allowed"


class ValidationError(HTTPStatusError):
    """400 / 422: the server rejected the values sent; ``detail`` lists why when given."""

    title = "Rejected"

    def detail_messages(self) -> list[str]:
        """The human-readable parts of ``detail`` (Discogs' 2026 validation format)."""
        if isinstance(self.detail, list):
            messages = []
            for item in self.detail:
                if isinstance(item, dict) and "msg" in item:
                    where = ".".join(str(part) for part in item.get("loc", []))
                    messages.append(f"{where}: {item['msg']}" if where else str(item["msg"]))
                else:
                    messages.append(str(item))
            return [safe(message) for message in messages]
        if self.detail is None:
            return []
        return [safe(str(self.detail))]


class RateLimitedError(HTTPStatusError):
    """429 after the governor's retries ran out."""

    title = "Slow down"

    def __init__(
        self,
        message: str,
        *,
        status: int = 429,
        detail: Any = None,
        method: str = "GET",
        path: str = "",
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, status=status, detail=detail, method=method, path=path)
        self.retry_after = retry_after


class ServerError(HTTPStatusError):
    """5xx: Discogs (or the emulator) failed."""

    title = "Server error"


class NetworkError(DiscogsError):
    """No answer came back: the connection failed, was reset, or timed out."""

    title = "Network problem"


class InvalidResponseError(DiscogsError):
    """An answer came back but it is not the JSON shape we expect."""

    title = "Unexpected answer"


class CredentialsError(DiscogsError):
    """Credentials that cannot be right (a space, a line break, a non-ASCII character)."""

    title = "Credentials not usable"


class InsecureTransportError(DiscogsError):
    """Refused to send credentials over plain http to a non-loopback host."""

    title = "Insecure connection"


_BY_STATUS: dict[int, type[HTTPStatusError]] = {
    400: ValidationError,
    401: AuthError,
    403: ForbiddenError,
    404: NotFoundError,
    405: MethodNotAllowedError,
    422: ValidationError,
    429: RateLimitedError,
}


def error_for_status(
    status: int, message: str, *, detail: Any = None, method: str = "GET", path: str = ""
) -> HTTPStatusError:
    """The typed error for an HTTP error status."""
    cls = _BY_STATUS.get(status)
    if cls is None:
        cls = ServerError if status >= 500 else HTTPStatusError
    return cls(message, status=status, detail=detail, method=method, path=path)
