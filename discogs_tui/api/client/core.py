"""The client core: construction, lifecycle, the request pipeline, parsing and paging.

Every request goes the same way (:meth:`ClientCore._send`, :meth:`ClientCore._read`): the
disk cache is asked first for GETs, identical GETs in flight share one request, the rate
governor hands out a slot (user-facing work before background work), the answer's rate-limit
headers are fed back to the governor, 429s on reads are retried after a back-off, errors
become the typed hierarchy of :mod:`discogs_tui.api.errors`, and the JSON is parsed into
frozen models. Only an answer that parsed is stored, and reads are read-your-writes: a read
that was under way when a write to the same data began neither stores its answer nor shares
it with readers who came after the write. The wire itself is :mod:`._wire`; the disk cache
calls are :mod:`._cache_io`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import httpx

from discogs_tui.api.auth import Credentials, check_transport_security
from discogs_tui.api.cache import ResponseCache, WriteGenerations, namespace_for, ttl_for
from discogs_tui.api.client._cache_io import CacheIO
from discogs_tui.api.client._parsing import parse_model, parse_page, parse_raw_json
from discogs_tui.api.client._shared import (
    ACCEPT_FORMATS,
    DEFAULT_BASE_URL,
    DEFAULT_USER_AGENT,
    MAX_PER_PAGE,
    M,
    Params,
    R,
    T,
    _Answer,
    _clean,
    _Flight,
    _per_page,
    _priority,
    _raw_write_changes,
    _seg,
    _text_format,
    cache_key,
)
from discogs_tui.api.client._wire import Wire
from discogs_tui.api.errors import InvalidResponseError, NetworkError, OutcomeUnknownError
from discogs_tui.api.ratelimit import Priority, RateGovernor, RateState
from discogs_tui.models import FetchInfo, Page

log = logging.getLogger("discogs_tui.api.client")


class ClientCore(Wire, CacheIO):
    """The part of :class:`~discogs_tui.api.client.DiscogsClient` every area builds on.

    Use the client as ``async with DiscogsClient(token=...) as client``. Path parameters are
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

    async def __aenter__(self) -> Self:
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

    # -- parsing (see ._parsing) ---------------------------------------------------------

    _parse = staticmethod(parse_model)

    async def _get(
        self, model: type[M], path: str, params: Params | None = None, *, use_cache: bool = True
    ) -> M:
        return await self._read(
            path, params, lambda a: self._parse(model, a, path), use_cache=use_cache
        )

    async def _page(
        self,
        item: type[T],
        key: str,
        path: str,
        *,
        page: int = 1,
        per_page: int = MAX_PER_PAGE,
        params: Params | None = None,
        use_cache: bool = True,
    ) -> Page[T]:
        query = {**(params or {}), "page": page, "per_page": _per_page(per_page)}
        return await self._read(
            path, query, lambda a: parse_page(item, key, a, path), use_cache=use_cache
        )

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

    async def _write_parsed(
        self,
        model: type[M],
        method: str,
        path: str,
        *,
        params: Params | None = None,
        body: Mapping[str, Any] | None = None,
        invalidates: Sequence[str] = (),
    ) -> M:
        """A write whose answer is ``model``: sent as :meth:`_write` does, then parsed."""
        answer = await self._write(method, path, params=params, body=body, invalidates=invalidates)
        return self._parse(model, answer, path)

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
        (and the one it was sent to). Raises the :mod:`discogs_tui.api.errors` hierarchy.
        https://www.discogs.com/developers/#page:home,header:home-general-information
        """
        verb = method.upper()
        if verb == "GET":
            return await self._read(path, params, lambda answer: parse_raw_json(answer, path))
        answer = await self._send(
            verb, path, params=params, json_body=body, invalidates=_raw_write_changes(path)
        )
        return parse_raw_json(answer, path)

    # -- walking pages ---------------------------------------------------------------------

    async def iter_pages(
        self,
        method: Callable[..., Awaitable[Page[T]]],
        *args: Any,
        **kwargs: Any,
    ) -> AsyncIterator[Page[T]]:
        """Every page of a paginated method, first to last; pages after the first are background work.

        ``method`` is a client method returning :class:`~discogs_tui.models.Page` (``page`` and
        ``per_page`` keywords; ``per_page`` defaults to 100, the most Discogs serves). Stops at
        the last page or at an empty one; raises what ``method`` raises, after yielding the
        pages before. Paging follows
        https://www.discogs.com/developers/#page:home,header:home-pagination

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
        """Every item of a paginated method across all pages (see :meth:`iter_pages`).

        https://www.discogs.com/developers/#page:home,header:home-pagination
        """
        page: Page[T]
        async for page in self.iter_pages(method, *args, **kwargs):
            for item in page.items:
                yield item

    # == Service and OAuth ==================================================================
    # -- who is signed in, and what a write changes ----------------------------------------

    def set_username(self, username: str | None) -> None:
        """Tell the client who is signed in, so writes invalidate the right cached pages."""
        self._username_hint = username
        self._describe_cache()

    def _own_data(self, area: str) -> tuple[str, ...]:
        """The signed-in user's ``area`` and profile; every user's when the user is not known."""
        me = self._username_hint
        return (f"/users/{_seg(me)}/{area}", f"/users/{_seg(me)}?") if me else ("/users",)

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
