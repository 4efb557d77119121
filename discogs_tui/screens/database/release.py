"""The release page: one edition with its labels, formats, tracklist, credits and figures.

Every name is a link: ``tab`` moves between sections, ``down``/``up`` walk the links of the
page in reading order, ``enter`` opens the selected one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from discogs_tui.models import Format, Identifier, Release, ReleaseLabel, Video
from discogs_tui.navigation import Target
from discogs_tui.screens.database.database_page import DatabasePage, section_title
from discogs_tui.widgets.facts import facts_builder, links_to, plain_list
from discogs_tui.widgets.markup_view import LinkedText, MarkupView, parse_discogs_html
from discogs_tui.widgets.tracklist import Tracklist, credit_lines, credited_title


def format_text(formats: Sequence[Format]) -> str:
    """``2xVinyl, 12", 33 1/3 RPM; CD, Album`` (with a real times sign) as Discogs prints formats."""
    parts = []
    for item in formats:
        qty = f"{item.qty}\u00d7" if item.qty and item.qty != "1" else ""
        words = [qty + item.name, *item.descriptions]
        if item.text:
            words.append(item.text)
        parts.append(", ".join(word for word in words if word))
    return "; ".join(parts)


def label_links(labels: Sequence[ReleaseLabel]) -> LinkedText:
    """Labels with their catalogue numbers: ``Svek - SK032`` (with an en dash)."""
    out = LinkedText()
    for index, label in enumerate(labels):
        if index:
            out.append("\n")
        out.append_linked(links_to("label", [(label.id, label.name)]))
        if label.catno:
            out.append(" \u2013 " + label.catno)
    return out


def company_lines(companies: Sequence[ReleaseLabel]) -> Callable[[int], LinkedText]:
    """Companies grouped by what they did: ``Pressed By: MPO``."""
    grouped: dict[str, list[ReleaseLabel]] = {}
    for company in companies:
        grouped.setdefault(company.entity_type_name or "Company", []).append(company)
    rows = [
        (role, links_to("label", [(c.id, c.name) for c in members]))
        for role, members in grouped.items()
    ]
    return facts_builder(rows)


def identifier_text(identifiers: Sequence[Identifier]) -> Text:
    """Barcodes, matrix numbers and other identifiers, one a line."""
    text = Text()
    for index, item in enumerate(identifiers):
        if index:
            text.append("\n")
        kind = item.type + (f" ({item.description})" if item.description else "")
        text.append(kind + ": ", style="dim")
        text.append(item.value)
    return text


def video_links(videos: Sequence[Video]) -> LinkedText:
    """Videos as web links with their durations."""
    out = LinkedText()
    for index, video in enumerate(videos):
        if index:
            out.append("\n")
        out.append_link(video.title or video.uri, url=video.uri)
        if video.duration:
            minutes, seconds = divmod(video.duration, 60)
            out.append(f"  {minutes}:{seconds:02d}", style="dim")
    return out


def money(value: float | None) -> str:
    """A price as shown: two decimals."""
    return "" if value is None else f"{value:,.2f}"


def community_text(release: Release) -> str:
    """``have 1,026 · want 73 · rated 3.35/5 by 123``."""
    community = release.community
    if community is None:
        return ""
    parts = [f"have {community.have:,}", f"want {community.want:,}"]
    if community.rating.count:
        parts.append(f"rated {community.rating.average:.2f}/5 by {community.rating.count:,}")
    return " \u00b7 ".join(parts)


def market_text(release: Release) -> str:
    """``3 for sale from 34.91``, or nothing known."""
    if release.num_for_sale is None and release.lowest_price is None:
        return ""
    count = release.num_for_sale or 0
    if count == 0:
        return "none for sale"
    lowest = money(release.lowest_price)
    return f"{count:,} for sale" + (f" from {lowest}" if lowest else "")


class ReleasePage(DatabasePage):
    """A release: ``Target(kind="release", id=...)``."""

    noun = "release"
    AUTO_FOCUS = "#release-heading"

    def compose_details(self) -> ComposeResult:
        yield MarkupView(id="release-heading", classes="page-heading")
        yield MarkupView(id="release-facts", classes="facts")
        yield section_title("Tracklist")
        yield Tracklist(id="release-tracklist")
        yield section_title("Credits")
        yield MarkupView(id="release-credits", empty="No credits.")
        yield section_title("Companies")
        yield MarkupView(id="release-companies", empty="No companies.")
        yield section_title("Identifiers")
        yield Static(id="release-identifiers", classes="plain-section")
        yield section_title("Notes")
        yield MarkupView(id="release-notes", empty="No notes.")
        yield section_title("Videos")
        yield MarkupView(id="release-videos", empty="No videos.")

    async def request(self) -> Release:
        assert self.target.id is not None
        currency = getattr(self.discogs_app.settings, "currency", None)
        return await self.client.get_release(self.target.id, curr_abbr=currency, text_format="html")

    def show(self, model: Any) -> None:
        release: Release = model
        heading = credited_title(release.artists, release.title or f"Release {release.id}")
        self.query_one("#release-heading", MarkupView).update(heading)
        master = (
            links_to("master", [(release.master_id, f"master {release.master_id} (all versions)")])
            if release.master_id
            else ""
        )
        facts = facts_builder(
            [
                ("Label", label_links(release.labels)),
                ("Series", label_links(release.series)),
                ("Format", format_text(release.formats)),
                ("Country", release.country),
                ("Released", release.released_formatted or release.released),
                ("Genre", plain_list(release.genres)),
                ("Style", plain_list(release.styles)),
                ("Master", master),
                ("Community", community_text(release)),
                ("Marketplace", market_text(release)),
            ]
        )
        self.query_one("#release-facts", MarkupView).update(facts)
        self.query_one("#release-tracklist", Tracklist).set_tracks(release.tracklist)
        credits = LinkedText()
        for index, line in enumerate(credit_lines(release.extraartists)):
            if index:
                credits.append("\n")
            credits.append_linked(line)
        self.query_one("#release-credits", MarkupView).update(credits)
        self.query_one("#release-companies", MarkupView).update(company_lines(release.companies))
        identifiers = identifier_text(release.identifiers)
        self.query_one("#release-identifiers", Static).update(
            identifiers if identifiers.plain else Text("No identifiers.", style="dim italic")
        )
        self.query_one("#release-notes", MarkupView).update(
            parse_discogs_html(release.notes, api_base=self.client.base_url)
        )
        self.query_one("#release-videos", MarkupView).update(video_links(release.videos))
        self.sub_title = release.title

    def target_for_item(self, item: Any) -> Target | None:
        return None
