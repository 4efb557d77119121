"""The marketplace page kinds, for the app's page table."""

from __future__ import annotations

from collections.abc import Callable

from discogs_tui.navigation import Target
from discogs_tui.screens.base import PageScreen
from discogs_tui.screens.marketplace.inventory import InventoryPage
from discogs_tui.screens.marketplace.listing import ListingPage
from discogs_tui.screens.marketplace.orders import OrderPage, OrdersPage

MARKETPLACE_PAGES: dict[str, Callable[[Target], PageScreen]] = {
    "inventory": InventoryPage,
    "orders": OrdersPage,
    "listing": ListingPage,
    "order": OrderPage,
}
"""The page class of each marketplace kind."""

NAMELESS = ("inventory", "orders")
"""Kinds that open without an id or a name (the signed-in seller's)."""
