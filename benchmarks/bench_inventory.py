"""The inventory page at 10,000 listings, headless at 80x24 on the in-process emulator.

Builds an emulator whose ``demo`` seller has N listings (``--scale``, as
``discogs-tui emulator --scale N``), opens ``:inventory`` and prints: the time until the
first rows are drawn, the time until the cursor stands on the last listing (walking down
with ``G``, pages load as the cursor nears the end), how many requests that took, the
time to open the quick edit on that last row, and the peak memory of the process.

    python benchmarks/bench_inventory.py [--scale 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import time
from collections.abc import Callable

import httpx

from discogs_tui.api.client import DiscogsClient
from discogs_tui.app import DiscogsApp
from discogs_tui.config import Settings
from discogs_tui.emulator.app import Emulator
from discogs_tui.navigation import Target
from discogs_tui.screens.marketplace.listing_form import ListingForm
from discogs_tui.widgets.paged_table import PagedTable


class Counting(httpx.AsyncBaseTransport):
    """The emulator's transport, counting the inventory pages asked for."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.inventory_pages = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/inventory"):
            self.inventory_pages += 1
        return await self.inner.handle_async_request(request)


async def until(check: Callable[[], bool], *, limit: float = 300.0) -> None:
    """Poll ``check`` every millisecond until it holds."""
    deadline = time.perf_counter() + limit
    while not check():
        if time.perf_counter() > deadline:
            raise TimeoutError("the app did not get there in time")
        await asyncio.sleep(0.001)


def peak_mib() -> float:
    """The process's peak resident memory so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def run(scale: int) -> None:
    started = time.perf_counter()
    emulator = Emulator(base_url="http://localhost", rate_limit=10**6, scale=scale)
    built = time.perf_counter() - started
    before = peak_mib()
    transport = Counting(emulator.transport())
    client = DiscogsClient(base_url="http://localhost", token="demo-token", transport=transport)
    app = DiscogsApp(client, mode="DEMO", username="demo", settings=Settings())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        started = time.perf_counter()
        app.navigate(Target("inventory"))
        await until(lambda: any(t.row_count > 0 for t in app.screen.query(PagedTable)))
        first = time.perf_counter() - started
        table = app.screen.query_one("#inventory-table", PagedTable)
        total = table.pagination_total or 0
        table.focus()
        while len(table.items) < total or table.cursor_row < total - 1:
            await pilot.press("G")
            await until(lambda: not table.is_fetching)
            await pilot.pause()
        last = time.perf_counter() - started
        started = time.perf_counter()
        await pilot.press("e")
        await until(lambda: isinstance(app.screen, ListingForm))
        edit = time.perf_counter() - started
    print(f"emulator with {scale:,} listings built in {built:.1f} s (peak {before:.0f} MiB)")
    print(f"listings in the inventory:    {total:,}")
    print(f"time to first rows:           {first * 1000:.0f} ms")
    print(f"time to the last row:         {last:.2f} s ({transport.inventory_pages} pages asked)")
    print(f"quick edit on the last row:   {edit * 1000:.0f} ms")
    print(f"peak memory of the process:   {peak_mib():.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10_000)
    asyncio.run(run(parser.parse_args().scale))


if __name__ == "__main__":
    main()
