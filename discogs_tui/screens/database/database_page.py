"""What the release, master, artist and label pages share: fetch one object, follow links.

A page fetches its object in a worker (:meth:`DatabasePage.request`), which posts
:class:`DatabasePage.Loaded` or :class:`DatabasePage.Failed`; the handlers fill the page or
report the error. A 404 reads "Release 123 not found": the app closes the page and the
user is back where they were; if there is nowhere to go back to, the message stays in place.
Links followed in any :class:`MarkupView` and rows chosen in any :class:`PagedTable` open
their pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from discogs_tui.api.errors import DiscogsError, NotFoundError
from discogs_tui.models import DiscogsModel
from discogs_tui.navigation import Target
from discogs_tui.sanitize import safe
from discogs_tui.screens.base import PageScreen
from discogs_tui.widgets.markup_view import Link, MarkupView
from discogs_tui.widgets.paged_table import PagedTable

DEMO_EMPTY_LIST = "Not in the demo data."
"""What an artist's or label's empty list says in the demo: its releases are outside the sample."""


def pages_stylesheet() -> Path:
    """``pages.tcss``: next to the package in a wheel, else in the repository's ``styles/``."""
    package = Path(__file__).parent.parent.parent
    packaged = package / "styles" / "pages.tcss"
    return packaged if packaged.exists() else package.parent / "styles" / "pages.tcss"


def key_in_words(key: str) -> str:
    """A key as a sentence names it: ``^r`` (the footer's short form) reads ``ctrl+r``."""
    return f"ctrl+{key[1:]}" if key.startswith("^") and len(key) > 1 else key


def section_title(words: str) -> Static:
    """A section heading (literal text)."""
    return Static(Text(words), classes="section-title")


class LinkFollowingPage(PageScreen):
    """A page whose links and table rows open other pages."""

    CSS_PATH = pages_stylesheet()

    @on(MarkupView.LinkFollowed)
    def _follow(self, event: MarkupView.LinkFollowed) -> None:
        event.stop()
        self.follow(event.link)

    def follow(self, link: Link) -> None:
        """Open a link: a page of the app, or a web address in the browser."""
        if link.target is not None:
            self.navigate(link.target)
        elif link.url:
            self.open_web(link.url)

    def open_web(self, url: str) -> None:
        """Open ``url`` in a browser when there is one; always show it (SSH has none)."""
        self.discogs_app.open_url(url)

    @on(PagedTable.LoadFailed)
    def _table_failed(self, event: PagedTable.LoadFailed) -> None:
        event.stop()
        self.report_table_failure(event)

    def report_table_failure(self, event: PagedTable.LoadFailed) -> None:
        """Tell the user a page of a table could not be fetched (``r`` in the table retries)."""
        title = event.table.title
        # "Results for "Persuader"": only the first letter changes, never the user's words.
        what = title[:1].lower() + title[1:] if title else "the list"
        where = what if event.page_number <= 1 else f"{what}, page {event.page_number}"
        self.discogs_app.show_error(event.error, where=where)

    @on(PagedTable.ItemChosen)
    def _open_row(self, event: PagedTable.ItemChosen) -> None:
        event.stop()
        target = self.target_for_item(event.item)
        if target is not None:
            self.navigate(target)

    def target_for_item(self, item: Any) -> Target | None:
        """The page a table row opens (by default a release with the row's ``id``)."""
        ident = getattr(item, "id", None)
        return Target(kind="release", id=ident) if ident else None


