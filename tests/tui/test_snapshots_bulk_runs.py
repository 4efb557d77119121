"""Snapshots of the bulk-edit runner at 80x24: the line below a page mid-run, and the
question at start when a bulk edit was interrupted."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from bulk_helpers import Wire, new_emulator, raise_prices
from textual.pilot import Pilot
from tui_helpers import demo_app

from discogs_tui.app import DiscogsApp
from discogs_tui.emulator.dataset import Dataset
from discogs_tui.navigation import Target
from discogs_tui.tasks.journal import journal_dir

Snap = Callable[..., bool]
NOW = 1000.0
"""The app's clock, stopped: the countdown shows what the run's state says."""


def test_snapshot_bulk_edit_line_mid_run(snap_compare: Snap, dataset: Dataset) -> None:
    """A release page while edit 3 of 5 is in flight: 2/5, one refused, about 40 s left."""
    emulator = new_emulator(dataset)
    plan = asyncio.run(raise_prices(emulator))
    # Listing 2 refuses its new price (the server's words are shown at the end).
    plan.edits[1].new["price"] = "-1.00"
    wire = Wire(emulator.transport(), hold_at=2)
    app = demo_app(transport=wire, clock=lambda: NOW)

    async def run_before(pilot: Pilot[Any]) -> None:
        assert isinstance(pilot.app, DiscogsApp)
        pilot.app.navigate(Target("release", id=1))
        for _ in range(4):
            await pilot.pause()
            await pilot.app.workers.wait_for_complete()
        assert pilot.app.start_bulk_edit(plan, source="bulk edit")
        await asyncio.wait_for(wire.held.wait(), timeout=10)
        run = pilot.app._bulk
        assert run is not None
        # The engine's estimate is measured on the wall clock: fixed here.
        run.estimate, run.at = 40.0, NOW
        pilot.app._draw_bulk_lines()
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))


def test_snapshot_interrupted_bulk_edit_prompt(snap_compare: Snap, dataset: Dataset) -> None:
    """The question at start: resume, discard or later."""
    emulator = new_emulator(dataset)
    plan = asyncio.run(raise_prices(emulator))
    folder = journal_dir()
    folder.mkdir(parents=True)
    header = {
        "type": "header",
        "version": 1,
        "server": "http://localhost",
        "user": "demo",
        "source": "bulk edit",
        "created": "2026-01-02T03:04:05+00:00",
        "edits": [
            {"listing_id": e.listing_id, "label": e.label, "old": e.old, "new": e.new}
            for e in plan.edits
        ],
    }
    records = [header]
    for n in range(2):
        records.append({"type": "intent", "n": n, "listing_id": plan.edits[n].listing_id})
        records.append(
            {"type": "outcome", "n": n, "listing_id": plan.edits[n].listing_id}
            | {"result": "done", "message": ""}
        )
    (folder / "20260102T030405000000Z-1.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in records)
    )

    async def run_before(pilot: Pilot[Any]) -> None:
        for _ in range(4):
            await pilot.pause()
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(demo_app(transport=emulator.transport()), run_before=run_before,
                        terminal_size=(80, 24))  # fmt: skip
