"""A seller's inventory: the signed-in seller's every listing, or another seller's For Sale ones.

Rows load page by page as the cursor nears the end, never all up front
(https://www.discogs.com/developers/#page:marketplace,header:marketplace-inventory).
The status choice and the sort (every key Discogs sorts by, both directions) ask the
server again; the filter line narrows the rows as you type. ``e`` edits the listing under
the cursor, ``enter`` opens it, ``delete`` deletes it (after asking).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import quote

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Input, Select, Static

from discogs_tui.api.errors import DiscogsError
from discogs_tui.models import Page
from discogs_tui.models.enums import ListingStatus
from discogs_tui.models.marketplace import Listing
from discogs_tui.navigation import Target
from discogs_tui.screens.database.database_page import key_in_words
from discogs_tui.screens.marketplace.common import (
    MARKET_CSS,
    OTHER_SELLER_PAGES,
    filtered_fetcher,
    month,
    price_text,
    short_grade,
)
from discogs_tui.screens.marketplace.marks import MARK_BINDINGS, ListingMarks
from discogs_tui.widgets.paged_table import Column, PagedTable, cell

if TYPE_CHECKING:
    from discogs_tui.shell import PaletteCommand

PER_PAGE = 100
"""Listings a request brings (the most Discogs allows)."""

OWNER_SORTS = ("listed", "price", "item", "artist", "label", "catno", "audio", "status", "location")
"""Every inventory sort key Discogs takes from the seller; others may not sort by the last two."""
PUBLIC_SORTS = OWNER_SORTS[:7]

STATUSES = [s.value for s in ListingStatus if s is not ListingStatus.DELETED]
"""The status filter's choices (``All`` sends none)."""

FILTER_DELAY = 0.3
"""Seconds after the last key before the filter is applied."""


def sort_choices(keys: tuple[str, ...]) -> list[tuple[str, str]]:
    """``Listed, newest first``-style choices: every key in both directions (``key:order``)."""
    out = []
    for key in keys:
        out.append((f"{key.capitalize()} \u2193", f"{key}:desc"))
        out.append((f"{key.capitalize()} \u2191", f"{key}:asc"))
    return out


def listing_row(item: Listing) -> list[str | Text]:
    """Status, item, grades (media/sleeve), price with its currency, month listed."""
    grades = "/".join(
        g for g in (short_grade(item.condition), short_grade(item.sleeve_condition)) if g
    )
    return [
        str(item.status),
        item.release.description or f"Release {item.release.id}",
        grades,
        Text(price_text(item.price), justify="right"),
        month(item.posted),
    ]


def listing_matches(item: Listing, words: str) -> bool:
    """True when every word of ``words`` is in the listing's item, grades, comments or location."""
    hay = " ".join(
        [
            item.release.description,
            str(item.condition or ""),
            str(item.sleeve_condition or ""),
            item.comments,
            item.location or "",
            item.external_id or "",
            str(item.status),
            str(item.id or ""),
        ]
    ).casefold()
    return all(word in hay for word in words.casefold().split())


