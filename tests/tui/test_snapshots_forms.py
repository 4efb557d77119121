"""Snapshots of the write forms at 80x24 against the emulator."""

from __future__ import annotations

from collections.abc import Callable

from test_snapshots_pages import open_and_wait
from tui_helpers import demo_app

from discogs_tui.navigation import Target

Snap = Callable[..., bool]


def test_snapshot_rate_release_form(snap_compare: Snap) -> None:
    """The rating form over release 3, "9" typed and refused beside the field."""
    assert snap_compare(
        demo_app(),
        run_before=open_and_wait(Target("release", id=3), "R", "9", "enter"),
        terminal_size=(80, 24),
    )
