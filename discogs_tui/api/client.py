"""DiscogsClient: one async method per Discogs API operation.

Every request goes the same way (:meth:`DiscogsClient._send`, :meth:`DiscogsClient._read`):
the disk cache is asked first for GETs, identical GETs in flight share one request, the rate
governor hands out a slot (user-facing work before background work), the answer's rate-limit
headers are fed back to the governor, 429s on reads are retried after a back-off, errors
become the typed hierarchy of :mod:`discogs_tui.api.errors`, and the JSON is parsed into
frozen models. Only an answer that parsed is stored, and reads are read-your-writes: a read
that was under way when a write to the same data began neither stores its answer nor shares
it with readers who came after the write.

On the wire (:meth:`DiscogsClient._network`): ``timeout`` bounds the whole request, from
connecting to the last byte of the answer. Reads that meet a 500, 502, 503, 504, a broken
connection or a stall are tried again a few times with jittered back-off while that time
lasts; writes are never sent twice. Redirects are followed for reads to the same host only.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import csv
import io
import json
import logging
import math
import random
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Required, TypedDict, TypeVar
from urllib.parse import quote, urlencode, urlsplit

import httpx
import pydantic
from typing_extensions import Unpack

from discogs_tui import PROJECT_URL, __version__
from discogs_tui.api.auth import Credentials, check_transport_security, scrub
from discogs_tui.api.cache import (
    CachedAnswer,
    ResponseCache,
    WriteGenerations,
    namespace_for,
    ttl_for,
)
from discogs_tui.api.cache import cache_key as _request_key
from discogs_tui.api.errors import (
    DiscogsError,
    InvalidResponseError,
    NetworkError,
    OutcomeUnknownError,
    RateLimitedError,
    RedirectError,
    WebPageError,
    body_excerpt,
    clean_text,
    error_for_status,
    is_html,
    web_page_message,
)
from discogs_tui.api.ratelimit import Priority, RateGovernor, RateState
from discogs_tui.models import FetchInfo, Page
from discogs_tui.models import common as _common
from discogs_tui.models.collection import (
    AddedInstance,
    CollectionItem,
    CollectionValue,
    CustomFieldList,
    Folder,
    FolderList,
    Want,
)
from discogs_tui.models.database import (
    Artist,
    ArtistRelease,
    CommunityRating,
    Label,
    LabelRelease,
    Master,
    MasterVersion,
    Release,
    ReleaseRatingByUser,
    ReleaseStats,
    SearchResult,
    Service,
)
from discogs_tui.models.marketplace import (
    Fee,
    InventoryExport,
    InventoryUpload,
    Listing,
    MarketplaceStats,
    NewListing,
    Order,
    OrderMessage,
    PriceSuggestions,
)
from discogs_tui.models.user import (
    Contribution,
    Identity,
    Profile,
    Submissions,
    UserList,
    UserListSummary,
)

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.discogs.com"
DEFAULT_USER_AGENT = f"DiscogsTUI/{__version__} +{PROJECT_URL}"
MAX_PER_PAGE = 100
MAX_REDIRECTS = 5
RETRIED_STATUSES = frozenset({500, 502, 503, 504})
"""Statuses after which a read is tried again: the server failed, nothing was changed."""
ACCEPT_FORMATS = ("discogs", "plaintext", "html")

M = TypeVar("M", bound=pydantic.BaseModel)
T = TypeVar("T")
R = TypeVar("R")

Params = Mapping[str, str | int | float | bool | None]

_priority: contextvars.ContextVar[Priority] = contextvars.ContextVar(
    "discogs_priority", default=Priority.INTERACTIVE
)
_text_format: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "discogs_text_format", default=None
)
"""The text format asked for by the request being made (``None``: the client's own)."""


def cache_key(method: str, path: str, params: Mapping[str, str | int | float | bool] | None) -> str:
    """The cache key of a request: an answer asked for in another text format is kept apart.

    The ``Accept`` header changes how ``profile`` and ``notes`` read
    (https://www.discogs.com/developers/#page:home,header:home-versioning-and-media-types),
    so the format is part of the key (as a pseudo-parameter the request never sends).
    """
    chosen = _text_format.get()
    if chosen is not None:
        params = {**(params or {}), "accept": chosen}
    return _request_key(method, path, params)


class ListingFields(TypedDict, total=False):
    """The body of a new or edited listing; grades and statuses as in ENDPOINTS.md §7."""

    release_id: Required[int]
    condition: Required[str]
    """Media grade, e.g. ``Near Mint (NM or M-)``."""
    price: Required[float]
    """In the seller's currency."""
    status: str
    """``For Sale`` or ``Draft``."""
    sleeve_condition: str
    comments: str
    allow_offers: bool
    external_id: str
    location: str
    weight: float | str
    """Grams, or ``"auto"``."""
    format_quantity: int | str
    """A number, or ``"auto"``."""


@dataclass(frozen=True)
class OAuthTokens:
    """An OAuth token pair as Discogs hands it out (request token or access token)."""

    oauth_token: str
    oauth_token_secret: str
    callback_confirmed: bool = False

    def __repr__(self) -> str:
        return "OAuthTokens(oauth_token=****, oauth_token_secret=****)"


@dataclass(frozen=True)
class _Answer:
    status: int
    body: bytes
    fetch: FetchInfo


def _per_page(per_page: int) -> int:
    """``per_page`` within what Discogs serves: 1 to 100 items a page."""
    return max(1, min(int(per_page), MAX_PER_PAGE))


def _never_sent(exc: BaseException) -> bool:
    """True for failures before the request reached the server (refused, DNS, no connection)."""
    return isinstance(
        exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.ProxyError)
    )


def _is_timeout(exc: BaseException) -> bool:
    return isinstance(exc, (httpx.TimeoutException, TimeoutError))


def _worth_retrying(exc: BaseException) -> bool:
    """True for a broken connection or a stall, which a read may meet once and not again."""
    return isinstance(
        exc,
        (
            httpx.ReadError,
            httpx.WriteError,
            httpx.RemoteProtocolError,
            httpx.TimeoutException,
            TimeoutError,
        ),
    )


_LOOKUP_FAILURES = ("name or service not known", "name resolution", "nodename nor servname")


def _is_lookup_failure(exc: BaseException) -> bool:
    """True when a connection failed because the host name could not be looked up (DNS)."""
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            return False
        if isinstance(seen, socket.gaierror):
            return True
        text = str(seen).lower()
        if any(words in text for words in _LOOKUP_FAILURES):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


@dataclass(frozen=True)
class _Flight:
    """A GET on its way: its answer, and the write generation of its path when it was sent."""

    answer: asyncio.Future[_Answer]
    generation: int


def _clean(params: Params | None) -> dict[str, str]:
    """Drop ``None`` values and render booleans the way Discogs expects."""
    out: dict[str, str] = {}
    for key, value in (params or {}).items():
        if value is None:
            continue
        if isinstance(value, bool):
            out[key] = "true" if value else "false"
        else:
            out[key] = str(value)
    return out


def _price_segment(price: float) -> str:
    """A price as a path segment: plain decimal, at most two places, never an exponent."""
    if not math.isfinite(price) or price < 0:
        raise ValueError(f"price must be a finite number of at least 0, not {price!r}")
    text = f"{price:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def _seg(value: str | int | float) -> str:
    """One path segment, percent-encoded (usernames may hold any character)."""
    return quote(str(value), safe="")


