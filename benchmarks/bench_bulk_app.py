"""A bulk edit in the app: requests it costs with the inventory page open, and how long the
screen can freeze meanwhile.

Headless at 80x24 on the in-process emulator, the seller's inventory open, a bulk edit
raising 50 prices by 10%. Prints the requests sent while it runs and as it ends, with the
pages reloading once at the end (as the app does) and, for comparison, after every edit
(as each ``update_listing`` would make them), the seconds those extra requests cost at 60 a
minute once the budget is spent, and the longest the event loop was held up (journal
records are flushed to disk on it, twice an edit, a few ms each; the worst stalls here are
the garbage collector going through the in-process emulator's dataset). The journals go to a
temporary folder.

    python benchmarks/bench_bulk_app.py
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from collections import Counter
from decimal import Decimal

import httpx

from discogs_tui.api.client import DiscogsClient
from discogs_tui.api.ratelimit import RateGovernor
from discogs_tui.app import DiscogsApp
from discogs_tui.config import Settings
from discogs_tui.emulator.app import Emulator
from discogs_tui.navigation import Target
from discogs_tui.tasks.bulk_plan import BulkChange, PriceRule, plan_bulk_change
from discogs_tui.tasks.inventory_csv import listing_row

EDITS = 50


class Counting(httpx.AsyncBaseTransport):
    """Counts requests by method."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.sent: Counter[str] = Counter()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent[request.method] += 1
        return await self.inner.handle_async_request(request)


async def one_run(*, coalesce: bool) -> tuple[Counter[str], float]:
    """Requests by method during the run, and the longest event-loop stall (seconds)."""
    emulator = Emulator(base_url="http://localhost", rate_limit=10**6)
    wire = Counting(emulator.transport())
    # A budget this run cannot spend: the figure is requests, converted to time below.
    governor = RateGovernor(limit=10**5)
    client = DiscogsClient(
        base_url="http://localhost", token="demo-token", transport=wire, governor=governor
    )
    app = DiscogsApp(client, mode="DEMO", username="demo", settings=Settings())
    if not coalesce:
        app.hold_bulk_changes = lambda changed: False  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("inventory"))
        for _ in range(4):
            await pilot.pause()
            await app.workers.wait_for_complete()
        rows = [listing_row(x) async for x in client.walk(client.get_inventory, "demo")]
        for_sale = [row for row in rows if row["status"] == "For Sale"][:EDITS]
        plan = plan_bulk_change(for_sale, BulkChange(price=PriceRule(percent=Decimal(10))))
        wire.sent.clear()
        stalls: list[tuple[float, int]] = []
        app.start_bulk_edit(plan, source="bulk edit")
        while app.bulk_running:
            before = time.perf_counter()
            await asyncio.sleep(0.005)
            run = app._bulk
            stalls.append((time.perf_counter() - before - 0.005, run.progress.left if run else -1))
        worst = max(s for s, _ in stalls)
        for _ in range(4):
            await pilot.pause()
            await app.workers.wait_for_complete()
    await client.aclose()
    return wire.sent, worst


async def main() -> None:
    os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="discogs-tui-bench-")
    held, held_stall = await one_run(coalesce=True)
    each, each_stall = await one_run(coalesce=False)
    extra = sum(each.values()) - sum(held.values())
    print(f"{EDITS} edits with the inventory page open:")
    print(
        f"  reload once at the end:  {dict(held)} requests, worst loop stall {held_stall * 1000:.0f} ms"
    )
    print(
        f"  reload after every edit: {dict(each)} requests, worst loop stall {each_stall * 1000:.0f} ms"
    )
    print(f"  {extra} requests saved: {extra} s at 60/min once the budget is spent")


if __name__ == "__main__":
    asyncio.run(main())
