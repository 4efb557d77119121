"""Where the user has been: opening pages, back and forward, pages kept as they were left.

A part of :class:`discogs_tui.app.DiscogsApp`. Back keeps the page it leaves (data, cursor)
for forward; opening a new page drops what forward held.
"""

from __future__ import annotations

from textual.widgets import DataTable, Input, Select

from discogs_tui.navigation import Target, page_kind
from discogs_tui.screens import screen_for
from discogs_tui.screens.base import PageScreen
from discogs_tui.screens.database.database_page import key_in_words
from discogs_tui.screens.home import HomeScreen
from discogs_tui.typing_order import OrderedTyping
from discogs_tui.widgets.paged_table import PagedTable


def has_rows(table: DataTable[object]) -> bool:
    """True when ``table`` shows rows of data (not only a "nothing found" line)."""
    return bool(table.items) if isinstance(table, PagedTable) else bool(table.row_count)


class PageHistory(OrderedTyping):
    """The app's pages and their history (a part of :class:`discogs_tui.app.DiscogsApp`)."""

    _forward: list[PageScreen]
    """Pages left with back, newest last: forward brings them back as they were."""
    _offered: tuple[str, float] | None = None

    def key_display(self, binding_id: str) -> str:
        """How the key of ``binding_id`` is shown (the app gives it)."""
        raise NotImplementedError

    def screen_for(self, target: Target) -> PageScreen | None:
        """A new page for ``target``, or None (and a notice) when this version has none."""
        if target.kind == "home":
            return HomeScreen()
        try:
            return screen_for(target)
        except LookupError:
            kind = page_kind(target.kind)
            later = kind.later if kind is not None else None
            what = later or target.describe().capitalize()
            self.notify(f"{what}: coming in a later version of discogs-tui.", markup=False)
            return None

    def navigate(self, target: Target) -> None:
        """Open ``target`` as a new page on top of the history (not when it is shown already)."""
        if self.page is not None and self.page.shows(target):
            return
        screen = self.screen_for(target)
        if screen is None:
            return
        self._offered = None
        forward, self._forward = self._forward, []
        for page in forward:
            self._release(page)
        self.push_screen(screen)

    def _release(self, page: PageScreen) -> None:
        """Let Textual drop a page kept for forward, once no history can reach it."""
        if not self.is_screen_installed(page):
            return
        if any(page in stack for stack in self._screen_stacks.values()):
            return
        self.uninstall_screen(page)
        page.remove()

    def history_pages(self) -> list[PageScreen]:
        """Every page the user can reach: the screen stack's (top last), then those kept for forward."""
        stacked = [screen for screen in self.screen_stack if isinstance(screen, PageScreen)]
        return stacked + [page for page in self._forward if page not in stacked]

    @property
    def top_page(self) -> PageScreen | None:
        """The page under whatever is on top (a form, the palette, help), or None."""
        for screen in reversed(self.screen_stack):
            if isinstance(screen, PageScreen):
                return screen
        return None

    @property
    def page(self) -> PageScreen | None:
        """The page the user is looking at (None while a help or palette screen is on top)."""
        screen = self.screen
        return screen if isinstance(screen, PageScreen) else None

    # -- actions -------------------------------------------------------------------------

    def action_go_back(self) -> None:
        """Back to the previous page, as it was left.

        From a text field or a choice with results below it (the search query, a filter),
        the first escape moves to the results instead, so a search is not lost by leaving
        the field.
        """
        if isinstance(self.focused, (Input, Select)):
            tables = [table for table in self.screen.query(DataTable) if has_rows(table)]
            if tables:
                if self.page is not None:
                    self.page.restore_fields()
                self.screen.set_focus(tables[0])
                return
        if len(self.screen_stack) <= 1:
            quit_key = key_in_words(self.key_display("quit"))
            self.notify(
                f"This is the first page: nothing to go back to. {quit_key} quits.", markup=False
            )
            return
        page = self.page
        if page is not None:
            # Installed, a popped screen is kept as it is (data, cursor) for forward.
            if not self.is_screen_installed(page):
                self.install_screen(page, name=f"kept-{id(page)}")
            self._forward.append(page)
        self._offered = None
        self.pop_screen()

    def action_go_forward(self) -> None:
        """Bring back the page last left with back, as it was left."""
        if not self._forward:
            self.notify("Nothing to go forward to.")
            return
        self._offered = None
        self.push_screen(self._forward.pop())
