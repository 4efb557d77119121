"""A collection folder's items: sortable by every key Discogs sorts by, filtered as you
type over what is loaded, loaded whole on request (100 a page, with progress and an
estimate from the rate budget), and edited in place: move, rate, remove, custom fields.

Every edit shows at once on the page; a refused one puts back what was shown and the form
says why. https://www.discogs.com/developers/#page:user-collection
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import quote

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, ProgressBar, Static
from textual.widgets.data_table import ColumnKey

from discogs_tui.api.client import MAX_PER_PAGE
from discogs_tui.api.errors import DiscogsError
from discogs_tui.api.ratelimit import RateState
from discogs_tui.models import Page
from discogs_tui.models.collection import CollectionItem, CustomField, Folder
from discogs_tui.models.names import credit_text
from discogs_tui.navigation import Target
from discogs_tui.sanitize import safe_line
from discogs_tui.screens.collection.folders import ordered_folders
from discogs_tui.screens.collection.item_edits import ItemEdits
from discogs_tui.tasks.collection import estimate
from discogs_tui.widgets.paged_table import Column, PagedTable, cell

if TYPE_CHECKING:
    from discogs_tui.shell import PaletteCommand

SORT_KEYS: tuple[str, ...] = (
    "added",
    "artist",
    "title",
    "year",
    "rating",
    "format",
    "catno",
    "label",
)
"""The ``sort`` values Discogs takes for a folder's items, in the order ``s`` steps through."""

PER_PAGE = MAX_PER_PAGE
"""Items asked per page: the most Discogs gives (fewest requests for Load all)."""

COLUMNS = [
    Column("Artist", "artist", width=14, flex=True),
    Column("Title", "title", width=18, flex=True),
    Column("Year", "year", width=4),
    Column("Format", "format", width=7),
    Column("Rating", "rating", width=6),
    Column("Added", "added", width=10),
]

MATCHES_SHOWN = 500
"""At most this many matches of a filter are listed (the count says how many there are)."""


def format_words(item: CollectionItem) -> str:
    """The first format's name, e.g. ``Vinyl`` (with a times sign and the count for two or more)."""
    formats = item.basic_information.formats
    if not formats:
        return ""
    first = formats[0]
    qty = f"{first.qty}\u00d7" if first.qty and first.qty != "1" else ""
    return qty + first.name


def rating_words(rating: int) -> str:
    """``4/5``, or nothing when unrated."""
    return f"{rating}/5" if rating else ""


def item_cells(item: CollectionItem) -> list[str]:
    """The cells of an item's row (plain text: the table shows it literally)."""
    info = item.basic_information
    return [
        credit_text(info.artists),
        info.title or f"Release {item.id}",
        str(info.year) if info.year else "",
        format_words(item),
        rating_words(item.rating),
        item.date_added[:10],
    ]


def search_text(item: CollectionItem) -> str:
    """Everything a filter matches: artists, title, year, labels, catalogue numbers, formats, notes."""
    info = item.basic_information
    parts = [credit_text(info.artists), info.title, str(info.year or "")]
    parts += [f"{label.name} {label.catno}" for label in info.labels]
    parts += [f.name for f in info.formats]
    parts += [note.value for note in item.notes]
    return " ".join(parts).casefold()


def estimate_words(items: int, rate: RateState) -> str:
    """``19 requests, about 10 s at 60/min``: what loading ``items`` more costs in the rate
    budget (:func:`discogs_tui.tasks.collection.estimate`, 100 a page)."""
    return str(estimate(items, rate, per_page=PER_PAGE))


class ItemTable(PagedTable[CollectionItem]):
    """The items of a folder; rows edited in place show the change until the next load."""

    def __init__(self, page: FolderPage) -> None:
        super().__init__(COLUMNS, page.row_cells, title="Items", noun="item", id="collection-items")
        self.page = page

    def redraw_row(self, index: int) -> None:
        """Show item ``index`` again (after an edit, or an edit taken back)."""
        cells = self.page.row_cells(self.items[index])
        for column, value in zip(COLUMNS, cells, strict=True):
            self.update_cell(str(index), column.key, cell(value))

    def adjust_total(self, delta: int) -> None:
        """The server's count changed by ``delta`` (an item moved out or removed)."""
        if self.pagination_total is not None:
            self.pagination_total = max(0, self.pagination_total + delta)
            self._update_border()


