"""The search page: a query, a type filter, advanced fields, and a paged table of results.

``/`` focuses the query, ``enter`` runs it, ``ctrl+t`` cycles the type filter (all, release,
master, artist, label), ``ctrl+f`` shows the advanced fields. Results load page by page as
the cursor nears the end; ``enter`` on a result opens its page. A newer search always wins:
the table drops any answer to an older one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal
from textual.widgets import Collapsible, Input, Select

from discogs_tui.models import Page, SearchResult
from discogs_tui.models.names import display_name, in_words, result_title
from discogs_tui.navigation import Target
from discogs_tui.sanitize import safe_line
from discogs_tui.screens.database.database_page import LinkFollowingPage, key_in_words
from discogs_tui.widgets.paged_table import Column, PagedTable

TYPES = ("all", "release", "master", "artist", "label")
"""The type filter's choices; ``all`` sends no ``type``."""

ADVANCED = (
    "artist",
    "title",
    "label",
    "year",
    "genre",
    "style",
    "format",
    "country",
    "catno",
    "barcode",
)
"""The advanced search fields, named as the API's parameters."""

PER_PAGE = 100
"""Rows a request brings: the most the API allows, so a long list costs the fewest requests."""


@dataclass(frozen=True)
class SearchQuery:
    """What the user asked for: free text, a type, and advanced fields."""

    q: str = ""
    type: str = "all"
    fields: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    @property
    def is_empty(self) -> bool:
        """True when there is nothing to search for."""
        return not self.q and not self.fields

    def params(self) -> dict[str, Any]:
        """Keyword arguments of :meth:`DiscogsClient.search_database`."""
        params: dict[str, Any] = dict(self.fields)
        if self.q:
            params["q"] = self.q
        if self.type != "all":
            params["type"] = self.type
        return params

    def describe(self) -> str:
        """``"persuader" · artist · year=1999`` for the table's title."""
        parts = [f'"{self.q}"'] if self.q else []
        if self.type != "all":
            parts.append(f"{self.type}s")
        parts.extend(f"{name}={value}" for name, value in self.fields)
        return " \u00b7 ".join(parts)


def result_row(item: SearchResult) -> list[str | Text]:
    """One row of the results table."""
    kind = str(item.type)
    label = display_name(item.label[0]) if item.label else ""
    label_catno = " \u2013 ".join(part for part in (label, item.catno) if part)
    return [
        Text(in_words(kind), style="bold" if kind in ("artist", "label") else ""),
        result_title(kind, item.title),
        str(item.year or ""),
        ", ".join(item.format),
        label_catno,
        item.country,
    ]


