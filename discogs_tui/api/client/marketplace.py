"""The marketplace: inventories, listings, orders and their messages, fees, prices, statistics.

Follows https://www.discogs.com/developers/#page:marketplace. Prices are in the seller's
currency unless ``curr_abbr`` says otherwise. Writes need the seller signed in
(:class:`AuthError`, :class:`ForbiddenError`); a value Discogs refuses raises
:class:`ValidationError` with the server's ``message``; a write whose answer was lost raises
:class:`OutcomeUnknownError` (it may have been made).
"""

from __future__ import annotations

from typing import Required, TypedDict

from typing_extensions import Unpack

from discogs_tui.api.client._shared import MAX_PER_PAGE, _body, _price_segment, _seg
from discogs_tui.api.client.core import ClientCore
from discogs_tui.models import Page
from discogs_tui.models.marketplace import (
    Fee,
    Listing,
    MarketplaceStats,
    NewListing,
    Order,
    OrderMessage,
    PriceSuggestions,
)


class ListingFields(TypedDict, total=False):
    """The body of a new or edited listing; grades and statuses as Discogs names them
    (https://www.discogs.com/developers/#page:marketplace,header:marketplace-new-listing)."""

    release_id: Required[int]
    condition: Required[str]
    """Media grade, e.g. ``Near Mint (NM or M-)``."""
    price: Required[float]
    """In the seller's currency."""
    status: str
    """``For Sale`` or ``Draft``."""
    sleeve_condition: str
    comments: str
    allow_offers: bool
    external_id: str
    location: str
    weight: float | str
    """Grams, or ``"auto"``."""
    format_quantity: int | str
    """A number, or ``"auto"``."""


