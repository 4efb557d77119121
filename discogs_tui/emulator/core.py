"""The emulator's request/response primitives and its router.

Everything here is transport-neutral: the in-process httpx transport and the real
HTTP server both turn their requests into :class:`EmuRequest`, call
:meth:`Router.dispatch`, and send back the :class:`EmuResponse`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode

if TYPE_CHECKING:
    # Types only: both modules import this one (for BASE), so a run-time import would loop.
    from discogs_tui.emulator.dataset import Dataset
    from discogs_tui.emulator.state import State


@dataclass(frozen=True)
class EmuRequest:
    """One request as the emulator sees it (header names are lower-case)."""

    method: str
    path: str
    query: Mapping[str, Sequence[str]] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    client: str = "127.0.0.1"
    """Who is asking: the rate limiter keeps one window per client."""

    @classmethod
    def build(
        cls,
        method: str,
        path: str,
        *,
        query_string: str = "",
        headers: Mapping[str, str] | Iterable[tuple[str, str]] = (),
        body: bytes = b"",
        client: str = "127.0.0.1",
    ) -> EmuRequest:
        """Make a request from raw parts (a query string, any header mapping)."""
        items = headers.items() if isinstance(headers, Mapping) else headers
        return cls(
            method=method.upper(),
            path=path,
            query=parse_qs(query_string, keep_blank_values=True),
            headers={k.lower(): v for k, v in items},
            body=body,
            client=client,
        )

    def param(self, name: str, default: str | None = None) -> str | None:
        """A query parameter, or else a field of a JSON or form body; ``default`` if absent."""
        values = self.query.get(name)
        if values:
            return values[0]
        data = self.data()
        if name in data and data[name] is not None:
            value = data[name]
            if isinstance(value, bool):
                return "true" if value else "false"
            return str(value)
        return default

    def data(self) -> dict[str, Any]:
        """The body as a dict: JSON, or form-encoded; empty when absent or unreadable."""
        if not self.body:
            return {}
        content_type = self.headers.get("content-type", "")
        if "application/x-www-form-urlencoded" in content_type:
            form = parse_qs(self.body.decode("utf-8", "replace"), keep_blank_values=True)
            return {k: v[0] for k, v in form.items()}
        try:
            value = json.loads(self.body)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    def has_body_field(self, name: str) -> bool:
        """True when ``name`` was sent, in the query or the body."""
        return name in self.query or name in self.data()


@dataclass
class EmuResponse:
    """One response: status, headers, body bytes."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(
        cls, data: Any, status: int = 200, headers: Mapping[str, str] | None = None
    ) -> EmuResponse:
        """A JSON response."""
        out = {"Content-Type": "application/json"}
        out.update(headers or {})
        return cls(status, json.dumps(data, ensure_ascii=False).encode("utf-8"), out)

    @classmethod
    def empty(cls, status: int = 204) -> EmuResponse:
        """A response with no body (204 for most deletes and edits)."""
        return cls(status, b"", {})

    @classmethod
    def text(cls, text: str, status: int = 200, content_type: str = "text/plain") -> EmuResponse:
        """A plain text (or form-encoded, or HTML) response."""
        return cls(status, text.encode("utf-8"), {"Content-Type": f"{content_type}; charset=utf-8"})


