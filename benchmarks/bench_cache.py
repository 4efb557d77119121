"""How long the disk cache stalls the event loop: off the loop (the real API) versus on it.

A ticker task asks to wake every millisecond and records how late it actually wakes; the worst
lateness is the longest the UI would have frozen. Run::

    python -m benchmarks.bench_cache            # 1000 puts + 1000 gets of 8 KiB answers
    python -m benchmarks.bench_cache -n 2000 --body-size 65536
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from discogs_tui.api.cache import ResponseCache, cache_key

TICK = 0.001


@dataclass
class Result:
    """One scenario: total time and how late the ticker woke."""

    name: str
    total_s: float
    worst_stall_ms: float
    p99_stall_ms: float
    ticks: int


class Ticker:
    """Wakes every millisecond and records how late each wake-up was."""

    def __init__(self) -> None:
        self.lateness: list[float] = []
        self._stop = asyncio.Event()

    async def run(self) -> None:
        """Tick until stopped."""
        while not self._stop.is_set():
            started = time.perf_counter()
            await asyncio.sleep(TICK)
            self.lateness.append(time.perf_counter() - started - TICK)

    def stop(self) -> None:
        """Ask the ticker to finish after its current tick."""
        self._stop.set()


async def measure(name: str, work: Callable[[], Awaitable[None]]) -> Result:
    """Run ``work`` while a ticker measures event-loop lag."""
    ticker = Ticker()
    ticking = asyncio.create_task(ticker.run())
    await asyncio.sleep(0.01)  # let the ticker settle
    started = time.perf_counter()
    await work()
    total = time.perf_counter() - started
    await asyncio.sleep(0.005)  # let the ticker record the wake-up right after the work
    ticker.stop()
    await ticking
    lateness = sorted(ticker.lateness) or [0.0]
    p99 = lateness[min(len(lateness) - 1, int(len(lateness) * 0.99))]
    return Result(name, total, lateness[-1] * 1000, p99 * 1000, len(ticker.lateness))


def keys(count: int) -> list[str]:
    """Keys shaped like real ones: inventory pages and releases."""
    half = count // 2
    return [cache_key("GET", "/users/demo/inventory", {"page": n}) for n in range(half)] + [
        cache_key("GET", f"/releases/{n}", None) for n in range(count - half)
    ]


async def main(count: int, body_size: int) -> None:
    """Run every scenario and print a table."""
    body = os.urandom(body_size)
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="bench-cache-") as tmp:
        folder = Path(tmp)
        the_keys = keys(count)

        async def idle() -> None:
            await asyncio.sleep(0.5)

        results.append(await measure("idle loop (baseline)", idle))

        cache = ResponseCache(folder, namespace="async1")

        async def via_api_sequential() -> None:
            for key in the_keys:
                await cache.put(key, body, status=200, ttl=3600)
            for key in the_keys:
                assert await cache.get(key) is not None

        results.append(
            await measure(f"async API, {count} put + {count} get, one by one", via_api_sequential)
        )

        cache2 = ResponseCache(folder, namespace="async2")

        async def via_api_gathered() -> None:
            await asyncio.gather(*(cache2.put(k, body, status=200, ttl=3600) for k in the_keys))
            answers = await asyncio.gather(*(cache2.get(k) for k in the_keys))
            assert all(answer is not None for answer in answers)

        results.append(
            await measure(f"async API, {count} put + {count} get, gathered", via_api_gathered)
        )

        async def invalidate_half() -> None:
            dropped = await cache.invalidate("/users/demo/inventory")
            assert dropped == count // 2

        results.append(
            await measure(f"async API, invalidate {count // 2} of {count}", invalidate_half)
        )
        cache.close()
        cache2.close()

        # The same work called synchronously on the loop, as a naive client would: the worker
        # functions of a ResponseCache, run on the loop thread instead of the worker thread.
        on_loop = ResponseCache(folder, namespace="onloop1")

        async def on_loop_no_yield() -> None:
            for key in the_keys:
                on_loop._put_sync(key, body, 200, 3600)
            for key in the_keys:
                assert on_loop._get_sync(key) is not None

        results.append(await measure("on the loop, no yield between calls", on_loop_no_yield))

        on_loop2 = ResponseCache(folder, namespace="onloop2")

        async def on_loop_yielding() -> None:
            for key in the_keys:
                on_loop2._put_sync(key, body, 200, 3600)
                await asyncio.sleep(0)
            for key in the_keys:
                assert on_loop2._get_sync(key) is not None
                await asyncio.sleep(0)

        results.append(await measure("on the loop, yield after each call", on_loop_yielding))
        # Their connections were opened on this thread: close them here, then stop the workers.
        on_loop._close_sync()
        on_loop2._close_sync()
        on_loop.close()
        on_loop2.close()

    print(f"disk cache: {count} puts + {count} gets of {body_size} B answers, ticker every 1 ms")
    print(f"{'scenario':<50} {'total s':>8} {'worst stall ms':>15} {'p99 ms':>8} {'ticks':>6}")
    for r in results:
        print(
            f"{r.name:<50} {r.total_s:>8.3f} {r.worst_stall_ms:>15.2f} "
            f"{r.p99_stall_ms:>8.2f} {r.ticks:>6}"
        )
    api = [r for r in results if r.name.startswith("async API")]
    print(f"worst stall through the async API: {max(r.worst_stall_ms for r in api):.2f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-n", "--count", type=int, default=1000, help="puts and gets (each)")
    parser.add_argument("--body-size", type=int, default=8192, help="bytes per answer")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.count, arguments.body_size))
