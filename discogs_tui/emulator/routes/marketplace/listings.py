"""Inventory and listing endpoints (https://www.discogs.com/developers/#page:marketplace).

Non-owners see only For Sale listings; the owner sees every status and private fields.
Only For Sale, Draft and Expired listings can be edited; a listing's status can be set to
For Sale or Draft only.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from discogs_tui.emulator.core import BASE, MSG_NOT_FOUND, Context, EmuResponse, HTTPError, Router
from discogs_tui.emulator.records import ListingRecord, UserRecord
from discogs_tui.emulator.routes.helpers import (
    Mapped,
    currency_param,
    get_user,
    memoised,
    money,
    parse_bool,
    release_sort_value,
    require_choice,
    sort_order,
    user_short,
)
from discogs_tui.emulator.vocab import (
    CURRENCIES,
    EDITABLE_LISTING_STATUSES,
    LISTING_STATUSES,
    MEDIA_CONDITIONS,
    SLEEVE_CONDITIONS,
    convert_price,
    format_money,
)

router = Router()

MSG_NOT_EDITABLE = "Only listings with status For Sale, Draft or Expired can be edited."
_PUBLIC_SORTS = ("listed", "price", "item", "artist", "label", "catno", "audio")
_OWNER_SORTS = (*_PUBLIC_SORTS, "status", "location")


def _original(currency: str, value: float) -> dict[str, Any]:
    return {
        "curr_abbr": currency,
        "curr_id": CURRENCIES.index(currency) + 1 if currency in CURRENCIES else 0,
        "formatted": format_money(value, currency),
        "value": round(value, 2),
    }


def _seller_document(ctx: Context, username: str, *, full: bool) -> dict[str, Any]:
    doc = user_short(ctx, username)
    user: UserRecord | None = ctx.state.user(username)
    doc["avatar_url"] = f"{BASE}/images/avatars/{user.id if user else 0}.png"
    if full and user is not None:
        doc["url"] = doc["resource_url"]
        doc["html_url"] = f"{BASE}/user/{user.username}"
        doc["shipping"] = "Ships worldwide; combined shipping on request."
        doc["payment"] = "PayPal"
        doc["stats"] = {
            "rating": f"{user.seller_rating:g}",
            "stars": round(user.seller_rating / 20, 1),
            "total": user.seller_num_ratings,
        }
    return doc


def listing_document(
    ctx: Context,
    listing: ListingRecord,
    *,
    full: bool,
    currency: str | None = None,
    release: Callable[[int], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A listing as the API shows it; ``full`` adds the single-listing extras."""
    shown = currency or listing.currency
    price = convert_price(listing.price, listing.currency, shown)
    get_release = release or ctx.dataset.listing_release
    seller: UserRecord | None = ctx.state.user(listing.seller)
    doc: dict[str, Any] = {
        "id": listing.id,
        "resource_url": f"{BASE}/marketplace/listings/{listing.id}",
        "uri": f"{BASE}/sell/item/{listing.id}",
        "status": listing.status,
        "price": money(shown, price),
        "allow_offers": listing.allow_offers,
        "condition": listing.condition,
        "sleeve_condition": listing.sleeve_condition,
        "posted": listing.posted,
        "ships_from": seller.ships_from if seller else "",
        "comments": listing.comments,
        "seller": _seller_document(ctx, listing.seller, full=full),
        "release": get_release(listing.release_id),
        "audio": listing.audio,
    }
    if full:
        shipping = convert_price(4.0, "USD", listing.currency)
        doc["original_price"] = _original(listing.currency, listing.price)
        doc["shipping_price"] = money(shown, convert_price(shipping, listing.currency, shown))
        doc["original_shipping_price"] = _original(listing.currency, shipping)
    if ctx.identity is not None:
        doc["in_cart"] = False
    if ctx.is_owner(listing.seller):
        doc["weight"] = listing.weight
        doc["format_quantity"] = listing.format_quantity
        doc["external_id"] = listing.external_id
        doc["location"] = listing.location
        doc["quantity"] = 1
    return doc


# ----- inventory -------------------------------------------------------------------------------


@router.route("GET", "/users/{username}/inventory")
def inventory(ctx: Context, username: str) -> EmuResponse:
    """A seller's listings: For Sale only for others, every status for the owner."""
    user = get_user(ctx, username)
    owner = ctx.is_owner(username)
    status = ctx.request.param("status")
    if status is not None:
        require_choice(status, "status", LISTING_STATUSES)
    listings = ctx.state.inventory(user.username)
    if not owner:
        listings = [x for x in listings if x.status == "For Sale"]
    if status not in (None, "All"):
        listings = [x for x in listings if x.status == status]
    release = memoised(ctx.dataset.listing_release)
    key = ctx.request.param("sort") or ""
    allowed = _OWNER_SORTS if owner else _PUBLIC_SORTS
    if key in allowed:
        reverse = sort_order(ctx)
    else:
        key, reverse = "listed", sort_order(ctx, default="desc")
    listings = sorted(listings, key=_inventory_sort_key(ctx, key, release), reverse=reverse)
    return ctx.paginate(
        Mapped(listings, lambda x: listing_document(ctx, x, full=False, release=release)),
        "listings",
    )


def _inventory_sort_key(
    ctx: Context, key: str, release: Callable[[int], dict[str, Any]]
) -> Callable[[ListingRecord], Any]:
    if key == "price":
        return lambda x: convert_price(x.price, x.currency, "USD")
    if key == "item":
        return lambda x: str(release(x.release_id).get("description") or "").lower()
    if key == "audio":
        return lambda x: x.audio
    if key == "status":
        return lambda x: x.status
    if key == "location":
        return lambda x: x.location.lower()
    if key == "catno":
        return lambda x: str(release(x.release_id).get("catalog_number") or "").lower()
    if key in ("artist", "label"):
        basic = memoised(ctx.dataset.basic_information)
        return lambda x: release_sort_value(basic(x.release_id), key)
    return lambda x: x.posted


