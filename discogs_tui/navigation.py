"""Where the user can go: a :class:`Target` names a page; the app turns it into a screen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

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
    "listing",
    "order",
]

WEB_ROOT = "https://www.discogs.com"


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
        if self.kind in ("release", "master", "artist", "label") and self.id is not None:
            return f"{WEB_ROOT}/{self.kind}/{self.id}"
        if self.kind == "search":
            from urllib.parse import urlencode

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
