"""The bulk-edit line above the rate gauge: how far a running bulk edit is, and how to stop it.

It reads ``Bulk edit 12/50 ████░░░░░░ 2 failed · about 40 s left · ctrl+k cancel`` and is
hidden while no bulk edit runs. Every page has one; the app holds the one state they show
(:class:`BulkLineState`) and pushes it to them, so the line is the same on every page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from rich.text import Text
from textual.widgets import Static

BAR_WIDTH = 10


@dataclass(frozen=True)
class BulkLineState:
    """What the line shows; ``settled`` counts the edits done, refused or left alone."""

    settled: int
    total: int
    failed: int = 0
    conflicts: int = 0
    seconds_left: float | None = None
    """The countdown to the end, in seconds (``None``: not known yet)."""
    cancelling: bool = False
    cancel_key: str = "ctrl+k"


def time_left_words(seconds: float) -> str:
    """``about 40 s left``, ``about 3 min left``, ``a few seconds left``."""
    if seconds < 5:
        return "a few seconds left"
    if seconds < 90:
        return f"about {math.ceil(seconds)} s left"
    return f"about {math.ceil(seconds / 60)} min left"


def bulk_line_text(state: BulkLineState, *, bar_width: int = BAR_WIDTH) -> Text:
    """The line for ``state``: counts, a bar, trouble so far, the countdown and the cancel key."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"Bulk edit {state.settled}/{state.total} ", style="bold")
    share = state.settled / state.total if state.total else 1.0
    filled = min(bar_width, math.floor(share * bar_width))
    text.append("█" * filled)
    text.append("░" * (bar_width - filled), style="dim")
    parts: list[tuple[str, str]] = []
    if state.failed:
        parts.append((f"{state.failed} failed", "bold"))
    if state.conflicts:
        parts.append((f"{state.conflicts} left alone", "bold"))
    if state.cancelling:
        parts.append(("cancelling after the request in flight…", "bold"))
    else:
        if state.seconds_left is not None:
            parts.append((time_left_words(state.seconds_left), ""))
        parts.append((f"{state.cancel_key} cancel", "dim"))
    for n, (words, style) in enumerate(parts):
        text.append(" " if n == 0 else " · ", style="dim" if n else "")
        text.append(words, style=style)
    return text


@runtime_checkable
class ShowsBulkRun(Protocol):
    """An app that runs bulk edits: what its line shows now (``None`` while none runs)."""

    def bulk_line_state(self) -> BulkLineState | None:
        """The state of the running bulk edit."""
        ...


class BulkLine(Static):
    """The running bulk edit's line (hidden while none runs); the app calls :meth:`show`."""

    DEFAULT_CSS = """
    BulkLine {
        height: 1;
        padding: 0 1;
        display: none;
        background: $boost;
    }
    BulkLine.-running {
        display: block;
    }
    """

    def on_mount(self) -> None:
        app = self.app
        self.show(app.bulk_line_state() if isinstance(app, ShowsBulkRun) else None)

    def show(self, state: BulkLineState | None) -> None:
        """Draw ``state``, or hide the line when it is ``None``."""
        self.set_class(state is not None, "-running")
        if state is not None:
            self.update(bulk_line_text(state))
