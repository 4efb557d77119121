"""The base of every page: the shared chrome (header, rate gauge, footer) around a body."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast
from urllib.parse import quote

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen
from textual.worker import Worker

from discogs_tui.models import FetchInfo
from discogs_tui.navigation import Target

if TYPE_CHECKING:
    from discogs_tui.api.client import DiscogsClient
    from discogs_tui.shell import PaletteCommand, Shell

_API_COLLECTIONS = {
    "release": "releases",
    "master": "masters",
    "artist": "artists",
    "label": "labels",
}


def path_changed(path: str, changed: tuple[str, ...]) -> bool:
    """True when the data at API ``path`` is under one of the ``changed`` prefixes.

    A prefix ending in ``?`` names that one path with any query (``/users/demo?``);
    any other prefix covers itself and every path below it (``/releases/3`` covers
    ``/releases/3/rating/demo`` but not ``/releases/30``).
    """
    bare = path.split("?", 1)[0]
    for prefix in changed:
        if prefix.endswith("?"):
            if bare == prefix[:-1]:
                return True
        elif bare == prefix or bare.startswith(prefix.rstrip("/") + "/") or prefix == "/":
            return True
    return False


class PageScreen(Screen[None]):
    """A page of the app. Subclasses implement :meth:`compose_body` and :meth:`load`.

    The app pushes one ``PageScreen`` per visited :class:`Target`; ``escape`` pops it, and
    the previous page comes back as it was (its widgets, cursor and data are kept).
    """

    BINDINGS: ClassVar[list[BindingType]] = []

    def __init__(self, target: Target) -> None:
        super().__init__()
        self.target = target
        self.fetch_info: FetchInfo | None = None
        """Where the data shown came from (set by subclasses when data arrives)."""
        self.stale = False
        """A write changed what this page shows while it was not on top: it reloads on return."""

    @property
    def discogs_app(self) -> Shell:
        """The app, as pages use it."""
        return cast("Shell", self.app)

    @property
    def client(self) -> DiscogsClient:
        """The Discogs client of the app."""
        return self.discogs_app.client

    def compose(self) -> ComposeResult:
        yield from self.discogs_app.compose_chrome_top()
        yield from self.compose_body()
        yield from self.discogs_app.compose_chrome_bottom()

    def compose_body(self) -> ComposeResult:
        """The page's own widgets."""
        yield from ()

    def on_mount(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        # Back on top (new, or returned to with back): the gauge shows this page's fetch.
        self.discogs_app.refresh_gauge()
        if self.stale:
            self.stale = False
            self.load()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Report the error of any of this page's workers that failed without handling it."""
        self.discogs_app.report_worker_failure(event.worker)

    def report_error(self, error: BaseException) -> None:
        """Tell the user ``error`` happened while loading this page (a 404 closes the page)."""
        self.discogs_app.show_error(error, where=self.target.describe(), page=self)

    def load(self) -> None:
        """Start the workers that fetch this page's data."""

    def api_paths(self) -> tuple[str, ...]:
        """The API paths whose data this page shows (``("/releases/3",)``), without queries."""
        collection = _API_COLLECTIONS.get(self.target.kind)
        if collection is not None and self.target.id is not None:
            return (f"/{collection}/{self.target.id}",)
        if self.target.kind == "user" and self.target.name:
            return (f"/users/{quote(self.target.name, safe='')}",)
        return ()

    def shows_data(self, changed: tuple[str, ...]) -> bool:
        """True when a write that changed the path prefixes ``changed`` changed this page's data."""
        return any(path_changed(path, changed) for path in self.api_paths())

    def data_changed(self, *, now: bool) -> None:
        """What this page shows was changed by a write: read it again ``now``, or on return."""
        if now:
            self.stale = False
            self.load()
        else:
            self.stale = True

    def palette_commands(self) -> list[PaletteCommand]:
        """The palette entries this page adds (ctrl+p), shown only while it is the page."""
        return []

    def key_display(self, binding_id: str) -> str:
        """How the key of this page's ``binding_id`` is shown (the user's keymap applied)."""
        keys = [
            self.app.get_key_display(active.binding)
            for active in self.active_bindings.values()
            if active.binding.id == binding_id
        ]
        return keys[0] if keys else self.discogs_app.key_display(binding_id)

    def shows(self, target: Target) -> bool:
        """True when this page already shows ``target`` (opening it adds no history)."""
        return self.target == target

    def restore_fields(self) -> None:
        """Escape left this page's fields for its results: make the fields say what those are."""

    def web_url(self) -> str | None:
        """The discogs.com address of what is shown (``y`` copies it, ``o`` opens it)."""
        return self.target.web_url()

    def set_fetch_info(self, info: FetchInfo | None) -> None:
        """Record where the shown data came from, so the gauge can say ``cached 3h``."""
        self.fetch_info = info
        self.discogs_app.refresh_gauge()

    def navigate(self, target: Target) -> None:
        """Open ``target`` as a new page."""
        self.discogs_app.navigate(target)
