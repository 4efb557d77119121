"""A stand-in page for a kind of page this build has no screen for yet."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from discogs_tui.sanitize import safe
from discogs_tui.screens.base import PageScreen


class PlaceholderPage(PageScreen):
    """Says which page was asked for; used when the page registry is not installed."""

    def compose_body(self) -> ComposeResult:
        yield Static(
            Text(safe(f"{self.target.describe()}: this page is not built yet.")),
            classes="page-body placeholder",
        )
