"""The emulator's application core: credentials, rate limits, routing, formats, persistence.

:class:`Emulator` turns one :class:`~discogs_tui.emulator.core.EmuRequest` into one
:class:`~discogs_tui.emulator.core.EmuResponse`, the way api.discogs.com would:

* **Credentials** (checked on every request): ``Authorization: Discogs token=…`` or
  ``Discogs key=…, secret=…``, the query parameters ``token=`` or ``key=&secret=``, or an
  OAuth 1.0a ``Authorization: OAuth …`` header signed with PLAINTEXT or HMAC-SHA1.
  Credentials that are sent but wrong answer 401 on every endpoint, public or not.
* **User-Agent**: Discogs answers an empty body when it is missing; the emulator answers
  **403 with an empty body** so that the cause is visible in the status.
* **Rate limit**: a moving window per client address and credential (Discogs counts per
  source IP; keying by credential as well keeps test clients on loopback apart), 60
  requests signed in and 25 anonymous, with the three ``X-Discogs-Ratelimit`` headers on
  every response, errors included.
* **Formats**: ``Accept: application/vnd.discogs.v2.{html|plaintext|discogs}+json``.
* **Persistence**: with ``state_file`` set, every successful write is saved atomically.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from discogs_tui.emulator.core import (
    BASE,
    MSG_NOT_FOUND,
    MSG_TOO_FAST,
    MSG_UNAUTHENTICATED,
    Context,
    EmuRequest,
    EmuResponse,
    HTTPError,
    Router,
    to_response,
)
from discogs_tui.emulator.dataset import Dataset
from discogs_tui.emulator.faults import (
    NO_FAULTS,
    FaultKind,
    FaultPlan,
    Faults,
    malform,
)
from discogs_tui.emulator.limiter import RateDecision, RateLimiter
from discogs_tui.emulator.markup import render_text_fields
from discogs_tui.emulator.routes import collection, database, marketplace, ratings, users
from discogs_tui.emulator.routes.oauth import (
    OAuthError,
    OAuthFlow,
    build_router,
    consumer_secrets,
    oauth_header_params,
    verify_signature,
)
from discogs_tui.emulator.state import State

if TYPE_CHECKING:
    import httpx

    from discogs_tui.emulator.transport import EmulatorSyncTransport, EmulatorTransport

log = logging.getLogger(__name__)

MSG_INTERNAL = "An internal server error occurred."
MSG_INVALID_CONSUMER = "Invalid consumer token. Please register an app before making requests."

_ERROR_MESSAGES = {
    500: MSG_INTERNAL,
    502: "Bad gateway.",
    503: "The service is temporarily unavailable. Please try again later.",
    504: "Gateway timeout.",
}

# Paths whose handlers check OAuth credentials themselves (request tokens are not users).
_TOKEN_ENDPOINTS = frozenset({"/oauth/request_token", "/oauth/access_token"})

_ACCEPT = re.compile(r"application/vnd\.discogs\.v2\.(html|plaintext|discogs)\+json", re.I)
_DISCOGS_AUTH = re.compile(r"(\w+)\s*=\s*\"?([^\",\s]*)\"?")


@dataclass(frozen=True)
class Caller:
    """Who sent a request, as far as its credentials say."""

    identity: str | None = None
    """The username, for a personal token or an OAuth access token."""
    consumer: bool = False
    """True for a valid consumer key/secret (with or without a user)."""
    rate_key: str = "anonymous"
    """The credential part of the rate-limit window's key."""
    error: HTTPError | None = None
    """Set when credentials were sent but not accepted."""

    @property
    def signed_in(self) -> bool:
        """True when the request counts against the authenticated (higher) limit."""
        return self.identity is not None or self.consumer


ANONYMOUS = Caller()


def default_routers() -> list[Router]:
    """The routers of every API area the emulator serves (besides ``/`` and ``/oauth/*``)."""
    return [database.router, users.router, ratings.router, collection.router, marketplace.router]