class DatabasePage(LinkFollowingPage):
    """A page showing one database object (release, master, artist or label)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+r",
            "reload",
            "Reload",
            show=False,
            id="page.reload",
            tooltip="Load the page again",
        ),
    ]

    noun: ClassVar[str] = "item"
    """What the page shows, in the user's words (``release``)."""

    @dataclass
    class Loaded(Message):
        """The page's object arrived."""

        model: Any

    @dataclass
    class Failed(Message):
        """Fetching the page's object failed (a :class:`DiscogsError`, or a bug)."""

        error: Exception

    def __init__(self, target: Target) -> None:
        super().__init__(target)
        self.model: Any = None
        """The object shown, once it has arrived."""
        self._held_table_failure: PagedTable.LoadFailed | None = None

    def compose_body(self) -> ComposeResult:
        # Not focusable itself: focus walks the sections inside, and page keys still scroll it.
        body = VerticalScroll(id="page-body", classes="page-body", can_focus=False)
        with body:
            yield Static(id="page-message", classes="page-message")
            for widget in self.compose_details():
                # Hidden while the page has nothing to show (see :meth:`_failed`).
                widget.add_class("page-detail")
                yield widget
        for widget in self.compose_below():
            widget.add_class("page-detail")
            yield widget

    def compose_details(self) -> ComposeResult:
        """The widgets inside the scrolling details area."""
        yield from ()

    def compose_below(self) -> ComposeResult:
        """Widgets under the details area (e.g. a releases table)."""
        yield from ()

    def on_mount(self) -> None:
        # Textual runs PageScreen.on_mount (which loads) after this one: not called here,
        # or the page would load twice.
        self.query_one("#page-message", Static).display = False

    def load(self) -> None:
        self.remove_class("-failed")
        self.query_one("#page-message", Static).display = False
        self.query_one("#page-body").loading = True
        self.fetch()

    def report_table_failure(self, event: PagedTable.LoadFailed) -> None:
        """Held back while the page's own object is on its way: in an outage both fail,
        and one notice says it (the page's); once the object is in, the table's is told."""
        if self.model is None and not self.has_class("-failed"):
            self._held_table_failure = event
        elif not self.has_class("-failed"):
            super().report_table_failure(event)

    def action_reload(self) -> None:
        """Fetch the page again."""
        self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the page shows only its error, its keys other than reload are not offered."""
        if self.has_class("-failed") and action != "reload" and self._owns_action(action):
            return False
        return super().check_action(action, parameters)

    def _owns_action(self, action: str) -> bool:
        return any(
            binding.action == action
            for bindings in self._bindings.key_to_bindings.values()
            for binding in bindings
        )

    @work(exclusive=True, group="page", exit_on_error=False)
    async def fetch(self) -> None:
        """Fetch the object in the background and post what happened."""
        try:
            model = await self.request()
        except Exception as error:
            # Anything, a bug included: the page must stop loading and say what happened.
            self.post_message(self.Failed(error))
            return
        self.post_message(self.Loaded(model))

    async def request(self) -> DiscogsModel:
        """Ask the client for the object shown."""
        raise NotImplementedError

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.model = message.model
        self.remove_class("-failed")
        self.refresh_bindings()
        # Rescued by a reload: nothing had the focus while only the error showed.
        self.call_after_refresh(self._update_auto_focus)
        self.query_one("#page-body").loading = False
        self.query_one("#page-message", Static).display = False
        self.set_fetch_info(message.model.fetch_info)
        self.show(message.model)
        held, self._held_table_failure = self._held_table_failure, None
        if held is not None:
            super().report_table_failure(held)

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.query_one("#page-body").loading = False
        where = self.target.describe()
        error = message.error
        if isinstance(error, NotFoundError):
            words = f"{where[:1].upper()}{where[1:]} not found."
        elif isinstance(error, DiscogsError):
            words = f"Could not load {where}: {error.message}"
        else:
            words = f"Could not load {where}: {type(error).__name__}: {error}"
        self._held_table_failure = None
        if self.model is None:
            # Nothing to show: the error takes the page's place (no empty "No credits."
            # sections), says how to retry, and stays for when there is no page to go back to.
            self.add_class("-failed")
            self.refresh_bindings()
            retry = key_in_words(self.key_display("page.reload"))
            back = key_in_words(self.discogs_app.key_display("back"))
            notice = self.query_one("#page-message", Static)
            notice.update(
                Text(safe(f"{words}\n\nPress {retry} to try again, or {back} to go back."))
            )
            notice.display = True
        self.discogs_app.show_error(error, where=where, page=self)

    def show(self, model: Any) -> None:
        """Fill the page with ``model``."""
