"""The pages of the app, one file each, in folders by area; :func:`screen_for` picks the page.

Every kind of page is declared in :data:`discogs_tui.navigation.PAGE_KINDS`; :data:`PAGES`
gives the screen of each kind this version has (a test keeps the two in step).
"""

from __future__ import annotations

from collections.abc import Callable

from discogs_tui.navigation import Target
from discogs_tui.screens.base import PageScreen
from discogs_tui.screens.database.artist import ArtistPage
from discogs_tui.screens.database.label import LabelPage
from discogs_tui.screens.database.master import MasterPage
from discogs_tui.screens.database.release import ReleasePage
from discogs_tui.screens.database.search import SearchPage

PAGES: dict[str, Callable[[Target], PageScreen]] = {
    "search": SearchPage,
    "release": ReleasePage,
    "master": MasterPage,
    "artist": ArtistPage,
    "label": LabelPage,
}
"""The page class for each kind of target this version has."""


def screen_for(target: Target) -> PageScreen:
    """A new page showing ``target``; ``KeyError`` for a kind with no page here."""
    if target.kind != "search" and target.id is None:
        raise KeyError(f"{target.kind} needs an id")
    return PAGES[target.kind](target)


__all__ = [
    "PAGES",
    "ArtistPage",
    "LabelPage",
    "MasterPage",
    "PageScreen",
    "ReleasePage",
    "SearchPage",
    "screen_for",
]
