"""The wantlist page (``:wantlist``, ``:wantlist NAME``): the releases a user wants, with
the owner's notes and rating, sorted and filtered here.

Discogs offers no sort for the wantlist
(https://www.discogs.com/developers/#page:user-wantlist,header:user-wantlist-wantlist), so the
page loads every want (100 a request, pages after the first at background priority) and
sorts and filters what it loaded; the table still adds rows a page at a time as the cursor
goes down. ``e`` edits the notes and rating of a want of one's own, ``x`` removes it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import quote

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from discogs_tui.api.errors import AuthError, DiscogsError, ForbiddenError, NotFoundError
from discogs_tui.models import Page, Pagination
from discogs_tui.models.collection import Want
from discogs_tui.models.names import credit_text, display_name
from discogs_tui.navigation import Target
from discogs_tui.sanitize import safe, safe_line
from discogs_tui.screens.database.database_page import LinkFollowingPage, key_in_words
from discogs_tui.widgets.paged_table import Column, PagedTable

if TYPE_CHECKING:
    from discogs_tui.shell import PaletteCommand

ROWS_A_PAGE = 100
"""Rows the table adds at a time from the loaded wants."""


@dataclass(frozen=True)
class WantSort:
    """One way of ordering the wants: its words and the key of a want."""

    words: str
    key: Callable[[Want], Any]
    newest_first: bool = False
    """Sorted descending by default (dates, ratings)."""


def want_artist(want: Want) -> str:
    """The credited artists of the wanted release, as Discogs prints them."""
    return credit_text(want.basic_information.artists)


def want_title(want: Want) -> str:
    """The title of the wanted release (``Release 123`` when it has none)."""
    info = want.basic_information
    return info.title or f"Release {info.id or want.id}"


def want_format(want: Want) -> str:
    """``Vinyl, LP`` for the first format of the release."""
    formats = want.basic_information.formats
    if not formats:
        return ""
    first = formats[0]
    return ", ".join(word for word in (first.name, *first.descriptions) if word)


SORTS: tuple[WantSort, ...] = (
    WantSort("date added", lambda w: w.date_added, newest_first=True),
    WantSort("artist", lambda w: want_artist(w).casefold()),
    WantSort("title", lambda w: want_title(w).casefold()),
    WantSort("year", lambda w: w.basic_information.year or 0),
    WantSort("rating", lambda w: w.rating, newest_first=True),
)
"""The orders ``s`` steps through (sorted here: the API has none for wants)."""


def want_matches(want: Want, words: str) -> bool:
    """True when every word of ``words`` is in the want's artist, title, label, format,
    year or notes (case-insensitive)."""
    info = want.basic_information
    haystack = " ".join(
        [
            want_artist(want),
            want_title(want),
            " ".join(label.name + " " + label.catno for label in info.labels),
            want_format(want),
            str(info.year or ""),
            want.notes,
        ]
    ).casefold()
    return all(word in haystack for word in words.casefold().split())


def sort_wants(wants: Sequence[Want], sort: WantSort, *, reverse: bool = False) -> list[Want]:
    """``wants`` in ``sort``'s order (its default direction, flipped by ``reverse``)."""
    descending = sort.newest_first != reverse
    return sorted(wants, key=sort.key, reverse=descending)


def rating_text(rating: int) -> str:
    """``★★★☆☆`` for 3, nothing for 0 (not rated)."""
    return "\u2605" * rating + "\u2606" * (5 - rating) if rating else ""


def want_row(want: Want) -> list[str | Text]:
    """The cells of a want's row."""
    year = want.basic_information.year
    return [
        display_name(want_artist(want)),
        want_title(want),
        str(year) if year else "",
        rating_text(want.rating),
        " ".join(want.notes.split()),
        want.date_added[:10],
    ]


def private_words(username: str, what: str) -> str:
    """``privateuser keeps their wantlist private.`` (what a 403 for another's list means)."""
    return f"{username} keeps their {what} private."


