"""The collection pages (the folder list with the value, a folder's items) and the wantlist, with their forms."""

from __future__ import annotations

from discogs_tui.navigation import Target
from discogs_tui.screens.base import PageScreen
from discogs_tui.screens.collection.folders import CollectionPage
from discogs_tui.screens.collection.items import FolderPage


def collection_screen(target: Target) -> PageScreen:
    """The folder list for ``Target("collection")``, a folder's items when ``id`` names one."""
    return CollectionPage(target) if target.id is None else FolderPage(target)


__all__ = ["CollectionPage", "FolderPage", "collection_screen"]