class DiscogsClient:
    """An async client of the Discogs API v2.0.

    Use it as ``async with DiscogsClient(token=...) as client``. Path parameters are
    positional in path order; query and body parameters are keyword arguments.
    """

    def __init__(
        self,
        *,
        base_url: str = DEFAULT_BASE_URL,
        token: str | None = None,
        consumer_key: str | None = None,
        consumer_secret: str | None = None,
        oauth_token: str | None = None,
        oauth_token_secret: str | None = None,
        user_agent: str = DEFAULT_USER_AGENT,
        transport: httpx.AsyncBaseTransport | None = None,
        cache: ResponseCache | Path | str | None = None,
        governor: RateGovernor | None = None,
        timeout: float = 20.0,
        retries: int = 3,
        retry_backoff: float = 0.25,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        jitter: Callable[[], float] = random.random,
        accept_format: str = "discogs",
        clock: Callable[[], float] = time.time,
    ) -> None:
        """``timeout`` (seconds) bounds each request from connecting to its last byte,
        retries of a read included. A read that meets a 5xx, a broken connection or a stall
        is tried again up to ``retries`` times, after ``retry_backoff`` seconds doubled per
        try and scaled by ``jitter()`` (0 to 1); ``sleep`` waits those pauses."""
        if not timeout > 0:
            raise ValueError(f"timeout must be positive, not {timeout!r}")
        if retries < 0 or not retry_backoff >= 0:
            raise ValueError("retries and retry_backoff cannot be negative")
        self.base_url = base_url.rstrip("/")
        self.credentials = Credentials(
            token=token,
            consumer_key=consumer_key,
            consumer_secret=consumer_secret,
            oauth_token=oauth_token,
            oauth_token_secret=oauth_token_secret,
        )
        check_transport_security(self.base_url, self.credentials)
        if accept_format not in ACCEPT_FORMATS:
            raise ValueError(f"accept_format must be one of {', '.join(ACCEPT_FORMATS)}")
        self.user_agent = user_agent
        self.accept_format = accept_format
        """How ``profile`` and ``notes`` come unless a request asks otherwise."""
        self._timeout = float(timeout)
        self._retries = retries
        self._retry_backoff = float(retry_backoff)
        self._sleep = sleep
        self._jitter = jitter
        # Redirects are checked hop by hop in _network, never followed blindly.
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            transport=transport,
            timeout=self._phase_timeouts(self._timeout),
            headers={"User-Agent": user_agent},
            follow_redirects=False,
        )
        limit = 60 if self.credentials.kind != "anonymous" else 25
        self.governor = governor or RateGovernor(limit=limit)
        self.cache: ResponseCache | None = None
        self.cache_problem: str | None = None
        """Why the disk cache is off although one was asked for (plain words), else ``None``."""
        self._dead_caches: list[ResponseCache] = []
        if isinstance(cache, (str, Path)):
            folder = Path(cache)
            try:
                cache = ResponseCache(
                    folder, namespace=namespace_for(self.base_url, self.credentials.fingerprint)
                )
            except OSError as exc:
                cache = None
                self._give_up_cache(folder, exc)
        self.cache = cache
        self._clock = clock
        self._in_flight: dict[str, _Flight] = {}
        self._generations = WriteGenerations()
        self._username_hint: str | None = None
        self._describe_cache()
        self.requests_sent = 0
        """How many HTTP requests actually went out (cache hits and shared GETs don't count)."""
        self.response_listeners: list[Callable[[int], None]] = []
        """Called with the HTTP status of every answer received, on the event loop."""
        self.change_listeners: list[Callable[[tuple[str, ...]], None]] = []
        """Called on the event loop after a write that was made (or may have been made, when
        its answer was lost) with the path prefixes whose data it changed (the same prefixes
        the cache drops, e.g. ``("/releases/3", "/users/demo?")``). Pages showing data under
        one of them read it again."""

    # -- lifecycle -------------------------------------------------------------------------

    async def __aenter__(self) -> DiscogsClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool and the disk cache."""
        await self._http.aclose()
        for cache in (*self._dead_caches, self.cache):
            if cache is not None:
                # Closing waits for the cache's worker and closes SQLite: not on the event loop.
                await asyncio.to_thread(cache.close)

    @property
    def rate_state(self) -> RateState:
        """The governor's current view of the rate-limit budget."""
        return self.governor.state

    @staticmethod
    @contextlib.contextmanager
    def background() -> Iterator[None]:
        """Requests made inside this block yield to user-facing ones (prefetch, next pages)."""
        reset = _priority.set(Priority.BACKGROUND)
        try:
            yield
        finally:
            _priority.reset(reset)

    @property
    def _accept(self) -> str:
        """The ``Accept`` header: the format the current request asks for, else the client's."""
        return f"application/vnd.discogs.v2.{_text_format.get() or self.accept_format}+json"

    @contextlib.asynccontextmanager
    async def _in_format(self, text_format: str | None) -> AsyncIterator[None]:
        """Requests inside ask for ``text_format`` (``discogs``, ``plaintext``, ``html``)."""
        if text_format is not None and text_format not in ACCEPT_FORMATS:
            raise ValueError(f"text_format must be one of {', '.join(ACCEPT_FORMATS)}")
        reset = _text_format.set(text_format)
        try:
            yield
        finally:
            _text_format.reset(reset)

    # -- the request pipeline --------------------------------------------------------------

    async def _send(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        json_body: Mapping[str, Any] | None = None,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
        invalidates: Sequence[str] = (),
    ) -> _Answer:
        """Send a write: ``invalidates`` are the path prefixes whose cached answers it changes."""
        if method == "GET":
            raise ValueError("reads go through _read, which parses before it stores")
        query = _clean(params)
        # Reads from now on may see the write: older ones in flight must not store or be shared.
        self._generations.bump(invalidates)
        changed = False
        try:
            answer = await self._network(method, path, query, json_body, files)
            changed = True
            return answer
        except OutcomeUnknownError:
            changed = True  # it may have been made: pages showing the data read it back
            raise
        finally:
            # Also when the write failed: an answer lost on the way back (a timeout, a
            # reset) may belong to a write the server made, so cached copies may be stale.
            # Shielded, so a cancelled writer still drops them before the generation moves.
            if invalidates:
                await asyncio.shield(self._settle_write(tuple(invalidates)))
            if changed:
                self._tell_changed(tuple(invalidates) or (path,))

    def _tell_changed(self, paths: tuple[str, ...]) -> None:
        for listener in list(self.change_listeners):
            try:
                listener(paths)
            except Exception:
                log.exception("a change listener failed")

    async def _settle_write(self, invalidates: tuple[str, ...]) -> None:
        try:
            await self._cache_invalidate(invalidates)
        finally:
            self._generations.bump(invalidates)

    async def _read(
        self,
        path: str,
        params: Params | None,
        parse: Callable[[_Answer], R],
        *,
        use_cache: bool = True,
    ) -> R:
        """GET ``path`` and ``parse`` the answer; only an answer that parsed is ever stored.

        A stored answer that no longer parses is dropped and fetched afresh. Identical GETs share
        one request, unless a write to the path began after the shared one was sent.
        """
        query = _clean(params)
        ttl = ttl_for(path) if use_cache and self.cache is not None else None
        key = cache_key("GET", path, query)
        cached = await self._cache_get(key) if ttl is not None else None
        now = self._clock()
        if cached is not None and cached.is_fresh(now):
            try:
                hit = FetchInfo(True, cached.age(now), False)
                return parse(_Answer(cached.status, cached.body, hit))
            except InvalidResponseError:
                await self._cache_discard(key)
                cached = None
        while (shared := self._in_flight.get(key)) is not None and (
            shared.generation == self._generations.of(path)
        ):
            try:
                return parse(await asyncio.shield(shared.answer))
            except asyncio.CancelledError:
                task = asyncio.current_task()
                if not shared.answer.cancelled() or (task is not None and task.cancelling()):
                    raise
                # The task that sent the request was cancelled, not us: send it ourselves.
        flight = _Flight(asyncio.get_running_loop().create_future(), self._generations.of(path))
        self._in_flight[key] = flight
        try:
            try:
                answer = await self._network("GET", path, query, None, None)
            except NetworkError as offline:
                if cached is None:
                    raise
                answer = _Answer(cached.status, cached.body, FetchInfo(True, cached.age(now), True))
                try:
                    result = parse(answer)
                except InvalidResponseError:
                    await self._cache_discard(key)
                    raise offline from None
                flight.answer.set_result(answer)
                return result
            flight.answer.set_result(answer)
            result = parse(answer)
            storable = ttl is not None and answer.status == 200 and answer.body.strip()
            # Not if a write to this path began meanwhile: the answer may predate it.
            if storable and flight.generation == self._generations.of(path):
                await self._cache_put(key, answer, ttl or 0.0)
            return result
        except asyncio.CancelledError:
            # Only this caller gave up: tasks sharing the request retry it (see above).
            flight.answer.cancel()
            raise
        except BaseException as exc:
            if not flight.answer.done():
                flight.answer.set_exception(exc)
                # Nobody may await the shared future; mark its exception as retrieved.
                flight.answer.exception()
            raise
        finally:
            if self._in_flight.get(key) is flight:
                del self._in_flight[key]

    # The disk cache only ever saves requests: when it fails (a file where its folder should be,
    # no permission, disk full, a damaged database) the client says so once, in
    # ``cache_problem`` and the log, and carries on without it.

    def _give_up_cache(self, folder: Path, exc: BaseException) -> None:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        if self.cache is not None:
            self._dead_caches.append(self.cache)
            self.cache = None
        if self.cache_problem is None:
            self.cache_problem = (
                f"The disk cache at {folder} cannot be used ({reason}): "
                "carrying on without it, so pages load from Discogs each time."
            )
            log.warning("%s", self.cache_problem)
            log.debug("disk cache failure", exc_info=exc)

    def _cache_failed(self, exc: BaseException) -> None:
        if self.cache is not None:
            self._give_up_cache(self.cache.directory.parent, exc)

    def _describe_cache(self) -> None:
        if self.cache is not None:
            self.cache.describe(
                self.base_url, self._username_hint, signed_in=self.credentials.is_user
            )

    async def check_cache(self) -> str | None:
        """Open the disk cache now; the words for the user if it cannot be used, else ``None``."""
        if self.cache is not None:
            try:
                await self.cache.open()
            except Exception as exc:
                self._cache_failed(exc)
        return self.cache_problem

    async def _cache_get(self, key: str) -> CachedAnswer | None:
        if self.cache is None:
            return None
        try:
            return await self.cache.get(key)
        except Exception as exc:
            self._cache_failed(exc)
            return None

    async def _cache_put(self, key: str, answer: _Answer, ttl: float) -> None:
        if self.cache is None:
            return
        try:
            await self.cache.put(key, answer.body, status=answer.status, ttl=ttl)
        except Exception as exc:
            self._cache_failed(exc)

    async def _cache_discard(self, key: str) -> None:
        if self.cache is None:
            return
        try:
            await self.cache.discard(key)
        except Exception as exc:
            self._cache_failed(exc)

    async def _cache_invalidate(self, paths: Sequence[str]) -> None:
        if self.cache is None:
            return
        try:
            await self.cache.invalidate(*paths)
        except Exception as exc:
            self._cache_failed(exc)

    @staticmethod
    def _phase_timeouts(budget: float) -> httpx.Timeout:
        # httpx times each phase on its own (a read timeout is per chunk); the whole
        # request is bounded in _network. Connecting gives up a little earlier, so a
        # request that never left is told apart from one whose answer is late.
        return httpx.Timeout(budget, connect=min(budget * 0.8, 10.0))

    async def _network(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        json_body: Mapping[str, Any] | None,
        files: Mapping[str, tuple[str, bytes, str]] | None,
        *,
        sign: Callable[[str], str | None] | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> _Answer:
        url = self.base_url + path + (f"?{urlencode(query)}" if query else "")
        headers = {"Accept": self._accept, **(extra_headers or {})}
        body: bytes | None = None
        if json_body is not None:
            body = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        read = method == "GET"
        loop = asyncio.get_running_loop()
        budget = self._timeout  # seconds left on the wire for this request
        throttled = failures = hops = 0
        while True:
            # Signed afresh on every try and hop: an OAuth nonce must not be sent twice.
            auth = sign(url) if sign is not None else self.credentials.authorization(method, url)
            if auth is not None:
                headers["Authorization"] = auth
            sent_at = await self.governor.acquire(_priority.get())
            self.requests_sent += 1
            started = loop.time()
            try:
                # httpx reads the whole body inside request(): the deadline covers it all.
                async with asyncio.timeout(budget):
                    response = await self._http.request(
                        method,
                        url,
                        headers=headers,
                        content=body,
                        files=files,
                        timeout=self._phase_timeouts(budget),
                    )
            except (httpx.HTTPError, TimeoutError) as exc:
                budget -= loop.time() - started
                unsent = _never_sent(exc)
                if unsent:
                    # Discogs never saw it: neither the budget nor the gauge counts it.
                    self.governor.release_unsent(sent_at)
                    self.requests_sent -= 1
                what = str(exc) or ("no complete answer in time" if _is_timeout(exc) else "")
                log.warning(
                    "%s %s failed: %s",
                    method,
                    path,
                    scrub(f"{type(exc).__name__}: {what}", self.credentials),
                )
                if read and _worth_retrying(exc):
                    delay = self._retry_delay(failures + 1, budget)
                    if delay is not None:
                        failures += 1
                        await self._sleep(delay)
                        budget -= delay
                        continue
                message = self._network_message(exc, write=not read and not unsent)
                if not read and not unsent:
                    raise OutcomeUnknownError(message) from None
                if not read:
                    message += " Nothing was changed."
                raise NetworkError(message) from None
            budget -= loop.time() - started
            status = response.status_code
            raw = response.content
            self.governor.record_response(status, response.headers)
            for listener in self.response_listeners:
                listener(status)
            if read and status == 429:
                throttled += 1
                delay = self.governor.retry_delay(throttled, response.headers.get("Retry-After"))
                if delay is not None:
                    await self.governor.backoff(delay)
                    continue
            if read and status in RETRIED_STATUSES:
                delay = self._retry_delay(failures + 1, budget)
                if delay is not None:
                    failures += 1
                    log.info("%s %s answered %s: trying again", method, path, status)
                    await self._sleep(delay)
                    budget -= delay
                    continue
            if 300 <= status < 400:
                location = response.headers.get("Location", "")
                target = self._redirect_target(url, location) if read else None
                if target is not None and hops < MAX_REDIRECTS:
                    hops += 1
                    url = target
                    continue
                raise self._redirect_error(status, location, method, path, followed=hops)
            if status >= 400:
                raise self._error(status, raw, method, path, response.headers)
            if is_html(raw, response.headers.get("Content-Type", "")):
                raise WebPageError(
                    web_page_message(status, raw, write=not read),
                    status=status,
                    method=method,
                    path=path,
                )
            if read and not raw:
                raise InvalidResponseError(
                    f"Discogs sent an empty answer for {path}. Try again in a moment.",
                    status=status,
                )
            return _Answer(status, raw, FetchInfo())

    def _retry_delay(self, attempt: int, budget: float) -> float | None:
        """Seconds to wait before retry ``attempt`` of a read, or None to give up.

        Exponential back-off with full jitter; no retry once ``retries`` are spent or when
        too little of the time budget would be left for it to succeed.
        """
        if attempt > self._retries:
            return None
        ceiling = self._retry_backoff * 2.0 ** (attempt - 1)
        delay = ceiling * min(1.0, max(0.0, self._jitter()))
        if budget - delay < self._timeout / 4:
            return None
        return delay

    @staticmethod
    def _redirect_target(url: str, location: str) -> str | None:
        """Where a read may follow a redirect: the same host, same scheme or http to https."""
        if not location:
            return None
        try:
            here = httpx.URL(url)
            there = here.join(location)
        except (httpx.InvalidURL, ValueError):
            return None
        if there.host != here.host:
            return None
        if there.scheme == here.scheme and there.port == here.port:
            return str(there)
        if here.scheme == "http" and there.scheme == "https":
            return str(there)
        return None

    def _redirect_error(
        self, status: int, location: str, method: str, path: str, *, followed: int
    ) -> RedirectError:
        where = scrub(clean_text(location, 200), self.credentials)
        if not where:
            message = (
                f"Discogs answered HTTP {status} to {method} {path} without data or a new address."
            )
        elif method != "GET":
            message = (
                f"Discogs answered HTTP {status} to {method} {path}, pointing to {where}. "
                "A change is never sent on to another address: check the Discogs address "
                "in the settings. The change may or may not have been made: check before "
                "trying again."
            )
        elif followed >= MAX_REDIRECTS:
            message = (
                f"Discogs kept redirecting {path} ({followed} times, last to {where}); "
                "gave up. Try again later."
            )
        else:
            message = (
                f"Discogs answered HTTP {status} to {path}, pointing to {where}, another "
                "host or a less secure address, which is not followed. Check the Discogs "
                "address in the settings."
            )
        return RedirectError(message, status=status, location=where, method=method, path=path)

    def _network_message(self, exc: BaseException, *, write: bool = False) -> str:
        host = urlsplit(self.base_url).netloc or self.base_url
        unknown = " The change may or may not have been made: check before trying again."
        if isinstance(exc, (httpx.ConnectTimeout, httpx.PoolTimeout)):
            text = f"Could not connect to {host} in time. Check your connection and try again."
        elif isinstance(exc, (httpx.TimeoutException, TimeoutError)):
            text = (
                f"Discogs is too slow to answer: no complete answer within "
                f"{self._timeout:g} seconds."
            )
            text += unknown if write else " Try again in a moment."
        elif isinstance(exc, httpx.ConnectError):
            if _is_lookup_failure(exc):
                text = (
                    f"Could not find {host}: check your connection, "
                    "or the Discogs address in the settings."
                )
            else:
                text = f"Could not connect to {host}. Check your connection and try again."
        elif isinstance(exc, httpx.DecodingError):
            text = f"The answer from {host} arrived garbled. Try again in a moment."
        elif isinstance(exc, httpx.TransportError):
            text = f"The connection to {host} broke off before the answer was complete."
            text += unknown if write else " Try again in a moment."
        else:
            text = f"The request to {host} could not be made. Try again in a moment."
        return scrub(text, self.credentials)

    def _error(
        self, status: int, raw: bytes, method: str, path: str, headers: Mapping[str, str]
    ) -> DiscogsError:
        content_type = headers.get("Content-Type", "")
        if is_html(raw, content_type):
            return WebPageError(
                scrub(web_page_message(status, raw, write=method != "GET"), self.credentials),
                status=status,
                method=method,
                path=path,
            )
        message = ""
        detail: Any = None
        try:
            data = json.loads(raw) if raw else {}
        except (ValueError, RecursionError):
            data = None
        if isinstance(data, dict):
            message = clean_text(str(data.get("message") or ""), 300)
            detail = data.get("detail")
        if not message and raw:
            # Plain text (the OAuth endpoints' "Invalid consumer.") or JSON without a message.
            excerpt = body_excerpt(raw, content_type)
            if excerpt:
                message = f"Discogs answered HTTP {status}: {excerpt}"
        if not message:
            message = f"Discogs answered {status} to {method} {path}."
        message = scrub(message, self.credentials)
        error = error_for_status(status, message, detail=detail, method=method, path=path)
        if isinstance(error, RateLimitedError):
            error.retry_after = self.governor.retry_after_seconds(headers.get("Retry-After"))
        return error

    # -- parsing ---------------------------------------------------------------------------

    @staticmethod
    def _json(answer: _Answer, path: str) -> Any:
        try:
            return json.loads(answer.body)
        except (ValueError, RecursionError):
            raise InvalidResponseError(
                f"Discogs sent something that is not JSON for {path}.", status=answer.status
            ) from None

    def _parse(self, model: type[M], answer: _Answer, path: str) -> M:
        data = self._json(answer, path)
        try:
            parsed = model.model_validate(data)
        except pydantic.ValidationError as exc:
            raise InvalidResponseError(
                f"Discogs sent an unexpected {model.__name__} for {path}: "
                f"{exc.error_count()} problem(s), first: {exc.errors()[0]['msg']}",
                status=answer.status,
            ) from None
        parsed._fetch = answer.fetch  # type: ignore[attr-defined]
        return parsed

    async def _get(self, model: type[M], path: str, params: Params | None = None) -> M:
        return await self._read(path, params, lambda answer: self._parse(model, answer, path))

    async def _page(
        self,
        item: type[T],
        key: str,
        path: str,
        *,
        page: int = 1,
        per_page: int = MAX_PER_PAGE,
        params: Params | None = None,
    ) -> Page[T]:
        query = dict(params or {})
        query.update(page=page, per_page=_per_page(per_page))
        return await self._read(
            path, query, lambda answer: self._parse_page(item, key, answer, path)
        )

    def _parse_page(self, item: type[T], key: str, answer: _Answer, path: str) -> Page[T]:
        data = self._json(answer, path)
        if not isinstance(data, dict):
            raise InvalidResponseError(f"Discogs sent a page that is not an object for {path}.")
        try:
            parsed: Page[T] = _common.parse_page(data, key, item)
        except pydantic.ValidationError as exc:
            raise InvalidResponseError(
                f"Discogs sent an unexpected page for {path}: {exc.errors()[0]['msg']}",
                status=answer.status,
            ) from None
        parsed._fetch = answer.fetch
        return parsed

    async def _write(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        body: Mapping[str, Any] | None = None,
        invalidates: Sequence[str] = (),
    ) -> _Answer:
        return await self._send(
            method, path, params=params, json_body=body, invalidates=invalidates or (path,)
        )

    async def get_raw(
        self,
        path: str,
        *,
        method: str = "GET",
        body: Mapping[str, Any] | None = None,
        **params: str | int | float | bool | None,
    ) -> Any:
        """The parsed JSON of any request, through the same cache, governor and errors.

        For endpoints and fields the models do not cover yet; ``None`` for a write answered with
        no body (204). An empty answer to a GET raises :class:`InvalidResponseError`.
        A GET is cached only if its answer is JSON. Any other method is a write that may change
        anything of the signed-in user's, so it drops every cached answer but database objects
        (and the one it was sent to).
        """
        verb = method.upper()
        if verb == "GET":
            return await self._read(path, params, lambda answer: self._raw_json(answer, path))
        answer = await self._send(
            verb, path, params=params, json_body=body, invalidates=_raw_write_changes(path)
        )
        return self._raw_json(answer, path)

    def _raw_json(self, answer: _Answer, path: str) -> Any:
        return self._json(answer, path) if answer.body.strip() else None

    # -- walking pages ---------------------------------------------------------------------

    async def iter_pages(
        self,
        method: Callable[..., Awaitable[Page[T]]],
        *args: Any,
        **kwargs: Any,
    ) -> AsyncIterator[Page[T]]:
        """Every page of a paginated method, first to last; pages after the first are background work.

        ``async for page in client.iter_pages(client.get_inventory, "demo", status="For Sale")``
        """
        kwargs.setdefault("per_page", MAX_PER_PAGE)
        number = kwargs.pop("page", 1)
        current: Page[T] = await method(*args, page=number, **kwargs)
        yield current
        while current.pagination.page < current.pagination.pages and (
            current.items or current.dropped
        ):
            number = current.pagination.page + 1
            with self.background():
                current = await method(*args, page=number, **kwargs)
            yield current

    async def walk(
        self, method: Callable[..., Awaitable[Page[T]]], *args: Any, **kwargs: Any
    ) -> AsyncIterator[T]:
        """Every item of a paginated method across all pages."""
        page: Page[T]
        async for page in self.iter_pages(method, *args, **kwargs):
            for item in page.items:
                yield item

    # == Service and OAuth ==================================================================

    async def get_service(self) -> Service:
        """Service information (API version, database statistics)."""
        return await self._get(Service, "/")

    async def get_request_token(self, *, callback_url: str = "oob") -> OAuthTokens:
        """Step 1 of the OAuth dance: a request token for the consumer key/secret."""
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
        }
        return await self._oauth_exchange(
            "GET", "/oauth/request_token", headers, callback_url=callback_url
        )

    async def post_access_token(
        self, request_token: str, request_token_secret: str, verifier: str
    ) -> OAuthTokens:
        """Step 3 of the OAuth dance: trade the authorised request token for an access token."""
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return await self._oauth_exchange(
            "POST",
            "/oauth/access_token",
            headers,
            token=request_token,
            token_secret=request_token_secret,
            verifier=verifier,
        )

    def authorize_url(self, request_token: str) -> str:
        """Where the user approves a request token (the emulator serves it under its base URL)."""
        root = "https://www.discogs.com" if self.base_url == DEFAULT_BASE_URL else self.base_url
        return f"{root}/oauth/authorize?oauth_token={quote(request_token)}"

    async def _oauth_exchange(
        self,
        method: str,
        path: str,
        headers: dict[str, str],
        *,
        token: str | None = None,
        token_secret: str | None = None,
        verifier: str | None = None,
        callback_url: str | None = None,
    ) -> OAuthTokens:
        from urllib.parse import parse_qs

        from discogs_tui.api.auth import oauth_header

        creds = self.credentials
        if not (creds.consumer_key and creds.consumer_secret):
            raise DiscogsError("OAuth needs a consumer key and secret.")
        consumer_key, consumer_secret = creds.consumer_key, creds.consumer_secret

        def sign(url: str) -> str:
            return oauth_header(
                method,
                url,
                consumer_key=consumer_key,
                consumer_secret=consumer_secret,
                token=token,
                token_secret=token_secret,
                verifier=verifier,
                callback_uri=callback_url,
            )

        answer = await self._network(method, path, {}, None, None, sign=sign, extra_headers=headers)
        fields = parse_qs(answer.body.decode("utf-8", "replace"))
        try:
            return OAuthTokens(
                oauth_token=fields["oauth_token"][0],
                oauth_token_secret=fields["oauth_token_secret"][0],
                callback_confirmed=fields.get("oauth_callback_confirmed", ["false"])[0] == "true",
            )
        except KeyError:
            raise InvalidResponseError(f"Discogs sent no OAuth token from {path}.") from None

    async def get_user_identity(self) -> Identity:
        """Who the credentials belong to."""
        return await self._get(Identity, "/oauth/identity")

    # == Database ===========================================================================

    async def get_release(
        self, release_id: int, *, curr_abbr: str | None = None, text_format: str | None = None
    ) -> Release:
        """A release: tracklist, credits, formats, labels, identifiers, community figures.

        ``text_format`` (``discogs``, ``plaintext``, ``html``) sets how ``notes`` reads for
        this request; ``None`` keeps the client's ``accept_format``.
        """
        async with self._in_format(text_format):
            return await self._get(Release, f"/releases/{release_id}", {"curr_abbr": curr_abbr})

    async def get_release_rating(self, release_id: int) -> CommunityRating:
        """The community's average rating of a release."""
        return await self._get(CommunityRating, f"/releases/{release_id}/rating")

    async def get_release_rating_by_user(
        self, release_id: int, username: str
    ) -> ReleaseRatingByUser:
        """One user's rating of a release (0 when unrated)."""
        return await self._get(
            ReleaseRatingByUser, f"/releases/{release_id}/rating/{_seg(username)}"
        )

    async def put_release_rating_by_user(
        self, release_id: int, username: str, *, rating: int
    ) -> ReleaseRatingByUser:
        """Rate a release 1 to 5 as ``username`` (must be the signed-in user)."""
        path = f"/releases/{release_id}/rating/{_seg(username)}"
        answer = await self._write(
            "PUT", path, body={"rating": rating}, invalidates=_rating_changes(release_id, username)
        )
        return self._parse(ReleaseRatingByUser, answer, path)

    async def delete_release_rating_by_user(self, release_id: int, username: str) -> None:
        """Remove ``username``'s rating of a release."""
        path = f"/releases/{release_id}/rating/{_seg(username)}"
        await self._write("DELETE", path, invalidates=_rating_changes(release_id, username))

    async def get_release_stats(self, release_id: int) -> ReleaseStats:
        """Release statistics (the live API sends only ``is_offensive``)."""
        return await self._get(ReleaseStats, f"/releases/{release_id}/stats")

    async def get_master(self, master_id: int) -> Master:
        """A master release: the work that groups all its versions."""
        return await self._get(Master, f"/masters/{master_id}")

    async def get_master_versions(
        self,
        master_id: int,
        *,
        page: int = 1,
        per_page: int = MAX_PER_PAGE,
        format: str | None = None,
        label: str | None = None,
        released: str | None = None,
        country: str | None = None,
        sort: str | None = None,
        sort_order: str | None = None,
    ) -> Page[MasterVersion]:
        """The versions (releases) of a master; filters by format, label, year, country."""
        params = {
            "format": format,
            "label": label,
            "released": released,
            "country": country,
            "sort": sort,
            "sort_order": sort_order,
        }
        return await self._page(
            MasterVersion,
            "versions",
            f"/masters/{master_id}/versions",
            page=page,
            per_page=per_page,
            params=params,
        )

    async def get_artist(self, artist_id: int, *, text_format: str | None = None) -> Artist:
        """An artist: profile, real name, members, groups, aliases, links.

        ``text_format`` sets how ``profile`` reads for this request (see :meth:`get_release`).
        """
        async with self._in_format(text_format):
            return await self._get(Artist, f"/artists/{artist_id}")

    async def get_artist_releases(
        self,
        artist_id: int,
        *,
        page: int = 1,
        per_page: int = MAX_PER_PAGE,
        sort: str | None = None,
        sort_order: str | None = None,
    ) -> Page[ArtistRelease]:
        """An artist's releases and masters (sort by ``year``, ``title`` or ``format``)."""
        return await self._page(
            ArtistRelease,
            "releases",
            f"/artists/{artist_id}/releases",
            page=page,
            per_page=per_page,
            params={"sort": sort, "sort_order": sort_order},
        )

    async def get_label(self, label_id: int, *, text_format: str | None = None) -> Label:
        """A label: profile, contact, parent label and sublabels.

        ``text_format`` sets how ``profile`` reads for this request (see :meth:`get_release`).
        """
        async with self._in_format(text_format):
            return await self._get(Label, f"/labels/{label_id}")

    async def get_label_releases(
        self, label_id: int, *, page: int = 1, per_page: int = MAX_PER_PAGE
    ) -> Page[LabelRelease]:
        """The releases on a label."""
        return await self._page(
            LabelRelease, "releases", f"/labels/{label_id}/releases", page=page, per_page=per_page
        )

    async def search_database(
        self,
        *,
        q: str | None = None,
        type: str | None = None,
        title: str | None = None,
        release_title: str | None = None,
        credit: str | None = None,
        artist: str | None = None,
        anv: str | None = None,
        label: str | None = None,
        genre: str | None = None,
        style: str | None = None,
        country: str | None = None,
        year: str | int | None = None,
        format: str | None = None,
        catno: str | None = None,
        barcode: str | None = None,
        track: str | None = None,
        submitter: str | None = None,
        contributor: str | None = None,
        page: int = 1,
        per_page: int = MAX_PER_PAGE,
    ) -> Page[SearchResult]:
        """Search releases, masters, artists and labels (needs any credentials)."""
        params: dict[str, str | int | None] = {
            "q": q,
            "type": type,
            "title": title,
            "release_title": release_title,
            "credit": credit,
            "artist": artist,
            "anv": anv,
            "label": label,
            "genre": genre,
            "style": style,
            "country": country,
            "year": year,
            "format": format,
            "catno": catno,
            "barcode": barcode,
            "track": track,
            "submitter": submitter,
            "contributor": contributor,
        }
        return await self._page(
            SearchResult, "results", "/database/search", page=page, per_page=per_page, params=params
        )

    # == User identity ======================================================================

    async def get_user_profile(self, username: str) -> Profile:
        """A user's public profile (email only for the owner)."""
        return await self._get(Profile, f"/users/{_seg(username)}")

    async def post_user_profile(
        self,
        username: str,
        *,
        name: str | None = None,
        home_page: str | None = None,
        location: str | None = None,
        profile: str | None = None,
        curr_abbr: str | None = None,
    ) -> Profile:
        """Edit the signed-in user's profile."""
        path = f"/users/{_seg(username)}"
        body = {
            key: value
            for key, value in {
                "name": name,
                "home_page": home_page,
                "location": location,
                "profile": profile,
                "curr_abbr": curr_abbr,
            }.items()
            if value is not None
        }
        answer = await self._write("POST", path, body=body)
        return self._parse(Profile, answer, path)

    async def get_user_contributions(
        self,
        username: str,
        *,
        page: int = 1,
        per_page: int = MAX_PER_PAGE,
        sort: str | None = None,
        sort_order: str | None = None,
    ) -> Page[Contribution]:
        """Releases, labels and artists the user contributed to."""
        return await self._page(
            Contribution,
            "contributions",
            f"/users/{_seg(username)}/contributions",
            page=page,
            per_page=per_page,
            params={"sort": sort, "sort_order": sort_order},
        )

    async def get_user_submissions(
        self, username: str, *, page: int = 1, per_page: int = MAX_PER_PAGE
    ) -> Submissions:
        """Edits the user submitted to the database (artists, labels, releases)."""
        return await self._get(
            Submissions,
            f"/users/{_seg(username)}/submissions",
            {"page": page, "per_page": _per_page(per_page)},
        )

    # == Collection =========================================================================

    def _collection(self, username: str) -> str:
        return f"/users/{_seg(username)}/collection"

    async def get_collection_folders(self, username: str) -> FolderList:
        """A user's collection folders (0 "All", 1 "Uncategorized", and their own)."""
        return await self._get(FolderList, f"{self._collection(username)}/folders")

    async def post_collection_folders(self, username: str, *, name: str) -> Folder:
        """Create a folder."""
        path = f"{self._collection(username)}/folders"
        answer = await self._write("POST", path, body={"name": name})
        return self._parse(Folder, answer, path)

    async def get_collection_folder(self, username: str, folder_id: int) -> Folder:
        """One folder's metadata."""
        return await self._get(Folder, f"{self._collection(username)}/folders/{folder_id}")

    async def post_collection_folder(self, username: str, folder_id: int, *, name: str) -> Folder:
        """Rename a folder (not 0 or 1)."""
        path = f"{self._collection(username)}/folders/{folder_id}"
        answer = await self._write(
            "POST",
            path,
            body={"name": name},
            invalidates=(f"{self._collection(username)}/folders",),
        )
        return self._parse(Folder, answer, path)

    async def delete_collection_folder(self, username: str, folder_id: int) -> None:
        """Delete an empty folder."""
        await self._write(
            "DELETE",
            f"{self._collection(username)}/folders/{folder_id}",
            invalidates=(f"{self._collection(username)}/folders",),
        )

    async def get_collection_items_by_release(
        self, username: str, release_id: int, *, page: int = 1, per_page: int = MAX_PER_PAGE
    ) -> Page[CollectionItem]:
        """The instances of one release in a user's collection."""
        return await self._page(
            CollectionItem,
            "releases",
            f"{self._collection(username)}/releases/{release_id}",
            page=page,
            per_page=per_page,
        )

    async def get_collection_items_by_folder(
        self,
        username: str,
        folder_id: int,
        *,
        page: int = 1,
        per_page: int = MAX_PER_PAGE,
        sort: str | None = None,
        sort_order: str | None = None,
    ) -> Page[CollectionItem]:
        """The items in a folder (folder 0 is the whole collection)."""
        return await self._page(
            CollectionItem,
            "releases",
            f"{self._collection(username)}/folders/{folder_id}/releases",
            page=page,
            per_page=per_page,
            params={"sort": sort, "sort_order": sort_order},
        )

    def _collection_changes(self, username: str, release_id: int | None = None) -> tuple[str, ...]:
        # Folder lists and counts, every folder's items, the value, the profile's num_collection.
        base = self._collection(username)
        paths = [f"{base}/folders", f"{base}/value", f"/users/{_seg(username)}?"]
        if release_id is not None:
            paths.append(f"{base}/releases/{release_id}")
        else:
            paths.append(f"{base}/releases")
        return tuple(paths)

    async def post_release_to_collection_folder(
        self, username: str, folder_id: int, release_id: int
    ) -> AddedInstance:
        """Add a release to a folder (not folder 0): a new instance."""
        path = f"{self._collection(username)}/folders/{folder_id}/releases/{release_id}"
        answer = await self._write(
            "POST", path, invalidates=self._collection_changes(username, release_id)
        )
        return self._parse(AddedInstance, answer, path)

    async def post_change_rating_of_release(
        self,
        username: str,
        folder_id: int,
        release_id: int,
        instance_id: int,
        *,
        rating: int | None = None,
        folder_id_to: int | None = None,
    ) -> None:
        """Rate an instance (0-5) and/or move it to folder ``folder_id_to``."""
        body: dict[str, int] = {}
        if rating is not None:
            body["rating"] = rating
        if folder_id_to is not None:
            body["folder_id"] = folder_id_to
        await self._write(
            "POST",
            f"{self._collection(username)}/folders/{folder_id}/releases/{release_id}"
            f"/instances/{instance_id}",
            body=body,
            invalidates=self._collection_changes(username, release_id),
        )

    async def delete_instance_from_collection_folder(
        self, username: str, folder_id: int, release_id: int, instance_id: int
    ) -> None:
        """Remove an instance from the collection."""
        await self._write(
            "DELETE",
            f"{self._collection(username)}/folders/{folder_id}/releases/{release_id}"
            f"/instances/{instance_id}",
            invalidates=self._collection_changes(username, release_id),
        )

    async def edit_fields_instance(
        self,
        username: str,
        folder_id: int,
        release_id: int,
        instance_id: int,
        field_id: int,
        *,
        value: str,
    ) -> None:
        """Set a custom field (notes) of an instance."""
        await self._write(
            "POST",
            f"{self._collection(username)}/folders/{folder_id}/releases/{release_id}"
            f"/instances/{instance_id}/fields/{field_id}",
            params={"value": value},
            invalidates=self._collection_changes(username, release_id),
        )

    async def get_custom_fields(self, username: str) -> CustomFieldList:
        """The user's custom collection fields (dropdowns and text areas)."""
        return await self._get(CustomFieldList, f"{self._collection(username)}/fields")

    async def get_collection_value(self, username: str) -> CollectionValue:
        """Minimum, median and maximum value of the collection, as formatted strings."""
        return await self._get(CollectionValue, f"{self._collection(username)}/value")

    # == Wantlist ===========================================================================

    async def get_wantlist(
        self, username: str, *, page: int = 1, per_page: int = MAX_PER_PAGE
    ) -> Page[Want]:
        """A user's wantlist."""
        return await self._page(
            Want, "wants", f"/users/{_seg(username)}/wants", page=page, per_page=per_page
        )

    async def add_to_wantlist(
        self, username: str, release_id: int, *, notes: str | None = None, rating: int | None = None
    ) -> Want:
        """Add a release to the wantlist."""
        path = f"/users/{_seg(username)}/wants/{release_id}"
        body = {k: v for k, v in {"notes": notes, "rating": rating}.items() if v is not None}
        answer = await self._write("PUT", path, body=body, invalidates=_wantlist_changes(username))
        return self._parse(Want, answer, path)

    async def update_in_wantlist(
        self, username: str, release_id: int, *, notes: str | None = None, rating: int | None = None
    ) -> Want:
        """Edit a want's notes or rating."""
        path = f"/users/{_seg(username)}/wants/{release_id}"
        body = {k: v for k, v in {"notes": notes, "rating": rating}.items() if v is not None}
        answer = await self._write("POST", path, body=body, invalidates=_wantlist_changes(username))
        return self._parse(Want, answer, path)

    async def delete_from_wantlist(self, username: str, release_id: int) -> None:
        """Remove a release from the wantlist."""
        await self._write(
            "DELETE",
            f"/users/{_seg(username)}/wants/{release_id}",
            invalidates=_wantlist_changes(username),
        )

    # == Lists ==============================================================================

    async def get_lists(
        self, username: str, *, page: int = 1, per_page: int = MAX_PER_PAGE
    ) -> Page[UserListSummary]:
        """A user's lists (private ones only for the owner)."""
        return await self._page(
            UserListSummary, "lists", f"/users/{_seg(username)}/lists", page=page, per_page=per_page
        )

    async def get_list(self, list_id: int) -> UserList:
        """One list with its items."""
        return await self._get(UserList, f"/lists/{list_id}")

    # == Marketplace ========================================================================

    async def get_inventory(
        self,
        username: str,
        *,
        page: int = 1,
        per_page: int = MAX_PER_PAGE,
        status: str | None = None,
        sort: str | None = None,
        sort_order: str | None = None,
    ) -> Page[Listing]:
        """A seller's inventory (the owner sees every status and private fields)."""
        return await self._page(
            Listing,
            "listings",
            f"/users/{_seg(username)}/inventory",
            page=page,
            per_page=per_page,
            params={"status": status, "sort": sort, "sort_order": sort_order},
        )

    async def get_listing(self, listing_id: int, *, curr_abbr: str | None = None) -> Listing:
        """One marketplace listing."""
        return await self._get(
            Listing, f"/marketplace/listings/{listing_id}", {"curr_abbr": curr_abbr}
        )

    def _inventory_changes(
        self, listing_id: int | None, release_id: int | None = None
    ) -> tuple[str, ...]:
        # Marketplace figures, the listing, the seller's inventory and profile (num_for_sale),
        # and the release's lowest_price and num_for_sale.
        paths = ["/marketplace/stats", "/marketplace/price_suggestions"]
        if listing_id is not None:
            paths.append(f"/marketplace/listings/{listing_id}")
        if release_id is not None:
            paths.append(f"/releases/{release_id}?")
        paths.extend(self._own_data("inventory"))
        return tuple(paths)

    def _own_data(self, area: str) -> tuple[str, ...]:
        """The signed-in user's ``area`` and profile; every user's when the user is not known."""
        me = self._username_hint
        return (f"/users/{_seg(me)}/{area}", f"/users/{_seg(me)}?") if me else ("/users",)

    def set_username(self, username: str | None) -> None:
        """Tell the client who is signed in, so writes invalidate the right cached pages."""
        self._username_hint = username
        self._describe_cache()

    async def edit_listing(self, listing_id: int, **fields: Unpack[ListingFields]) -> None:
        """Change a listing (only For Sale, Draft and Expired listings can be edited)."""
        await self._write(
            "POST",
            f"/marketplace/listings/{listing_id}",
            body=_listing_body(fields),
            invalidates=self._inventory_changes(listing_id, fields.get("release_id")),
        )

    async def create_listing(self, **fields: Unpack[ListingFields]) -> NewListing:
        """List a release for sale (``status`` "For Sale", the default) or as a "Draft"."""
        path = "/marketplace/listings"
        body = {"status": "For Sale", **_listing_body(fields)}
        answer = await self._write(
            "POST", path, body=body, invalidates=self._inventory_changes(None, body["release_id"])
        )
        return self._parse(NewListing, answer, path)

    async def delete_listing(self, listing_id: int, *, release_id: int | None = None) -> None:
        """Delete a listing; pass its ``release_id`` to drop the release's cached lowest price."""
        await self._write(
            "DELETE",
            f"/marketplace/listings/{listing_id}",
            invalidates=self._inventory_changes(listing_id, release_id),
        )

    async def get_orders(
        self,
        *,
        page: int = 1,
        per_page: int = MAX_PER_PAGE,
        status: str | None = None,
        created_after: str | None = None,
        created_before: str | None = None,
        archived: bool | None = None,
        sort: str | None = None,
        sort_order: str | None = None,
    ) -> Page[Order]:
        """The signed-in seller's orders."""
        params = {
            "status": status,
            "created_after": created_after,
            "created_before": created_before,
            "archived": archived,
            "sort": sort,
            "sort_order": sort_order,
        }
        return await self._page(
            Order, "orders", "/marketplace/orders", page=page, per_page=per_page, params=params
        )

    async def get_order(self, order_id: str) -> Order:
        """One order."""
        return await self._get(Order, f"/marketplace/orders/{_seg(order_id)}")

    async def edit_order(
        self, order_id: str, *, status: str | None = None, shipping: float | None = None
    ) -> Order:
        """Change an order's status, or set its shipping (which sends the invoice)."""
        path = f"/marketplace/orders/{_seg(order_id)}"
        body = {k: v for k, v in {"status": status, "shipping": shipping}.items() if v is not None}
        answer = await self._write("POST", path, body=body, invalidates=self._order_changes())
        return self._parse(Order, answer, path)

    def _order_changes(self) -> tuple[str, ...]:
        # Every order page (its status shows in the lists), its messages (a status change adds
        # one) and the seller's profile (num_pending).
        me = self._username_hint
        return ("/marketplace/orders", f"/users/{_seg(me)}?" if me else "/users")

    async def get_order_messages(
        self, order_id: str, *, page: int = 1, per_page: int = MAX_PER_PAGE
    ) -> Page[OrderMessage]:
        """An order's messages, most recent first."""
        return await self._page(
            OrderMessage,
            "messages",
            f"/marketplace/orders/{_seg(order_id)}/messages",
            page=page,
            per_page=per_page,
        )

    async def add_order_message(
        self, order_id: str, *, message: str | None = None, status: str | None = None
    ) -> OrderMessage:
        """Send the buyer a message and/or change the order's status."""
        path = f"/marketplace/orders/{_seg(order_id)}/messages"
        body = {k: v for k, v in {"message": message, "status": status}.items() if v is not None}
        answer = await self._write(
            "POST",
            path,
            body=body,
            invalidates=self._order_changes(),
        )
        return self._parse(OrderMessage, answer, path)

    async def get_fee(self, price: float, currency: str | None = None) -> Fee:
        """The marketplace fee for selling at ``price`` (in ``currency``, default USD)."""
        path = f"/marketplace/fee/{_price_segment(price)}" + (
            f"/{_seg(currency)}" if currency else ""
        )
        return await self._get(Fee, path)

    async def get_price_suggestions(self, release_id: int) -> PriceSuggestions:
        """Suggested prices by grade (needs seller settings)."""
        return await self._get(PriceSuggestions, f"/marketplace/price_suggestions/{release_id}")

    async def get_marketplace_stats(
        self, release_id: int, *, curr_abbr: str | None = None
    ) -> MarketplaceStats:
        """Lowest price and number for sale of a release (null when none)."""
        return await self._get(
            MarketplaceStats, f"/marketplace/stats/{release_id}", {"curr_abbr": curr_abbr}
        )

    # == Inventory export and upload ========================================================

    async def export_inventory(self) -> None:
        """Ask for a CSV export of the inventory."""
        await self._write("POST", "/inventory/export", invalidates=("/inventory/export",))

    async def get_inventory_exports(
        self, *, page: int = 1, per_page: int = MAX_PER_PAGE
    ) -> Page[InventoryExport]:
        """Recent inventory exports."""
        return await self._page(
            InventoryExport, "items", "/inventory/export", page=page, per_page=per_page
        )

    async def get_inventory_export(self, export_id: int) -> InventoryExport:
        """One export's status."""
        return await self._get(InventoryExport, f"/inventory/export/{export_id}")

    async def download_inventory_export(self, export_id: int) -> bytes:
        """The CSV of a finished export."""
        path = f"/inventory/export/{export_id}/download"
        return await self._read(path, None, lambda answer: answer.body, use_cache=False)

    async def upload_inventory(
        self, kind: str, csv_data: bytes, *, filename: str = "upload.csv"
    ) -> None:
        """Upload a CSV to ``add``, ``change`` or ``delete`` listings in bulk."""
        if kind not in ("add", "change", "delete"):
            raise ValueError("kind must be add, change or delete")
        await self._send(
            "POST",
            f"/inventory/upload/{kind}",
            files={"upload": (filename, csv_data, "text/csv")},
            invalidates=(
                *self._inventory_changes(None),
                *_csv_release_changes(csv_data),
                "/inventory/upload",
            ),
        )

    async def get_inventory_uploads(
        self, *, page: int = 1, per_page: int = MAX_PER_PAGE
    ) -> Page[InventoryUpload]:
        """Recent inventory uploads."""
        return await self._page(
            InventoryUpload, "items", "/inventory/upload", page=page, per_page=per_page
        )

    async def get_inventory_upload(self, upload_id: int) -> InventoryUpload:
        """One upload's status."""
        return await self._get(InventoryUpload, f"/inventory/upload/{upload_id}")


