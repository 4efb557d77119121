"""The master page: the work behind many versions, its main release and its versions table.

The filter line narrows the versions by format, country and year (``enter`` in a field
applies it; ``f`` jumps to the filters) and picks the sort; ``S`` flips the order.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Input, Select

from discogs_tui.models import Master, MasterVersion, Page
from discogs_tui.models.names import display_name
from discogs_tui.money import for_sale_text
from discogs_tui.navigation import Target
from discogs_tui.screens.database.database_page import DatabasePage, section_title
from discogs_tui.widgets.facts import facts_builder, links_to, plain_list
from discogs_tui.widgets.markup_view import MarkupView
from discogs_tui.widgets.paged_table import Column, PagedTable
from discogs_tui.widgets.tracklist import Tracklist, credited_title

SORTS = ("released", "title", "format", "label", "catno", "country")
"""The sorts Discogs offers for a master's versions."""

PER_PAGE = 100
"""Rows a request brings: the most the API allows, so a long list costs the fewest requests."""


def version_row(item: MasterVersion) -> list[str | Text]:
    """One row of the versions table."""
    return [
        item.title,
        item.format,
        display_name(item.label),
        item.catno,
        item.country,
        item.released,
    ]


class MasterPage(DatabasePage):
    """A master release: ``Target(kind="master", id=...)``."""

    noun = "master"
    AUTO_FOCUS = "#master-versions"
    currency: str | None = None
    """The currency of the master's marketplace figures (the account's)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "f",
            "focus_filters",
            "Filter",
            id="master.filter",
            tooltip="Filter versions; choose the sort",
        ),
        Binding(
            "S",
            "flip_order",
            "Order",
            show=False,
            id="master.order",
            tooltip="Flip the sort order",
        ),
    ]

    def __init__(self, target: Target) -> None:
        super().__init__(target)
        self.sort_direction = "asc"
        self._shown_filters: dict[str, str | None] | None = None

    def compose_details(self) -> ComposeResult:
        yield MarkupView(id="master-heading", classes="page-heading")
        yield MarkupView(id="master-facts", classes="facts")
        yield section_title("Tracklist")
        yield Tracklist(id="master-tracklist")

    def compose_below(self) -> ComposeResult:
        with Horizontal(id="master-filters", classes="filter-bar"):
            yield Input(placeholder="format", id="filter-format", compact=True)
            yield Input(placeholder="country", id="filter-country", compact=True)
            yield Input(placeholder="year", id="filter-year", compact=True, restrict=r"\d{0,4}")
            yield Select(
                [(f"by {name}", name) for name in SORTS],
                value="released",
                allow_blank=False,
                id="filter-sort",
                compact=True,
            )
        yield PagedTable[MasterVersion](
            [
                Column("Title", "title", 3, flex=True),
                Column("Format", "format", 2, flex=True),
                Column("Label", "label", 2, flex=True),
                Column("Cat#", "catno", 10),
                Column("Country", "country", 8),
                Column("Year", "released", 10),
            ],
            version_row,
            title="Versions",
            noun="version",
            id="master-versions",
        )

    def load(self) -> None:
        super().load()
        self.load_versions()

    def filters(self) -> dict[str, str | None]:
        """The filters and sort as typed."""

        def value(field: str) -> str | None:
            return self.query_one(f"#filter-{field}", Input).value.strip() or None

        sort = self.query_one("#filter-sort", Select).value
        return {
            "format": value("format"),
            "country": value("country"),
            "released": value("year"),
            "sort": sort if isinstance(sort, str) else "released",
            "sort_order": self.sort_direction,
        }

    def load_versions(self) -> None:
        """Fetch the versions with the current filters and sort."""
        table = self.query_one("#master-versions", PagedTable)
        chosen = self.filters()
        self._shown_filters = chosen
        arrow = "\u2191" if self.sort_direction == "asc" else "\u2193"
        applied = [f"{k}={v}" for k, v in chosen.items() if v and k not in ("sort", "sort_order")]
        title = f"Versions by {chosen['sort']} {arrow}"
        table.title = title + (f" ({', '.join(applied)})" if applied else "")
        master_id = self.target.id
        assert master_id is not None

        async def fetch(page: int) -> Page[MasterVersion]:
            return await self.client.get_master_versions(
                master_id,
                format=chosen["format"],
                country=chosen["country"],
                released=chosen["released"],
                sort=chosen["sort"],
                sort_order=chosen["sort_order"],
                page=page,
                per_page=PER_PAGE,
            )

        table.show(fetch)

    async def request(self) -> Master:
        assert self.target.id is not None
        # Masters take no curr_abbr: their figures come in the account's currency.
        self.currency = await self.discogs_app.account_currency()
        return await self.client.get_master(self.target.id)

    def show(self, model: Any) -> None:
        master: Master = model
        heading = credited_title(master.artists, master.title or f"Master {master.id}")
        self.query_one("#master-heading", MarkupView).update(heading)
        main = (
            links_to("release", [(master.main_release, f"release {master.main_release}")])
            if master.main_release
            else ""
        )
        latest = (
            links_to(
                "release", [(master.most_recent_release, f"release {master.most_recent_release}")]
            )
            if master.most_recent_release and master.most_recent_release != master.main_release
            else ""
        )
        market = ""
        if master.num_for_sale:
            market = for_sale_text(master.num_for_sale, master.lowest_price, self.currency)
        facts = facts_builder(
            [
                ("Year", str(master.year or "")),
                ("Main release", main),
                ("Most recent", latest),
                ("Genre", plain_list(master.genres)),
                ("Style", plain_list(master.styles)),
                ("Marketplace", market),
            ]
        )
        self.query_one("#master-facts", MarkupView).update(facts)
        self.query_one("#master-tracklist", Tracklist).set_tracks(master.tracklist)
        self.sub_title = master.title

    def target_for_item(self, item: Any) -> Target | None:
        version: MasterVersion = item
        return Target(kind="release", id=version.id) if version.id else None

    @on(Input.Submitted, "#master-filters Input")
    def _apply_filters(self, event: Input.Submitted) -> None:
        event.stop()
        self.load_versions()
        self.query_one("#master-versions").focus()

    @on(Input.Blurred, "#master-filters Input")
    def _filter_left(self, event: Input.Blurred) -> None:
        # Tab away from a changed filter applies it too; enter is not the only way out.
        event.stop()
        if self._shown_filters is not None and self.filters() != self._shown_filters:
            self.load_versions()

    @on(Select.Changed, "#filter-sort")
    def _sort_changed(self, event: Select.Changed) -> None:
        event.stop()
        # Select also reports its first value; only a real change costs a request.
        if self._shown_filters is not None and self.filters() != self._shown_filters:
            self.load_versions()

    def action_focus_filters(self) -> None:
        """Jump to the format filter."""
        self.query_one("#filter-format", Input).focus()

    def action_flip_order(self) -> None:
        """Flip the versions between ascending and descending."""
        self.sort_direction = "desc" if self.sort_direction == "asc" else "asc"
        self.load_versions()
