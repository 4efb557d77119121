"""Discogs-style rate limiting: a moving 60-second window per client.

Discogs throttles by source IP to 60 requests a minute when authenticated and 25 when
not, counted over a moving 60 s window, and reports the count on every response in
``X-Discogs-Ratelimit``, ``X-Discogs-Ratelimit-Used`` and ``X-Discogs-Ratelimit-Remaining``.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RateDecision:
    """The outcome of one request against its window."""

    allowed: bool
    limit: int
    used: int

    @property
    def remaining(self) -> int:
        """Requests left in the window (never negative)."""
        return max(0, self.limit - self.used)

    def headers(self) -> dict[str, str]:
        """The three headers Discogs attaches to every response."""
        return {
            "X-Discogs-Ratelimit": str(self.limit),
            "X-Discogs-Ratelimit-Used": str(self.used),
            "X-Discogs-Ratelimit-Remaining": str(self.remaining),
        }


class RateLimiter:
    """Counts requests per client key over a moving window.

    A request is counted only when it is allowed: a refused request (429) does not
    push the window further out, so a client that waits out the window gets through.
    """

    def __init__(
        self, *, window: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.window = window
        self.clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _current(self, key: str) -> deque[float]:
        """The key's timestamps with those older than the window dropped."""
        hits = self._hits.setdefault(key, deque())
        cutoff = self.clock() - self.window
        while hits and hits[0] <= cutoff:
            hits.popleft()
        return hits

    def hit(self, key: str, limit: int) -> RateDecision:
        """Count one request for ``key`` if it fits under ``limit``."""
        with self._lock:
            hits = self._current(key)
            if len(hits) >= limit:
                return RateDecision(False, limit, len(hits))
            hits.append(self.clock())
            return RateDecision(True, limit, len(hits))

    def peek(self, key: str, limit: int) -> RateDecision:
        """The key's window as it stands, without counting a request."""
        with self._lock:
            used = len(self._current(key))
            return RateDecision(used < limit, limit, used)

    def reset(self) -> None:
        """Forget every window."""
        with self._lock:
            self._hits.clear()
