"""Walking a whole collection folder, and what it will cost before it starts.

``load_all`` reads every page of a folder at 100 items a page (the most Discogs serves) as
background work, so pages the user is waiting for go first. It reports progress through a
plain callback and stops after the request in flight when its ``cancel`` event is set; it
never prints. ``estimate`` turns a number of items and the rate governor's budget into
requests and seconds, in words for a progress line. Paging and sort keys follow
https://www.discogs.com/developers/#page:user-collection,header:user-collection-collection-items-by-folder
and https://www.discogs.com/developers/#page:home,header:home-rate-limiting
"""

from __future__ import annotations

import asyncio
import math
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from discogs_tui.api.client import DiscogsClient
from discogs_tui.api.errors import AuthError, ForbiddenError
from discogs_tui.api.ratelimit import RateState
from discogs_tui.models.collection import CollectionItem, CollectionValue, CustomField, Folder

__all__ = [
    "ALL_FOLDER",
    "PER_PAGE",
    "SORT_KEYS",
    "SORT_ORDERS",
    "CollectionOverview",
    "Estimate",
    "LoadProgress",
    "LoadResult",
    "estimate",
    "load_all",
    "load_overview",
    "private_collection_message",
]

ALL_FOLDER = 0
"""Folder 0, "All": every instance of the collection (the only folder others may see)."""
PER_PAGE = 100
"""Items per page when walking: the most Discogs serves."""
SORT_KEYS = ("added", "artist", "title", "year", "rating", "format", "catno", "label")
"""The ``sort`` values Discogs accepts for a folder's items."""
SORT_ORDERS = ("asc", "desc")
"""The ``sort_order`` values."""
WINDOW_SECONDS = 60.0
"""Discogs counts requests over a moving minute."""
ROUND_TRIP_SECONDS = 0.5
"""A typical time for one page of 100 items to come back from Discogs, for estimates."""


@dataclass(frozen=True)
class Estimate:
    """What walking some pages costs: ``requests`` to send and about ``seconds`` to wait.

    ``str()`` reads ``20 requests, about 10 s at 60/min``.
    """

    requests: int
    seconds: float
    limit: int

    def __str__(self) -> str:
        noun = "request" if self.requests == 1 else "requests"
        return f"{self.requests} {noun}, about {_duration(self.seconds)} at {self.limit}/min"


def _duration(seconds: float) -> str:
    """``3 s``, ``80 s``, ``2 min``, ``1 h 5 min``: seconds rounded up (never ``0 s``), then
    minutes to the nearest."""
    whole = max(1, math.ceil(seconds))
    if whole < 90:
        return f"{whole} s"
    minutes = int(whole / 60 + 0.5)
    if minutes < 90:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def pages_for(total_items: int, per_page: int = PER_PAGE) -> int:
    """Pages needed for ``total_items`` at ``per_page`` a page (at least one: an empty folder
    still answers one page)."""
    if per_page < 1:
        raise ValueError(f"per_page must be at least 1, not {per_page!r}")
    return max(1, math.ceil(max(0, total_items) / per_page))


def estimate(
    total_items: int,
    rate: RateState,
    *,
    per_page: int = PER_PAGE,
    cached_pages: int = 0,
    extra_requests: int = 0,
    window: float = WINDOW_SECONDS,
    round_trip: float = ROUND_TRIP_SECONDS,
) -> Estimate:
    """Requests and seconds to read ``total_items`` at ``per_page`` a page, one after another.

    ``cached_pages`` are pages the cache answers (no request); ``extra_requests`` are other
    reads the task makes (folders, fields). Each request takes ``round_trip`` seconds and may
    go only while fewer than ``rate.limit`` were sent in the last ``window`` seconds, as the
    governor rules. What is left of the current window is ``rate.remaining``; the requests
    already counted in it (whose send times the budget does not tell) are taken to leave it
    evenly over the next ``window``.
    """
    requests = max(0, pages_for(total_items, per_page) - max(0, cached_pages)) + extra_requests
    limit = max(1, rate.limit)
    counted = min(limit, max(0, limit - max(0, rate.remaining)))
    leaving: deque[float] = deque(window * (k + 1) / counted for k in range(counted))
    now = 0.0
    for _ in range(requests):
        while leaving and leaving[0] <= now:
            leaving.popleft()
        if len(leaving) >= limit:
            now = leaving.popleft()
        leaving.append(now + window)
        now += round_trip
    return Estimate(requests=requests, seconds=now, limit=limit)


@dataclass(frozen=True)
class LoadProgress:
    """Where a walk is: ``loaded`` of ``total`` items, ``requests`` sent so far.

    ``total`` is ``None`` until the first page has told it.
    """

    loaded: int
    total: int | None
    requests: int
    pages: int
    """Pages read so far (from the network or the cache)."""


@dataclass
class LoadResult:
    """The items of a folder, in the order asked for, and how the walk went."""

    username: str
    folder_id: int
    sort: str | None
    sort_order: str | None
    items: list[CollectionItem] = field(default_factory=list)
    total: int = 0
    """Items the folder held by the first page's count."""
    requests: int = 0
    """HTTP requests sent during the walk (pages the cache answered cost none)."""
    pages: int = 0
    dropped: int = 0
    """Rows Discogs sent that could not be read."""
    cancelled: bool = False

    @property
    def complete(self) -> bool:
        """True when the walk reached the last page (not cancelled)."""
        return not self.cancelled and self.pages > 0