class MarketplaceAPI(ClientCore):
    """A seller's inventory and listings, orders and messages, and the marketplace figures."""

    def _order_changes(self) -> tuple[str, ...]:
        # Every order page (its status shows in the lists), its messages (a status change adds
        # one) and the seller's profile (num_pending).
        me = self._username_hint
        return ("/marketplace/orders", f"/users/{_seg(me)}?" if me else "/users")

    # -- listings --------------------------------------------------------------------------

    async def get_inventory(
        self,
        username: str,
        *,
        page: int = 1,
        per_page: int = MAX_PER_PAGE,
        status: str | None = None,
        sort: str | None = None,
        sort_order: str | None = None,
        fresh: bool = False,
    ) -> Page[Listing]:
        """One page of a seller's inventory (the owner sees every status and private fields).

        ``fresh`` asks Discogs, never the disk cache, and stores nothing (a bulk edit plans
        from the listings as they are now).
        https://www.discogs.com/developers/#page:marketplace,header:marketplace-inventory
        """
        return await self._page(
            Listing,
            "listings",
            f"/users/{_seg(username)}/inventory",
            page=page,
            per_page=per_page,
            params={"status": status, "sort": sort, "sort_order": sort_order},
            use_cache=not fresh,
        )

    async def get_listing(
        self, listing_id: int, *, curr_abbr: str | None = None, fresh: bool = False
    ) -> Listing:
        """One marketplace listing (:class:`NotFoundError` once sold or deleted).

        ``fresh`` asks Discogs, never the disk cache, and stores nothing: for settling a write
        whose answer was lost in an earlier run (a kill skips the cache invalidation).
        https://www.discogs.com/developers/#page:marketplace,header:marketplace-listing
        """
        return await self._get(
            Listing,
            f"/marketplace/listings/{listing_id}",
            {"curr_abbr": curr_abbr},
            use_cache=not fresh,
        )

    async def update_listing(self, listing_id: int, **fields: Unpack[ListingFields]) -> None:
        """Change a listing (only For Sale, Draft and Expired listings can be edited).

        Every field of :class:`ListingFields` is sent as given (``None`` left out).
        https://www.discogs.com/developers/#page:marketplace,header:marketplace-listing
        """
        await self._write(
            "POST",
            f"/marketplace/listings/{listing_id}",
            body=_body(**fields),
            invalidates=self._inventory_changes(listing_id, fields.get("release_id")),
        )

    async def create_listing(self, **fields: Unpack[ListingFields]) -> NewListing:
        """List a release for sale (``status`` "For Sale", the default) or as a "Draft".

        Returns the new ``listing_id``.
        https://www.discogs.com/developers/#page:marketplace,header:marketplace-new-listing
        """
        path = "/marketplace/listings"
        body = {"status": "For Sale", **_body(**fields)}
        return await self._write_parsed(
            NewListing,
            "POST",
            path,
            body=body,
            invalidates=self._inventory_changes(None, body["release_id"]),
        )

    async def delete_listing(self, listing_id: int, *, release_id: int | None = None) -> None:
        """Delete a listing; pass its ``release_id`` to drop the release's cached lowest price.

        https://www.discogs.com/developers/#page:marketplace,header:marketplace-listing
        """
        await self._write(
            "DELETE",
            f"/marketplace/listings/{listing_id}",
            invalidates=self._inventory_changes(listing_id, release_id),
        )

    # -- orders ----------------------------------------------------------------------------

    async def get_orders(
        self,
        *,
        page: int = 1,
        per_page: int = MAX_PER_PAGE,
        status: str | None = None,
        created_after: str | None = None,
        created_before: str | None = None,
        archived: bool | None = None,
        sort: str | None = None,
        sort_order: str | None = None,
    ) -> Page[Order]:
        """One page of the signed-in seller's orders (dates as ISO 8601 strings).

        https://www.discogs.com/developers/#page:marketplace,header:marketplace-list-orders
        """
        params = {
            "status": status,
            "created_after": created_after,
            "created_before": created_before,
            "archived": archived,
            "sort": sort,
            "sort_order": sort_order,
        }
        return await self._page(
            Order, "orders", "/marketplace/orders", page=page, per_page=per_page, params=params
        )

    async def get_order(self, order_id: str) -> Order:
        """One order (ids look like ``1-1``).

        https://www.discogs.com/developers/#page:marketplace,header:marketplace-order
        """
        return await self._get(Order, f"/marketplace/orders/{_seg(order_id)}")

    async def update_order(
        self, order_id: str, *, status: str | None = None, shipping: float | None = None
    ) -> Order:
        """Change an order's status, or set its shipping (which sends the invoice).

        A status change Discogs does not allow from the current one raises
        :class:`ValidationError`. Returns the order as it now is.
        https://www.discogs.com/developers/#page:marketplace,header:marketplace-order
        """
        path = f"/marketplace/orders/{_seg(order_id)}"
        return await self._write_parsed(
            Order,
            "POST",
            path,
            body=_body(status=status, shipping=shipping),
            invalidates=self._order_changes(),
        )

    async def get_order_messages(
        self, order_id: str, *, page: int = 1, per_page: int = MAX_PER_PAGE
    ) -> Page[OrderMessage]:
        """One page of an order's messages, most recent first.

        https://www.discogs.com/developers/#page:marketplace,header:marketplace-list-order-messages
        """
        return await self._page(
            OrderMessage,
            "messages",
            f"/marketplace/orders/{_seg(order_id)}/messages",
            page=page,
            per_page=per_page,
        )

    async def create_order_message(
        self, order_id: str, *, message: str | None = None, status: str | None = None
    ) -> OrderMessage:
        """Send the buyer a message and/or change the order's status; the message made.

        https://www.discogs.com/developers/#page:marketplace,header:marketplace-list-order-messages
        """
        path = f"/marketplace/orders/{_seg(order_id)}/messages"
        return await self._write_parsed(
            OrderMessage,
            "POST",
            path,
            body=_body(message=message, status=status),
            invalidates=self._order_changes(),
        )

    # -- figures ---------------------------------------------------------------------------

    async def get_fee(self, price: float, currency: str | None = None) -> Fee:
        """The marketplace fee for selling at ``price`` (in ``currency``, default USD).

        A negative or non-finite price raises ``ValueError`` before anything is sent.
        https://www.discogs.com/developers/#page:marketplace,header:marketplace-fee
        """
        path = f"/marketplace/fee/{_price_segment(price)}" + (
            f"/{_seg(currency)}" if currency else ""
        )
        return await self._get(Fee, path)

    async def get_price_suggestions(self, release_id: int) -> PriceSuggestions:
        """Suggested prices by grade (needs seller settings: :class:`ValidationError` without).

        https://www.discogs.com/developers/#page:marketplace,header:marketplace-price-suggestions
        """
        return await self._get(PriceSuggestions, f"/marketplace/price_suggestions/{release_id}")

    async def get_marketplace_stats(
        self, release_id: int, *, curr_abbr: str | None = None
    ) -> MarketplaceStats:
        """Lowest price and number for sale of a release (null when none).

        https://www.discogs.com/developers/#page:marketplace,header:marketplace-release-statistics
        """
        return await self._get(
            MarketplaceStats, f"/marketplace/stats/{release_id}", {"curr_abbr": curr_abbr}
        )
