"""Where the user can go: a :class:`Target` names a page; the app turns it into a screen.

:data:`PAGE_KINDS` declares every kind of page once: its ``:`` command and argument, its
help line, its palette entry, and whether its page is still to come. The command line,
completion, help, the palette, navigation and :meth:`Target.web_url` all read it; the
screen of each kind is in :data:`discogs_tui.screens.PAGES`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlencode

Kind = Literal[
    "home",
    "search",
    "release",
    "master",
    "artist",
    "label",
    "collection",
    "wantlist",
    "inventory",
    "orders",
    "user",
]

WEB_ROOT = "https://www.discogs.com"

Argument = Literal["id", "query", "name", "optional name"]
"""What a ``:`` command takes after its name: a whole number id, search text, a user name,
or a user name that defaults to the signed-in user."""


@dataclass(frozen=True)
class PageKind:
    """One kind of page, as the command line, help, the palette and navigation know it."""

    name: Kind
    """The ``:`` command, also :attr:`Target.kind`."""
    argument: Argument
    help: str
    """The help line: the command with its argument, then a few words."""
    palette_help: str | None = None
    """For a kind opened by id: the help of its palette entry ``Open NAME by id``."""
    later: str | None = None
    """For a kind whose page comes in a later version: the words its notice starts with."""

    @property
    def offered(self) -> bool:
        """True when this version has the page: help, completion and errors name it."""
        return self.later is None


PAGE_KINDS: tuple[PageKind, ...] = (
    PageKind("search", "query", "search TEXT      search the database"),
    PageKind(
        "release",
        "id",
        "release ID       open a release",
        palette_help="Type a release id (:release ID)",
    ),
    PageKind(
        "master",
        "id",
        "master ID        open a master release",
        palette_help="Type a master release id (:master ID)",
    ),
    PageKind(
        "artist",
        "id",
        "artist ID        open an artist",
        palette_help="Type an artist id (:artist ID)",
    ),
    PageKind(
        "label", "id", "label ID         open a label", palette_help="Type a label id (:label ID)"
    ),
    PageKind(
        "collection", "optional name", "collection       your collection", later="Your collection"
    ),
    PageKind("wantlist", "optional name", "wantlist         your wantlist", later="Your wantlist"),
    PageKind(
        "inventory",
        "optional name",
        "inventory        your marketplace inventory",
        later="Your inventory",
    ),
    PageKind(
        "orders", "optional name", "orders           your marketplace orders", later="Your orders"
    ),
    PageKind("user", "name", "user NAME        a user's profile", later="User pages"),
)
"""Every kind of page that has a ``:`` command, in the order help lists them."""


def page_kind(name: str) -> PageKind | None:
    """The kind of page called ``name``, or None (``home`` has no command)."""
    return next((kind for kind in PAGE_KINDS if kind.name == name), None)


@dataclass(frozen=True)
class Target:
    """A page: its kind, plus the id (database pages), query (search) or name (user pages)."""

    kind: Kind
    id: int | None = None
    query: str | None = None
    name: str | None = None
    search_type: str | None = None
    """For a search: ``release``, ``master``, ``artist`` or ``label``; all types when unset."""

    def web_url(self) -> str | None:
        """The discogs.com address of this page, for copying or opening in a browser."""
        kind = page_kind(self.kind)
        if kind is not None and kind.argument == "id" and self.id is not None:
            return f"{WEB_ROOT}/{self.kind}/{self.id}"
        if self.kind == "search":
            return f"{WEB_ROOT}/search/?{urlencode({'q': self.query or '', 'type': self.search_type or 'all'})}"
        if self.kind == "user" and self.name:
            return f"{WEB_ROOT}/user/{self.name}"
        return None

    def describe(self) -> str:
        """Short words for this page, e.g. ``release 1`` or ``search "persuader"``."""
        if self.id is not None:
            return f"{self.kind} {self.id}"
        if self.query:
            return f'{self.kind} "{self.query}"'
        if self.name is not None:
            return f"{self.kind} {self.name}"
        return self.kind