class FolderPage(ItemEdits):
    """``Target(kind="collection", id=FOLDER_ID, name=USERNAME)``: one folder's items (its
    instance edits are :class:`~discogs_tui.screens.collection.item_edits.ItemEdits`)."""

    noun = "folder"
    AUTO_FOCUS = "#collection-items"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "sort", "Sort", id="collection.sort", tooltip="Sort by the next key"),
        Binding("S", "order", "Order", id="collection.order", tooltip="Flip the sort order"),
        Binding("f", "filter", "Filter", id="collection.filter", tooltip="Filter loaded items"),
        Binding("L", "load_all", "Load all", id="collection.load_all"),
        Binding("m", "move", "Move", id="collection.move", tooltip="Move to another folder"),
        Binding("R", "rate", "Rate", id="collection.rate", tooltip="Rate 0 to 5"),
        Binding("e", "edit_notes", "Notes", id="collection.notes", tooltip="Edit the notes"),
        Binding("delete", "remove", "Remove", id="collection.remove"),
    ]

    def __init__(self, target: Target) -> None:
        super().__init__(target)
        self.sort_key = "added"
        self.sort_direction = "desc"
        self.folder: Folder | None = None
        self.all_folders: list[Folder] = []
        self.custom_fields: list[CustomField] = []
        self.gone: dict[int, str] = {}
        """Instances moved out of this folder or removed, by instance id: what happened."""
        self.loading_all = False
        self.matches: list[int] = []
        """Indexes (in the item table) of the items the filter matches."""
        self._writing = 0

    # -- layout ----------------------------------------------------------------------------

    def compose_details(self) -> ComposeResult:
        yield Static(id="folder-heading", classes="page-heading")

    def compose_below(self) -> ComposeResult:
        with Horizontal(id="collection-filter-bar"):
            yield Static(Text("Filter (f):"), id="collection-filter-label")
            yield Input(placeholder="words in loaded items", id="collection-filter")
        yield ItemTable(self)
        matches: DataTable[Text] = DataTable(
            id="collection-matches", cursor_type="row", zebra_stripes=True
        )
        matches.display = False
        yield matches
        with Horizontal(id="collection-progress"):
            yield ProgressBar(id="collection-progress-bar", show_eta=False)
            yield Static(id="collection-progress-words")

    @property
    def table(self) -> ItemTable:
        return self.query_one(ItemTable)

    def on_mount(self) -> None:
        self.query_one("#collection-progress").display = False

    def api_paths(self) -> tuple[str, ...]:
        name = self.target.name or self.discogs_app.username
        if not name:
            return ()
        base = f"/users/{quote(name, safe='')}/collection/folders/{self.folder_id}"
        return (base, f"{base}/releases")

    # -- loading ---------------------------------------------------------------------------

    async def request(self) -> Folder:
        username = self.username

        async def side(call: Awaitable[Any]) -> Any:
            try:
                with self.client.background():
                    return await call
            except DiscogsError:
                return None  # the edit forms say so when they need what is missing

        folder, folders, fields = await asyncio.gather(
            self.client.get_collection_folder(username, self.folder_id),
            side(self.client.get_collection_folders(username)),
            side(self.client.get_custom_fields(username)),
        )
        self.all_folders = ordered_folders(list(folders.folders)) if folders else []
        self.custom_fields = list(fields.fields) if fields else []
        return folder

    def show(self, model: Any) -> None:
        self.folder = model
        self.gone = {}
        self._show_heading()
        self.load_items()

    def _show_heading(self) -> None:
        folder = self.folder
        name = safe_line(folder.name) if folder else f"Folder {self.folder_id}"
        arrow = "\u2191" if self.sort_direction == "asc" else "\u2193"
        heading = Text(name, style="bold")
        heading.append(f"  sorted by {self.sort_key} {arrow}", style="dim")
        self.query_one("#folder-heading", Static).update(heading)
        self.sub_title = name

    def load_items(self) -> None:
        """Show the folder's items from page 1 in the current sort."""
        username, folder_id = self.username, self.folder_id
        key, order = self.sort_key, self.sort_direction
        self.stop_load_all()

        def fetch(number: int) -> Awaitable[Page[CollectionItem]]:
            return self.client.get_collection_items_by_folder(
                username, folder_id, page=number, per_page=PER_PAGE, sort=key, sort_order=order
            )

        self.table.title = safe_line(self.folder.name) if self.folder else "Items"
        self.table.show(fetch)

    def row_cells(self, item: CollectionItem) -> Sequence[str | Text]:
        """A row: the item's cells, struck through and saying so when it left the folder."""
        cells: list[str | Text] = list(item_cells(item))
        gone = self.gone.get(item.instance_id or 0)
        if gone is not None:
            cells = [Text(safe_line(str(value)), style="dim strike") for value in cells]
            cells[-1] = Text(gone, style="italic")
        return cells

    # -- sort and filter -------------------------------------------------------------------

    def action_sort(self) -> None:
        """Sort by the next of Discogs' sort keys."""
        index = SORT_KEYS.index(self.sort_key)
        self.sort_by(SORT_KEYS[(index + 1) % len(SORT_KEYS)])

    def sort_by(self, key: str, order: str | None = None) -> None:
        """Sort by ``key`` (one of :data:`SORT_KEYS`), ``asc`` or ``desc``; loads page 1 again."""
        self.sort_key = key
        if order is not None:
            self.sort_direction = order
        self._show_heading()
        self.load_items()

    def action_order(self) -> None:
        """Flip between ascending and descending."""
        self.sort_by(self.sort_key, "asc" if self.sort_direction == "desc" else "desc")

    def action_filter(self) -> None:
        self.query_one("#collection-filter", Input).focus()

    @on(Input.Changed, "#collection-filter")
    def _filter_changed(self, _event: Input.Changed) -> None:
        self.refilter()

    @on(Input.Submitted, "#collection-filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        event.stop()
        matches = self.query_one("#collection-matches", DataTable)
        (matches if matches.display else self.table).focus()

    def refilter(self) -> None:
        """List the loaded items the filter's words all match (all items when it is empty)."""
        words = self.query_one("#collection-filter", Input).value.casefold().split()
        matches = self.query_one("#collection-matches", DataTable)
        if not words:
            self.matches = []
            matches.display = False
            self.table.display = True
            return
        table = self.table
        self.matches = [
            index
            for index, item in enumerate(table.items)
            if all(word in search_text(item) for word in words)
        ]
        matches.clear()
        if not matches.columns:
            for column in COLUMNS:
                matches.add_column(
                    column.label, key=column.key, width=table.columns[ColumnKey(column.key)].width
                )
        for index in self.matches[:MATCHES_SHOWN]:
            values = self.row_cells(table.items[index])
            matches.add_row(*(cell(value) for value in values), key=str(index))
        loaded = len(table.items)
        shown = f"{len(self.matches):,} of {loaded:,} loaded match"
        if len(self.matches) > MATCHES_SHOWN:
            shown += f" (first {MATCHES_SHOWN} listed)"
        if table.has_more:
            shown += f" · L loads all {table.pagination_total or 0:,}"
        matches.border_title = "Filtered"
        matches.border_subtitle = shown
        table.display = False
        matches.display = True

    @on(DataTable.RowSelected, "#collection-matches")
    def _open_match(self, event: DataTable.RowSelected) -> None:
        event.stop()
        item = self.current_item
        if item is not None and item.id:
            self.navigate(Target("release", id=item.id))

    @property
    def current_index(self) -> int | None:
        """The index (in the item table) of the item under the cursor, in whichever list shows."""
        matches = self.query_one("#collection-matches", DataTable)
        if matches.display:
            row = matches.cursor_row
            return self.matches[row] if 0 <= row < min(len(self.matches), MATCHES_SHOWN) else None
        row = self.table.cursor_row
        return row if 0 <= row < len(self.table.items) else None

    @property
    def current_item(self) -> CollectionItem | None:
        index = self.current_index
        return self.table.items[index] if index is not None else None

    # -- load all --------------------------------------------------------------------------

    def action_load_all(self) -> None:
        """Fetch every remaining page (100 a page) with progress; again stops it."""
        if self.loading_all:
            self.stop_load_all()
            self.notify("Load all stopped.", markup=False)
            return
        table = self.table
        if table.pagination_total is None:
            self.notify("The first page is still loading.", markup=False)
            return
        if not table.has_more:
            self.notify(f"All {len(table.items):,} items are loaded.", markup=False)
            return
        self.loading_all = True
        rest = (table.pagination_total or 0) - len(table.items)
        words = estimate_words(rest, self.client.governor.state)
        self.notify(f"Loading all: {words}.", markup=False)
        self.query_one("#collection-progress").display = True
        self._show_progress()
        table.load_more()

    def stop_load_all(self) -> None:
        """Stop asking for further pages (the one in flight still lands)."""
        self.loading_all = False
        self.query_one("#collection-progress").display = False

    def _show_progress(self) -> None:
        table = self.table
        bar = self.query_one("#collection-progress-bar", ProgressBar)
        bar.update(total=max(1, table.pages_total), progress=table.pages_loaded)
        rest = (table.pagination_total or 0) - len(table.items)
        key = self.key_display("collection.load_all")
        words = (
            f"{len(table.items):,}/{table.pagination_total or 0:,} · "
            f"{estimate_words(rest, self.client.governor.state)} left · {key} stops"
        )
        self.query_one("#collection-progress-words", Static).update(Text(words))

    @on(PagedTable.PageLoaded, "#collection-items")
    def _page_in(self, _event: PagedTable.PageLoaded) -> None:
        if self.matches or self.query_one("#collection-filter", Input).value.strip():
            self.refilter()
        if not self.loading_all:
            return
        table = self.table
        if table.has_more:
            self._show_progress()
            table.load_more()
        else:
            self.stop_load_all()
            self.notify(f"All {len(table.items):,} items loaded.", markup=False)

    def report_table_failure(self, event: PagedTable.LoadFailed) -> None:
        if self.loading_all:
            self.stop_load_all()
        super().report_table_failure(event)

    def action_export(self) -> None:
        """Ask for a file and write this folder's items there as CSV."""
        from discogs_tui.screens.collection.forms import ExportForm

        self.app.push_screen(ExportForm(self.client, self.username, self.folder_id))

    def palette_commands(self) -> list[PaletteCommand]:
        from discogs_tui.shell import PaletteCommand

        commands = [
            PaletteCommand(
                "Load all", "Load every item of this folder (100 a page)", self.action_load_all
            ),
            PaletteCommand(
                "Move to folder", "Move the selected item to another folder", self.action_move
            ),
            PaletteCommand("Rate", "Rate the selected item 0 to 5", self.action_rate),
            PaletteCommand(
                "Remove from collection", "Remove the selected copy", self.action_remove
            ),
            PaletteCommand(
                "Edit notes", "Edit the selected item's custom fields", self.action_edit_notes
            ),
            PaletteCommand("Filter", "Filter the loaded items as you type", self.action_filter),
            PaletteCommand(
                "Export collection to CSV",
                "Write this folder's items to a CSV file",
                self.action_export,
            ),
            PaletteCommand("Flip sort order", "Ascending or descending", self.action_order),
        ]
        for key in SORT_KEYS:
            commands.append(
                PaletteCommand(
                    f"Sort by {key}",
                    f"Sort this folder's items by {key}",
                    partial(self.sort_by, key),
                )
            )
        return commands
