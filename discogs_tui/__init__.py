"""discogs-tui: a keyboard-first terminal browser for Discogs."""

from __future__ import annotations

__version__ = "0.1.0"
PROJECT_URL = "https://github.com/discogs-tui/discogs-tui"
