"""A table over a paginated Discogs answer that fetches further pages as the cursor nears the end.

The owner gives the table a *fetcher* (``page number -> Page``) and a *row builder*
(``item -> cells``); :meth:`PagedTable.show` starts over with a new fetcher (a new search, a
new sort or filter). Page 1 is user-facing work; later pages are background work
(:meth:`DiscogsClient.background`), fetched when the cursor comes within
``prefetch_margin`` rows of the last loaded row. The border title shows the total count.

Every fetch runs in a worker; an answer for an older fetcher (a previous search) is
dropped, so a slow stale page never lands in a newer table.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from rich.text import Text
from textual import on, work
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable
from textual.worker import Worker, WorkerState

from discogs_tui.models import FetchInfo, Page
from discogs_tui.sanitize import safe_line, safe_text

T = TypeVar("T")

Fetcher = Callable[[int], Awaitable[Page[T]]]
"""Fetches page ``n`` (1-based) of the answer."""

RowBuilder = Callable[[T], Sequence[str | Text]]
"""The cells of one row (plain strings are shown literally, never as markup)."""


@dataclass(frozen=True)
class Column:
    """A column: its heading, key and width; ``flex`` columns share what room is left."""

    label: str
    key: str
    width: int = 10
    """Cells of content (padding comes on top); a flex column's share of the spare room."""
    flex: bool = False
    min_width: int = 6
    """A flex column never gets narrower than this (the table scrolls sideways instead)."""


FIXED_FLOOR = 3
"""Cells a short (not flex) column keeps when a narrow terminal makes it give way."""
FLEX_SHARE = 0.5
"""Flex columns keep at least this share of the content room; short columns give way first."""


def cell(value: object) -> Text:
    """A literal one-line table cell: API text is data, never markup nor terminal control."""
    if value is None:
        return Text("")
    if isinstance(value, Text):
        return safe_text(value, one_line=True)
    return Text(safe_line(str(value)), no_wrap=True, overflow="ellipsis")


