"""The label page: profile, contact, parent label and sublabels, and its releases (paged)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult

from discogs_tui.models import Label, LabelRelease, Page
from discogs_tui.models.names import display_name, names_in_credit
from discogs_tui.navigation import Target
from discogs_tui.screens.database.database_page import DEMO_EMPTY_LIST, DatabasePage
from discogs_tui.widgets.facts import facts_builder, links_to, url_links
from discogs_tui.widgets.markup_view import LinkedText, MarkupView, parse_discogs_html
from discogs_tui.widgets.paged_table import Column, PagedTable

PER_PAGE = 100
"""Rows a request brings: the most the API allows, so a long list costs the fewest requests."""


def label_release_row(item: LabelRelease) -> list[str | Text]:
    """One row of the label's releases table."""
    return [item.catno, names_in_credit(item.artist), item.title, item.format, str(item.year or "")]


class LabelPage(DatabasePage):
    """A label: ``Target(kind="label", id=...)``."""

    noun = "label"
    AUTO_FOCUS = "#label-releases"

    def compose_details(self) -> ComposeResult:
        yield MarkupView(id="label-heading", classes="page-heading")
        yield MarkupView(id="label-facts", classes="facts")
        yield MarkupView(id="label-profile", empty="No profile.")

    def compose_below(self) -> ComposeResult:
        yield PagedTable[LabelRelease](
            [
                Column("Cat#", "catno", 10),
                Column("Artist", "artist", 2, flex=True),
                Column("Title", "title", 3, flex=True),
                Column("Format", "format", 2, flex=True),
                Column("Year", "year", 4),
            ],
            label_release_row,
            title="Releases",
            noun="release",
            id="label-releases",
        )

    def load(self) -> None:
        super().load()
        label_id = self.target.id
        assert label_id is not None

        async def fetch(page: int) -> Page[LabelRelease]:
            return await self.client.get_label_releases(label_id, page=page, per_page=PER_PAGE)

        table = self.query_one("#label-releases", PagedTable)
        table.empty_text = DEMO_EMPTY_LIST if self.discogs_app.mode == "DEMO" else ""
        table.show(fetch)

    async def request(self) -> Label:
        assert self.target.id is not None
        return await self.client.get_label(self.target.id, text_format="html")

    def show(self, model: Any) -> None:
        label: Label = model
        name = display_name(label.name)
        heading = LinkedText().append(name or f"Label {label.id}", style="bold")
        self.query_one("#label-heading", MarkupView).update(heading)
        parent = label.parent_label
        facts = facts_builder(
            [
                ("Parent label", links_to("label", [(parent.id, parent.name)]) if parent else ""),
                ("Sublabels", links_to("label", [(s.id, s.name) for s in label.sublabels])),
                ("Contact", label.contact_info.strip().replace("\r\n", "\n")),
                ("Links", url_links(label.urls)),
            ]
        )
        self.query_one("#label-facts", MarkupView).update(facts)
        self.query_one("#label-profile", MarkupView).update(
            parse_discogs_html(label.profile, api_base=self.client.base_url)
        )
        self.sub_title = name

    def target_for_item(self, item: Any) -> Target | None:
        row: LabelRelease = item
        return Target(kind="release", id=row.id) if row.id else None
