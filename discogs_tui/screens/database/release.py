"""The release page: one edition with its labels, formats, tracklist, credits and figures.

Every name is a link: ``tab`` moves between sections, ``down``/``up`` walk the links of the
page in reading order, ``enter`` opens the selected one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import quote

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from discogs_tui.api.errors import DiscogsError
from discogs_tui.models import Identifier, Release, ReleaseLabel, ReleaseRatingByUser, Video
from discogs_tui.models.collection import Want
from discogs_tui.models.names import format_text
from discogs_tui.money import for_sale_text
from discogs_tui.navigation import Target
from discogs_tui.sanitize import safe_text
from discogs_tui.screens.database.database_page import key_in_words, section_title
from discogs_tui.screens.database.release_yours import YourCopies, copies_text, wanted_text
from discogs_tui.widgets.facts import facts_builder, links_to, plain_list
from discogs_tui.widgets.markup_view import LinkedText, MarkupView, parse_discogs_html
from discogs_tui.widgets.tracklist import Tracklist, credit_lines, credited_title

if TYPE_CHECKING:
    from discogs_tui.shell import PaletteCommand


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


def community_text(release: Release) -> str:
    """``have 1,026 · want 73 · rated 3.35/5 by 123``."""
    community = release.community
    if community is None:
        return ""
    parts = [f"have {community.have:,}", f"want {community.want:,}"]
    if community.rating.count:
        parts.append(f"rated {community.rating.average:.2f}/5 by {community.rating.count:,}")
    return " \u00b7 ".join(parts)


def market_text(release: Release, currency: str | None) -> str:
    """``3 for sale from €34.91`` (``currency`` is what the release was asked in), or nothing."""
    return for_sale_text(release.num_for_sale, release.lowest_price, currency)


def your_rating_text(rating: int | None) -> str:
    """``4`` for a rating, ``not rated`` for 0, nothing while unknown (not signed in)."""
    if rating is None:
        return ""
    return str(rating) if rating else "not rated"


class ReleasePage(YourCopies):
    """A release: ``Target(kind="release", id=...)``."""

    noun = "release"
    AUTO_FOCUS = "#release-heading"
    currency: str | None = None
    """The currency the release's marketplace figures were asked in."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "R",
            "rate",
            "Rate",
            id="release.rate",
            tooltip="Rate this release (0 removes it)",
        ),
        Binding(
            "a",
            "add_to_collection",
            "Add to collection",
            show=False,
            id="release.collect",
            tooltip="Add a copy to a collection folder",
        ),
        Binding(
            "W",
            "wantlist",
            "Want",
            id="release.wantlist",
            tooltip="Add to or remove from your wantlist",
        ),
        Binding("L", "sell", "Sell", show=False, id="release.sell", tooltip="Sell this release"),
    ]

    def __init__(self, target: Target) -> None:
        super().__init__(target)
        self.your_rating: int | None = None
        """The signed-in user's rating (0: not rated), once read; None while unknown."""
        self.your_copies: list[str] | None = None
        """The folder of each copy in the signed-in user's collection, once read."""
        self.wanted: Want | bool | None = None
        """The signed-in user's want of this release once read, False when not wanted;
        None while unknown."""

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
        configured = self.discogs_app.settings.currency
        if configured:
            self.currency = configured.upper()
            return await self.client.get_release(
                self.target.id, curr_abbr=self.currency, text_format="html"
            )
        # Without curr_abbr Discogs answers in the account's currency (USD when anonymous):
        # both are asked at once, so the price can say which currency it is in.
        release, self.currency = await asyncio.gather(
            self.client.get_release(self.target.id, text_format="html"),
            self.discogs_app.account_currency(),
        )
        return release

    def api_paths(self) -> tuple[str, ...]:
        paths = super().api_paths()
        username = self.discogs_app.username
        if username and self.target.id is not None:
            paths += (f"/releases/{self.target.id}/rating/{quote(username, safe='')}",)
            paths += (f"/users/{quote(username, safe='')}/collection/releases/{self.target.id}",)
            paths += (f"/users/{quote(username, safe='')}/wants",)
        return paths

    def on_mount(self) -> None:
        # Textual runs the base classes' on_mount (which loads) too.
        self.discogs_app.sign_in_changed.subscribe(self, self._signed_in)

    def _signed_in(self, _value: None) -> None:
        """The sign-in check answered after the page opened: show (or drop) Your rating."""
        if not self.discogs_app.username:
            self.your_rating = None
            self.wanted = None
            self._show_your_rating()
        else:
            if self.your_rating is None:
                self.fetch_your_rating()
            if self.wanted is None:
                self.fetch_wanted()

    def load(self) -> None:
        super().load()
        self.fetch_your_rating()
        self.fetch_your_copies()
        self.fetch_wanted()

    def _show_your_rating(self) -> None:
        if self.model is not None:
            self.query_one("#release-facts", MarkupView).update(self.facts(self.model))

    @work(exclusive=True, group="your-rating", exit_on_error=False)
    async def fetch_your_rating(self) -> None:
        """Read the signed-in user's rating after the release itself (background priority)."""
        username = self.discogs_app.username
        if not username or self.target.id is None:
            return
        try:
            with self.client.background():
                answer = await self.client.get_release_rating_by_user(self.target.id, username)
        except DiscogsError:
            # The rating is a side fact: the page stays useful without it.
            return
        if username == self.discogs_app.username:
            self.your_rating = answer.rating
            self._show_your_rating()

    def action_rate(self) -> None:
        """Open the rating form; when it is saved, the page shows the new rating."""
        from discogs_tui.screens.database.rate_release import RateReleaseForm

        username = self.discogs_app.username
        if not username:
            if self.client.credentials.is_user:
                # A token was given, but who it signs in is not known (yet).
                words = f"Rating a release needs to know who is signed in ({self.discogs_app.who})."
            else:
                palette = key_in_words(self.discogs_app.key_display("palette"))
                words = (
                    f"Rating a release needs a Discogs sign-in: {palette} → Sign in, or start "
                    "with --token or DISCOGS_TOKEN (discogs.com → Settings → Developers)."
                )
            self.notify(words, title="Sign-in needed", severity="warning", markup=False)
            return
        assert self.target.id is not None
        release: Release | None = self.model
        self.app.push_screen(
            RateReleaseForm(
                self.client,
                self.target.id,
                username,
                current=self.your_rating,
                title=release.title if release is not None else "",
            ),
            self._rated,
        )

    def _rated(self, result: ReleaseRatingByUser | None) -> None:
        if result is not None:
            self.your_rating = result.rating
            self._show_your_rating()

    def palette_commands(self) -> list[PaletteCommand]:
        from discogs_tui.shell import PaletteCommand

        needs = "" if self.discogs_app.username else " (needs a sign-in)"
        return [
            PaletteCommand(
                "Rate this release",
                f"Your rating, 1 to 5; 0 removes it{needs}",
                self.action_rate,
            ),
            PaletteCommand(
                "Add to collection",
                f"Add a copy to a collection folder{needs}",
                self.action_add_to_collection,
            ),
            PaletteCommand(
                "Remove from wantlist" if self.wanted else "Add to wantlist",
                f"Your wantlist, with notes and a rating{needs}",
                self.action_wantlist,
            ),
            PaletteCommand(
                "Sell this release", f"List it in your inventory{needs}", self.action_sell
            ),
        ]

    def action_sell(self) -> None:
        """List this release for sale: the listing form, prefilled from the price suggestion."""
        from discogs_tui.screens.marketplace.actions import sell_release

        assert self.target.id is not None
        release: Release | None = self.model
        sell_release(self, self.target.id, release.title if release is not None else "")

    def facts(self, release: Release) -> Callable[[int], LinkedText]:
        """The facts block: label, format, ..., and the signed-in user's rating once read."""
        master = (
            links_to("master", [(release.master_id, f"master {release.master_id} (all versions)")])
            if release.master_id
            else ""
        )
        return facts_builder(
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
                ("Marketplace", market_text(release, self.currency)),
                ("Your rating", your_rating_text(self.your_rating)),
                ("Collection", copies_text(self.your_copies)),
                ("Wantlist", wanted_text(self.wanted)),
            ]
        )

    def show(self, model: Any) -> None:
        release: Release = model
        heading = credited_title(release.artists, release.title or f"Release {release.id}")
        self.query_one("#release-heading", MarkupView).update(heading)
        self.query_one("#release-facts", MarkupView).update(self.facts(release))
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
            safe_text(identifiers)
            if identifiers.plain
            else Text("No identifiers.", style="dim italic")
        )
        self.query_one("#release-notes", MarkupView).update(
            parse_discogs_html(release.notes, api_base=self.client.base_url)
        )
        self.query_one("#release-videos", MarkupView).update(video_links(release.videos))
        self.sub_title = release.title

    def target_for_item(self, item: Any) -> Target | None:
        return None
