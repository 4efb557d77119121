"""How fast the app answers, headless at 80x24 on the in-process emulator.

Prints, for each step, the median and worst of several runs: building the emulator (the
first run loads the dataset; later runs reuse it), the app's first screen, opening
release 1 until its tracklist is drawn, and a search for "a" (9,000+ results, the first
100 drawn).

    python benchmarks/bench_app.py [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Callable
from typing import Any

from discogs_tui.api.client import DiscogsClient
from discogs_tui.app import DiscogsApp
from discogs_tui.config import Settings
from discogs_tui.emulator.app import Emulator
from discogs_tui.navigation import Target
from discogs_tui.screens.home import HomeScreen
from discogs_tui.widgets.paged_table import PagedTable
from discogs_tui.widgets.tracklist import Tracklist


async def until(check: Callable[[], bool], *, limit: float = 30.0) -> None:
    """Poll ``check`` every millisecond until it holds."""
    deadline = time.perf_counter() + limit
    while not check():
        if time.perf_counter() > deadline:
            raise TimeoutError("the app did not get there in time")
        await asyncio.sleep(0.001)


def release_drawn(app: DiscogsApp) -> bool:
    """True once release 1's tracklist holds its first track."""
    return any("Östermalm" in view.linked.plain for view in app.screen.query(Tracklist))


def rows_shown(app: DiscogsApp, count: int) -> bool:
    """True once the page's list holds ``count`` rows."""
    return any(table.row_count >= count for table in app.screen.query(PagedTable))


async def one_run() -> dict[str, float]:
    """Time each step once."""
    figures: dict[str, float] = {}
    started = time.perf_counter()
    emulator = Emulator(base_url="http://localhost", rate_limit=10**6)
    figures["build the emulator"] = time.perf_counter() - started
    client = DiscogsClient(
        base_url="http://localhost", token="demo-token", transport=emulator.transport()
    )
    app = DiscogsApp(client, mode="DEMO", username="demo", settings=Settings())
    started = time.perf_counter()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(lambda: isinstance(app.screen, HomeScreen) and app.screen.is_mounted)
        await pilot.pause()
        figures["first screen"] = time.perf_counter() - started

        async def step(name: str, target: Target, done: Callable[[], bool]) -> None:
            begin = time.perf_counter()
            app.navigate(target)
            await until(done)
            await pilot.pause()  # and drawn
            figures[name] = time.perf_counter() - begin

        await step("release 1 with tracklist", Target("release", id=1), lambda: release_drawn(app))
        await step(
            "search 'a', first 100 drawn", Target("search", query="a"), lambda: rows_shown(app, 100)
        )
        await pilot.press("escape")
        await client.aclose()
    return figures


async def main(runs: int) -> None:
    """Run ``runs`` times and print median and worst per step."""
    results: list[dict[str, float]] = [await one_run() for _ in range(runs)]
    print(f"{'step (80x24, headless)':<32} {'median ms':>10} {'worst ms':>9}")
    for name in results[0]:
        values = [r[name] * 1000 for r in results]
        print(f"{name:<32} {statistics.median(values):>10.0f} {max(values):>9.0f}")


def run(argv: list[str] | None = None) -> Any:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    return asyncio.run(main(args.runs))


if __name__ == "__main__":
    run()
