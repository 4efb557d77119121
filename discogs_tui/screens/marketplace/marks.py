"""Marks on the seller's own inventory, and the bulk edit of the marked listings.

``space`` marks or unmarks the listing under the cursor and moves down; ``*`` marks every
listing the status and filter show (the pages not loaded yet are loaded first, through the
table); ``U`` clears the marks; ``b`` opens the bulk edit of the marked listings
(:mod:`discogs_tui.screens.marketplace.bulk_form`), then its preview. Marks are kept by
listing id, with the listing as last loaded: they outlive reloads and filter or sort
changes, and a marked listing not shown now still counts ("12 marked (3 not shown)").

Every edit sends the listing's complete values
(https://www.discogs.com/developers/#page:marketplace,header:marketplace-listing), so the
rows planned from must carry the fields only the owner sees (location, external id, weight,
format quantity: the owner's inventory carries them,
https://www.discogs.com/developers/#page:marketplace,header:marketplace-inventory). The
marked listings are read again from Discogs (never the disk cache) before the form opens, so
that an edit never sends back old values over a change made elsewhere since they loaded.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.binding import Binding, BindingType
from textual.widgets import Static

from discogs_tui.api.errors import DiscogsError
from discogs_tui.models.marketplace import Listing
from discogs_tui.screens.database.database_page import LinkFollowingPage, key_in_words
from discogs_tui.tasks.bulk_plan import estimate_seconds
from discogs_tui.tasks.inventory_csv import listing_row as plan_row
from discogs_tui.tasks.inventory_csv import read_listings
from discogs_tui.widgets.paged_table import PagedTable, cell

if TYPE_CHECKING:
    from discogs_tui.api.ratelimit import RateState
    from discogs_tui.shell import PaletteCommand
    from discogs_tui.tasks.bulk_plan import Plan

MARK = "\u2713"
"""The glyph of a marked row (a shape, so it reads without colour too)."""

ITEM_COLUMN = "item"
"""The key of the inventory's item column, where a marked row shows :data:`MARK` first."""

ASK_PAGES = 10
"""Marking every listing asks first when more pages than this are still to load."""


def marked_text(words: str | Text, marked: bool) -> Text:
    """``words`` after the mark (``✓ Artist - Title``) when ``marked``, else as they are."""
    text = words.copy() if isinstance(words, Text) else Text(words, no_wrap=True)
    text.no_wrap, text.overflow = True, "ellipsis"
    if marked:
        text = Text.assemble((f"{MARK} ", "bold"), text, no_wrap=True, overflow="ellipsis")
    return text


def plan_rows(listings: Iterable[Listing]) -> list[dict[str, str]]:
    """The rows :func:`~discogs_tui.tasks.bulk_plan.plan_bulk_change` plans from: each
    listing's complete values plus ``listing_id``, ``artist``, ``title`` and ``currency``."""
    return [dict(plan_row(listing)) for listing in listings]


class Marks:
    """The marked listings by id, each as last loaded, in the order they were marked."""

    def __init__(self) -> None:
        self.listings: dict[int, Listing] = {}

    def __len__(self) -> int:
        return len(self.listings)

    def __contains__(self, listing_id: object) -> bool:
        return listing_id in self.listings

    def toggle(self, listing: Listing) -> bool:
        """Mark ``listing``, or unmark it when marked; True when it is marked now."""
        if listing.id is None:
            return False
        if listing.id in self.listings:
            del self.listings[listing.id]
            return False
        self.listings[listing.id] = listing
        return True

    def add(self, listings: Iterable[Listing]) -> int:
        """Mark every listing of ``listings``; how many were not marked before."""
        added = 0
        for listing in listings:
            if listing.id is not None and listing.id not in self.listings:
                added += 1
            if listing.id is not None:
                self.listings[listing.id] = listing
        return added

    def update(self, listings: Iterable[Listing]) -> None:
        """Keep the newest copy of each marked listing among ``listings`` (a reload)."""
        for listing in listings:
            if listing.id is not None and listing.id in self.listings:
                self.listings[listing.id] = listing

    def discard(self, listing_ids: Iterable[int]) -> None:
        """Unmark ``listing_ids``."""
        for listing_id in listing_ids:
            self.listings.pop(listing_id, None)

    def clear(self) -> None:
        """Unmark everything."""
        self.listings.clear()

    def words(self, shown: Iterable[int]) -> str:
        """``12 marked``, ``12 marked (3 not shown)``, or nothing without marks."""
        if not self.listings:
            return ""
        hidden = len(self.listings.keys() - set(shown))
        return f"{len(self.listings):,} marked" + (f" ({hidden:,} not shown)" if hidden else "")


