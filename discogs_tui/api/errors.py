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
    │   ├── ServerError            5xx, after the retries of a read
    │   └── RedirectError          3xx that is not followed (a write, or another host)
    ├── NetworkError               no answer at all: DNS, refused, reset, too slow
    │   └── OutcomeUnknownError    a write sent whose answer never came back
    ├── InvalidResponseError       an answer that is not the JSON we expect
    │   └── WebPageError           an HTML page (a proxy, maintenance, a bot check)
    ├── CredentialsError           a token or key with characters no credential has
    └── InsecureTransportError     credentials would travel over plain http
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from discogs_tui.sanitize import safe

EXCERPT_LENGTH = 120
"""How many characters of a non-JSON body an error message keeps."""


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
    """403 in Discogs' own JSON: the resource belongs to somebody else, or is private.

    A 403 web page (a proxy, a bot check) is a :class:`WebPageError` instead.
    """

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
    """5xx: Discogs (or the emulator) failed; reads were retried before this is raised."""

    title = "Server error"


class RedirectError(HTTPStatusError):
    """3xx not followed: only reads to the same host (http to https included) are followed.

    ``location`` is where the server pointed (``""`` when it did not say).
    """

    title = "Moved elsewhere"

    def __init__(
        self,
        message: str,
        *,
        status: int,
        location: str = "",
        method: str = "GET",
        path: str = "",
    ) -> None:
        super().__init__(message, status=status, method=method, path=path)
        self.location = location


class NetworkError(DiscogsError):
    """No answer came back: the connection failed, was reset, or was too slow."""

    title = "Network problem"


class OutcomeUnknownError(NetworkError):
    """A write went out but its answer never came back: it may or may not have been made.

    Writes are never sent again on their own; read back before trying again.
    """

    title = "Change not confirmed"


class InvalidResponseError(DiscogsError):
    """An answer came back but it is not the JSON shape we expect."""

    title = "Unexpected answer"


class WebPageError(InvalidResponseError):
    """A web page (HTML) came back instead of data, whatever its status.

    Usually a proxy, a captive portal, a maintenance page or a bot check between us and
    Discogs; never a statement about the account's permissions. ``method`` and ``path``
    name the request.
    """

    title = "Web page instead of data"

    def __init__(
        self, message: str, *, status: int | None = None, method: str = "GET", path: str = ""
    ) -> None:
        super().__init__(message, status=status)
        self.method = method
        self.path = path


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


# -- what came back, in a few plain words ------------------------------------------------

_HIDDEN = re.compile(
    # C0 and C1 controls, DEL, bidi embeddings, overrides and isolates, zero-width marks.
    "[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]"
)
_SPACES = re.compile(r"\s+")
_TAG = re.compile(r"<[^>]*>?")
_SKIPPED_BLOCKS = re.compile(r"<(script|style|head)\b.*?(</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title", re.IGNORECASE | re.DOTALL)
_ENTITY = re.compile(r"&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});", re.IGNORECASE)
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'", "nbsp": " "}


def clean_text(text: str, limit: int = EXCERPT_LENGTH) -> str:
    """``text`` fit for a one-line message: no control or bidi characters, runs of
    whitespace as one space, at most ``limit`` characters (an ellipsis marks a cut)."""
    text = unicodedata.normalize("NFC", text)
    text = _HIDDEN.sub(" ", text)
    text = _SPACES.sub(" ", text).strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def is_html(body: bytes, content_type: str = "") -> bool:
    """True when an answer is a web page: a ``text/html`` type or a body opening like one."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type in ("text/html", "application/xhtml+xml"):
        return True
    head = body[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype", b"<html", b"<head", b"<body"))


def _unescape(match: re.Match[str]) -> str:
    name = match.group(1).lower()
    if name.startswith("#"):
        try:
            code = int(name[2:], 16) if name.startswith("#x") else int(name[1:])
            return chr(code)
        except (ValueError, OverflowError):
            return " "
    return _ENTITIES.get(name, match.group(0))


def _decode(body: bytes) -> str:
    return body[:16384].decode("utf-8", "replace")


def html_excerpt(body: bytes, limit: int = EXCERPT_LENGTH) -> str:
    """A web page's ``<title>``, or else the start of its visible text, cleaned."""
    text = _decode(body)
    title = _TITLE.search(text)
    if title is not None:
        found = clean_text(_ENTITY.sub(_unescape, _TAG.sub(" ", title.group(1))), limit)
        if found:
            return found
    visible = _TAG.sub(" ", _SKIPPED_BLOCKS.sub(" ", text))
    return clean_text(_ENTITY.sub(_unescape, visible), limit)


def body_excerpt(body: bytes, content_type: str = "", limit: int = EXCERPT_LENGTH) -> str:
    """The start of a non-JSON answer, cleaned (tags dropped when it is a web page)."""
    if is_html(body, content_type):
        return html_excerpt(body, limit)
    return clean_text(_decode(body), limit)


def web_page_message(status: int, body: bytes, *, write: bool = False) -> str:
    """What to tell the user when a web page came back instead of data."""
    excerpt = html_excerpt(body)
    what = f"HTTP {status}: {excerpt}" if excerpt else f"HTTP {status}"
    message = (
        f"Discogs (or a proxy on the way) answered with a web page instead of data ({what}). "
        "Discogs may be down for maintenance, or a network filter is in the way; "
        "try again later or from another network."
    )
    if write:
        message += " The change may or may not have been made: check before trying again."
    return message
