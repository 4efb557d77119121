"""Benchmark: a burst of reads through the rate governor against a Discogs-like server.

Everything runs on simulated time: an event loop whose clock jumps straight to the next
timer whenever no task is ready, so minutes of throttling take milliseconds and the
figures are the same on every machine. Run ``python benchmarks/bench_governor.py``.

The simulated server keeps its own moving 60-second window per IP, counts a request when
it arrives, and answers 429 when the window is full, with the three
``X-Discogs-Ratelimit*`` headers on every answer (and no ``Retry-After``: Discogs does not
document one). Each request spends a random 40-400 ms on the way there and again on the
way back, so the server sees a request a little later than the governor sent it.
"""

from __future__ import annotations

import asyncio
import random
import selectors
import sys
from collections import deque
from collections.abc import Sequence
from typing import Any

from discogs_tui.api.ratelimit import Priority, RateGovernor, RateState

WINDOW = 60.0


class _TimeTravelSelector(selectors.SelectSelector):
    """A selector that, instead of blocking until the next timer, moves the clock there."""

    def __init__(self) -> None:
        super().__init__()
        self.now = 0.0

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        """Advance the simulated clock by ``timeout``, then poll without waiting."""
        if timeout is None:
            # Nothing is scheduled and nothing is ready: in a simulation that is a deadlock.
            raise RuntimeError("simulation stalled: no task will ever wake up")
        if timeout > 0:
            self.now += timeout
        return super().select(0)


class SimulatedLoop(asyncio.SelectorEventLoop):
    """An asyncio loop on simulated time: ``asyncio.sleep`` costs no real time."""

    def __init__(self) -> None:
        self._travel = _TimeTravelSelector()
        super().__init__(selector=self._travel)

    def time(self) -> float:
        """Simulated seconds since the loop was made."""
        return self._travel.now


class SimulatedDiscogs:
    """A server with Discogs' per-IP moving window: ``limit`` requests per 60 s."""

    def __init__(self, limit: int, *, window: float = WINDOW) -> None:
        self.limit = limit
        self.window = window
        self._window_hits: deque[float] = deque()
        self.arrivals: list[float] = []  # every request that reached us, refused or not
        self.accepted: list[float] = []  # the ones we answered
        self.refused = 0

    def count_others(self, moments: Sequence[float]) -> None:
        """Put requests another client on the same IP made into the window."""
        self._window_hits.extend(sorted(moments))

    def handle(self, now: float) -> tuple[int, dict[str, str]]:
        """Answer one request arriving at ``now``: status and rate-limit headers."""
        self.arrivals.append(now)
        while self._window_hits and self._window_hits[0] + self.window <= now:
            self._window_hits.popleft()
        if len(self._window_hits) >= self.limit:
            self.refused += 1
            return 429, self._headers()
        self._window_hits.append(now)
        self.accepted.append(now)
        return 200, self._headers()

    def _headers(self) -> dict[str, str]:
        used = len(self._window_hits)
        return {
            "X-Discogs-Ratelimit": str(self.limit),
            "X-Discogs-Ratelimit-Used": str(used),
            "X-Discogs-Ratelimit-Remaining": str(max(0, self.limit - used)),
        }


def worst_window(moments: Sequence[float], window: float = WINDOW) -> int:
    """The most moments inside any half-open window ``[t, t + window)``."""
    ordered = sorted(moments)
    worst = 0
    start = 0
    for end, moment in enumerate(ordered):
        while ordered[start] + window <= moment:
            start += 1
        worst = max(worst, end - start + 1)
    return worst


def achieved_rate(moments: Sequence[float], limit: int, window: float = WINDOW) -> float:
    """Requests per window over the limit, measured so that 1.0 is the true ceiling.

    Dividing the request count by the time from the first to the last request flatters a
    burst: a full budget lets the first ``limit`` requests out at once, so 300 requests can
    finish in 4 minutes, "75 a minute" against a limit of 60. Instead the burst is charged
    until its last request has left the window, ``last - first + window``: the budget is
    then back where it started. Each request occupies the window for ``window`` seconds and
    at most ``limit`` may occupy it at once, so ``n * window <= limit * (last - first +
    window)``: the figure cannot exceed 1.0 without breaking the limit, and reaches 1.0
    only if not a moment of budget was left unused.
    """
    if not moments:
        return 0.0
    span = max(moments) - min(moments) + window
    return len(moments) * window / (limit * span)


