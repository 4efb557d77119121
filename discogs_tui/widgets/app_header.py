"""The line above every page: the app's name, the page shown, the signed-in user and the mode."""

from __future__ import annotations

from typing import cast

from rich.text import Text
from textual.widget import Widget

from discogs_tui.shell import Shell, ShowsTarget

MODE_STYLES = {"LIVE": "bold green", "DEMO": "bold magenta", "OFFLINE": "bold red"}


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
        right = Text.assemble(
            (app.who, "italic"), "  ", (app.mode, MODE_STYLES.get(app.mode, "bold"))
        )
        room = max(0, self.size.width - len(left) - len(right) - 1)
        middle = Text(where, no_wrap=True, overflow="ellipsis")
        middle.truncate(room, overflow="ellipsis")
        pad = " " * max(1, room - len(middle) + 1)
        return Text.assemble(left, middle, pad, right, no_wrap=True)