class Emulator:
    """A Discogs API v2 look-alike answering :class:`EmuRequest` objects synchronously.

    ``handle`` is thread-safe: one lock serialises requests, so the real HTTP server's
    threads and the in-process transports can share an emulator.
    """

    def __init__(
        self,
        *,
        dataset: Dataset | None = None,
        state: State | None = None,
        state_file: Path | None = None,
        base_url: str = "http://localhost",
        rate_limit: int = 60,
        anonymous_rate_limit: int = 25,
        rate_window: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        faults: Faults | None = None,
        scale: int = 0,
        routers: Sequence[Router] | None = None,
    ) -> None:
        self.dataset = dataset if dataset is not None else Dataset.load()
        self.state_file = Path(state_file) if state_file is not None else None
        if state is None:
            if self.state_file is not None and self.state_file.exists():
                state = State.load(self.state_file, self.dataset)
            else:
                state = State.create(self.dataset, scale=scale)
        self.state = state
        self.base_url = base_url.rstrip("/")
        self.rate_limit = rate_limit
        self.anonymous_rate_limit = anonymous_rate_limit
        self.clock = clock
        self.limiter = RateLimiter(window=rate_window, clock=clock)
        self.faults = faults if faults is not None else Faults()
        self.oauth = OAuthFlow(clock=clock, base_urls=lambda: (self.base_url,))
        self.router = Router()
        self.router.include(build_router(self.oauth))
        for router in default_routers() if routers is None else routers:
            self.router.include(router)
        self._lock = threading.RLock()

    # ----- entry points ---------------------------------------------------------------

    def handle(self, request: EmuRequest, plan: FaultPlan = NO_FAULTS) -> EmuResponse:
        """Answer one request; ``plan`` carries the status faults the caller drew."""
        with self._lock:
            return self._handle(request, plan)

    def decide_faults(self, faults: Faults | None = None) -> FaultPlan:
        """The fault plan for the next request, from ``faults`` or the emulator's own."""
        return (faults if faults is not None else self.faults).decide()

    def transport(
        self,
        *,
        faults: Faults | None = None,
        sleep: Callable[[float], Any] | None = None,
        offload: bool = True,
    ) -> EmulatorTransport:
        """An async httpx transport serving this emulator (``faults`` override its own).

        ``offload`` runs each request in a worker thread so slow ones (search) never stall
        the event loop.
        """
        # Imported on use, as httpx is: the HTTP server (discogs-tui emulator) needs neither.
        from discogs_tui.emulator.transport import EmulatorTransport

        if sleep is None:
            return EmulatorTransport(self, faults=faults, offload=offload)
        return EmulatorTransport(self, faults=faults, sleep=sleep, offload=offload)

    def sync_transport(
        self, *, faults: Faults | None = None, sleep: Callable[[float], None] | None = None
    ) -> EmulatorSyncTransport:
        """A synchronous httpx transport serving this emulator."""
        from discogs_tui.emulator.transport import EmulatorSyncTransport

        if sleep is None:
            return EmulatorSyncTransport(self, faults=faults)
        return EmulatorSyncTransport(self, faults=faults, sleep=sleep)

    def client(self, **kwargs: Any) -> httpx.AsyncClient:
        """An ``httpx.AsyncClient`` on the in-process transport with a User-Agent set."""
        import httpx

        headers = {"User-Agent": "discogs-tui-emulator-client/1.0"}
        headers.update(kwargs.pop("headers", {}) or {})
        return httpx.AsyncClient(
            transport=self.transport(), base_url=self.base_url, headers=headers, **kwargs
        )

    # ----- the pipeline ---------------------------------------------------------------

    def _handle(self, request: EmuRequest, plan: FaultPlan) -> EmuResponse:
        caller = self.identify(request)
        limit = self.rate_limit if caller.signed_in else self.anonymous_rate_limit
        window = f"{request.client}|{caller.rate_key}"

        if not request.headers.get("user-agent", "").strip():
            # Discogs drops UA-less requests with an empty answer; not counted.
            return self._finish(EmuResponse(403, b"", {}), self.limiter.peek(window, limit))
        if plan.kind is FaultKind.STORM_429:
            return self._finish(
                EmuResponse.json({"message": MSG_TOO_FAST}, 429),
                RateDecision(False, limit, limit),
            )
        decision = self.limiter.hit(window, limit)
        if not decision.allowed:
            return self._finish(EmuResponse.json({"message": MSG_TOO_FAST}, 429), decision)
        if plan.kind is FaultKind.ERROR:
            message = _ERROR_MESSAGES.get(plan.status, MSG_INTERNAL)
            return self._finish(EmuResponse.json({"message": message}, plan.status), decision)
        if caller.error is not None:
            return self._finish(caller.error.response(), decision)

        response = self._route(request, caller)
        if 200 <= response.status < 300:
            response = self._apply_format(request, response)
            if request.method not in ("GET", "HEAD") and self.state_file is not None:
                try:
                    self.state.save(self.state_file)
                except OSError:
                    # The change stands in memory; the caller must not think it is kept.
                    log.exception("emulator: could not save the state to %s", self.state_file)
                    response = EmuResponse.json({"message": MSG_INTERNAL}, 500)
        response = self._finish(response, decision)
        if plan.kind is FaultKind.MALFORMED and response.body:
            response.body = malform(response.body)
        return response

    def _route(self, request: EmuRequest, caller: Caller) -> EmuResponse:
        """Find the handler, call it, and turn what it returns into a response."""
        try:
            found = self.router.match(request.method, request.path)
            if found is None:
                raise HTTPError(404, MSG_NOT_FOUND)
            route, params = found
            ctx = Context(
                request=request,
                dataset=self.dataset,
                state=self.state,
                base_url=self.base_url,
                identity=caller.identity,
                consumer=caller.consumer,
            )
            result = route.handler(ctx, **params)
        except HTTPError as error:
            return error.response()
        except OAuthError as error:
            return error.response()
        except Exception:
            log.exception("emulator: %s %s failed", request.method, request.path)
            return EmuResponse.json({"message": MSG_INTERNAL}, 500)
        return to_response(result)

    def _finish(self, response: EmuResponse, decision: RateDecision) -> EmuResponse:
        """Put in the base URL, the rate-limit headers and the framing headers."""
        body = response.body
        if BASE.encode() in body:
            body = body.replace(BASE.encode(), _json_safe(self.base_url))
        headers = {
            key: value.replace(BASE, self.base_url) for key, value in response.headers.items()
        }
        headers.update(decision.headers())
        return EmuResponse(response.status, body, headers)

    def _apply_format(self, request: EmuRequest, response: EmuResponse) -> EmuResponse:
        """Render text fields for ``Accept: application/vnd.discogs.v2.{html|plaintext}+json``."""
        found = _ACCEPT.search(request.headers.get("accept", ""))
        fmt = found.group(1).lower() if found else "discogs"
        if fmt == "discogs" or not response.body:
            return response
        if "json" not in _content_type(response.headers):
            return response
        document = json.loads(response.body)
        rendered = render_text_fields(document, fmt, self.dataset.resolve_name)
        body = json.dumps(rendered, ensure_ascii=False).encode("utf-8")
        return EmuResponse(response.status, body, dict(response.headers))

    # ----- credentials ----------------------------------------------------------------

    def identify(self, request: EmuRequest) -> Caller:
        """The caller behind the request's credentials (anonymous when none are sent)."""
        header = request.headers.get("authorization", "").strip()
        scheme = header.split(None, 1)[0].lower() if header else ""
        if scheme == "oauth":
            return self._identify_oauth(request)
        if scheme == "discogs":
            fields = {k.lower(): v for k, v in _DISCOGS_AUTH.findall(header[len("discogs") :])}
            return self._identify_discogs(fields)
        query = {
            name: values[0]
            for name in ("token", "key", "secret")
            if (values := request.query.get(name))
        }
        if query:
            return self._identify_discogs(query)
        return ANONYMOUS

    def _identify_discogs(self, fields: Mapping[str, str]) -> Caller:
        """``token=…`` or ``key=…, secret=…`` from the header or the query."""
        if fields.get("token"):
            username = self.state.tokens.get(fields["token"])
            if username is None:
                return Caller(error=HTTPError(401, MSG_UNAUTHENTICATED))
            return Caller(identity=username, rate_key=f"user:{username.lower()}")
        key, secret = fields.get("key"), fields.get("secret")
        if key or secret:
            if not key or not secret or consumer_secrets(self.state).get(key) != secret:
                return Caller(error=HTTPError(401, MSG_INVALID_CONSUMER))
            return Caller(consumer=True, rate_key=f"consumer:{key}")
        return Caller(error=HTTPError(401, MSG_UNAUTHENTICATED))

    def _identify_oauth(self, request: EmuRequest) -> Caller:
        """An OAuth 1.0a header: an access token makes a user, a bare consumer does not."""
        unauthenticated = Caller(error=HTTPError(401, MSG_UNAUTHENTICATED))
        try:
            params = oauth_header_params(request)
        except OAuthError:
            params = None
        if not params:
            return unauthenticated
        key = params.get("oauth_consumer_key", "")
        consumer_secret = consumer_secrets(self.state).get(key)
        if request.path.rstrip("/") in _TOKEN_ENDPOINTS:
            # The token endpoints verify their own (request-token) signatures.
            if consumer_secret is None:
                return Caller(rate_key="anonymous")
            return Caller(consumer=True, rate_key=f"consumer:{key}")
        if consumer_secret is None:
            return Caller(error=HTTPError(401, MSG_INVALID_CONSUMER))
        token = params.get("oauth_token", "")
        base_urls = self._base_urls()
        if not token:
            if verify_signature(
                request, params, consumer_secret=consumer_secret, base_urls=base_urls
            ):
                return Caller(consumer=True, rate_key=f"consumer:{key}")
            return unauthenticated
        entry = self.state.access_tokens.get(token)
        if entry is None:
            return unauthenticated
        token_secret, username = entry
        if not verify_signature(
            request,
            params,
            consumer_secret=consumer_secret,
            token_secret=token_secret,
            base_urls=base_urls,
        ):
            return unauthenticated
        return Caller(identity=username, consumer=True, rate_key=f"user:{username.lower()}")

    def _base_urls(self) -> Iterable[str]:
        return (self.base_url,)


def _json_safe(text: str) -> bytes:
    """``text`` as it must appear inside a JSON string (quotes and backslashes escaped)."""
    return json.dumps(text, ensure_ascii=False)[1:-1].encode("utf-8")


def _content_type(headers: Mapping[str, str]) -> str:
    for key, value in headers.items():
        if key.lower() == "content-type":
            return value.lower()
    return ""
