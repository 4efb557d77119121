"""Benchmark: bulk listing edits of 50 and 500 listings, journaled, at Discogs' 60 requests/min.

Runs on simulated time (the event loop of ``bench_governor``: its clock jumps to the next
timer when nothing is ready), against the in-process emulator holding the same 60-per-minute
moving window as Discogs, with 0.25 s spent on every request. Prints, for each size, the
requests sent, the simulated seconds the apply took, and what the preview estimated; and the
requests an ``inventory export`` of that inventory takes by pages and by the export job.
Run ``python benchmarks/bench_bulk.py``.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_governor import SimulatedLoop

from discogs_tui.api.client import DiscogsClient
from discogs_tui.api.ratelimit import RateGovernor
from discogs_tui.emulator.app import Emulator
from discogs_tui.emulator.faults import Faults
from discogs_tui.tasks.bulk_apply import apply_journal
from discogs_tui.tasks.bulk_plan import (
    SETTABLE_STATUSES,
    BulkChange,
    PriceRule,
    estimate_seconds,
    plan_bulk_change,
)
from discogs_tui.tasks.inventory_csv import read_inventory
from discogs_tui.tasks.journal import Journal

BASE = "http://localhost"
LATENCY = 0.25


async def one_size(edits: int, folder: Path) -> tuple[int, float, float, int, int]:
    """``(requests, seconds, estimated seconds, export requests by pages, by job)``."""
    loop = asyncio.get_running_loop()
    emulator = Emulator(base_url=BASE, scale=edits * 3 // 2, clock=loop.time)
    transport = emulator.transport(faults=Faults(latency=LATENCY), offload=False)
    governor = RateGovernor(limit=60, clock=loop.time)
    async with DiscogsClient(
        base_url=BASE, token="demo-token", transport=transport, governor=governor
    ) as client:
        client.set_username("demo")
        by_pages = await read_inventory(client, "demo", use_job=False)
        by_job = await read_inventory(client, "demo", use_job=True, sleep=asyncio.sleep)
        # A fresh window for the edits themselves, as after a pause.
        await asyncio.sleep(61)
        editable = [r for r in by_pages.rows if r["status"] in SETTABLE_STATUSES][:edits]
        plan = plan_bulk_change(editable, BulkChange(price=PriceRule(percent=Decimal(10))))
        assert len(plan.edits) == edits, len(plan.edits)
        estimate = estimate_seconds(plan.requests, client.rate_state, per_request=LATENCY)
        journal = Journal.create(
            server=BASE, user="demo", source="bench", edits=plan.edits, folder=folder
        )
        sent = client.requests_sent
        started = loop.time()
        with journal:
            report = await apply_journal(client, journal)
        assert report.left == 0 and not report.failed, report
        return (
            client.requests_sent - sent,
            loop.time() - started,
            estimate,
            by_pages.requests,
            by_job.requests,
        )


def main() -> int:
    """Print the table."""
    print(f"Bulk edits at 60 requests/min, {LATENCY} s per request (simulated time)")
    print(f"{'edits':>6} {'requests':>9} {'seconds':>9} {'estimated':>10} {'export':>16}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in (50, 500):
            loop = SimulatedLoop()
            try:
                requests, seconds, estimate, pages, job = loop.run_until_complete(
                    one_size(size, Path(tmp))
                )
            finally:
                loop.close()
            export = f"{pages} pages/{job} job"
            print(f"{size:>6} {requests:>9} {seconds:>9.1f} {estimate:>10.1f} {export:>16}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
