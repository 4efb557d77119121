"""The rate governor: keeps every request inside Discogs' per-IP budget.

Discogs allows 60 requests a minute per source IP when signed in and 25 when not,
counted over a moving 60-second window, and reports its count on every response in
``X-Discogs-Ratelimit``, ``X-Discogs-Ratelimit-Used`` and ``X-Discogs-Ratelimit-Remaining``.

The governor hands out send slots. It remembers when each of our own requests went out,
so a burst never puts more than ``limit`` requests in any window, and it folds in the
server's count, which also holds requests other clients on the same IP made. When the
budget is spent, callers wait in a queue (user-facing requests first) instead of failing.

The governor never sends or retries anything itself. The client's loop is::

    acquire -> send -> record_response -> on 429: retry_delay -> backoff -> retry (reads only)
    acquire -> send fails before reaching the server (refused, DNS) -> release_unsent

Its state is observable through :meth:`RateGovernor.subscribe`, so the UI can draw a gauge
without this package importing any UI code.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import heapq
import itertools
import logging
import random
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC
from enum import IntEnum
from typing import Literal

__all__ = ["Priority", "RateGovernor", "RateState"]

logger = logging.getLogger(__name__)

_LIMIT_HEADER = "x-discogs-ratelimit"
_USED_HEADER = "x-discogs-ratelimit-used"
_REMAINING_HEADER = "x-discogs-ratelimit-remaining"


class Priority(IntEnum):
    """Who is waiting for a request: lower values are served first."""

    INTERACTIVE = 0
    """The user is looking at a spinner until this answer arrives."""
    BACKGROUND = 1
    """Prefetch, next pages, refreshes: nobody is waiting right now."""


@dataclass(frozen=True)
class RateState:
    """A snapshot of the budget, as the UI's rate gauge draws it."""

    limit: int
    """Requests allowed per window."""
    used: int
    """Requests counted in the current window (ours, plus others' the server told us about)."""
    remaining: int
    """Requests that may go out right now (never negative)."""
    queued: int
    """Requests waiting for a slot."""
    throttled_until: float | None
    """Clock time until which requests are held back (429 back-off or budget spent); None if not."""
    updated_at: float | None
    """Clock time of the last response that carried rate-limit headers; None before the first."""
    source: Literal["local", "server"]
    """``"server"`` when the server's figures are worse than our own count and are shown."""


@dataclass(order=True)
class _Waiter:
    """One queued :meth:`RateGovernor.acquire`: ordered by priority, then arrival."""

    priority: int
    seq: int
    future: asyncio.Future[float] = field(compare=False)


