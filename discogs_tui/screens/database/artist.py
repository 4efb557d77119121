"""The artist page: name, real name, profile, aliases, members, groups, links and releases.

The details scroll at the top; the releases (masters and releases, told apart in the Type
column) fill the rest. ``s`` changes the sort (year, title, format), ``S`` flips its order;
a click on those column headings sorts too. ``enter`` on a row opens it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from discogs_tui.models import Artist, ArtistRef, ArtistRelease, Page
from discogs_tui.models.names import display_name, in_words
from discogs_tui.navigation import Target
from discogs_tui.screens.database.database_page import DEMO_EMPTY_LIST, DatabasePage
from discogs_tui.widgets.facts import facts_builder, plain_list, url_links
from discogs_tui.widgets.markup_view import LinkedText, MarkupView, parse_discogs_html
from discogs_tui.widgets.paged_table import Column, PagedTable

SORTS = ("year", "title", "format")
"""The sorts Discogs offers for an artist's releases."""

PER_PAGE = 100
"""Rows a request brings: the most the API allows, so a long list costs the fewest requests."""


def artist_refs(refs: list[ArtistRef], *, mark_inactive: bool = False) -> LinkedText:
    """Linked artists, comma separated; inactive members dimmed when asked."""
    out = LinkedText()
    for index, ref in enumerate(refs):
        if index:
            out.append(", ")
        target = (
            Target(kind="artist", id=ref.id)
            if ref.id
            else Target("search", query=ref.name, search_type="artist")
        )
        style = "dim" if mark_inactive and ref.active is False else None
        out.append_link(display_name(ref.name) or f"artist {ref.id}", target=target, style=style)
    return out


def release_row(item: ArtistRelease) -> list[str | Text]:
    """One row of the releases table."""
    kind = str(item.type)
    marker = Text(in_words(kind), style="bold" if kind == "master" else "")
    return [
        marker,
        str(item.year or ""),
        item.title,
        item.format,
        display_name(item.label),
        in_words(item.role),
    ]


class ArtistPage(DatabasePage):
    """An artist: ``Target(kind="artist", id=...)``."""

    noun = "artist"
    AUTO_FOCUS = "#artist-releases"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "s",
            "next_sort",
            "Sort",
            id="artist.sort",
            tooltip="Sort releases: year, title, format",
        ),
        Binding(
            "S",
            "flip_order",
            "Order",
            show=False,
            id="artist.order",
            tooltip="Flip the sort order",
        ),
    ]

    def __init__(self, target: Target) -> None:
        super().__init__(target)
        self.sort = "year"
        self.sort_direction = "asc"

    def compose_details(self) -> ComposeResult:
        yield MarkupView(id="artist-heading", classes="page-heading")
        yield MarkupView(id="artist-facts", classes="facts")
        yield MarkupView(id="artist-profile", empty="No profile.")

    def compose_below(self) -> ComposeResult:
        yield PagedTable[ArtistRelease](
            [
                Column("Type", "type", 7),
                Column("Year", "year", 4),
                Column("Title", "title", 4, flex=True),
                Column("Format", "format", 2, flex=True),
                Column("Label", "label", 2, flex=True),
                Column("Role", "role", 10),
            ],
            release_row,
            title="Releases",
            noun="release",
            id="artist-releases",
        )

    def load(self) -> None:
        super().load()
        self.load_releases()

    def load_releases(self) -> None:
        """Fetch the releases with the current sort."""
        table = self.query_one("#artist-releases", PagedTable)
        table.empty_text = DEMO_EMPTY_LIST if self.discogs_app.mode == "DEMO" else ""
        arrow = "\u2191" if self.sort_direction == "asc" else "\u2193"
        table.title = f"Releases by {self.sort} {arrow}"
        artist_id = self.target.id
        assert artist_id is not None
        sort, order = self.sort, self.sort_direction

        async def fetch(page: int) -> Page[ArtistRelease]:
            return await self.client.get_artist_releases(
                artist_id, sort=sort, sort_order=order, page=page, per_page=PER_PAGE
            )

        table.show(fetch)

    async def request(self) -> Artist:
        assert self.target.id is not None
        return await self.client.get_artist(self.target.id, text_format="html")

    def show(self, model: Any) -> None:
        artist: Artist = model
        name = display_name(artist.name)
        heading = LinkedText().append(name or f"Artist {artist.id}", style="bold")
        self.query_one("#artist-heading", MarkupView).update(heading)
        facts = facts_builder(
            [
                ("Real name", artist.realname),
                ("Aliases", artist_refs(artist.aliases)),
                ("Members", artist_refs(artist.members, mark_inactive=True)),
                ("In groups", artist_refs(artist.groups)),
                ("Also as", plain_list(artist.namevariations)),
                ("Links", url_links(artist.urls)),
            ]
        )
        self.query_one("#artist-facts", MarkupView).update(facts)
        self.query_one("#artist-profile", MarkupView).update(
            parse_discogs_html(artist.profile, api_base=self.client.base_url)
        )
        self.sub_title = name

    def target_for_item(self, item: Any) -> Target | None:
        row: ArtistRelease = item
        if row.id is None:
            return None
        return Target(kind="master" if str(row.type) == "master" else "release", id=row.id)

    def action_next_sort(self) -> None:
        """Sort the releases by the next field (year, title, format)."""
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.load_releases()

    def action_flip_order(self) -> None:
        """Flip the releases between ascending and descending."""
        self.sort_direction = "desc" if self.sort_direction == "asc" else "asc"
        self.load_releases()

    @on(DataTable.HeaderSelected, "#artist-releases")
    def _sort_by_heading(self, event: DataTable.HeaderSelected) -> None:
        key = str(event.column_key.value)
        if key not in SORTS:
            return
        if key == self.sort:
            self.sort_direction = "desc" if self.sort_direction == "asc" else "asc"
        else:
            self.sort, self.sort_direction = key, "asc"
        self.load_releases()