class HTTPError(Exception):
    """Raised by a handler to answer with an error body ``{"message": ...}``."""

    def __init__(self, status: int, message: str, *, detail: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.detail = detail

    def response(self) -> EmuResponse:
        """The JSON error response Discogs would send."""
        body: dict[str, Any] = {"message": self.message}
        if self.detail is not None:
            body = {"detail": self.detail, "message": self.message}
        return EmuResponse.json(body, self.status)


# The messages Discogs sends, word for word (https://www.discogs.com/developers/#page:home,header:home-general-information).
MSG_UNAUTHENTICATED = "You must authenticate to access this resource."
MSG_FORBIDDEN = "You don't have permission to access this resource."
MSG_NOT_FOUND = "The request resource was not found."
MSG_TOO_FAST = "You are making requests too quickly."
MSG_PRIVATE = "You are not allowed to view this resource. Please authenticate as the owner to view this content."


Handler = Callable[..., "EmuResponse | dict[str, Any] | list[Any] | None"]
"""A route handler: takes the context and the path parameters, returns a response or data.

Returning a dict or list makes a 200 JSON response; returning ``None`` makes a 204.
(A ``Callable[...]`` rather than a Protocol with ``**params: Any``: handlers name their
own path parameters, ``def release(ctx, release_id: int)``, which such a Protocol rejects.)
"""


@dataclass(frozen=True)
class Route:
    """A method, a compiled path pattern and its handler."""

    method: str
    pattern: re.Pattern[str]
    template: str
    handler: Handler
    converters: Mapping[str, Callable[[str], Any]]


_PARAM = re.compile(r"\{(\w+)(?::(int|str|float|path))?\}")
_CONVERTERS: dict[str, tuple[str, Callable[[str], Any]]] = {
    "int": (r"-?\d+", int),
    "str": (r"[^/]+", str),
    "float": (r"-?\d+(?:\.\d+)?", float),
    "path": (r".+", str),
}


class Router:
    """Maps ``METHOD /path/{param:int}`` templates to handlers.

    A path that matches a template under another method answers 405, as Discogs does.
    """

    def __init__(self) -> None:
        self.routes: list[Route] = []

    def route(self, method: str, template: str) -> Callable[[Handler], Handler]:
        """Decorator registering ``handler`` for ``method`` and ``template``."""

        def register(handler: Handler) -> Handler:
            self.add(method, template, handler)
            return handler

        return register

    def add(self, method: str, template: str, handler: Handler) -> None:
        """Register ``handler`` for ``method`` and ``template``."""
        converters: dict[str, Callable[[str], Any]] = {}
        regex = ""
        last = 0
        for match in _PARAM.finditer(template):
            regex += re.escape(template[last : match.start()])
            name, kind = match.group(1), match.group(2) or "str"
            pattern, convert = _CONVERTERS[kind]
            regex += f"(?P<{name}>{pattern})"
            converters[name] = convert
            last = match.end()
        regex += re.escape(template[last:])
        self.routes.append(
            Route(method.upper(), re.compile(f"^{regex}/?$"), template, handler, converters)
        )

    def include(self, other: Router) -> None:
        """Add every route of ``other``."""
        self.routes.extend(other.routes)

    def respond(self, ctx: Context) -> EmuResponse | None:
        """Run the handler for ``ctx.request``; ``None`` when no route has its path.

        An :class:`HTTPError` raised by the handler (or a 405 from matching) becomes its
        error response.
        """
        request = ctx.request
        try:
            found = self.match(request.method, request.path)
            if found is None:
                return None
            route, params = found
            return to_response(route.handler(ctx, **params))
        except HTTPError as error:
            return error.response()

    def match(self, method: str, path: str) -> tuple[Route, dict[str, Any]] | None:
        """The route for ``method`` and ``path`` with converted parameters; ``None`` if none.

        Raises :class:`HTTPError` 405 when the path exists under another method only.
        """
        path_exists = False
        for route in self.routes:
            found = route.pattern.match(path)
            if found is None:
                continue
            path_exists = True
            if route.method != method.upper():
                continue
            params = {
                name: route.converters[name](value) for name, value in found.groupdict().items()
            }
            return route, params
        if path_exists:
            raise HTTPError(405, "Method not allowed.")
        return None


_NOT_IN_LINKS = frozenset({"page", "per_page", "token", "key", "secret"})


def to_response(result: EmuResponse | dict[str, Any] | list[Any] | None) -> EmuResponse:
    """A handler's return value as a response: JSON for data, 204 for ``None``."""
    if isinstance(result, EmuResponse):
        return result
    if result is None:
        return EmuResponse.empty(204)
    return EmuResponse.json(result)


def page_links(
    base_url: str,
    path: str,
    query: Mapping[str, Sequence[str]],
    page: int,
    pages: int,
    per_page: int,
) -> tuple[dict[str, str], str]:
    """The ``pagination.urls`` object and the ``Link`` header for one page."""

    def url(number: int) -> str:
        # Credentials sent as query parameters stay out of the links (they end up in logs,
        # caches and screens); the client adds its own credentials when it follows one.
        params = {k: v[0] for k, v in query.items() if k not in _NOT_IN_LINKS}
        params.update({"page": str(number), "per_page": str(per_page)})
        return f"{base_url}{path}?{urlencode(params)}"

    urls: dict[str, str] = {}
    if page > 1:
        urls["first"] = url(1)
        urls["prev"] = url(page - 1)
    if page < pages:
        urls["next"] = url(page + 1)
        urls["last"] = url(pages)
    link = ", ".join(f'<{href}>; rel="{rel}"' for rel, href in urls.items())
    return urls, link


BASE = "@@BASE@@"
"""Placeholder for the emulator's base URL inside stored documents.

Dataset and state documents write ``resource_url`` and ``uri`` as ``BASE + "/releases/1"``;
the emulator replaces the placeholder with its real base URL when it serialises a response,
so a client following those links stays on the emulator.
"""

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 50


@dataclass
class Context:
    """What a handler gets: the request, the emulator's data and who is asking."""

    request: EmuRequest
    dataset: Dataset
    """The read-only database documents and search."""
    state: State
    """What users change: users, collections, wantlists, listings, orders."""
    base_url: str
    identity: str | None = None
    """The username the request is authenticated as (token or OAuth access token)."""
    consumer: bool = False
    """True when the request carries valid consumer key/secret (with or without a user)."""

    @property
    def authenticated(self) -> bool:
        """True for any accepted credentials: a user identity or a consumer key/secret."""
        return self.identity is not None or self.consumer

    def require_auth(self) -> None:
        """401 unless some credentials were accepted (search needs this)."""
        if not self.authenticated:
            raise HTTPError(401, MSG_UNAUTHENTICATED)

    def require_user(self) -> str:
        """The authenticated username; 401 if the request is not signed in as a user."""
        if self.identity is None:
            raise HTTPError(401, MSG_UNAUTHENTICATED)
        return self.identity

    def require_owner(self, username: str) -> str:
        """401 when anonymous, 403 when signed in as somebody other than ``username``."""
        me = self.require_user()
        if me.lower() != username.lower():
            raise HTTPError(403, MSG_FORBIDDEN)
        return me

    def is_owner(self, username: str) -> bool:
        """True when signed in as ``username`` (case-insensitive, as Discogs usernames are)."""
        return self.identity is not None and self.identity.lower() == username.lower()

    def int_param(self, name: str, default: int) -> int:
        """An integer query parameter; 422 when it is not a number."""
        raw = self.request.param(name)
        if raw is None or raw == "":
            return default
        try:
            return int(raw)
        except ValueError:
            raise HTTPError(422, f"Invalid {name}: expected an integer.") from None

    def paginate(
        self, items: Sequence[Any], key: str, *, extra: Mapping[str, Any] | None = None
    ) -> EmuResponse:
        """One page of ``items`` under ``key``, with ``pagination`` and a ``Link`` header.

        ``page`` and ``per_page`` come from the query (default 50, capped at 100, as Discogs).
        A page past the end answers with an empty list, as Discogs does.
        """
        per_page = max(1, min(MAX_PER_PAGE, self.int_param("per_page", DEFAULT_PER_PAGE)))
        page = max(1, self.int_param("page", 1))
        total = len(items)
        pages = max(1, -(-total // per_page))
        chunk = list(items[(page - 1) * per_page : page * per_page])
        urls, link = page_links(
            self.base_url, self.request.path, self.request.query, page, pages, per_page
        )
        body: dict[str, Any] = {
            "pagination": {
                "page": page,
                "pages": pages,
                "per_page": per_page,
                "items": total,
                "urls": urls,
            },
            key: chunk,
        }
        if extra:
            body.update(extra)
        headers = {"Link": link} if link else {}
        return EmuResponse.json(body, 200, headers)
