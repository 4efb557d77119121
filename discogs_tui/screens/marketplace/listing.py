"""One marketplace listing: price and currency, grades, comments, release, seller, where it is.

https://www.discogs.com/developers/#page:marketplace,header:marketplace-listing
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType

from discogs_tui.models.marketplace import Listing
from discogs_tui.money import format_price
from discogs_tui.navigation import Target
from discogs_tui.screens.database.database_page import DatabasePage, section_title
from discogs_tui.screens.marketplace.common import day, price_text
from discogs_tui.widgets.facts import facts_builder, links_to
from discogs_tui.widgets.markup_view import LinkedText, MarkupView

if TYPE_CHECKING:
    from discogs_tui.shell import PaletteCommand


def listing_facts(listing: Listing) -> Callable[[int], LinkedText]:
    """The facts of a listing, the seller's private ones when they are there."""
    release = listing.release
    price = price_text(listing.price)
    original = listing.original_price
    if (
        original is not None
        and original.value is not None
        and original.curr_abbr
        and str(original.curr_abbr) != (listing.price.currency or "")
    ):
        price += f" (asked {format_price(original.value, str(original.curr_abbr))})"
    shipping = price_text(listing.shipping_price)
    seller = listing.seller.username
    return facts_builder(
        [
            ("Price", price),
            ("Shipping", shipping),
            ("Media", str(listing.condition or "")),
            ("Sleeve", str(listing.sleeve_condition or "")),
            ("Status", str(listing.status)),
            ("Release", links_to("release", [(release.id, release.description or release.title)])),
            ("Comments", listing.comments),
            ("Offers", "allowed" if listing.allow_offers else "not allowed"),
            ("Posted", day(listing.posted)),
            ("Seller", seller),
            ("Ships from", listing.ships_from),
            ("Location", listing.location or ""),
            ("External id", listing.external_id or ""),
            ("Weight", f"{listing.weight:g} g" if listing.weight is not None else ""),
            ("Quantity", f"{listing.format_quantity}" if listing.format_quantity else ""),
        ]
    )


class ListingPage(DatabasePage):
    """A listing: ``Target(kind="listing", id=...)``."""

    noun = "listing"
    AUTO_FOCUS = "#listing-facts"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit", "Edit", id="listing.edit", tooltip="Edit this listing"),
        Binding("delete", "delete", "Delete", id="listing.delete", tooltip="Delete this listing"),
    ]

    def compose_details(self) -> ComposeResult:
        yield section_title("Listing")
        yield MarkupView(id="listing-facts", classes="facts")

    async def request(self) -> Listing:
        assert self.target.id is not None
        return await self.client.get_listing(self.target.id)

    def api_paths(self) -> tuple[str, ...]:
        return (f"/marketplace/listings/{self.target.id}",)

    def show(self, model: Any) -> None:
        listing: Listing = model
        self.query_one("#listing-facts", MarkupView).update(listing_facts(listing))
        self.sub_title = listing.release.description

    @property
    def is_own(self) -> bool:
        """True when the signed-in user sells this listing."""
        listing: Listing | None = self.model
        me = self.discogs_app.username
        return bool(me and listing and listing.seller.username.casefold() == me.casefold())

    def action_edit(self) -> None:
        """Quick edit of this listing."""
        from discogs_tui.screens.marketplace.actions import edit_listing

        listing: Listing | None = self.model
        if listing is None or not self.is_own:
            self.notify("Only your own listings can be edited.", markup=False, severity="warning")
            return
        edit_listing(self, listing, lambda _result: None)

    def action_delete(self) -> None:
        """Delete this listing, after asking."""
        from discogs_tui.screens.marketplace.actions import delete_listing

        listing: Listing | None = self.model
        if listing is None or not self.is_own:
            self.notify("Only your own listings can be deleted.", markup=False, severity="warning")
            return
        delete_listing(self, listing)

    def target_for_item(self, item: Any) -> Target | None:
        return None

    def palette_commands(self) -> list[PaletteCommand]:
        from discogs_tui.shell import PaletteCommand

        if not self.is_own:
            return []
        return [
            PaletteCommand("Edit listing", "Quick edit of this listing", self.action_edit),
            PaletteCommand(
                "Delete listing", "Delete this listing (asks first)", self.action_delete
            ),
        ]