class PagedTable(DataTable[Text], Generic[T]):
    """A row-cursor table of a paginated answer with the total count in its border."""

    DEFAULT_CSS = """
    PagedTable {
        width: 1fr;
        height: 1fr;
        scrollbar-gutter: stable;
        scrollbar-size-vertical: 1;
        border: round $primary 50%;
        border-title-align: left;
        border-subtitle-align: right;
    }
    PagedTable:focus {
        border: round $primary;
    }
    /* NO_COLOR: the title and count stay readable, and focus shows in the line's weight. */
    PagedTable:nocolor {
        border: round $foreground 60%;
        border-title-color: $foreground;
        border-subtitle-color: $foreground;
    }
    PagedTable:nocolor:focus {
        border: heavy $foreground;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="table.down"),
        Binding("k", "cursor_up", "Up", show=False, id="table.up"),
        Binding("g", "scroll_top", "First row", show=False, id="table.first"),
        Binding(
            "G",
            "scroll_bottom",
            "Last row",
            show=False,
            id="table.last",
            tooltip="Last loaded row (more follow)",
        ),
        Binding(
            "r",
            "retry",
            "Retry",
            show=False,
            id="table.retry",
            tooltip="Fetch a failed page again",
        ),
    ]

    PREFETCH_MARGIN: ClassVar[int] = 10
    """The next page is fetched when the cursor comes this close to the last loaded row."""

    @dataclass
    class PageLoaded(Message):
        """A page arrived and its rows were added (``page`` is 1 for a fresh start)."""

        table: PagedTable[Any]
        page: Page[Any]
        generation: int

        @property
        def control(self) -> PagedTable[Any]:
            """The table that loaded the page."""
            return self.table

    @dataclass
    class LoadFailed(Message):
        """Fetching a page failed; the owner decides how to tell the user.

        ``error`` is a :class:`~discogs_tui.api.errors.DiscogsError`, or any other exception (a bug): either way
        the table stops loading and ``r`` tries the page again.
        """

        table: PagedTable[Any]
        error: Exception
        page_number: int

        @property
        def control(self) -> PagedTable[Any]:
            """The table whose fetch failed."""
            return self.table

    @dataclass
    class ItemChosen(Message):
        """The user pressed enter (or clicked) on a row."""

        table: PagedTable[Any]
        item: Any

        @property
        def control(self) -> PagedTable[Any]:
            """The table the item was chosen in."""
            return self.table

    def __init__(
        self,
        columns: Sequence[Column],
        row: RowBuilder[T],
        *,
        title: str = "",
        noun: str = "item",
        prefetch_margin: int | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """``row`` builds a row's cells; ``noun`` names the items in the count (``3 releases``).

        ``prefetch_margin`` defaults to :attr:`PREFETCH_MARGIN`.
        """
        super().__init__(name=name, id=id, classes=classes, cursor_type="row", zebra_stripes=True)
        self._column_specs = list(columns)
        self._row = row
        self.title = title
        self.noun = noun
        self.empty_text = ""
        """What an empty list says instead of ``No releases.`` (set by pages that know more)."""
        self.prefetch_margin = self.PREFETCH_MARGIN if prefetch_margin is None else prefetch_margin
        self.items: list[T] = []
        """Every item loaded so far, in row order."""
        self.pagination_total: int | None = None
        """The total count of items the server reported, once page 1 is in."""
        self.pages_loaded = 0
        self.pages_total = 0
        self.fetch_info: FetchInfo | None = None
        """Where page 1 came from (network or cache)."""
        self.rows_dropped = 0
        """Rows of the loaded pages that could not be read (:attr:`Page.dropped`)."""
        self._fetcher: Fetcher[T] | None = None
        self._generation = 0
        self._fetching = False
        self._failed = False
        self._adding = False

    def on_mount(self) -> None:
        self._ensure_columns()
        self._update_border()

    def _ensure_columns(self) -> None:
        if not self.columns:
            for spec in self._column_specs:
                self.add_column(spec.label, key=spec.key, width=spec.width)
            self._fit_columns()

    def on_resize(self) -> None:
        self._fit_columns()

    def column_widths(self, available: int) -> dict[str, int]:
        """Each column's width in cells when ``available`` cells are there to fill.

        Flex columns (titles, names) share the room the short ones (type, year, country,
        catalogue number) leave. In a narrow table the short columns give way first, down to
        :data:`FIXED_FLOOR` cells, so the flex ones keep :data:`FLEX_SHARE` of the room.
        """
        pad = 2 * self.cell_padding
        fixed_specs = [spec for spec in self._column_specs if not spec.flex]
        flexible = [spec for spec in self._column_specs if spec.flex]
        widths = {spec.key: spec.width for spec in fixed_specs}
        if not flexible:
            return widths
        content = available - pad * len(self._column_specs)
        wanted = sum(spec.width for spec in fixed_specs)
        flex_need = max(sum(spec.min_width for spec in flexible), int(content * FLEX_SHARE))
        if wanted and content - wanted < flex_need:
            # Too narrow for everything: the short columns shrink, in proportion to their width.
            spare = max(0, content - flex_need)
            for spec in fixed_specs:
                floor = min(spec.width, FIXED_FLOOR)
                widths[spec.key] = max(floor, spec.width * spare // wanted)
        fixed = sum(widths[spec.key] + pad for spec in fixed_specs)
        room = available - fixed - pad * len(flexible)
        share = sum(spec.width for spec in flexible) or 1
        flex_widths = {
            spec.key: max(spec.min_width, room * spec.width // share) for spec in flexible
        }
        if sum(flex_widths.values()) > room:
            # Minimums would not fit: the flex columns share what there is, never scroll.
            flex_widths = {spec.key: max(1, room * spec.width // share) for spec in flexible}
        widths.update(flex_widths)
        given = sum(flex_widths.values())
        # Whatever rounding left over goes to the first flexible column.
        if room > given:
            widths[flexible[0].key] += room - given
        return widths

    def _fit_columns(self) -> None:
        """Stretch or shrink the flexible columns to the table's width."""
        available = self.scrollable_content_region.width
        if available <= 0 or not self.columns:
            return
        widths = self.column_widths(available)
        for key, column in self.columns.items():
            width = widths.get(str(key.value))
            if width is not None:
                column.width = width
                column.auto_width = False
        self._require_update_dimensions = True
        self.refresh()

    @property
    def focusable(self) -> bool:
        """Focusable while page 1 loads too, so the cursor is there when the rows arrive."""
        return self.allow_focus() and self.visible and not self._self_or_ancestors_disabled

    # -- loading -----------------------------------------------------------------------------

    def show(self, fetcher: Fetcher[T]) -> None:
        """Start over with ``fetcher``: clear the rows and load page 1."""
        self._generation += 1
        self._fetcher = fetcher
        self.items = []
        self.pagination_total = None
        self.pages_loaded = 0
        self.pages_total = 0
        self.rows_dropped = 0
        self._failed = False
        self._ensure_columns()
        self.clear()
        self._fetching = True
        self.loading = True
        self._update_border()
        self._fetch(fetcher, 1, self._generation)

    @property
    def has_more(self) -> bool:
        """True when a further page exists on the server."""
        return self.pages_loaded < self.pages_total

    @property
    def is_fetching(self) -> bool:
        """True while a page is in flight."""
        return self._fetching

    def load_more(self) -> bool:
        """Fetch the next page now, if there is one and none is in flight; True if started."""
        if self._fetcher is None or self._fetching or not self.has_more or self._failed:
            return False
        self._fetching = True
        self._update_border()
        self._fetch(self._fetcher, self.pages_loaded + 1, self._generation)
        return True

    @work(exclusive=True, group="paged-table", exit_on_error=False)
    async def _fetch(self, fetcher: Fetcher[T], number: int, generation: int) -> None:
        """Fetch page ``number`` and post it; later pages yield to user-facing requests."""
        from discogs_tui.api.client import DiscogsClient

        background: contextlib.AbstractContextManager[None] = (
            DiscogsClient.background() if number > 1 else contextlib.nullcontext()
        )
        try:
            with background:
                page = await fetcher(number)
        except Exception as error:
            # Not only DiscogsError: Textual tells nobody but this widget when its worker
            # fails, so every failure becomes a message the owner reports.
            if generation == self._generation:
                self.post_message(self._Failed(error, number, generation))
            return
        if generation == self._generation:
            self.post_message(self._Arrived(page, generation))

    @dataclass
    class _Arrived(Message):
        page: Page[Any]
        generation: int

    @dataclass
    class _Failed(Message):
        error: Exception
        number: int
        generation: int

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that failed despite :meth:`_fetch` catching everything: still say so."""
        worker = event.worker
        if worker.state == WorkerState.ERROR and isinstance(worker.error, Exception):
            self.post_message(self._Failed(worker.error, self.pages_loaded + 1, self._generation))

    @on(_Arrived)
    def _add_page(self, message: _Arrived) -> None:
        message.stop()
        if message.generation != self._generation:
            return  # an answer to a fetch that has since been replaced
        page: Page[T] = message.page
        self._fetching = False
        self.loading = False
        if page.pagination.page <= 1:
            self.fetch_info = page.fetch_info
        self.pages_loaded = page.pagination.page
        self.pages_total = page.pagination.pages
        self.pagination_total = page.pagination.items
        self.rows_dropped += page.dropped
        self._adding = True
        try:
            for item in page.items:
                self.add_row(*(cell(value) for value in self._row(item)), key=str(len(self.items)))
                self.items.append(item)
            if not self.items:
                self._add_nothing_row()
        finally:
            self._adding = False
        self._update_border()
        self.post_message(self.PageLoaded(self, page, message.generation))
        self._maybe_load_more()

    def _add_nothing_row(self) -> None:
        """One dim line saying the list is empty, in the first wide column (no item behind it)."""
        cells = [Text("") for _ in self._column_specs]
        shares = [spec.width if spec.flex else 0 for spec in self._column_specs]
        widest = shares.index(max(shares)) if any(shares) else 0
        cells[widest] = Text(self.empty_text or f"No {self.noun}s.", style="dim italic")
        self.add_row(*cells, key="nothing")

    @on(_Failed)
    def _fail(self, message: _Failed) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        self._fetching = False
        self._failed = True
        self.loading = False
        self._update_border()
        self.post_message(self.LoadFailed(self, message.error, message.number))

    def action_retry(self) -> None:
        """Fetch the page that failed again."""
        if self._failed:
            self.retry()

    def retry(self) -> None:
        """Try the page that failed again."""
        if self._fetcher is None:
            return
        if not self.items:
            self.show(self._fetcher)
            return
        self._failed = False
        self.load_more()

    # -- the cursor ------------------------------------------------------------------------

    def watch_cursor_coordinate(
        self, old_coordinate: Coordinate, new_coordinate: Coordinate
    ) -> None:
        super().watch_cursor_coordinate(old_coordinate, new_coordinate)
        self._maybe_load_more()

    def _maybe_load_more(self) -> None:
        """Fetch the next page when the cursor is within the margin of the last row."""
        if self._adding:
            return  # adding rows moves the cursor; judge once the page is in
        if self.row_count and self.cursor_row >= self.row_count - 1 - self.prefetch_margin:
            self.load_more()

    @on(DataTable.RowSelected)
    def _choose(self, event: DataTable.RowSelected) -> None:
        if event.data_table is not self:
            return
        event.stop()
        item = self.item_at(event.cursor_row)
        if item is not None:
            self.post_message(self.ItemChosen(self, item))

    def item_at(self, row: int) -> T | None:
        """The item shown on ``row``, if any."""
        return self.items[row] if 0 <= row < len(self.items) else None

    @property
    def current_item(self) -> T | None:
        """The item under the cursor."""
        return self.item_at(self.cursor_row)

    def iter_items(self) -> Iterator[T]:
        """Every loaded item."""
        return iter(self.items)

    # -- the border --------------------------------------------------------------------------

    def count_text(self) -> str:
        """``1,234 releases`` (the server's total), or what is happening now.

        Rows the loaded pages sent but that could not be read are named too:
        ``1,234 releases · 1 row could not be read``.
        """
        if self.pagination_total is None:
            if self._failed:
                return "failed, r retries"
            return "loading…" if self._fetching else ""
        total = self.pagination_total
        noun = self.noun if total == 1 else f"{self.noun}s"
        words = f"{total:,} {noun}"
        if self.has_more:
            words += f" · {len(self.items):,} loaded"
        if self._fetching:
            words += " · loading…"
        if self.rows_dropped:
            rows = "row" if self.rows_dropped == 1 else "rows"
            words += f" · {self.rows_dropped:,} {rows} could not be read"
        if self._failed:
            words += " · failed, r retries"
        return words

    def set_title(self, title: str) -> None:
        """Show ``title`` in the border (the count stays on the right)."""
        self.title = title
        self._update_border()

    def _update_border(self) -> None:
        self.border_title = Text(safe_line(self.title)) if self.title else None
        self.border_subtitle = Text(self.count_text())
