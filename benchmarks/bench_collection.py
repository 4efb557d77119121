"""Loading a whole collection and exporting it as CSV: requests, seconds, peak memory.

Against the in-process emulator with ``--scale N`` instances (2,000 and 10,000 by default):

* ``load_all`` and ``export_collection`` with no rate limit: requests sent, wall-clock
  seconds (best of three), and the peak of Python memory allocated during the task
  (tracemalloc, measured in a separate run as tracing slows Python down);
* the same load at Discogs' real budget (60 a minute) on simulated time, each request taking
  a 0.5 s round trip, next to what :func:`~discogs_tui.tasks.collection.estimate` promised.

    python benchmarks/bench_collection.py [--items 2000 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

from discogs_tui.api.client import DiscogsClient
from discogs_tui.api.ratelimit import RateGovernor
from discogs_tui.emulator.app import Emulator
from discogs_tui.tasks.collection import estimate, load_all
from discogs_tui.tasks.collection_export import export_collection

sys.path.insert(0, str(Path(__file__).parent))
from bench_governor import SimulatedLoop

BASE = "http://localhost"
ROUND_TRIP = 0.5


def unlimited_client(emulator: Emulator) -> DiscogsClient:
    return DiscogsClient(
        base_url=BASE,
        token="demo-token",
        transport=emulator.transport(offload=False),
        governor=RateGovernor(limit=10**6),
    )


async def timed(
    task: Callable[[DiscogsClient], Awaitable[Any]], emulator: Emulator
) -> tuple[int, float]:
    """Requests sent and wall-clock seconds of one run of ``task`` on a fresh client."""
    async with unlimited_client(emulator) as client:
        started = time.perf_counter()
        await task(client)
        return client.requests_sent, time.perf_counter() - started


async def peak(
    task: Callable[[DiscogsClient], Awaitable[Any]], emulator: Emulator
) -> tuple[int, int]:
    """Peak bytes Python allocated while ``task`` ran (the emulator's own answers included),
    and the bytes still held at the end while its result is kept (the loaded items)."""
    async with unlimited_client(emulator) as client:
        tracemalloc.start()
        try:
            result = await task(client)
            current, highest = tracemalloc.get_traced_memory()
            del result
            return highest, current
        finally:
            tracemalloc.stop()


class _RoundTrip(httpx.AsyncBaseTransport):
    """Every answer takes ``ROUND_TRIP`` seconds (simulated) to come back."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(ROUND_TRIP)
        return await self._inner.handle_async_request(request)


def at_real_budget(items: int) -> tuple[int, float, str]:
    """Requests, simulated seconds and the estimate for ``load_all`` at 60 requests a minute."""
    loop = SimulatedLoop()
    try:
        emulator = Emulator(base_url=BASE, scale=items, clock=loop.time)

        async def run() -> tuple[int, float, str]:
            governor = RateGovernor(limit=60, clock=loop.time, sleep=asyncio.sleep)
            async with DiscogsClient(
                base_url=BASE,
                token="demo-token",
                transport=_RoundTrip(emulator.transport(offload=False)),
                governor=governor,
            ) as client:
                promised = str(estimate(items, client.rate_state))
                started = loop.time()
                await load_all(client, "demo")
                return client.requests_sent, loop.time() - started, promised

        return loop.run_until_complete(run())
    finally:
        loop.close()


def mib(size: int) -> str:
    return f"{size / 2**20:.1f} MiB"


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, nargs="+", default=[2000, 10_000])
    args = parser.parse_args()
    print(
        f"{'task':<22} {'items':>7} {'requests':>9} {'seconds':>8} {'peak memory':>12} {'kept':>10}"
    )
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "collection.csv"

        async def load(client: DiscogsClient) -> object:
            return await load_all(client, "demo")

        async def export(client: DiscogsClient) -> object:
            return await export_collection(client, "demo", out)

        for items in args.items:
            emulator = Emulator(base_url=BASE, scale=items, rate_limit=10**6)
            for name, task in (("load all (folder 0)", load), ("CSV export", export)):
                runs = [asyncio.run(timed(task, emulator)) for _ in range(3)]
                requests = runs[0][0]
                seconds = min(run[1] for run in runs)
                highest, kept = asyncio.run(peak(task, emulator))
                print(
                    f"{name:<22} {items:>7,} {requests:>9} {seconds:>8.2f} {mib(highest):>12}"
                    f" {mib(kept):>10}"
                )
    print(f"\nAt 60 requests a minute, {ROUND_TRIP} s a round trip (simulated time):")
    print(f"{'items':>7} {'requests':>9} {'seconds':>8}  estimate beforehand")
    for items in args.items:
        requests, seconds, promised = at_real_budget(items)
        print(f"{items:>7,} {requests:>9} {seconds:>8.1f}  {promised}")


if __name__ == "__main__":
    main()
