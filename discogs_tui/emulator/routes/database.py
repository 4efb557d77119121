"""Database endpoints: releases, masters and versions, artists, labels, search.

Documents come from the read-only :class:`~discogs_tui.emulator.dataset.Dataset`; what
changes with use (marketplace counts, a user's collection and wantlist flags) comes from
the state when it offers it. The rating and stats routes of releases live elsewhere.
"""

from __future__ import annotations

from typing import Any, Protocol, TypeVar, runtime_checkable

from discogs_tui.emulator.core import (
    DEFAULT_PER_PAGE,
    MAX_PER_PAGE,
    Context,
    EmuResponse,
    HTTPError,
    Router,
)
from discogs_tui.emulator.vocab import CURRENCIES, convert_price

router = Router()

MSG_RELEASE = "Release not found."
MSG_MASTER = "Master Release not found."
MSG_ARTIST = "Artist not found."
MSG_LABEL = "Label not found."

T = TypeVar("T")


def found(document: T | None, message: str) -> T:
    """``document``; 404 with ``message`` when the dataset has none."""
    if document is None:
        raise HTTPError(404, message)
    return document


@runtime_checkable
class MarketplaceFigures(Protocol):
    """A state that can say what is for sale (the emulator's :class:`State` can)."""

    def marketplace_summary(self, release_id: int) -> tuple[float | None, int]:
        """(lowest For Sale price in USD or ``None``, copies for sale)."""
        ...


@runtime_checkable
class UserFlags(Protocol):
    """A state that can say what is in a user's collection and wantlist."""

    def in_collection(self, username: str, release_id: int) -> bool:
        """True when ``username`` owns a copy of the release."""
        ...

    def in_wantlist(self, username: str, release_id: int) -> bool:
        """True when the release is in ``username``'s wantlist."""
        ...


def _market(ctx: Context, release_id: int) -> tuple[float | None, int] | None:
    """(lowest price in USD, copies for sale) from the state, or ``None`` when it cannot say."""
    # The database routes need only the dataset; their tests pass a state without figures.
    if not isinstance(ctx.state, MarketplaceFigures):
        return None
    low, count = ctx.state.marketplace_summary(release_id)
    return (float(low) if low is not None else None, int(count))


@router.route("GET", "/releases/{release_id:int}")
def get_release(ctx: Context, release_id: int) -> dict[str, Any]:
    """A release; ``lowest_price``/``num_for_sale`` from the marketplace, in ``curr_abbr``."""
    release = found(ctx.dataset.release(release_id), MSG_RELEASE)
    doc = dict(release)
    market = _market(ctx, release_id)
    if market is not None:
        low, count = market
        currency = (ctx.request.param("curr_abbr") or "USD").upper()
        if low is not None and currency in CURRENCIES and currency != "USD":
            low = convert_price(low, "USD", currency)
        doc["lowest_price"] = low
        doc["num_for_sale"] = count
    return doc


@router.route("GET", "/masters/{master_id:int}")
def get_master(ctx: Context, master_id: int) -> dict[str, Any]:
    """A master release, with marketplace figures over its versions when the state has them."""
    master = found(ctx.dataset.master(master_id), MSG_MASTER)
    doc = dict(master)
    lows: list[float] = []
    total = 0
    versions = ctx.dataset.master_versions(master_id) or []
    for version in versions:
        market = _market(ctx, version["id"])
        if market is None:
            return doc
        low, count = market
        total += count
        if low is not None:
            lows.append(low)
    doc["lowest_price"] = min(lows) if lows else None
    doc["num_for_sale"] = total
    return doc


@router.route("GET", "/masters/{master_id:int}/versions")
def get_master_versions(ctx: Context, master_id: int) -> EmuResponse:
    """A master's versions: filters ``format, label, released, country``; sorts; paginated."""
    applied = {
        name: value
        for name in ("format", "label", "released", "country")
        if (value := ctx.request.param(name))
    }
    versions = found(
        ctx.dataset.master_versions(
            master_id,
            filters=applied,
            sort=ctx.request.param("sort"),
            sort_order=ctx.request.param("sort_order"),
        ),
        MSG_MASTER,
    )
    filters, facets = ctx.dataset.version_filters(master_id, applied)
    return ctx.paginate(versions, "versions", extra={"filters": filters, "filter_facets": facets})


@router.route("GET", "/artists/{artist_id:int}")
def get_artist(ctx: Context, artist_id: int) -> dict[str, Any]:
    """An artist."""
    artist = found(ctx.dataset.artist(artist_id), MSG_ARTIST)
    return dict(artist)


@router.route("GET", "/artists/{artist_id:int}/releases")
def get_artist_releases(ctx: Context, artist_id: int) -> EmuResponse:
    """An artist's masters and releases, sorted by ``year``, ``title`` or ``format``."""
    releases = found(
        ctx.dataset.artist_releases(
            artist_id, sort=ctx.request.param("sort"), sort_order=ctx.request.param("sort_order")
        ),
        MSG_ARTIST,
    )
    return ctx.paginate(releases, "releases")


@router.route("GET", "/labels/{label_id:int}")
def get_label(ctx: Context, label_id: int) -> dict[str, Any]:
    """A label."""
    label = found(ctx.dataset.label(label_id), MSG_LABEL)
    return dict(label)


@router.route("GET", "/labels/{label_id:int}/releases")
def get_label_releases(ctx: Context, label_id: int) -> EmuResponse:
    """The releases a label (or a company) appears on."""
    releases = found(ctx.dataset.label_releases(label_id), MSG_LABEL)
    return ctx.paginate(releases, "releases")


SEARCH_PARAMS = (
    "q",
    "type",
    "title",
    "release_title",
    "credit",
    "artist",
    "anv",
    "label",
    "genre",
    "style",
    "country",
    "year",
    "format",
    "catno",
    "barcode",
    "track",
    "submitter",
    "contributor",
)


@router.route("GET", "/database/search")
def search(ctx: Context) -> EmuResponse:
    """Database search (any credentials); ``user_data`` reflects the signed-in user."""
    ctx.require_auth()
    params = {name: value for name in SEARCH_PARAMS if (value := ctx.request.param(name))}
    results = ctx.dataset.search(params)
    state = ctx.state
    me = ctx.identity
    if me is not None and isinstance(state, UserFlags):
        # Only the rows of the page being sent need the signed-in user's flags.
        per_page = max(1, min(MAX_PER_PAGE, ctx.int_param("per_page", DEFAULT_PER_PAGE)))
        page = max(1, ctx.int_param("page", 1))
        for result in results[(page - 1) * per_page : page * per_page]:
            if result.get("type") != "release":
                continue
            release_id = int(result["id"])
            flags = result["user_data"]
            flags["in_wantlist"] = state.in_wantlist(me, release_id)
            flags["in_collection"] = state.in_collection(me, release_id)
    return ctx.paginate(results, "results")