MARK_BINDINGS: list[BindingType] = [
    Binding("space", "mark", "Mark", id="inventory.mark", tooltip="Mark or unmark the listing"),
    Binding(
        "asterisk",
        "mark_all",
        "Mark all",
        show=False,
        id="inventory.mark_all",
        tooltip="Mark every listing the status and filter show",
    ),
    Binding(
        "U",
        "clear_marks",
        "Clear marks",
        show=False,
        id="inventory.clear_marks",
        tooltip="Unmark every listing",
    ),
    Binding(
        "b",
        "bulk_edit",
        "Bulk edit",
        id="inventory.bulk_edit",
        tooltip="Change the price, status, location, comments or offers of the marked listings",
    ),
]
"""The marks' keys on the seller's own inventory (remappable by id)."""


class ListingMarks(LinkFollowingPage):
    """The marks and the bulk edit of the seller's inventory (a part of
    :class:`~discogs_tui.screens.marketplace.inventory.InventoryPage`)."""

    BINDINGS: ClassVar[list[BindingType]] = MARK_BINDINGS

    shown: tuple[str, str, str] | None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.marks = Marks()
        self._mark_all_asked: tuple[str, str, str] | None = None
        """The view for which marking all asked to press again (many pages to load)."""
        self.marking_all: tuple[str, str, str] | None = None
        """The view whose pages are being loaded so that all of them are marked."""

    @property
    def is_own(self) -> bool:
        """True on the signed-in seller's own inventory (the page gives it)."""
        raise NotImplementedError

    def table_title(self) -> str:
        """The table's border title without the marks (the page gives it)."""
        raise NotImplementedError

    @property
    def listing_table(self) -> PagedTable[Listing]:
        """The inventory table."""
        table: PagedTable[Listing] = self.query_one("#inventory-table", PagedTable)
        return table

    # -- showing marks ------------------------------------------------------------------

    def row_cells(self, item: Listing) -> list[str | Text]:
        """A row's cells (the page gives them; the item cell is :meth:`marked_item`)."""
        raise NotImplementedError

    def marked_item(self, listing: Listing, words: str | Text) -> Text:
        """The item cell of ``listing``: the mark first when it is marked."""
        return marked_text(words, listing.id in self.marks)

    def show_marks(self, listing_ids: Iterable[int] | None = None) -> None:
        """Draw the mark of ``listing_ids`` (all loaded rows by default) and the count."""
        table = self.listing_table
        wanted = None if listing_ids is None else set(listing_ids)
        at = [str(key.value) for key in table.columns].index(ITEM_COLUMN)
        for index, listing in enumerate(table.items):
            if wanted is None or listing.id in wanted:
                table.update_cell(str(index), ITEM_COLUMN, cell(self.row_cells(listing)[at]))
        self.show_mark_count()

    def show_mark_count(self) -> None:
        """The table's border title with the number marked."""
        table = self.listing_table
        shown = (listing.id for listing in table.items if listing.id is not None)
        words = self.marks.words(shown)
        table.set_title(self.table_title() if not words else f"{self.table_title()} \u00b7 {words}")

    def marks_page_loaded(self, items: list[Listing]) -> None:
        """A page arrived: keep the newest copy of marked listings, go on marking all."""
        self.marks.update(items)
        self.show_mark_count()
        if self.marking_all is None:
            return
        if self.marking_all != self.shown:
            self.marking_all = None  # the status, sort or filter changed meanwhile
            return
        if self.listing_table.has_more:
            self._load_more_to_mark()
            return
        self.marking_all = None
        self._say("")
        self._mark_loaded()

    def _load_more_to_mark(self) -> None:
        table = self.listing_table
        self._say(
            f"Loading every listing to mark them: page {table.pages_loaded} of "
            f"{table.pages_total}\u2026"
        )
        table.load_more()

    def _mark_loaded(self) -> None:
        added = self.marks.add(self.listing_table.items)
        self.show_marks()
        self.notify(f"{added:,} more marked: {len(self.marks):,} marked in all.", markup=False)

    @on(PagedTable.LoadFailed, "#inventory-table")
    def _mark_all_failed(self, event: PagedTable.LoadFailed) -> None:
        if self.marking_all is not None:
            self.marking_all = None
            self._say("")
            self.notify(
                "Marking all stopped: a page did not load (r retries it, then mark all again).",
                severity="warning",
                markup=False,
            )

    def _say(self, words: str) -> None:
        note = self.query_one("#inventory-note", Static)
        note.update(Text(words))
        note.display = bool(words)

    # -- the keys -----------------------------------------------------------------------

    def _own_only(self, what: str) -> bool:
        if self.is_own:
            return True
        self.notify(f"Only your own listings can be {what}.", markup=False, severity="warning")
        return False

    def action_mark(self) -> None:
        """Mark or unmark the listing under the cursor, then move down a row."""
        if not self._own_only("marked"):
            return
        table = self.listing_table
        listing = table.current_item
        if listing is None or listing.id is None:
            self.notify("No listing here to mark.", markup=False)
            return
        self.marks.toggle(listing)
        self.show_marks([listing.id])
        table.action_cursor_down()

    def action_mark_all(self) -> None:
        """Mark every listing the status and filter show, loading the pages not loaded yet."""
        if not self._own_only("marked"):
            return
        table = self.listing_table
        if table.pagination_total is None:
            self.notify("The listings are still loading: try again in a moment.", markup=False)
            return
        if not table.has_more:
            self._mark_loaded()
            return
        left = table.pages_total - table.pages_loaded
        if left > ASK_PAGES and self._mark_all_asked != self.shown:
            self._mark_all_asked = self.shown
            state = self.client.rate_state
            seconds = estimate_seconds(left, state)
            key = key_in_words(self.key_display("inventory.mark_all"))
            self.notify(
                f"Marking every listing shown needs {left:,} more "
                f"request{'s' if left != 1 else ''} (about "
                f"{seconds:.0f} s at {state.limit}/min) to load them. Press {key} again to go on.",
                title="Many pages to load",
                markup=False,
                timeout=10,
            )
            return
        self._mark_all_asked = None
        self.marking_all = self.shown
        self._load_more_to_mark()

    def action_clear_marks(self) -> None:
        """Unmark every listing (shown or not)."""
        count = len(self.marks)
        self.marking_all = None
        self._say("")
        self.marks.clear()
        self.show_marks()
        self.notify(
            f"{count:,} mark{'s' if count != 1 else ''} cleared."
            if count
            else "Nothing is marked.",
            markup=False,
        )

    def action_bulk_edit(self) -> None:
        """Open the bulk edit of the marked listings (or of the one under the cursor)."""
        if not self._own_only("bulk edited"):
            return
        if self.discogs_app.bulk_running:
            self.notify(
                "A bulk edit is already running: wait for it to finish, or cancel it, first.",
                title="Bulk edit running",
                severity="warning",
                markup=False,
            )
            return
        listings = list(self.marks.listings.values())
        if not listings:
            current = self.listing_table.current_item
            if current is None:
                key = key_in_words(self.key_display("inventory.mark"))
                self.notify(f"Mark listings with {key} first.", markup=False)
                return
            listings = [current]
        self.read_fresh(listings)

    @work(group="bulk-read", exclusive=True, exit_on_error=False)
    async def read_fresh(self, listings: list[Listing]) -> None:
        """Read ``listings`` from Discogs again (never the disk cache), then open the form on
        their values now: planned from a copy loaded earlier, an edit would send back the
        values it had then over a change made elsewhere meanwhile."""
        wanted = [x.id for x in listings if x.id is not None]
        # Said on the page's note, not in a notice over the form that follows.
        self._say("Reading the marked listings again, to edit them as they are now\u2026")
        try:
            fresh = await read_listings(
                self.client,
                self.discogs_app.username or "",
                wanted,
                lambda made, total: self._say(
                    f"Reading the marked listings again: {made:,} of {total:,} requests\u2026"
                ),
            )
        except DiscogsError as error:
            self.discogs_app.show_error(error, where="the marked listings")
            return
        finally:
            if self.is_mounted:
                self._say("")
        gone = [x for x in wanted if x not in fresh]
        if gone:
            self.marks.discard(gone)
            self.notify(
                f"{len(gone):,} marked listing{'s are' if len(gone) != 1 else ' is'} gone "
                "(sold or deleted): unmarked.",
                severity="warning",
                markup=False,
            )
        self.marks.update(fresh.values())
        if self.is_mounted:
            self.show_marks()
        if fresh:
            self.open_bulk_form([fresh[x] for x in wanted if x in fresh])

    def open_bulk_form(self, listings: list[Listing]) -> None:
        """Push the bulk edit form over ``listings``; its preview sends them to the app."""
        from discogs_tui.screens.marketplace.bulk_form import BulkEditForm

        def rate() -> RateState:
            return self.client.rate_state

        self.app.push_screen(
            BulkEditForm(plan_rows(listings), start=self.start_bulk_edit, rate_state=rate)
        )

    def start_bulk_edit(self, plan: Plan) -> bool:
        """Hand ``plan`` to the app's background runner; the sent listings are unmarked."""
        if not self.discogs_app.start_bulk_edit(plan, source="bulk edit"):
            return False
        sent = [edit.listing_id for edit in plan.edits]
        self.marks.discard(sent)
        if self.is_mounted:
            self.show_marks(sent)
        return True

    def mark_commands(self) -> list[PaletteCommand]:
        """The palette entries of the marks."""
        from discogs_tui.shell import PaletteCommand

        def key(ident: str) -> str:
            return key_in_words(self.key_display(ident))

        return [
            PaletteCommand(
                "Bulk edit marked listings",
                "Price, status, location, comments or offers of every marked listing "
                f"({key('inventory.bulk_edit')}), with a preview before anything is sent",
                self.action_bulk_edit,
            ),
            PaletteCommand(
                "Mark listing",
                f"Mark or unmark the listing under the cursor ({key('inventory.mark')})",
                self.action_mark,
            ),
            PaletteCommand(
                "Mark all listings shown",
                f"Mark every listing the status and filter show ({key('inventory.mark_all')})",
                self.action_mark_all,
            ),
            PaletteCommand(
                "Clear marks",
                f"Unmark every listing ({key('inventory.clear_marks')})",
                self.action_clear_marks,
            ),
        ]
