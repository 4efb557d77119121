"""The line above every page: the app's name, the page shown, the signed-in user and the mode."""

from __future__ import annotations

from typing import cast

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from discogs_tui.sanitize import safe_line
from discogs_tui.shell import Shell, ShowsTarget

MODE_STYLES = {"LIVE": "bold green", "DEMO": "bold magenta", "OFFLINE": "bold red"}
NO_COLOR_MODE_STYLE = "bold reverse"
"""With ``NO_COLOR`` colours turn to greys that can vanish on the panel: the badge is reversed."""


class AppHeader(Widget):
    """One line: ``discogs-tui  release 1 · Stockholm            demo  DEMO``.

    The middle shows the screen's ``title`` when the page set one, else what the page is.
    The right side follows the sign-in: "connecting…", then the user's name (or why not).
    """

    DEFAULT_CSS = """
    AppHeader {
        height: 1;
        width: 1fr;
        background: $panel;
        color: $text;
        padding: 0 1;
    }
    """

    def on_mount(self) -> None:
        self.watch(self.screen, "title", self._changed, init=False)
        self.watch(self.screen, "sub_title", self._changed, init=False)
        app = cast(Shell, self.app)
        app.sign_in_changed.subscribe(self, self._changed)

    def _changed(self, _value: object = None) -> None:
        self.refresh()

    def render(self) -> Text:
        app = cast(Shell, self.app)
        screen = self.screen
        left = Text.assemble(("discogs-tui", "bold"), "  ")
        where = ""
        if screen.title and screen.title != app.title:
            where = screen.title
        elif isinstance(screen, ShowsTarget):
            where = screen.target.describe()
        if screen.sub_title and screen.sub_title != app.sub_title:
            where = f"{where} · {screen.sub_title}" if where else screen.sub_title
        badge = NO_COLOR_MODE_STYLE if app.no_color else MODE_STYLES.get(app.mode, "bold")
        right = Text.assemble((safe_line(app.who), "italic"), "  ", (app.mode, badge))
        # Widths in terminal cells: a CJK or emoji title takes two a character, and the user
        # and mode on the right must stay in sight whatever the title.
        width = self.size.width
        if cell_len(left.plain) + cell_len(right.plain) + 1 > width:
            left = Text("")
        room = max(0, width - cell_len(left.plain) - cell_len(right.plain) - 1)
        middle = Text(safe_line(where), no_wrap=True, overflow="ellipsis")
        middle.truncate(room, overflow="ellipsis")
        pad = " " * max(1, room - middle.cell_len + 1)
        return Text.assemble(left, middle, pad, right, no_wrap=True)