class SearchPage(LinkFollowingPage):
    """Search the database: ``Target(kind="search", query=...)`` pre-fills and runs ``query``."""

    AUTO_FOCUS = None
    """Focus is chosen in :meth:`load`: the results when a query was given, else the query."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+t",
            "next_type",
            "Type",
            id="search.next_type",
            tooltip="Cycle the type filter",
        ),
        Binding(
            "ctrl+f",
            "toggle_advanced",
            "Fields",
            id="search.advanced",
            tooltip="Show or hide the advanced fields",
        ),
    ]

    def __init__(self, target: Target) -> None:
        super().__init__(target)
        self.current: SearchQuery | None = None
        """The search whose results are shown (or on their way)."""

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="search-bar"):
            yield Input(
                # A query can come from API text (a name's link): shown safe.
                value=safe_line(self.target.query or ""),
                placeholder="Search Discogs (enter runs it)",
                id="search-query",
                compact=True,
            )
            yield Select(
                [(name.capitalize(), name) for name in TYPES],
                value=self.target.search_type if self.target.search_type in TYPES else "all",
                allow_blank=False,
                id="search-type",
                compact=True,
            )
        with (
            Collapsible(title="Advanced fields (ctrl+f)", collapsed=True, id="search-advanced"),
            Grid(id="search-fields"),
        ):
            for name in ADVANCED:
                yield Input(placeholder=name, id=f"search-{name}", compact=True, classes="field")
        yield PagedTable[SearchResult](
            [
                Column("Type", "type", 7),
                Column("Title", "title", 5, flex=True),
                Column("Year", "year", 4),
                Column("Format", "format", 2, flex=True),
                Column("Label \u2013 Cat#", "label", 2, flex=True),
                Column("Country", "country", 8),
            ],
            result_row,
            title="Results",
            noun="result",
            id="search-results",
        )

    def on_resize(self) -> None:
        # Wide terminals lay the advanced fields out five a row.
        self.set_class(self.size.width >= 120, "-wide")

    def on_mount(self) -> None:
        # The heading names the key that opens it, as the user's keymap has it. (Textual
        # runs PageScreen.on_mount, which loads, after this one.)
        key = key_in_words(self.key_display("search.advanced"))
        self.query_one("#search-advanced", Collapsible).title = f"Advanced fields ({key})"

    def load(self) -> None:
        if self.target.query:
            self.run_search()
        else:
            self.query_one("#search-query", Input).focus()

    # -- the query -------------------------------------------------------------------------

    def read_query(self) -> SearchQuery:
        """The search as typed in the fields."""
        typed = self.query_one("#search-type", Select).value
        fields = tuple(
            (name, value)
            for name in ADVANCED
            if (value := self.query_one(f"#search-{name}", Input).value.strip())
        )
        return SearchQuery(
            q=self.query_one("#search-query", Input).value.strip(),
            type=typed if isinstance(typed, str) else "all",
            fields=fields,
        )

    def run_search(self) -> None:
        """Run the search as typed; any answer to an earlier one is dropped."""
        query = self.read_query()
        table = self.query_one("#search-results", PagedTable)
        if query.is_empty:
            self.notify("Type something to search for.", markup=False)
            return
        self.current = query
        table.title = f"Results for {query.describe()}"
        # The header names the search shown, not the one the page opened with.
        self.title = f"search {query.describe()}"
        params = query.params()

        async def fetch(page: int) -> Page[SearchResult]:
            return await self.client.search_database(**params, page=page, per_page=PER_PAGE)

        table.show(fetch)
        table.focus()

    def shows(self, target: Target) -> bool:
        if self.current is None:
            return super().shows(target)
        asked = SearchQuery(q=(target.query or "").strip(), type=target.search_type or "all")
        return target.kind == "search" and asked == self.current

    def restore_fields(self) -> None:
        """Put the query of the results shown back in the fields (edits not run are dropped)."""
        current = self.current
        if current is None:
            return
        self.query_one("#search-query", Input).value = current.q
        fields = dict(current.fields)
        for name in ADVANCED:
            self.query_one(f"#search-{name}", Input).value = fields.get(name, "")
        self.query_one("#search-type", Select).value = current.type

    def web_url(self) -> str | None:
        if self.current is None:
            return super().web_url()
        from urllib.parse import urlencode

        params = {"q": self.current.q, "type": self.current.type, **dict(self.current.fields)}
        return f"https://www.discogs.com/search/?{urlencode(params)}"

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.run_search()

    @on(Select.Changed, "#search-type")
    def _type_changed(self, event: Select.Changed) -> None:
        event.stop()
        # A new type re-runs a search already made; the first report of the value does not.
        if self.current is not None and self.read_query() != self.current:
            self.run_search()

    @on(PagedTable.PageLoaded, "#search-results")
    def _results(self, event: PagedTable.PageLoaded) -> None:
        if event.page.pagination.page <= 1:
            self.set_fetch_info(event.page.fetch_info)

    def target_for_item(self, item: Any) -> Target | None:
        result: SearchResult = item
        kind = str(result.type)
        if result.id is None or kind not in ("release", "master", "artist", "label"):
            return None
        return Target(kind=kind, id=result.id)  # type: ignore[arg-type]

    # -- keys ------------------------------------------------------------------------------

    def action_next_type(self) -> None:
        """Cycle the type filter."""
        select = self.query_one("#search-type", Select)
        value = select.value if isinstance(select.value, str) else "all"
        select.value = TYPES[(TYPES.index(value) + 1) % len(TYPES)]

    def action_toggle_advanced(self) -> None:
        """Show or hide the advanced fields."""
        advanced = self.query_one("#search-advanced", Collapsible)
        advanced.collapsed = not advanced.collapsed
        if not advanced.collapsed:
            self.query_one("#search-artist", Input).focus()
