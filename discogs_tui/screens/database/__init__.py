"""The database pages: search, release, master, artist and label."""

from __future__ import annotations

from discogs_tui.screens.database.artist import ArtistPage
from discogs_tui.screens.database.label import LabelPage
from discogs_tui.screens.database.master import MasterPage
from discogs_tui.screens.database.release import ReleasePage
from discogs_tui.screens.database.search import SearchPage

__all__ = ["ArtistPage", "LabelPage", "MasterPage", "ReleasePage", "SearchPage"]