_MANY_RELEASES = 500
"""Past this many releases in one upload, every cached release is dropped instead."""


def _csv_release_changes(csv_data: bytes) -> tuple[str, ...]:
    """The release pages an inventory upload changes (lowest price, number for sale): those named
    in its ``release_id`` column; a ``delete`` upload names only listings, so none."""
    text = csv_data.decode("utf-8-sig", "replace")
    try:
        rows = csv.DictReader(io.StringIO(text))
        ids = {(row.get("release_id") or "").strip() for row in rows}
    except csv.Error:
        return ("/releases",)
    ids = {value for value in ids if value.isdigit()}
    if len(ids) > _MANY_RELEASES:
        return ("/releases",)
    return tuple(f"/releases/{value}?" for value in sorted(ids))


def _rating_changes(release_id: int, username: str) -> tuple[str, ...]:
    """A user's rating moves the release's community rating (in the release too) and the
    profile's ``releases_rated`` and ``rating_avg``."""
    return (f"/releases/{release_id}", f"/users/{_seg(username)}?")


def _wantlist_changes(username: str) -> tuple[str, ...]:
    """The wantlist pages and the profile's ``num_wantlist``."""
    return (f"/users/{_seg(username)}/wants", f"/users/{_seg(username)}?")


def _raw_write_changes(path: str) -> tuple[str, ...]:
    """What a write the client has no model for may change: all of the user's own data
    (collection, wantlist, inventory, orders, lists, profile, marketplace figures) and the
    object it was sent to (e.g. ``/releases/1`` for a rating); other database objects stay."""
    bare = path.split("?", 1)[0]
    target = "/".join(bare.split("/")[:3]) or "/"
    return (bare, target, "/users", "/lists", "/marketplace", "/inventory")


def _listing_body(fields: ListingFields) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value is not None}
