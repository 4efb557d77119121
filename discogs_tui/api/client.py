"""DiscogsClient: one async method per Discogs API operation.

Every request goes the same way (:meth:`DiscogsClient._send`): the disk cache is asked
first for GETs, identical GETs in flight share one request, the rate governor hands out
a slot (user-facing work before background work), the answer's rate-limit headers are fed
back to the governor, 429s on reads are retried after a back-off, errors become the typed
hierarchy of :mod:`discogs_tui.api.errors`, and the JSON is parsed into frozen models.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import json
import logging
import math
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Required, TypedDict, TypeVar
from urllib.parse import quote, urlencode

import httpx
import pydantic
from typing_extensions import Unpack

from discogs_tui import PROJECT_URL, __version__
from discogs_tui.api.auth import Credentials, check_transport_security, scrub
from discogs_tui.api.cache import (
    CachedAnswer,
    ResponseCache,
    cache_key,
    namespace_for,
    ttl_for,
)
from discogs_tui.api.errors import (
    DiscogsError,
    InvalidResponseError,
    NetworkError,
    RateLimitedError,
    error_for_status,
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
ACCEPT_FORMATS = ("discogs", "plaintext", "html")

M = TypeVar("M", bound=pydantic.BaseModel)
T = TypeVar("T")

Params = Mapping[str, str | int | float | bool | None]

_priority: contextvars.ContextVar[Priority] = contextvars.ContextVar(
    "discogs_priority", default=Priority.INTERACTIVE
)


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
        accept_format: str = "discogs",
        clock: Callable[[], float] = time.time,
    ) -> None:
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
        self._accept = f"application/vnd.discogs.v2.{accept_format}+json"
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            transport=transport,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            headers={"User-Agent": user_agent},
        )
        limit = 60 if self.credentials.kind != "anonymous" else 25
        self.governor = governor or RateGovernor(limit=limit)
        if isinstance(cache, (str, Path)):
            cache = ResponseCache(
                Path(cache), namespace=namespace_for(self.base_url, self.credentials.fingerprint)
            )
        self.cache = cache
        self._clock = clock
        self._in_flight: dict[str, asyncio.Future[_Answer]] = {}
        self._username_hint: str | None = None
        self.requests_sent = 0
        """How many HTTP requests actually went out (cache hits and shared GETs don't count)."""
        self.response_listeners: list[Callable[[int], None]] = []
        """Called with the HTTP status of every answer received, on the event loop."""

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
        if self.cache is not None:
            # Closing waits for the cache's worker and closes SQLite: not on the event loop.
            await asyncio.to_thread(self.cache.close)

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
        use_cache: bool = True,
    ) -> _Answer:
        query = _clean(params)
        if method != "GET":
            try:
                return await self._network(method, path, query, json_body, files)
            finally:
                # Also when the write failed: an answer lost on the way back (a timeout, a
                # reset) may belong to a write the server made, so cached copies may be stale.
                if invalidates:
                    await asyncio.shield(self._cache_invalidate(invalidates))
        ttl = ttl_for(path) if use_cache and self.cache is not None else None
        key = cache_key("GET", path, query)
        cached = await self._cache_get(key) if ttl is not None else None
        now = self._clock()
        if cached is not None and cached.is_fresh(now):
            return _Answer(cached.status, cached.body, FetchInfo(True, cached.age(now), False))
        while (shared := self._in_flight.get(key)) is not None:
            try:
                return await asyncio.shield(shared)
            except asyncio.CancelledError:
                task = asyncio.current_task()
                if not shared.cancelled() or (task is not None and task.cancelling()):
                    raise
                # The task that sent the request was cancelled, not us: send it ourselves.
        future: asyncio.Future[_Answer] = asyncio.get_running_loop().create_future()
        self._in_flight[key] = future
        try:
            try:
                answer = await self._network("GET", path, query, None, None)
            except NetworkError:
                if cached is None:
                    raise
                answer = _Answer(cached.status, cached.body, FetchInfo(True, cached.age(now), True))
            else:
                if ttl is not None and answer.status == 200:
                    await self._cache_put(key, answer, ttl)
            future.set_result(answer)
            return answer
        except asyncio.CancelledError:
            # Only this caller gave up: tasks sharing the request retry it (see above).
            future.cancel()
            raise
        except BaseException as exc:
            future.set_exception(exc)
            # Nobody may await the shared future; mark its exception as retrieved.
            future.exception()
            raise
        finally:
            del self._in_flight[key]

    # The disk cache only ever saves requests: when it fails (disk full, database locked or
    # corrupted) the request goes on as if there were no cache, and the failure is logged.

    async def _cache_get(self, key: str) -> CachedAnswer | None:
        if self.cache is None:
            return None
        try:
            return await self.cache.get(key)
        except Exception:
            log.warning("disk cache: reading an answer failed", exc_info=True)
            return None

    async def _cache_put(self, key: str, answer: _Answer, ttl: float) -> None:
        if self.cache is None:
            return
        try:
            await self.cache.put(key, answer.body, status=answer.status, ttl=ttl)
        except Exception:
            log.warning("disk cache: storing an answer failed", exc_info=True)

    async def _cache_invalidate(self, paths: Sequence[str]) -> None:
        if self.cache is None:
            return
        try:
            await self.cache.invalidate(*paths)
        except Exception:
            log.warning("disk cache: dropping changed answers failed", exc_info=True)

    async def _network(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        json_body: Mapping[str, Any] | None,
        files: Mapping[str, tuple[str, bytes, str]] | None,
    ) -> _Answer:
        url = self.base_url + path + (f"?{urlencode(query)}" if query else "")
        headers = {"Accept": self._accept}
        body: bytes | None = None
        if json_body is not None:
            body = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        attempt = 0
        while True:
            # Signed afresh on every try: an OAuth nonce must not be sent twice.
            auth = self.credentials.authorization(method, url)
            if auth is not None:
                headers["Authorization"] = auth
            await self.governor.acquire(_priority.get())
            try:
                self.requests_sent += 1
                response = await self._http.request(
                    method, url, headers=headers, content=body, files=files
                )
                raw = await response.aread()
            except httpx.HTTPError as exc:
                raise NetworkError(self._network_message(exc)) from None
            self.governor.record_response(response.status_code, response.headers)
            for listener in self.response_listeners:
                listener(response.status_code)
            if response.status_code == 429 and method == "GET":
                attempt += 1
                delay = self.governor.retry_delay(attempt, response.headers.get("Retry-After"))
                if delay is not None:
                    await self.governor.backoff(delay)
                    continue
            if response.status_code >= 400:
                raise self._error(response.status_code, raw, method, path, response.headers)
            return _Answer(response.status_code, raw, FetchInfo())

    def _network_message(self, exc: httpx.HTTPError) -> str:
        if isinstance(exc, httpx.TimeoutException):
            text = "Discogs did not answer in time. Check your connection and try again."
        elif isinstance(exc, httpx.ConnectError):
            text = f"Could not connect to {self.base_url}. Check your connection and try again."
        else:
            text = f"The connection to {self.base_url} failed ({type(exc).__name__}). Try again."
        return scrub(text, self.credentials)

    def _error(
        self, status: int, raw: bytes, method: str, path: str, headers: Mapping[str, str]
    ) -> DiscogsError:
        message = ""
        detail: Any = None
        try:
            data = json.loads(raw) if raw else {}
        except ValueError:
            data = {}
        if isinstance(data, dict):
            message = str(data.get("message") or "")
            detail = data.get("detail")
        if not message:
            message = f"Discogs answered {status} to {method} {path}."
        message = scrub(message, self.credentials)
        error = error_for_status(status, message, detail=detail, method=method, path=path)
        if isinstance(error, RateLimitedError):
            with contextlib.suppress(TypeError, ValueError):
                error.retry_after = float(headers.get("Retry-After", ""))
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
        return self._parse(model, await self._send("GET", path, params=params), path)

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
        query.update(page=page, per_page=max(1, min(per_page, MAX_PER_PAGE)))
        answer = await self._send("GET", path, params=query)
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

        For endpoints and fields the models do not cover yet; ``None`` for an empty answer.
        """
        answer = await self._send(
            method.upper(), path, params=params, json_body=body, invalidates=(path,)
        )
        if not answer.body:
            return None
        return self._json(answer, path)

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
        while current.pagination.page < current.pagination.pages and current.items:
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
        url = self.base_url + path
        headers["Authorization"] = oauth_header(
            method,
            url,
            consumer_key=creds.consumer_key,
            consumer_secret=creds.consumer_secret,
            token=token,
            token_secret=token_secret,
            verifier=verifier,
            callback_uri=callback_url,
        )
        await self.governor.acquire(_priority.get())
        try:
            self.requests_sent += 1
            response = await self._http.request(method, url, headers=headers)
            raw = await response.aread()
        except httpx.HTTPError as exc:
            raise NetworkError(self._network_message(exc)) from None
        self.governor.record_response(response.status_code, response.headers)
        if response.status_code >= 400:
            raise self._error(response.status_code, raw, method, path, response.headers)
        fields = parse_qs(raw.decode("utf-8", "replace"))
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

    async def get_release(self, release_id: int, *, curr_abbr: str | None = None) -> Release:
        """A release: tracklist, credits, formats, labels, identifiers, community figures."""
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
            "PUT", path, body={"rating": rating}, invalidates=(f"/releases/{release_id}/rating",)
        )
        return self._parse(ReleaseRatingByUser, answer, path)

    async def delete_release_rating_by_user(self, release_id: int, username: str) -> None:
        """Remove ``username``'s rating of a release."""
        path = f"/releases/{release_id}/rating/{_seg(username)}"
        await self._write("DELETE", path, invalidates=(f"/releases/{release_id}/rating",))

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

    async def get_artist(self, artist_id: int) -> Artist:
        """An artist: profile, real name, members, groups, aliases, links."""
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

    async def get_label(self, label_id: int) -> Label:
        """A label: profile, contact, parent label and sublabels."""
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
            {"page": page, "per_page": min(per_page, MAX_PER_PAGE)},
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
        base = self._collection(username)
        paths = [f"{base}/folders", f"{base}/value"]
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
        answer = await self._write(
            "PUT", path, body=body, invalidates=(f"/users/{_seg(username)}/wants",)
        )
        return self._parse(Want, answer, path)

    async def update_in_wantlist(
        self, username: str, release_id: int, *, notes: str | None = None, rating: int | None = None
    ) -> Want:
        """Edit a want's notes or rating."""
        path = f"/users/{_seg(username)}/wants/{release_id}"
        body = {k: v for k, v in {"notes": notes, "rating": rating}.items() if v is not None}
        answer = await self._write(
            "POST", path, body=body, invalidates=(f"/users/{_seg(username)}/wants",)
        )
        return self._parse(Want, answer, path)

    async def delete_from_wantlist(self, username: str, release_id: int) -> None:
        """Remove a release from the wantlist."""
        await self._write(
            "DELETE",
            f"/users/{_seg(username)}/wants/{release_id}",
            invalidates=(f"/users/{_seg(username)}/wants",),
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

    def _inventory_changes(self, listing_id: int | None) -> tuple[str, ...]:
        paths = ["/marketplace/stats", "/marketplace/price_suggestions"]
        if listing_id is not None:
            paths.append(f"/marketplace/listings/{listing_id}")
        me = self._username_hint
        if me:
            paths.append(f"/users/{_seg(me)}/inventory")
        else:
            paths.append("/users")
        return tuple(paths)

    def set_username(self, username: str | None) -> None:
        """Tell the client who is signed in, so writes invalidate the right cached pages."""
        self._username_hint = username

    async def edit_listing(self, listing_id: int, **fields: Unpack[ListingFields]) -> None:
        """Change a listing (only For Sale, Draft and Expired listings can be edited)."""
        await self._write(
            "POST",
            f"/marketplace/listings/{listing_id}",
            body=_listing_body(fields),
            invalidates=self._inventory_changes(listing_id),
        )

    async def create_listing(self, **fields: Unpack[ListingFields]) -> NewListing:
        """List a release for sale (``status`` "For Sale", the default) or as a "Draft"."""
        path = "/marketplace/listings"
        body = {"status": "For Sale", **_listing_body(fields)}
        answer = await self._write(
            "POST", path, body=body, invalidates=self._inventory_changes(None)
        )
        return self._parse(NewListing, answer, path)

    async def delete_listing(self, listing_id: int) -> None:
        """Delete a listing."""
        await self._write(
            "DELETE",
            f"/marketplace/listings/{listing_id}",
            invalidates=self._inventory_changes(listing_id),
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
        answer = await self._write(
            "POST", path, body=body, invalidates=(path, "/marketplace/orders")
        )
        return self._parse(Order, answer, path)

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
            invalidates=(f"/marketplace/orders/{_seg(order_id)}", "/marketplace/orders"),
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
        answer = await self._send("GET", f"/inventory/export/{export_id}/download", use_cache=False)
        return answer.body

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
            invalidates=(*self._inventory_changes(None), "/inventory/upload"),
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


def _listing_body(fields: ListingFields) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value is not None}