# ----- listings --------------------------------------------------------------------------------


def _listing(ctx: Context, listing_id: int) -> ListingRecord:
    listing: ListingRecord | None = ctx.state.listings.get(listing_id)
    if listing is None:
        raise HTTPError(404, MSG_NOT_FOUND)
    return listing


@router.route("GET", "/marketplace/listings/{listing_id:int}")
def get_listing(ctx: Context, listing_id: int) -> dict[str, Any]:
    """One listing; other people's listings only while For Sale or Sold."""
    listing = _listing(ctx, listing_id)
    if not ctx.is_owner(listing.seller) and listing.status not in ("For Sale", "Sold"):
        raise HTTPError(404, MSG_NOT_FOUND)
    currency = currency_param(ctx, listing.currency)
    return listing_document(ctx, listing, full=True, currency=currency)


def listing_price(raw: str | None) -> float:
    """A listing's price: a positive number rounded to cents; 422 otherwise."""
    try:
        value = float(raw) if raw is not None else math.nan
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise HTTPError(422, "Invalid price: expected a number.")
    if value <= 0:
        raise HTTPError(422, "Invalid price: expected a positive number.")
    return round(value, 2)


def _count(raw: str, name: str, *, low: int, auto: int) -> int:
    if raw.strip().lower() == "auto":
        return auto
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if value < low:
        raise HTTPError(422, f'Invalid {name}: expected an integer of at least {low} or "auto".')
    return value


def _apply_listing_params(ctx: Context, listing: ListingRecord, *, creating: bool) -> None:
    """Validate every listing parameter sent, then apply them (nothing changes on a 422)."""
    param = ctx.request.param
    changes: dict[str, Any] = {}
    raw_release = param("release_id")
    if raw_release is not None or creating:
        try:
            release_id = int(raw_release or "")
        except ValueError:
            raise HTTPError(422, "Invalid release_id: expected an integer.") from None
        if ctx.dataset.release(release_id) is None:
            raise HTTPError(422, f"Invalid release_id: release {release_id} does not exist.")
        changes["release_id"] = release_id
    condition = param("condition")
    if condition is not None or creating:
        changes["condition"] = require_choice(condition, "condition", MEDIA_CONDITIONS)
    sleeve = param("sleeve_condition")
    if sleeve is not None:
        changes["sleeve_condition"] = require_choice(sleeve, "sleeve_condition", SLEEVE_CONDITIONS)
    raw_price = param("price")
    if raw_price is not None or creating:
        changes["price"] = listing_price(raw_price)
    status = param("status")
    if status is not None:
        changes["status"] = require_choice(status, "status", ("For Sale", "Draft"))
    if param("allow_offers") is not None:
        changes["allow_offers"] = parse_bool(param("allow_offers"), name="allow_offers")
    for name in ("comments", "external_id", "location"):
        value = param(name)
        if value is not None:
            changes[name] = value
    quantity = param("format_quantity")
    if quantity is not None:
        changes["format_quantity"] = _count(quantity, "format_quantity", low=1, auto=1)
    weight = param("weight")
    if weight is not None:
        qty = changes.get("format_quantity", listing.format_quantity)
        changes["weight"] = _count(weight, "weight", low=0, auto=230 * qty)
    for name, value in changes.items():
        setattr(listing, name, value)


def new_listing(ctx: Context, seller: UserRecord, release_id: int = 0) -> ListingRecord:
    """A For Sale listing by ``seller`` in their currency, not yet in the inventory (id 0)."""
    return ListingRecord(
        id=0,
        seller=seller.username,
        release_id=release_id,
        status="For Sale",
        price=0.0,
        currency=seller.curr_abbr,
        condition="",
        sleeve_condition="Not Graded",
        posted=ctx.state.now(),
    )


def add_listing(ctx: Context, listing: ListingRecord) -> None:
    """Give ``listing`` a fresh id and put it in its seller's inventory."""
    listing.id = ctx.state.next_id("listing")
    ctx.state.listings[listing.id] = listing


@router.route("POST", "/marketplace/listings")
def create_listing(ctx: Context) -> EmuResponse:
    """List a release for sale in the caller's inventory (201 ``{listing_id, resource_url}``)."""
    me = ctx.require_user()
    listing = new_listing(ctx, get_user(ctx, me))
    _apply_listing_params(ctx, listing, creating=True)
    add_listing(ctx, listing)
    ctx.state.listings_changed()
    body = {
        "listing_id": listing.id,
        "resource_url": f"{BASE}/marketplace/listings/{listing.id}",
    }
    return EmuResponse.json(body, 201)


@router.route("POST", "/marketplace/listings/{listing_id:int}")
def edit_listing(ctx: Context, listing_id: int) -> None:
    """Edit a For Sale, Draft or Expired listing (204)."""
    listing = _listing(ctx, listing_id)
    ctx.require_owner(listing.seller)
    if listing.status not in EDITABLE_LISTING_STATUSES:
        raise HTTPError(422, MSG_NOT_EDITABLE)
    _apply_listing_params(ctx, listing, creating=False)
    ctx.state.listings_changed()


@router.route("DELETE", "/marketplace/listings/{listing_id:int}")
def delete_listing(ctx: Context, listing_id: int) -> None:
    """Remove a listing from the inventory (204)."""
    listing = _listing(ctx, listing_id)
    ctx.require_owner(listing.seller)
    del ctx.state.listings[listing_id]
    ctx.state.listings_changed()