class InventoryPage(ListingMarks):
    """``Target(kind="inventory")`` is the signed-in seller's; ``name=`` another seller's.

    The seller's own inventory has marks and a bulk edit (:class:`ListingMarks`)."""

    AUTO_FOCUS = "#inventory-table"
    DEFAULT_CSS = MARKET_CSS

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit", "Edit", id="inventory.edit", tooltip="Edit the listing (quick edit)"),
        Binding("delete", "delete", "Delete", id="inventory.delete", tooltip="Delete the listing"),
        Binding("ctrl+f", "filter", "Filter", id="inventory.filter", tooltip="Filter the rows"),
        Binding("ctrl+r", "reload", "Reload", show=False, id="page.reload"),
        *MARK_BINDINGS,
    ]

    def __init__(self, target: Target) -> None:
        super().__init__(target)
        self._filter_timer: Timer | None = None
        self.shown: tuple[str, str, str] | None = None
        """The status, sort and filter of the rows shown (or on their way)."""
        self.editing: int | None = None
        """The id of the listing being edited: its row is updated in place after the save."""

    @property
    def seller(self) -> str | None:
        """Whose inventory: the name given, else the signed-in user (None when not known)."""
        return self.target.name or self.discogs_app.username

    @property
    def is_own(self) -> bool:
        """True when this is the signed-in seller's inventory (every status, editable)."""
        me = self.discogs_app.username
        return bool(me) and (self.seller or "").casefold() == (me or "").casefold()

    def compose_body(self) -> ComposeResult:
        own = self.is_own
        with Horizontal(id="inventory-bar", classes="market-bar"):
            yield Select(
                [(status, status) for status in STATUSES] if own else [("For Sale", "For Sale")],
                value="All" if own else "For Sale",
                allow_blank=False,
                id="inventory-status",
                compact=True,
                disabled=not own,
            )
            yield Select(
                sort_choices(OWNER_SORTS if own else PUBLIC_SORTS),
                value="listed:desc",
                allow_blank=False,
                id="inventory-sort",
                compact=True,
            )
            yield Input(placeholder="Filter (ctrl+f)", id="inventory-filter", compact=True)
        yield PagedTable[Listing](
            [
                Column("Status", "status", 8),
                Column("Item", "item", 10, flex=True),
                Column("Grade", "grade", 7),
                Column("Price", "price", 9),
                Column("Listed", "listed", 8),
            ],
            self.row_cells,
            title=self._title(),
            noun="listing",
            id="inventory-table",
        )
        yield Static(id="inventory-note", classes="market-note")

    def row_cells(self, item: Listing) -> list[str | Text]:
        """A row's cells; on the seller's own inventory a marked item starts with the mark."""
        cells = listing_row(item)
        if self.is_own:
            cells[1] = self.marked_item(item, cells[1])
        return cells

    def _title(self) -> str:
        if self.is_own:
            return "Your inventory"
        return f"Inventory of {self.seller}" if self.seller else "Inventory"

    def api_paths(self) -> tuple[str, ...]:
        if not self.seller:
            return ()
        return (f"/users/{quote(self.seller, safe='')}/inventory", "/marketplace/listings")

    def load(self) -> None:
        table = self.query_one("#inventory-table", PagedTable)
        self.query_one("#inventory-note", Static).display = False
        if not self.seller:
            table.empty_text = "Your inventory needs a Discogs sign-in (discogs-tui login)."
            self.notify(
                "Your inventory needs a Discogs sign-in: run discogs-tui login, or name a seller "
                "(:inventory NAME).",
                title="Sign-in needed",
                severity="warning",
                markup=False,
            )
            return
        self.title = self._title()
        self.shown = self.asked()
        status, sort, words = self.shown
        key, _, order = sort.partition(":")
        seller = self.seller
        own = self.is_own

        async def fetch(number: int) -> Page[Listing]:
            return await self.client.get_inventory(
                seller,
                page=number,
                per_page=PER_PAGE,
                status=None if status == "All" or not own else str(status),
                sort=key,
                sort_order=order,
            )

        keep = (lambda item: listing_matches(item, words)) if words else None
        table.title = self.table_title()
        table.empty_text = "No listings match the filter." if words else ""
        table.show(filtered_fetcher(fetch, keep, max_pages=None if own else OTHER_SELLER_PAGES))
        if own:
            self.show_mark_count()

    def table_title(self) -> str:
        """``Your inventory · filter "words"`` (the marks' count follows)."""
        words = self.shown[2] if self.shown else ""
        return self._title() + (f' \u00b7 filter "{words}"' if words else "")

    def asked(self) -> tuple[str, str, str]:
        """The status, sort (``key:order``) and filter words chosen now."""
        return (
            str(self.query_one("#inventory-status", Select).value),
            str(self.query_one("#inventory-sort", Select).value),
            self.query_one("#inventory-filter", Input).value.strip(),
        )

    @on(PagedTable.PageLoaded, "#inventory-table")
    def _page_loaded(self, event: PagedTable.PageLoaded) -> None:
        page = event.page
        if self.is_own:
            self.marks_page_loaded(page.items)
        if page.pagination.page <= 1:
            self.set_fetch_info(page.fetch_info)
        shown_all = page.pagination.page >= page.pagination.pages
        capped = not self.is_own and page.pagination.items > OTHER_SELLER_PAGES * PER_PAGE
        note = self.query_one("#inventory-note", Static)
        if capped and shown_all:
            limit = OTHER_SELLER_PAGES * PER_PAGE
            note.update(
                Text(
                    f"Discogs lists only the first {limit:,} listings of another seller: "
                    f"the other {page.pagination.items - limit:,} cannot be listed here."
                )
            )
            note.display = True

    @on(Select.Changed, "#inventory-status")
    @on(Select.Changed, "#inventory-sort")
    def _choice_changed(self, event: Select.Changed) -> None:
        event.stop()
        # The first report of each choice's value is what is shown already.
        if self.shown is not None and self.asked() != self.shown:
            self.load()

    @on(Input.Changed, "#inventory-filter")
    def _filter_typed(self, event: Input.Changed) -> None:
        event.stop()
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(FILTER_DELAY, self._filter_now)

    @on(Input.Submitted, "#inventory-filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        event.stop()
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self.load()
        self.query_one("#inventory-table", PagedTable).focus()

    def _filter_now(self) -> None:
        if self.asked() != self.shown:
            self.load()

    def action_filter(self) -> None:
        """Put the cursor in the filter line."""
        self.query_one("#inventory-filter", Input).focus()

    def action_reload(self) -> None:
        """Read the inventory again."""
        self.load()

    # -- one listing -----------------------------------------------------------------------

    @property
    def current(self) -> Listing | None:
        """The listing under the cursor."""
        table: PagedTable[Listing] = self.query_one("#inventory-table", PagedTable)
        return table.current_item

    def target_for_item(self, item: Any) -> Target | None:
        listing: Listing = item
        return Target(kind="listing", id=listing.id) if listing.id else None

    def action_edit(self) -> None:
        """Quick edit of the listing under the cursor (price focused, its text selected)."""
        from discogs_tui.screens.marketplace.actions import edit_listing

        listing = self.current
        if listing is None:
            self.notify("No listing here to edit.", markup=False)
            return
        if not self.is_own:
            self.notify("Only your own listings can be edited.", markup=False, severity="warning")
            return
        if self.discogs_app.bulk_running and listing.id is not None:
            # The rows reload when the bulk edit ends: this one may be edited already, and the
            # form would send its old values back.
            self.edit_fresh(listing.id)
            return
        if edit_listing(self, listing, self._edited):
            self.editing = listing.id

    @work(group="inventory-row", exit_on_error=False)
    async def edit_fresh(self, listing_id: int) -> None:
        """Read the listing from Discogs (never the disk cache), then open its quick edit."""
        from discogs_tui.screens.marketplace.actions import edit_listing

        try:
            listing = await self.client.get_listing(listing_id, fresh=True)
        except DiscogsError as error:
            self.discogs_app.show_error(error, where=f"listing {listing_id}")
            return
        self.replace_row(listing)
        if edit_listing(self, listing, self._edited):
            self.editing = listing.id

    def action_delete(self) -> None:
        """Delete the listing under the cursor, after asking."""
        from discogs_tui.screens.marketplace.actions import delete_listing

        listing = self.current
        if listing is None or not self.is_own:
            self.notify("No listing of yours here to delete.", markup=False)
            return

        def deleted(done: bool | None) -> None:
            # A deleted listing leaves the marks too: a bulk edit would find it gone.
            if done and listing.id is not None:
                self.marks.discard([listing.id])
                self.show_mark_count()

        delete_listing(self, listing, deleted)

    def data_changed(self, *, now: bool) -> None:
        if now and self.editing is not None:
            return  # the edited row is replaced in place when the form closes
        super().data_changed(now=now)

    def _edited(self, result: Listing | None) -> None:
        self.editing = None
        if result is not None:
            self.replace_row(result)

    def replace_row(self, listing: Listing) -> None:
        """Show ``listing`` on its row, where it is (the rest of the table stays as loaded)."""
        table: PagedTable[Listing] = self.query_one("#inventory-table", PagedTable)
        self.marks.update([listing])
        for index, item in enumerate(table.items):
            if item.id == listing.id:
                table.items[index] = listing
                for column, value in zip(table.columns, self.row_cells(listing), strict=False):
                    table.update_cell(str(index), column, cell(value))
                return

    @work(group="inventory-row", exit_on_error=False)
    async def refresh_row(self, listing_id: int) -> None:
        """Read one listing again and show it on its row."""
        try:
            listing = await self.client.get_listing(listing_id)
        except DiscogsError as error:
            self.discogs_app.show_error(error, where=f"listing {listing_id}")
            return
        self.replace_row(listing)

    def palette_commands(self) -> list[PaletteCommand]:
        from discogs_tui.shell import PaletteCommand

        if not self.is_own:
            return []
        edit = key_in_words(self.key_display("inventory.edit"))
        return [
            PaletteCommand(
                "Edit listing",
                f"Quick edit of the listing under the cursor ({edit})",
                self.action_edit,
            ),
            PaletteCommand(
                "Delete listing", "Delete the listing under the cursor", self.action_delete
            ),
            PaletteCommand("Filter listings", "Narrow the rows as you type", self.action_filter),
            *self.mark_commands(),
        ]