ProgressCallback = Callable[[LoadProgress], None]
ItemsCallback = Callable[[Sequence[CollectionItem]], None]


async def load_all(
    client: DiscogsClient,
    username: str,
    folder_id: int = ALL_FOLDER,
    *,
    sort: str | None = None,
    sort_order: str | None = None,
    per_page: int = PER_PAGE,
    on_progress: ProgressCallback | None = None,
    on_items: ItemsCallback | None = None,
    cancel: asyncio.Event | None = None,
) -> LoadResult:
    """Every item of ``username``'s folder ``folder_id``, page by page, as background work.

    ``sort`` is one of :data:`SORT_KEYS`, ``sort_order`` ``asc`` or ``desc``; a bad one raises
    :class:`ValueError` before any request. After each page, on the event loop, ``on_items``
    hears the page's items not seen before (for a table that fills as pages come) and then
    ``on_progress`` how far the walk is. When ``cancel`` is set the walk stops once the request in flight has come back
    and returns what it has with ``cancelled`` true; cancelling the task itself stops at once.
    An instance seen twice (the collection changed between pages) is kept once. Raises the
    client's errors: :class:`ForbiddenError` or :class:`AuthError` for a collection that is
    not public (see :func:`private_collection_message`).
    https://www.discogs.com/developers/#page:user-collection,header:user-collection-collection-items-by-folder
    """
    if sort is not None and sort not in SORT_KEYS:
        raise ValueError(f"sort must be one of {', '.join(SORT_KEYS)}, not {sort!r}")
    if sort_order is not None and sort_order not in SORT_ORDERS:
        raise ValueError(f"sort_order must be asc or desc, not {sort_order!r}")
    result = LoadResult(username, folder_id, sort, sort_order)
    seen: set[tuple[int | None, int | None]] = set()
    started = client.requests_sent
    number = 1
    with client.background():
        while True:
            if cancel is not None and cancel.is_set():
                result.cancelled = True
                break
            page = await client.get_collection_items_by_folder(
                username,
                folder_id,
                page=number,
                per_page=per_page,
                sort=sort,
                sort_order=sort_order,
            )
            result.pages += 1
            if number == 1:
                result.total = page.pagination.items
            result.dropped += page.dropped
            fresh = len(result.items)
            for item in page.items:
                key = (item.instance_id, item.id) if item.instance_id is not None else None
                if key is not None:
                    if key in seen:
                        continue
                    seen.add(key)
                result.items.append(item)
            result.requests = client.requests_sent - started
            if on_items is not None:
                on_items(result.items[fresh:])
            if on_progress is not None:
                on_progress(
                    LoadProgress(len(result.items), result.total, result.requests, result.pages)
                )
            last = page.pagination.pages
            if number >= last or not (page.items or page.dropped):
                break
            number += 1
            # A turn for the rest of the app (and a cancel) even when pages come instantly.
            await asyncio.sleep(0)
    result.requests = client.requests_sent - started
    return result


def private_collection_message(username: str, signed_in_as: str | None) -> str:
    """Why ``username``'s collection cannot be read, in plain words."""
    if signed_in_as is None:
        return (
            f"The collection of {username} is not public, or needs sign-in: "
            "add a personal access token (--token or DISCOGS_TOKEN) to read your own."
        )
    return (
        f"The collection of {username} is private: Discogs shows a collection only to its "
        f"owner unless it is public (you are signed in as {signed_in_as})."
    )


@dataclass(frozen=True)
class CollectionOverview:
    """A collection's folders, custom fields and value, as the collection page shows them."""

    username: str
    folders: list[Folder]
    fields: list[CustomField]
    value: CollectionValue | None
    """``None`` when Discogs shows the value to the owner only and we are not the owner."""

    def folder_names(self) -> dict[int, str]:
        """Folder names by id (only folder 0 for another user's collection)."""
        return {f.id: f.name for f in self.folders if f.id is not None}

    def count(self, folder_id: int) -> int | None:
        """Items in folder ``folder_id`` by the folder list, or ``None`` if not listed."""
        return next((f.count for f in self.folders if f.id == folder_id), None)


async def load_overview(
    client: DiscogsClient, username: str, *, with_value: bool = True
) -> CollectionOverview:
    """Folders, custom fields and (for the owner) the value of ``username``'s collection.

    Three reads (two without ``with_value``). The value is owner-only: a refusal leaves it
    ``None``; a refusal of the folders raises :class:`ForbiddenError` or :class:`AuthError`.
    https://www.discogs.com/developers/#page:user-collection,header:user-collection-collection-value
    """
    folders = await client.get_collection_folders(username)
    fields = await client.get_custom_fields(username)
    value: CollectionValue | None = None
    if with_value:
        try:
            value = await client.get_collection_value(username)
        except (ForbiddenError, AuthError):
            value = None
    ordered = sorted(fields.fields, key=lambda f: (f.position is None, f.position or 0))
    return CollectionOverview(username, list(folders.folders), ordered, value)
