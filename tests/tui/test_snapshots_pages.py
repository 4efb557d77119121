"""Snapshots of each database page at 80x24 against the emulator, taken once every worker is done."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.pilot import Pilot
from tui_helpers import demo_app

from discogs_tui.navigation import Target

Snap = Callable[..., bool]


def open_and_wait(target: Target, *keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """A ``run_before`` that opens ``target``, presses ``keys`` and waits for the workers."""

    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        app.navigate(target)  # type: ignore[attr-defined]
        for key in (None, *keys):
            if key is not None:
                await pilot.press(key)
            for _ in range(4):
                await pilot.pause()
                await app.workers.wait_for_complete()
        await pilot.pause()

    return run_before


def test_snapshot_search(snap_compare: Snap) -> None:
    assert snap_compare(
        demo_app(),
        run_before=open_and_wait(Target("search", query="Persuader")),
        terminal_size=(80, 24),
    )


def test_snapshot_search_advanced_fields(snap_compare: Snap) -> None:
    assert snap_compare(
        demo_app(),
        run_before=open_and_wait(Target("search", query="Persuader"), "ctrl+f"),
        terminal_size=(80, 24),
    )


def test_snapshot_release(snap_compare: Snap) -> None:
    assert snap_compare(
        demo_app(),
        run_before=open_and_wait(Target("release", id=1)),
        terminal_size=(80, 24),
    )


def test_snapshot_master(snap_compare: Snap) -> None:
    assert snap_compare(
        demo_app(),
        run_before=open_and_wait(Target("master", id=1436652)),
        terminal_size=(80, 24),
    )


def test_snapshot_artist(snap_compare: Snap) -> None:
    assert snap_compare(
        demo_app(),
        run_before=open_and_wait(Target("artist", id=1)),
        terminal_size=(80, 24),
    )


def test_snapshot_label(snap_compare: Snap) -> None:
    assert snap_compare(
        demo_app(),
        run_before=open_and_wait(Target("label", id=5)),
        terminal_size=(80, 24),
    )


def test_snapshot_release_wide(snap_compare: Snap) -> None:
    assert snap_compare(
        demo_app(),
        run_before=open_and_wait(Target("release", id=1)),
        terminal_size=(200, 60),
    )
