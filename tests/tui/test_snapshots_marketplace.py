"""Snapshots of the marketplace pages and forms at 80x24 against the emulator."""

from __future__ import annotations

from collections.abc import Callable

from test_snapshots_pages import open_and_wait
from tui_helpers import demo_app

from discogs_tui.app import DiscogsApp
from discogs_tui.navigation import Target

Snap = Callable[..., bool]

FIRST_LISTING = 3100000032
"""The demo seller's newest listing."""


def test_snapshot_inventory(snap_compare: Snap) -> None:
    """The seller's inventory: status, sort and filter above, prices with their currency."""
    assert snap_compare(
        demo_app(), run_before=open_and_wait(Target("inventory")), terminal_size=(80, 24)
    )


def test_snapshot_quick_edit_form(snap_compare: Snap) -> None:
    """Quick edit of the first listing with a new price typed: fee and suggestion below."""
    assert snap_compare(
        demo_app(),
        run_before=open_and_wait(Target("inventory"), "e", "2", "4", ".", "5", "0"),
        terminal_size=(80, 24),
    )


def test_snapshot_quick_edit_refuses_a_negative_price(snap_compare: Snap) -> None:
    assert snap_compare(
        demo_app(),
        run_before=open_and_wait(Target("inventory"), "e", "minus", "5", "ctrl+s"),
        terminal_size=(80, 24),
    )


def test_snapshot_listing(snap_compare: Snap) -> None:
    assert snap_compare(
        demo_app(),
        run_before=open_and_wait(Target("listing", id=FIRST_LISTING)),
        terminal_size=(80, 24),
    )


def test_snapshot_orders(snap_compare: Snap) -> None:
    assert snap_compare(
        demo_app(), run_before=open_and_wait(Target("orders")), terminal_size=(80, 24)
    )


def test_snapshot_order(snap_compare: Snap) -> None:
    assert snap_compare(
        demo_app(),
        run_before=open_and_wait(Target("order", name="1000001-2")),
        terminal_size=(80, 24),
    )


def test_snapshot_send_message_form(snap_compare: Snap) -> None:
    assert snap_compare(
        demo_app(),
        run_before=open_and_wait(Target("order", name="1000001-2"), "m", "H", "i", "!"),
        terminal_size=(80, 24),
    )


def bulk_app() -> DiscogsApp:
    """The demo app with a stand-in for the bulk runner (another part of the app)."""
    app = demo_app()
    app.start_bulk_edit = lambda plan, *, source: True  # type: ignore[method-assign]
    app.bulk_running = False  # type: ignore[misc]
    return app


def test_snapshot_inventory_with_marks(snap_compare: Snap) -> None:
    """Three listings marked (a check before the item), the count in the border."""
    assert snap_compare(
        bulk_app(),
        run_before=open_and_wait(Target("inventory"), "space", "space", "down", "space"),
        terminal_size=(80, 24),
    )


def test_snapshot_bulk_edit_form(snap_compare: Snap) -> None:
    """The bulk edit form over two marked listings with +10% typed."""
    assert snap_compare(
        bulk_app(),
        run_before=open_and_wait(
            Target("inventory"), "space", "space", "b", "plus", "1", "0", "percent_sign"
        ),
        terminal_size=(80, 24),
    )


def test_snapshot_bulk_edit_preview(snap_compare: Snap) -> None:
    """The preview of +10% on the first nine listings (a Sold one among them is skipped)."""
    keys = ["space"] * 10 + ["b", "plus", "1", "0", "percent_sign", "enter"]
    assert snap_compare(
        bulk_app(), run_before=open_and_wait(Target("inventory"), *keys), terminal_size=(80, 24)
    )
