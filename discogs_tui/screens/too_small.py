"""What the app shows in a terminal too small to lay a page out: the size it has and needs."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

MIN_WIDTH = 40
"""Fewest columns a page is drawn in."""
MIN_HEIGHT = 10
"""Fewest rows a page is drawn in: header, gauge and footer leave seven for the page."""


def too_small(width: int, height: int) -> bool:
    """True when a ``width`` x ``height`` terminal is below :data:`MIN_WIDTH` x :data:`MIN_HEIGHT`."""
    return width < MIN_WIDTH or height < MIN_HEIGHT


def too_small_words(width: int, height: int) -> str:
    """``Terminal too small (30x8); needs at least 40x10``."""
    return f"Terminal too small ({width}x{height}); needs at least {MIN_WIDTH}x{MIN_HEIGHT}"


class TooSmallScreen(Screen[None]):
    """Covers the pages while the terminal is too small; leaves by itself once it is big enough.

    Only ``q`` (and ``ctrl+q``) do anything meanwhile: the page keys would act on a page the
    user cannot see.
    """

    DEFAULT_CSS = """
    TooSmallScreen {
        align: center middle;
    }
    TooSmallScreen > Static {
        width: 100%;
        height: auto;
        text-align: center;
        text-style: bold;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,backspace,question_mark,y,o,right_square_bracket",
            "nothing",
            show=False,
            id="too_small.nothing",
        ),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="too-small")

    def on_mount(self) -> None:
        self._show(self.app.size.width, self.app.size.height)

    def on_resize(self, event: events.Resize) -> None:
        size = event.size
        if not too_small(size.width, size.height):
            if self.app.screen is self:
                self.dismiss()
            return
        self._show(size.width, size.height)

    def _show(self, width: int, height: int) -> None:
        self.query_one("#too-small", Static).update(Text(too_small_words(width, height)))

    def action_nothing(self) -> None:
        """Page keys wait until the page is back in sight."""
