"""The pages of the app, one file each; :func:`screen_for` picks the page for a target."""

from __future__ import annotations

from collections.abc import Callable

from discogs_tui.navigation import Target
from discogs_tui.screens.account.lists import ListPage, ListsPage
from discogs_tui.screens.account.profile import ProfilePage
from discogs_tui.screens.artist import ArtistPage
from discogs_tui.screens.base import PageScreen
from discogs_tui.screens.collection.wantlist import WantlistPage
from discogs_tui.screens.label import LabelPage
from discogs_tui.screens.master import MasterPage
from discogs_tui.screens.release import ReleasePage
from discogs_tui.screens.search import SearchPage

PAGES: dict[str, Callable[[Target], PageScreen]] = {
    "search": SearchPage,
    "release": ReleasePage,
    "master": MasterPage,
    "artist": ArtistPage,
    "label": LabelPage,
    "wantlist": WantlistPage,
    "user": ProfilePage,
    "lists": ListsPage,
    "list": ListPage,
}
"""The page class for each kind of target this version has."""
NAMED_KINDS = ("wantlist", "user", "lists")
"""Pages of a user by name (no name: the signed-in user)."""


def screen_for(target: Target) -> PageScreen:
    """A new page showing ``target``; ``KeyError`` for a kind with no page here."""
    if target.kind not in ("search", *NAMED_KINDS) and target.id is None:
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