class WantlistPage(LinkFollowingPage):
    """A user's wantlist: ``Target(kind="wantlist", name=...)``; no name is the signed-in user."""

    AUTO_FOCUS = "#wantlist-table"

    DEFAULT_CSS = """
    WantlistPage #wantlist-filter { border: none; height: 1; padding: 0 1; margin: 0 0 0 0; }
    WantlistPage #wantlist-filter:focus { border: none; background: $boost; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "leave_filter",
            "Done",
            id="wantlist.leave_filter",
            tooltip="Back to the wants (the filter stays)",
        ),
        Binding("s", "sort", "Sort", id="wantlist.sort", tooltip="Order by the next key"),
        Binding(
            "S", "reverse", "Reverse", show=False, id="wantlist.reverse", tooltip="Flip the order"
        ),
        Binding("f", "filter", "Filter", id="wantlist.filter", tooltip="Narrow the loaded wants"),
        Binding(
            "e", "edit", "Edit", id="wantlist.edit", tooltip="Edit the want's notes and rating"
        ),
        Binding("x", "remove", "Remove", id="wantlist.remove", tooltip="Remove from the wantlist"),
        Binding("ctrl+r", "reload", "Reload", show=False, id="page.reload", tooltip="Load again"),
    ]

    @dataclass
    class WantsLoaded(Message):
        """Every want arrived (``dropped`` rows could not be read)."""

        wants: list[Want]
        total: int
        dropped: int
        generation: int

    @dataclass
    class WantsProgress(Message):
        """``loaded`` of ``total`` wants are in (``wants``: those loaded so far)."""

        wants: list[Want]
        loaded: int
        total: int
        generation: int

    @dataclass
    class WantsFailed(Message):
        """Loading the wants failed."""

        error: Exception
        generation: int

    def __init__(self, target: Target) -> None:
        super().__init__(target)
        self.wants: list[Want] | None = None
        """Every want, once loaded (in the server's order)."""
        self.sort_index = 0
        self.reverse = False
        self.filter_words = ""
        self.view: list[Want] = []
        """The wants shown: filtered and sorted."""
        self.dropped = 0
        self.loading_words = ""
        """``loading 100 of 5,000…`` while the rest of a long wantlist comes in."""
        self._generation = 0

    # -- who and what --------------------------------------------------------------------

    @property
    def username(self) -> str | None:
        """Whose wantlist: the target's name, else the signed-in user."""
        return self.target.name or self.discogs_app.username

    @property
    def own(self) -> bool:
        """True when the wantlist is the signed-in user's (editable)."""
        me = self.discogs_app.username
        return bool(me) and self.username == me

    def api_paths(self) -> tuple[str, ...]:
        name = self.username
        return (f"/users/{quote(name, safe='')}/wants",) if name else ()

    def web_url(self) -> str | None:
        name = self.username
        return f"https://www.discogs.com/wantlist?user={quote(name, safe='')}" if name else None

    # -- the page ------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        with Vertical(id="wantlist-body", classes="page-body"):
            yield Static(id="wantlist-heading", classes="page-heading")
            yield Static(id="page-message", classes="page-message")
            yield Input(
                placeholder="f filters: artist, title, label, notes…",
                id="wantlist-filter",
                classes="page-detail",
            )
            yield PagedTable[Want](
                [
                    Column("Artist", "artist", 14, flex=True),
                    Column("Title", "title", 18, flex=True),
                    Column("Year", "year", 4),
                    Column("Rated", "rating", 5),
                    Column("Notes", "notes", 10, flex=True),
                    Column("Added", "added", 10),
                ],
                want_row,
                title="Wantlist",
                noun="want",
                id="wantlist-table",
                classes="page-detail",
            )

    def on_mount(self) -> None:
        self.query_one("#page-message", Static).display = False
        self.query_one("#wantlist-filter", Input).display = False

    @property
    def table(self) -> PagedTable[Want]:
        """The wants table."""
        table: PagedTable[Want] = self.query_one("#wantlist-table", PagedTable)
        return table

    def load(self) -> None:
        name = self.username
        self._generation += 1
        self.loading_words = ""
        self.query_one("#page-message", Static).display = False
        self.remove_class("-failed")
        self._show_heading()
        if not name:
            self._fail_with(
                "The wantlist needs a Discogs sign-in, or a name: :wantlist NAME. "
                "Sign in with discogs-tui login, --token or DISCOGS_TOKEN."
            )
            return
        self.table.loading = True
        self.fetch_wants(name, self._generation)

    @work(exclusive=True, group="wants", exit_on_error=False)
    async def fetch_wants(self, username: str, generation: int) -> None:
        """Load every want of ``username``, telling the progress page by page."""
        wants: list[Want] = []
        dropped = 0
        total = 0
        try:
            async for page in self.client.iter_pages(self.client.get_wantlist, username):
                wants.extend(page.items)
                dropped += page.dropped
                total = page.pagination.items
                if page.pagination.page == 1:
                    self.set_fetch_info(page.fetch_info)
                self.post_message(self.WantsProgress(list(wants), len(wants), total, generation))
        except Exception as error:
            # Anything, a bug included: the page must stop loading and say what happened.
            self.post_message(self.WantsFailed(error, generation))
            return
        self.post_message(self.WantsLoaded(wants, max(total, len(wants)), dropped, generation))

    @on(WantsProgress)
    def _progress(self, message: WantsProgress) -> None:
        if message.generation != self._generation or message.loaded >= message.total:
            return
        self.loading_words = f"loading {message.loaded:,} of {message.total:,}…"
        if self.wants is None:
            # The first page shows at once; the order and filter cover all once all are in.
            self._show_wants(message.wants)
        else:
            self._show_heading()

    @on(WantsLoaded)
    def _loaded(self, message: WantsLoaded) -> None:
        if message.generation != self._generation:
            return
        self.loading_words = ""
        self.dropped = message.dropped
        self._show_wants(message.wants)

    def _show_wants(self, wants: list[Want]) -> None:
        self.table.loading = False
        self.wants = wants
        self.query_one("#wantlist-filter", Input).display = bool(self.wants) or bool(
            self.filter_words
        )
        self.refresh_bindings()
        self.refilter()

    @on(WantsFailed)
    def _failed_load(self, message: WantsFailed) -> None:
        if message.generation != self._generation:
            return
        self.table.loading = False
        error = message.error
        name = self.username or ""
        where = f"the wantlist of {name}"
        if isinstance(error, (ForbiddenError, AuthError)) and not self.own:
            words = private_words(name, "wantlist")
        elif isinstance(error, NotFoundError):
            words = f"There is no user {name} on Discogs."
        elif isinstance(error, DiscogsError):
            words = f"Could not load {where}: {error.message}"
        else:
            words = f"Could not load {where}: {type(error).__name__}: {error}"
        private = isinstance(error, (ForbiddenError, AuthError)) and not self.own
        if self.wants is None:
            retry = key_in_words(self.key_display("page.reload"))
            self._fail_with(words if private else f"{words}\n\nPress {retry} to try again.")
        if private:
            self.notify(words, title="Private wantlist", severity="warning", markup=False)
        else:
            self.discogs_app.show_error(error, where=where)

    def _fail_with(self, words: str) -> None:
        self.add_class("-failed")
        self.query_one("#wantlist-filter", Input).display = False
        self.table.display = False
        notice = self.query_one("#page-message", Static)
        notice.update(Text(safe(words)))
        notice.display = True
        self.refresh_bindings()

    def _show_heading(self) -> None:
        name = self.username
        whose = "Your wantlist" if self.own else f"Wantlist of {name}" if name else "Wantlist"
        sort = SORTS[self.sort_index]
        descending = sort.newest_first != self.reverse
        direction = "descending" if descending else "ascending"
        text = Text(safe_line(whose), style="bold")
        if self.wants:
            text.append(f"  sorted by {sort.words}, {direction}", style="dim")
        if self.loading_words:
            text.append(f" · {self.loading_words}", style="dim")
        if self.filter_words:
            text.append(f" · filter “{safe_line(self.filter_words)}”", style="dim")
        self.query_one("#wantlist-heading", Static).update(text)

    def refilter(self) -> None:
        """Show the loaded wants through the filter, in the chosen order."""
        self._show_heading()
        if self.wants is None:
            return
        chosen = [w for w in self.wants if want_matches(w, self.filter_words)]
        self.view = sort_wants(chosen, SORTS[self.sort_index], reverse=self.reverse)
        self.table.display = True
        table = self.table
        if self.filter_words and self.wants:
            table.empty_text = "No want matches the filter."
        elif self.own:
            table.empty_text = "Your wantlist is empty: press W on a release page to add it."
        else:
            table.empty_text = "The wantlist is empty."
        view = self.view
        dropped = self.dropped

        async def rows(number: int) -> Page[Want]:
            start = (number - 1) * ROWS_A_PAGE
            pages = max(1, -(-len(view) // ROWS_A_PAGE))
            return Page[Want](
                pagination=Pagination(
                    page=number, pages=pages, per_page=ROWS_A_PAGE, items=len(view)
                ),
                items=view[start : start + ROWS_A_PAGE],
                dropped=dropped if number == 1 else 0,
            )

        table.show(rows)

    # -- keys ----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "leave_filter":
            return self.focused is self.query_one("#wantlist-filter", Input)
        if action in ("sort", "reverse", "filter") and not self.wants:
            return False
        if action in ("edit", "remove") and (not self.own or not self.wants):
            return False
        if self.has_class("-failed") and action != "reload" and action in self._own_actions():
            return False
        return super().check_action(action, parameters)

    def _own_actions(self) -> set[str]:
        return {"sort", "reverse", "filter", "edit", "remove"}

    def action_leave_filter(self) -> None:
        """Back from the filter field to the table (escape again goes back a page)."""
        self.table.focus()

    def action_reload(self) -> None:
        """Load the wantlist again."""
        self.table.display = True
        self.load()

    def action_sort(self) -> None:
        """Order by the next key (date added, artist, title, year, rating)."""
        self.sort_index = (self.sort_index + 1) % len(SORTS)
        self.reverse = False
        self.refilter()

    def action_reverse(self) -> None:
        """Flip the order."""
        self.reverse = not self.reverse
        self.refilter()

    def action_filter(self) -> None:
        """Focus the filter field."""
        field = self.query_one("#wantlist-filter", Input)
        field.display = True
        field.focus()

    @on(Input.Changed, "#wantlist-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.filter_words = event.value.strip()
        self.refilter()

    @on(Input.Submitted, "#wantlist-filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.table.focus()

    def target_for_item(self, item: Any) -> Target | None:
        want: Want = item
        ident = want.basic_information.id or want.id
        return Target(kind="release", id=ident) if ident else None

    def current_want(self) -> Want | None:
        """The want under the cursor."""
        return self.table.current_item

    def action_edit(self) -> None:
        """Edit the notes and rating of the want under the cursor."""
        from discogs_tui.screens.collection.want_form import EditWantForm

        want = self.current_want()
        name = self.username
        if want is None or not name:
            return
        self.app.push_screen(EditWantForm(self.client, name, want))

    def action_remove(self) -> None:
        """Remove the want under the cursor, after a yes."""
        from discogs_tui.screens.collection.want_form import RemoveWantForm

        want = self.current_want()
        name = self.username
        if want is None or not name:
            return
        ident = want.basic_information.id or want.id
        if ident:
            self.app.push_screen(
                RemoveWantForm(self.client, name, ident, title=want.basic_information.title)
            )

    def palette_commands(self) -> list[PaletteCommand]:
        from discogs_tui.shell import PaletteCommand

        commands = [
            PaletteCommand("Sort the wantlist", "Order by the next key", self.action_sort),
            PaletteCommand("Filter the wantlist", "Narrow the loaded wants", self.action_filter),
        ]
        if self.own:
            commands += [
                PaletteCommand(
                    "Edit want", "Notes and rating of the selected want", self.action_edit
                ),
                PaletteCommand(
                    "Remove from wantlist", "Remove the selected want", self.action_remove
                ),
            ]
        return commands
