"""The signed-in user's own side of a release page: copies in the collection, the want."""

from __future__ import annotations

from textual import work

from discogs_tui.api.errors import DiscogsError
from discogs_tui.models import Release
from discogs_tui.models.collection import Want
from discogs_tui.screens.database.database_page import DatabasePage


def copies_text(folders: list[str] | None) -> str:
    """``2 copies: Jazz, Uncategorized``, ``not in your collection``, nothing while unknown."""
    from discogs_tui.screens.collection.forms import copies_words

    return "" if folders is None else copies_words(folders)


def wanted_text(want: Want | bool | None) -> str:
    """``wanted (rated 3): notes`` or ``not wanted``; nothing while unknown (not signed in)."""
    if want is None:
        return ""
    if want is False or want is True:
        return "wanted" if want else "not wanted"
    words = "wanted" + (f" (rated {want.rating})" if want.rating else "")
    notes = " ".join(want.notes.split())
    return f"{words}: {notes}" if notes else words


class YourCopies(DatabasePage):
    """What the signed-in user has of a release: copies in the collection, a want.

    A part of :class:`~discogs_tui.screens.database.release.ReleasePage`: read at background
    priority after the release (side facts: a failure leaves them out), with the keys that
    change them (add to collection, add to or remove from the wantlist).
    """

    your_copies: list[str] | None
    wanted: Want | bool | None

    def _show_your_rating(self) -> None:
        """Redraw the facts block (the page gives it)."""
        raise NotImplementedError

    @work(exclusive=True, group="your-copies", exit_on_error=False)
    async def fetch_your_copies(self) -> None:
        """Read which of the signed-in user's folders hold this release (background priority)."""
        username = self.discogs_app.username
        if not username or self.target.id is None:
            return
        try:
            with self.client.background():
                items = await self.client.get_collection_items_by_release(username, self.target.id)
                names = {}
                if items.items:
                    folders = await self.client.get_collection_folders(username)
                    names = {f.id: f.name for f in folders.folders}
        except DiscogsError:
            return  # a side fact, like the rating
        if username == self.discogs_app.username:
            self.your_copies = [
                names.get(item.folder_id, f"folder {item.folder_id}") for item in items.items
            ]
            self._show_your_rating()

    def action_add_to_collection(self) -> None:
        """Ask for the folder (Uncategorized chosen already) and add a copy there."""
        username = self.discogs_app.username
        if not username:
            self.notify(
                "Adding to a collection needs a Discogs sign-in: start with --token or set "
                "DISCOGS_TOKEN (discogs.com → Settings → Developers).",
                title="Sign-in needed",
                severity="warning",
                markup=False,
            )
            return
        self._open_add_form(username)

    @work(exclusive=True, group="add-to-collection", exit_on_error=False)
    async def _open_add_form(self, username: str) -> None:
        from discogs_tui.screens.collection.forms import AddToCollectionForm

        assert self.target.id is not None
        try:
            folders = await self.client.get_collection_folders(username)
        except DiscogsError as error:
            self.discogs_app.show_error(error, where="your collection folders")
            return
        release: Release | None = self.model
        self.app.push_screen(
            AddToCollectionForm(
                self.client,
                username,
                self.target.id,
                folders.folders,
                title=release.title if release is not None else "",
            )
        )

    @work(exclusive=True, group="wanted", exit_on_error=False)
    async def fetch_wanted(self, *, whole: bool = False) -> None:
        """Read whether the signed-in user wants this release (background priority).

        Discogs has no read of one want: opening a page reads only the wantlist's first
        page (one request); a longer wantlist is walked only when ``whole`` (the want key
        asks for it), so browsing never spends the budget on a long wantlist.
        """
        from discogs_tui.screens.collection.want_form import find_want

        username = self.discogs_app.username
        if not username or self.target.id is None:
            return
        release_id = self.target.id
        try:
            with self.client.background():
                if whole:
                    want = await find_want(self.client, username, release_id)
                    known = True
                else:
                    first = await self.client.get_wantlist(username, per_page=100)
                    want = next(
                        (w for w in first.items if (w.basic_information.id or w.id) == release_id),
                        None,
                    )
                    known = want is not None or first.pagination.pages <= 1
        except DiscogsError:
            return  # a side fact, like the rating
        if username == self.discogs_app.username and known:
            self.wanted = want if want is not None else False
            self._show_your_rating()

    def action_wantlist(self) -> None:
        """Add this release to the wantlist, or (when wanted) ask to remove it."""
        from discogs_tui.screens.collection.want_form import AddWantForm, RemoveWantForm

        username = self.discogs_app.username
        if not username:
            self.notify(
                "The wantlist needs a Discogs sign-in: start with --token or set DISCOGS_TOKEN "
                "(discogs.com → Settings → Developers).",
                title="Sign-in needed",
                severity="warning",
                markup=False,
            )
            return
        assert self.target.id is not None
        if self.wanted is None:
            # Adding over a want not yet read would replace its notes and rating.
            self.notify("Reading your wantlist: try again in a moment.", markup=False)
            self.fetch_wanted(whole=True)
            return
        release: Release | None = self.model
        title = release.title if release is not None else ""
        if self.wanted:
            self.app.push_screen(
                RemoveWantForm(self.client, username, self.target.id, title=title),
                self._unwanted,
            )
        else:
            self.app.push_screen(
                AddWantForm(self.client, username, self.target.id, title=title), self._wanted
            )

    def _wanted(self, result: Want | None) -> None:
        if result is not None:
            self.wanted = result
            self._show_your_rating()

    def _unwanted(self, result: bool | None) -> None:
        if result:
            self.wanted = False
            self._show_your_rating()
