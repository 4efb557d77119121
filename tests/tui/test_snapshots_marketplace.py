"""Snapshots of the marketplace pages and forms at 80x24 against the emulator."""

from __future__ import annotations

from collections.abc import Callable

from test_snapshots_pages import open_and_wait
from tui_helpers import demo_app

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
