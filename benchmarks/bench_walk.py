"""How many requests it takes to walk a whole collection and inventory through DiscogsClient.

Runs against the in-process emulator with ``--scale N`` synthetic items, and prints a table:
requests sent (the floor is ceil(N / 100) at 100 a page), items seen, and time taken.

    python benchmarks/bench_walk.py [--items 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import time
from dataclasses import dataclass

from discogs_tui.api.client import DiscogsClient
from discogs_tui.api.ratelimit import RateGovernor
from discogs_tui.emulator.app import Emulator


@dataclass
class WalkResult:
    """One walk: what was walked, how many items and requests, how long."""

    name: str
    items: int
    requests: int
    floor: int
    seconds: float


async def walk(items: int) -> list[WalkResult]:
    """Walk the demo collection (folder 0) and inventory at ``items`` each."""
    emulator = Emulator(base_url="http://localhost", scale=items, rate_limit=10**6)
    results = []
    for name, method_name, args in (
        ("collection (folder 0)", "get_collection_items_by_folder", ("demo", 0)),
        ("inventory (all statuses)", "get_inventory", ("demo",)),
    ):
        # A governor with no practical limit: this measures request counts, not waiting.
        async with DiscogsClient(
            base_url="http://localhost",
            token="demo-token",
            transport=emulator.transport(),
            governor=RateGovernor(limit=10**6),
        ) as client:
            started = time.perf_counter()
            seen = 0
            async for _ in client.walk(getattr(client, method_name), *args):
                seen += 1
            elapsed = time.perf_counter() - started
            results.append(
                WalkResult(name, seen, client.requests_sent, math.ceil(seen / 100), elapsed)
            )
    return results


def main() -> None:
    """Print the walk table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=2000)
    args = parser.parse_args()
    results = asyncio.run(walk(args.items))
    print(f"{'walk':<26} {'items':>7} {'requests':>9} {'floor':>6} {'seconds':>8}")
    for row in results:
        print(f"{row.name:<26} {row.items:>7} {row.requests:>9} {row.floor:>6} {row.seconds:>8.2f}")


if __name__ == "__main__":
    main()
