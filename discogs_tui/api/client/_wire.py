"""On the wire: one request from the rate governor's slot to a checked answer.

``timeout`` bounds the whole request, from connecting to the last byte of the answer. Reads
that meet a 500, 502, 503, 504, a broken connection or a stall are tried again a few times
with jittered back-off while that time lasts; writes are never sent twice. Redirects are
followed for reads to the same host only. Failures become :mod:`discogs_tui.api.errors`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx

from discogs_tui.api.auth import Credentials, scrub
from discogs_tui.api.client._shared import (
    MAX_REDIRECTS,
    RETRIED_STATUSES,
    _Answer,
    _priority,
    _text_format,
)
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
from discogs_tui.api.ratelimit import RateGovernor
from discogs_tui.models import FetchInfo

log = logging.getLogger("discogs_tui.api.client")


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


class Wire:
    """The network half of the client core: sending, retrying, redirects, error mapping."""

    base_url: str
    credentials: Credentials
    accept_format: str
    governor: RateGovernor
    requests_sent: int
    response_listeners: list[Callable[[int], None]]
    _http: httpx.AsyncClient
    _timeout: float
    _retries: int
    _retry_backoff: float
    _sleep: Callable[[float], Awaitable[None]]
    _jitter: Callable[[], float]

    @property
    def _accept(self) -> str:
        """The ``Accept`` header: the format the current request asks for, else the client's."""
        return f"application/vnd.discogs.v2.{_text_format.get() or self.accept_format}+json"

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
