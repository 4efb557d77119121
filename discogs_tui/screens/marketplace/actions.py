"""The listing actions every marketplace page offers: edit, sell, delete (through the form)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from textual.binding import Binding, BindingType

from discogs_tui.api.errors import clean_text
from discogs_tui.models.marketplace import Listing
from discogs_tui.screens.form import FormScreen
from discogs_tui.screens.marketplace.listing_form import ListingForm, not_editable_reason

if TYPE_CHECKING:
    from discogs_tui.screens.base import PageScreen


def _needs_sign_in(page: PageScreen, what: str) -> bool:
    if page.discogs_app.username:
        return False
    page.notify(
        f"{what} needs a Discogs sign-in: run discogs-tui login (or start with --token).",
        title="Sign-in needed",
        severity="warning",
        markup=False,
    )
    return True


def edit_listing(
    page: PageScreen, listing: Listing, done: Callable[[Listing | None], None]
) -> bool:
    """Open the quick edit of ``listing``; False (and a notice) when it cannot be edited."""
    if _needs_sign_in(page, "Editing a listing"):
        return False
    reason = not_editable_reason(str(listing.status))
    if reason is not None:
        page.notify(reason, title="Not editable", severity="warning", markup=False, timeout=8)
        return False
    page.app.push_screen(ListingForm(page.client, listing=listing), done)
    return True


def sell_release(
    page: PageScreen,
    release_id: int,
    title: str,
    done: Callable[[Listing | None], None] | None = None,
) -> bool:
    """Open the new listing form for ``release_id``, prefilled from the price suggestion."""
    if _needs_sign_in(page, "Selling a release"):
        return False
    page.app.push_screen(ListingForm(page.client, release_id=release_id, title=title), done)
    return True


class ConfirmDelete(FormScreen[bool]):
    """Asks before deleting listing ``listing``; ``enter`` or ``ctrl+s`` deletes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "save", "Delete", id="confirm.delete", tooltip="Delete the listing"),
    ]

    def __init__(self, page: PageScreen, listing: Listing) -> None:
        self.page = page
        self.listing = listing
        what = clean_text(listing.release.description, 40)
        super().__init__(
            f"Delete listing {listing.id}" + (f": {what}" if what else "") + "?",
            [],
            self._delete,
            saved=f"Listing {listing.id} deleted",
        )

    async def _delete(self, values: Mapping[str, Any]) -> bool:
        assert self.listing.id is not None
        await self.page.client.delete_listing(self.listing.id, release_id=self.listing.release.id)
        return True


def delete_listing(
    page: PageScreen, listing: Listing, done: Callable[[bool | None], None] | None = None
) -> None:
    """Ask, then delete ``listing`` through the write flow."""
    if _needs_sign_in(page, "Deleting a listing"):
        return
    page.app.push_screen(ConfirmDelete(page, listing), done)