async def _burst(
    n: int,
    limit: int,
    margin: float | None,
    others: int,
    others_seen: bool,
    latency: tuple[float, float],
    seed: int,
) -> dict[str, Any]:
    loop = asyncio.get_running_loop()
    rng = random.Random(seed)
    server = SimulatedDiscogs(limit)
    options: dict[str, Any] = {} if margin is None else {"margin": margin}
    governor = RateGovernor(
        limit=limit, clock=loop.time, sleep=asyncio.sleep, jitter=rng.random, **options
    )
    most_queued = 0

    def watch(state: RateState) -> None:
        nonlocal most_queued
        most_queued = max(most_queued, state.queued)

    governor.subscribe(watch)
    retries = 0
    failed = 0
    ours: list[float] = []  # server arrival times of our requests it accepted

    async def trip() -> None:
        await asyncio.sleep(rng.uniform(*latency))

    if others:
        # Another app on the same IP spent `others` requests 10 s before the burst.
        server.count_others([loop.time() - 10.0] * others)
        if others_seen:
            # Our app's own first request (say, who am I) saw the server's count.
            await governor.acquire()
            await trip()
            status, headers = server.handle(loop.time())
            await trip()
            governor.record_response(status, headers)

    async def read() -> None:
        """One GET, with the client's loop: acquire, send, record, back off on 429, retry."""
        nonlocal retries, failed
        attempt = 0
        while True:
            await governor.acquire(Priority.INTERACTIVE)
            await trip()
            arrived = loop.time()
            status, headers = server.handle(arrived)
            await trip()
            governor.record_response(status, headers)
            if status != 429:
                ours.append(arrived)
                return
            attempt += 1
            delay = governor.retry_delay(attempt, headers.get("Retry-After"))
            if delay is None:
                failed += 1
                return
            retries += 1
            await governor.backoff(delay)

    started = loop.time()
    await asyncio.gather(*(read() for _ in range(n)))
    finished = loop.time()
    burst_arrivals = [moment for moment in server.arrivals if moment >= started]
    return {
        "requests": n,
        "limit": limit,
        "status_429": server.refused,
        "retries": retries,
        "failed": failed,
        "sim_seconds": finished - started,
        "achieved_rate": achieved_rate(ours, limit),
        "worst_window": worst_window(burst_arrivals),
        "max_queued": most_queued,
    }


def run_burst(
    n: int = 300,
    limit: int = 60,
    *,
    margin: float | None = None,
    others: int = 0,
    others_seen: bool = False,
    latency: tuple[float, float] = (0.04, 0.4),
    seed: int = 1,
) -> dict[str, Any]:
    """Push ``n`` concurrent reads through a governor against a ``limit``-a-minute server.

    Returns the server's 429 count, retries, reads given up after the last retry, the
    simulated seconds from the first send to the last answer, the achieved rate (see
    :func:`achieved_rate`), the most requests the server saw in any 60 s window and the
    longest queue. ``margin`` None keeps the governor's default; ``others`` requests made
    by another app on the same IP are in the server's window at the start, and with
    ``others_seen`` one response reported them before the burst.
    """
    with asyncio.Runner(loop_factory=SimulatedLoop) as runner:
        return runner.run(_burst(n, limit, margin, others, others_seen, latency, seed))


SCENARIOS: list[tuple[str, dict[str, Any]]] = [
    ("300 reads, 60/min (the target)", {}),
    ("100 reads, 25/min anonymous", {"n": 100, "limit": 25}),
    ("300 reads, 60/min, no latency margin", {"margin": 0.0}),
    ("300 reads, 60/min, IP shares 30, seen", {"others": 30, "others_seen": True}),
    ("300 reads, 60/min, IP shares 30, unseen", {"others": 30}),
]


def main() -> int:
    """Print one table row per scenario."""
    columns = ("scenario", "429s", "retries", "failed", "sim s", "rate/limit", "worst 60s", "queue")
    rows = []
    for name, options in SCENARIOS:
        result = run_burst(**options)
        rows.append(
            (
                name,
                str(result["status_429"]),
                str(result["retries"]),
                str(result["failed"]),
                f"{result['sim_seconds']:.1f}",
                f"{result['achieved_rate']:.3f}",
                f"{result['worst_window']}/{result['limit']}",
                str(result["max_queued"]),
            )
        )
    widths = [max(len(row[i]) for row in [columns, *rows]) for i in range(len(columns))]
    for row in [columns, *rows]:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        print("  ".join(cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