class RateGovernor:
    """Hands out request slots so that no moving window holds more than ``limit`` requests.

    ``clock`` and ``sleep`` are injectable so tests (and the benchmark) run on simulated
    time. ``margin`` keeps each of our requests in the window that many seconds longer than
    ``window``: the server counts a request when it arrives, a little after we sent it, and
    this absorbs the difference in network delay between two requests a window apart.
    ``wall_clock`` (seconds since the epoch) is only used to turn a ``Retry-After`` HTTP
    date into a delay; a ``Retry-After`` beyond ``max_retry_after`` seconds is not waited for.
    """

    def __init__(
        self,
        *,
        limit: int = 60,
        window: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        max_retries: int = 4,
        backoff_base: float = 1.0,
        backoff_cap: float = 60.0,
        jitter: Callable[[], float] = random.random,
        margin: float = 0.5,
        wall_clock: Callable[[], float] = time.time,
        max_retry_after: float = 300.0,
    ) -> None:
        _check_limit(limit)
        if not window > 0:
            raise ValueError(f"window must be positive, not {window!r}")
        if max_retries < 0:
            raise ValueError(f"max_retries must not be negative, not {max_retries!r}")
        if not (backoff_base > 0 and backoff_cap > 0 and margin >= 0):
            raise ValueError("backoff_base and backoff_cap must be positive, margin not negative")
        self._limit = limit
        self._window = float(window)
        self._hold = float(window) + float(margin)
        self._clock = clock
        self._sleep = sleep
        self._max_retries = max_retries
        self._backoff_base = float(backoff_base)
        self._backoff_cap = float(backoff_cap)
        self._jitter = jitter
        self._wall_clock = wall_clock
        self._max_retry_after = float(max_retry_after)

        # Send times of our own requests still in the window, oldest first.
        self._sent: deque[float] = deque()
        # Requests the server counted that are not ours, as (leaves the window, how many).
        # Each is taken to have been sent when a report first showed it (the worst case).
        self._foreign: deque[tuple[float, int]] = deque()
        self._updated_at: float | None = None
        self._throttle_until: float | None = None
        self._throttle_waiters: list[asyncio.Future[None]] = []

        self._queue: list[_Waiter] = []
        self._seq = itertools.count()
        # One task sleeps until the next moment something can change (a slot frees up or a
        # back-off ends); it is replaced whenever that moment moves.
        self._pump: asyncio.Task[None] | None = None
        self._pump_at: float | None = None

        self._subscribers: dict[int, Callable[[RateState], None]] = {}
        self._subscriber_ids = itertools.count()
        self._last_state: RateState | None = None

    # ------------------------------------------------------------------ public API

    @property
    def limit(self) -> int:
        """Requests allowed per window."""
        return self._limit

    def set_limit(self, limit: int) -> None:
        """Change the budget: 60 signed in, 25 anonymous (also taken from the server's header)."""
        _check_limit(limit)
        if limit == self._limit:
            return
        self._limit = limit
        self._dispatch()

    async def acquire(self, priority: Priority = Priority.INTERACTIVE) -> float:
        """Wait until a request may be sent, then count it as sent now; returns that moment.

        Waiters are served by priority, first come first served within one. Cancelling a
        waiting call gives its place (or a slot it was just handed) to the next one. Pass
        the returned moment to :meth:`release_unsent` if the request never left.
        """
        now = self._clock()
        if not self._queue and not self._throttled(now) and self._occupied(now) < self._limit:
            self._sent.append(now)
            self._notify()
            return now
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        waiter = _Waiter(int(priority), next(self._seq), future)
        heapq.heappush(self._queue, waiter)
        self._dispatch()
        try:
            return await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():
                # Handed a slot in the same moment we were cancelled: give it back.
                self._release(future.result())
            else:
                self._unqueue(waiter)
            self._dispatch()
            raise

    def release_unsent(self, sent_at: float) -> None:
        """Give back the slot :meth:`acquire` handed out at ``sent_at``: the request never
        reached the server (connection refused, DNS failure), so Discogs did not count it
        and neither does the gauge. The next waiter, if any, gets the slot."""
        self._release(sent_at)
        self._dispatch()

    def record_response(self, status: int, headers: Mapping[str, str]) -> None:
        """Fold in the rate-limit headers of a response (names are case-insensitive).

        The server's ``used`` covers every client on our IP. Whatever it counts beyond our
        own requests in the window, and beyond other clients' requests an earlier report
        showed, is taken to have been sent just now, the worst case, so those requests hold
        their slots for a whole window. A lower figure than expected is not trusted: our
        requests still on their way are not in it yet. A 429 without headers is read as
        ``remaining: 0``, unless it carries a usable ``Retry-After``: then the wait it asks
        for (:meth:`retry_delay`, :meth:`backoff`) is the whole of it, not a full window.
        """
        figures = {key.lower(): value for key, value in headers.items()}
        limit = _header_int(figures.get(_LIMIT_HEADER))
        used = _header_int(figures.get(_USED_HEADER))
        remaining = _header_int(figures.get(_REMAINING_HEADER))
        if (
            status == 429
            and used is None
            and remaining is None
            and self.retry_after_seconds(figures.get("retry-after")) is None
        ):
            remaining = 0
        if limit is None and used is None and remaining is None:
            return
        now = self._clock()
        if limit is not None and limit > 0:
            self._limit = limit
        counts = []
        if used is not None:
            counts.append(used)
        if remaining is not None:
            counts.append(self._limit - remaining)
        if counts:
            # Only growth is news. A smaller figure usually means some of our requests were
            # still on their way when the server counted, not that others' requests left.
            grown = max(counts) - self._own_in_window(now) - self._foreign_at(now)
            if grown > 0:
                self._foreign.append((now + self._hold, grown))
        self._updated_at = now
        self._dispatch()

    def retry_delay(self, attempt: int, retry_after: str | None) -> float | None:
        """Seconds to wait after a 429 before retry number ``attempt`` (counted from 1).

        Returns None once ``max_retries`` retries have been spent, or when a ``Retry-After``
        header asks for more than ``max_retry_after`` seconds. A ``Retry-After`` header
        (seconds or an HTTP date) is otherwise honoured as sent; without one the delay doubles from
        ``backoff_base`` up to ``backoff_cap``, with jitter taking it down to half at most
        so that clients that hit the limit together do not come back together.
        """
        if attempt < 1:
            raise ValueError(f"attempt counts from 1, not {attempt!r}")
        if attempt > self._max_retries:
            return None
        told = self.retry_after_seconds(retry_after)
        if told is not None:
            # A wait longer than ``max_retry_after`` is not waited out with the whole app
            # held back: the read fails now and its error says when to come back.
            return told if told <= self._max_retry_after else None
        ceiling = min(self._backoff_cap, self._backoff_base * 2.0 ** min(attempt - 1, 60))
        spread = min(1.0, max(0.0, self._jitter()))
        return ceiling * (0.5 + 0.5 * spread)

    async def backoff(self, delay: float) -> None:
        """Hold back every request for ``delay`` seconds, then return.

        Overlapping back-offs extend the hold to the latest end. Cancelling this call does
        not lift the hold: the server asked for the pause, not the caller.
        """
        if not delay > 0:
            return
        now = self._clock()
        until = now + delay
        if self._throttle_until is None or until > self._throttle_until:
            self._throttle_until = until
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._throttle_waiters.append(future)
        self._dispatch()
        try:
            await future
        finally:
            if future in self._throttle_waiters:
                self._throttle_waiters.remove(future)

    @property
    def state(self) -> RateState:
        """The budget as it stands now."""
        now = self._clock()
        used = self._occupied(now)
        until = self._throttle_until if self._throttled(now) else None
        if used >= self._limit:
            refill = self._free_at(now)
            until = refill if until is None else max(until, refill)
        server = self._foreign_at(now) > 0
        return RateState(
            limit=self._limit,
            used=used,
            remaining=max(0, self._limit - used),
            queued=len(self._queue),
            throttled_until=until,
            updated_at=self._updated_at,
            source="server" if server else "local",
        )

    def subscribe(self, callback: Callable[[RateState], None]) -> Callable[[], None]:
        """Call ``callback`` with the new state on every change; returns an unsubscribe.

        Changes are: a slot handed out, a response's headers, the queue growing or
        shrinking, a hold starting or ending. Nothing fires while the window merely slides
        with nobody waiting, so a gauge should also read :attr:`state` on its own timer.
        """
        key = next(self._subscriber_ids)
        self._subscribers[key] = callback

        def unsubscribe() -> None:
            self._subscribers.pop(key, None)

        return unsubscribe

    # ------------------------------------------------------------------ the window

    def _expire(self, now: float) -> None:
        """Drop our requests that have left the window."""
        while self._sent and self._sent[0] + self._hold <= now:
            self._sent.popleft()

    def _own_in_window(self, now: float) -> int:
        self._expire(now)
        return len(self._sent)

    def _foreign_at(self, now: float) -> int:
        while self._foreign and self._foreign[0][0] <= now:
            self._foreign.popleft()
        return sum(count for _, count in self._foreign)

    def _occupied(self, now: float) -> int:
        """Requests counted against the budget at ``now``: ours plus the server's others."""
        return self._own_in_window(now) + self._foreign_at(now)

    def _free_at(self, now: float) -> float:
        """The earliest moment, ``now`` or later, at which one more request fits."""
        excess = self._occupied(now) - self._limit + 1
        if excess <= 0:
            return now
        # Moments at which requests leave the window, with how many leave, in time order.
        departures = [(sent + self._hold, 1) for sent in self._sent]
        if self._foreign:
            departures.extend(self._foreign)
            departures.sort()
        for moment, count in departures:
            excess -= count
            if excess <= 0:
                return moment
        return now  # unreachable: everything leaves eventually

    def _throttled(self, now: float) -> bool:
        return self._throttle_until is not None and now < self._throttle_until

    def _release(self, sent_at: float) -> None:
        """Forget a slot that was handed out but never used."""
        with contextlib.suppress(ValueError):
            self._sent.remove(sent_at)

    def _unqueue(self, waiter: _Waiter) -> None:
        for index, queued in enumerate(self._queue):
            if queued is waiter:
                del self._queue[index]
                heapq.heapify(self._queue)
                return

    # ------------------------------------------------------------------ dispatch

    def _dispatch(self) -> None:
        """Lift an expired hold, hand out every slot that is free, and plan the next wake-up."""
        now = self._clock()
        if self._throttle_until is not None and now >= self._throttle_until:
            self._throttle_until = None
            for future in self._throttle_waiters:
                if not future.done():
                    future.set_result(None)
            self._throttle_waiters.clear()
        if not self._throttled(now):
            while self._queue and self._occupied(now) < self._limit:
                waiter = heapq.heappop(self._queue)
                if waiter.future.done():
                    continue
                self._sent.append(now)
                waiter.future.set_result(now)
        self._notify()
        self._schedule(now)

    def _schedule(self, now: float) -> None:
        """Make sure one pump task sleeps until the next moment :meth:`_dispatch` can act."""
        wake: float | None = None
        if self._throttle_until is not None:
            wake = self._throttle_until
        elif self._queue:
            wake = self._free_at(now)
        if wake is not None and self._pump is not None and self._pump_at == wake:
            return
        if self._pump is not None:
            self._pump.cancel()
            self._pump = None
            self._pump_at = None
        if wake is not None:
            self._pump_at = wake
            self._pump = asyncio.get_running_loop().create_task(self._run_pump(wake))

    async def _run_pump(self, wake: float) -> None:
        try:
            delay = wake - self._clock()
            if delay > 0:
                await self._sleep(delay)
        finally:
            if self._pump is asyncio.current_task():
                self._pump = None
                self._pump_at = None
        self._dispatch()

    def _notify(self) -> None:
        """Tell subscribers about the state, unless it is the one they saw last."""
        if not self._subscribers:
            self._last_state = None
            return
        state = self.state
        if state == self._last_state:
            return
        self._last_state = state
        for callback in list(self._subscribers.values()):
            try:
                callback(state)
            except Exception:
                # A broken gauge must not stop requests from flowing.
                logger.exception("rate state subscriber failed")

    # ------------------------------------------------------------------ Retry-After

    def retry_after_seconds(self, value: str | None) -> float | None:
        """Seconds from a ``Retry-After`` value (delay-seconds or HTTP date); None if unusable.

        https://www.rfc-editor.org/rfc/rfc9110#field.retry-after
        """
        if value is None:
            return None
        text = value.strip()
        if not text:
            return None
        if text.isascii() and text.isdigit():
            return float(text)
        try:
            moment = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return max(0.0, moment.timestamp() - self._wall_clock())


def _check_limit(limit: int) -> None:
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ValueError(f"limit must be a positive whole number, not {limit!r}")


def _header_int(value: str | None) -> int | None:
    """A non-negative integer header value, or None when absent or malformed."""
    if value is None:
        return None
    text = value.strip()
    if not (text.isascii() and text.isdigit()):
        return None
    return int(text)
