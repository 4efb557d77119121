"""Marketplace endpoints: inventory, listings, orders, messages, fee, price suggestions, stats,
and inventory export/upload (ENDPOINTS.md §3 and §4).

Non-owners see only For Sale listings; the owner sees every status and private fields.
Only For Sale, Draft and Expired listings can be edited; a listing's status can be set to
For Sale or Draft only. An order's status may only move to one of its ``next_status``;
setting the shipping invoices the buyer (status Invoice Sent), so never both at once.
"""

from __future__ import annotations

import csv
import email.parser
import email.policy
import io
import math
from collections.abc import Callable
from datetime import datetime
from typing import Any

from discogs_tui.emulator.core import (
    BASE,
    MSG_FORBIDDEN,
    MSG_NOT_FOUND,
    Context,
    EmuResponse,
    HTTPError,
    Router,
)
from discogs_tui.emulator.messages import chat_message
from discogs_tui.emulator.records import JobRecord, ListingRecord, OrderRecord, UserRecord
from discogs_tui.emulator.routes.users import (
    Mapped,
    get_user,
    parse_bool,
    release_sort_value,
    require_release,
    sort_order,
    user_short,
)
from discogs_tui.emulator.vocab import (
    CONDITION_FACTORS,
    CURRENCIES,
    EDITABLE_LISTING_STATUSES,
    LISTING_STATUSES,
    MEDIA_CONDITIONS,
    ORDER_FILTER_STATUSES,
    ORDER_STATUSES,
    SELLING_FEE_RATE,
    SLEEVE_CONDITIONS,
    convert_price,
    format_money,
    next_statuses,
    parse_time,
    reference_price,
    timestamp,
)

router = Router()

MSG_INVALID_INVENTORY_STATUS = (
    "Invalid status: expected one of All, Deleted, Draft, Expired, For Sale, Sold, "
    "Suspended, Violation."
)
MSG_NOT_EDITABLE = "Only listings with status For Sale, Draft or Expired can be edited."
MSG_SHIPPING_AND_STATUS = "You cannot set the shipping and the order status in the same request."
MSG_SHIPPING_LOCKED = (
    "The shipping cannot be changed once an order is cancelled, paid (Payment Received) or Shipped."
)
_PUBLIC_SORTS = ("listed", "price", "item", "artist", "label", "catno", "audio")
_OWNER_SORTS = (*_PUBLIC_SORTS, "status", "location")
_ORDER_SORTS = ("id", "buyer", "created", "status", "last_activity")


def _money(currency: str, value: float) -> dict[str, Any]:
    return {"currency": currency, "value": round(value, 2)}


def _original(currency: str, value: float) -> dict[str, Any]:
    return {
        "curr_abbr": currency,
        "curr_id": CURRENCIES.index(currency) + 1 if currency in CURRENCIES else 0,
        "formatted": format_money(value, currency),
        "value": round(value, 2),
    }


def _currency_param(ctx: Context, default: str) -> str:
    currency = ctx.request.param("curr_abbr") or default
    if currency not in CURRENCIES:
        raise HTTPError(422, f"Invalid curr_abbr: expected one of {', '.join(CURRENCIES)}.")
    return currency


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
        "price": _money(shown, price),
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
        doc["shipping_price"] = _money(shown, convert_price(shipping, listing.currency, shown))
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


def _release_cache(ctx: Context) -> Callable[[int], dict[str, Any]]:
    cache: dict[int, dict[str, Any]] = {}

    def get(release_id: int) -> dict[str, Any]:
        found = cache.get(release_id)
        if found is None:
            found = cache[release_id] = ctx.dataset.listing_release(release_id)
        return found

    return get


# ----- inventory -------------------------------------------------------------------------------


@router.route("GET", "/users/{username}/inventory")
def inventory(ctx: Context, username: str) -> EmuResponse:
    """A seller's listings: For Sale only for others, every status for the owner."""
    user = get_user(ctx, username)
    owner = ctx.is_owner(username)
    status = ctx.request.param("status")
    if status is not None and status not in LISTING_STATUSES:
        raise HTTPError(422, MSG_INVALID_INVENTORY_STATUS)
    listings = ctx.state.inventory(user.username)
    if not owner:
        listings = [x for x in listings if x.status == "For Sale"]
    if status not in (None, "All"):
        listings = [x for x in listings if x.status == status]
    release = _release_cache(ctx)
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
        basic: dict[int, dict[str, Any]] = {}

        def by_release(x: ListingRecord) -> Any:
            if x.release_id not in basic:
                basic[x.release_id] = ctx.dataset.basic_information(x.release_id)
            return release_sort_value(basic[x.release_id], key)

        return by_release
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
    currency = _currency_param(ctx, listing.currency)
    return listing_document(ctx, listing, full=True, currency=currency)


def _price(raw: str | None) -> float:
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
        if condition not in MEDIA_CONDITIONS:
            raise HTTPError(
                422, f"Invalid condition: expected one of {', '.join(MEDIA_CONDITIONS)}."
            )
        changes["condition"] = condition
    sleeve = param("sleeve_condition")
    if sleeve is not None:
        if sleeve not in SLEEVE_CONDITIONS:
            raise HTTPError(
                422, f"Invalid sleeve_condition: expected one of {', '.join(SLEEVE_CONDITIONS)}."
            )
        changes["sleeve_condition"] = sleeve
    raw_price = param("price")
    if raw_price is not None or creating:
        changes["price"] = _price(raw_price)
    status = param("status")
    if status is not None:
        if status not in ("For Sale", "Draft"):
            raise HTTPError(422, "Invalid status: expected one of For Sale, Draft.")
        changes["status"] = status
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


@router.route("POST", "/marketplace/listings")
def create_listing(ctx: Context) -> EmuResponse:
    """List a release for sale in the caller's inventory (201 ``{listing_id, resource_url}``)."""
    me = ctx.require_user()
    seller = get_user(ctx, me)
    listing = ListingRecord(
        id=0,
        seller=seller.username,
        release_id=0,
        status="For Sale",
        price=0.0,
        currency=seller.curr_abbr,
        condition="",
        sleeve_condition="Not Graded",
        posted=ctx.state.now(),
    )
    _apply_listing_params(ctx, listing, creating=True)
    listing.id = ctx.state.next_id("listing")
    ctx.state.listings[listing.id] = listing
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


# ----- orders ----------------------------------------------------------------------------------


def _order_totals(order: OrderRecord) -> tuple[float, float]:
    items = sum(float(item["price"]) for item in order.items)
    return items, items + order.shipping


def order_document(ctx: Context, order: OrderRecord) -> dict[str, Any]:
    """An order as the API shows it to its seller."""
    items_total, total = _order_totals(order)
    items = []
    for item in order.items:
        info = ctx.dataset.listing_release(item["release_id"])
        items.append(
            {
                "release": {
                    "id": item["release_id"],
                    "description": info.get("description", ""),
                    "resource_url": f"{BASE}/releases/{item['release_id']}",
                    "thumbnail": info.get("thumbnail", ""),
                },
                "price": _money(order.currency, float(item["price"])),
                "media_condition": item["media_condition"],
                "sleeve_condition": item["sleeve_condition"],
                "id": item["id"],
            }
        )
    return {
        "id": order.id,
        "resource_url": f"{BASE}/marketplace/orders/{order.id}",
        "messages_url": f"{BASE}/marketplace/orders/{order.id}/messages",
        "uri": f"{BASE}/sell/order/{order.id}",
        "status": order.status,
        "next_status": next_statuses(order.status),
        "fee": _money(order.currency, items_total * SELLING_FEE_RATE),
        "created": order.created,
        "items": items,
        "shipping": {
            "currency": order.currency,
            "method": order.shipping_method,
            "value": round(order.shipping, 2),
        },
        "shipping_address": order.shipping_address,
        "additional_instructions": order.additional_instructions,
        "archived": order.archived,
        "seller": user_short(ctx, order.seller),
        "last_activity": order.last_activity,
        "buyer": user_short(ctx, order.buyer),
        "total": _money(order.currency, total),
    }


def _order(ctx: Context, order_id: str, *, seller_only: bool) -> OrderRecord:
    """The order; 401 anonymous, 404 unknown, 403 unless the caller is its seller (or buyer)."""
    me = ctx.require_user()
    order: OrderRecord | None = ctx.state.orders.get(order_id)
    if order is None:
        raise HTTPError(404, MSG_NOT_FOUND)
    allowed = {order.seller.lower()} if seller_only else {order.seller.lower(), order.buyer.lower()}
    if me.lower() not in allowed:
        raise HTTPError(403, MSG_FORBIDDEN)
    return order


def _order_number(order_id: str) -> tuple[int, int]:
    left, _, right = order_id.partition("-")
    return (int(left) if left.isdigit() else 0, int(right) if right.isdigit() else 0)


@router.route("GET", "/marketplace/orders")
def list_orders(ctx: Context) -> EmuResponse:
    """The caller's orders as a seller, filtered and sorted."""
    me = ctx.require_user()
    orders = [o for o in ctx.state.orders.values() if o.seller.lower() == me.lower()]
    status = ctx.request.param("status")
    if status is not None:
        if status not in ORDER_FILTER_STATUSES:
            raise HTTPError(
                422, f"Invalid status: expected one of {', '.join(ORDER_FILTER_STATUSES)}."
            )
        if status == "Cancelled":
            orders = [o for o in orders if o.status.startswith("Cancelled")]
        elif status != "All":
            orders = [o for o in orders if o.status == status]
    archived = ctx.request.param("archived")
    if archived is not None:
        wanted = parse_bool(archived, name="archived")
        orders = [o for o in orders if o.archived == wanted]
    for name in ("created_after", "created_before"):
        raw = ctx.request.param(name)
        if raw is None:
            continue
        edge = parse_time(raw)
        if edge is None:
            raise HTTPError(422, f"Invalid {name}: expected an ISO 8601 date and time.")
        after = name == "created_after"
        orders = [o for o in orders if (_when(o.created) >= edge) == after]
    key = ctx.request.param("sort")
    reverse = sort_order(ctx)
    sort_keys: dict[str, Callable[[OrderRecord], Any]] = {
        "id": lambda o: _order_number(o.id),
        "buyer": lambda o: o.buyer.lower(),
        "created": lambda o: _when(o.created),
        "status": lambda o: o.status,
        "last_activity": lambda o: _when(o.last_activity),
    }
    orders.sort(key=sort_keys.get(key or "id", sort_keys["id"]), reverse=reverse)
    return ctx.paginate(Mapped(orders, lambda o: order_document(ctx, o)), "orders")


def _when(text: str) -> datetime:
    parsed = parse_time(text)
    assert parsed is not None, text
    return parsed


@router.route("GET", "/marketplace/orders/{order_id}")
def get_order(ctx: Context, order_id: str) -> dict[str, Any]:
    """One order (seller or buyer)."""
    return order_document(ctx, _order(ctx, order_id, seller_only=False))


def _check_next_status(order: OrderRecord, status: str) -> None:
    allowed = next_statuses(order.status)
    if status not in ORDER_STATUSES or status not in allowed:
        choices = ", ".join(allowed) if allowed else "none (the order is closed)"
        raise HTTPError(
            422, f"Invalid status: from {order.status} the order can move to {choices}."
        )


def _change_status(ctx: Context, order: OrderRecord, status: str, note: str = "") -> None:
    """Move the order to ``status`` and message the buyer, as Discogs does."""
    text = f"Seller changed status from {order.status} to {status}"
    if note:
        text = f"{text}\n\n{note}"
    order.status = status
    order.archived = order.archived or status.startswith("Cancelled")
    moment = ctx.state.clock()
    seller: UserRecord = ctx.state.user(order.seller)
    order.messages.append(chat_message(order, seller, text, moment))
    order.last_activity = timestamp(moment)


@router.route("POST", "/marketplace/orders/{order_id}")
def edit_order(ctx: Context, order_id: str) -> dict[str, Any]:
    """Change an order's status (one of ``next_status``) or its shipping (invoices the buyer)."""
    order = _order(ctx, order_id, seller_only=True)
    status = ctx.request.param("status")
    raw_shipping = ctx.request.param("shipping")
    if status is not None and raw_shipping is not None:
        raise HTTPError(422, MSG_SHIPPING_AND_STATUS)
    if status is not None:
        _check_next_status(order, status)
        _change_status(ctx, order, status)
    elif raw_shipping is not None:
        try:
            shipping = float(raw_shipping)
        except ValueError:
            shipping = math.nan
        if not math.isfinite(shipping) or shipping < 0:
            raise HTTPError(422, "Invalid shipping: expected a number of at least 0.")
        if order.status.startswith("Cancelled") or order.status in (
            "Payment Received",
            "Shipped",
        ):
            raise HTTPError(422, MSG_SHIPPING_LOCKED)
        moment = ctx.state.clock()
        order.messages.append(
            {
                "timestamp": timestamp(moment),
                "original": order.shipping,
                "new": round(shipping, 2),
                "message": f"{order.seller} set the shipping price to "
                f"{format_money(shipping, order.currency)}.",
                "type": "shipping",
                "order": {"resource_url": f"{BASE}/marketplace/orders/{order.id}", "id": order.id},
                "subject": "",
            }
        )
        order.shipping = round(shipping, 2)
        if order.status != "Invoice Sent":
            _change_status(ctx, order, "Invoice Sent")
        order.last_activity = timestamp(moment)
    return order_document(ctx, order)


@router.route("GET", "/marketplace/orders/{order_id}/messages")
def order_messages(ctx: Context, order_id: str) -> EmuResponse:
    """An order's messages, most recent first."""
    order = _order(ctx, order_id, seller_only=False)
    return ctx.paginate(list(reversed(order.messages)), "messages")


@router.route("POST", "/marketplace/orders/{order_id}/messages")
def post_order_message(ctx: Context, order_id: str) -> EmuResponse:
    """Message the buyer and/or change the status (the change is prepended to the text)."""
    order = _order(ctx, order_id, seller_only=False)
    text = ctx.request.param("message")
    status = ctx.request.param("status")
    if not text and not status:
        raise HTTPError(422, "Invalid message: send a message, a status, or both.")
    if status:
        if ctx.identity is None or ctx.identity.lower() != order.seller.lower():
            raise HTTPError(403, MSG_FORBIDDEN)
        _check_next_status(order, status)
        _change_status(ctx, order, status, text or "")
        message = dict(order.messages[-1])
    else:
        sender: UserRecord = ctx.state.user(ctx.identity or "")
        moment = ctx.state.clock()
        message = chat_message(order, sender, text or "", moment)
        order.messages.append(message)
        order.last_activity = timestamp(moment)
    first = order.items[0]["release_id"] if order.items else None
    title = ctx.dataset.listing_release(first).get("title", "") if first else ""
    message["subject"] = f"Discogs Order #{order.id}, {title}" if title else message["subject"]
    order.messages[-1] = message
    return EmuResponse.json(message, 201)


# ----- fee, suggestions, stats -----------------------------------------------------------------


def _fee(price: float, currency: str) -> dict[str, Any]:
    if currency not in CURRENCIES:
        raise HTTPError(422, f"Invalid currency: expected one of {', '.join(CURRENCIES)}.")
    if price < 0:
        raise HTTPError(422, "Invalid price: expected a number of at least 0.")
    return {"value": round(price * SELLING_FEE_RATE, 2), "currency": currency}


@router.route("GET", "/marketplace/fee/{price:float}")
def fee(ctx: Context, price: float) -> dict[str, Any]:
    """The selling fee for a price in USD."""
    return _fee(price, "USD")


@router.route("GET", "/marketplace/fee/{price:float}/{currency}")
def fee_in_currency(ctx: Context, price: float, currency: str) -> dict[str, Any]:
    """The selling fee for a price in ``currency``."""
    return _fee(price, currency)


@router.route("GET", "/marketplace/price_suggestions/{release_id:int}")
def price_suggestions(ctx: Context, release_id: int) -> dict[str, Any]:
    """A suggested price per media grade, in the caller's currency."""
    me = ctx.require_user()
    require_release(ctx, release_id)
    currency = get_user(ctx, me).curr_abbr
    mint = reference_price(release_id)
    return {
        grade: _money(currency, convert_price(mint * factor, "USD", currency))
        for grade, factor in CONDITION_FACTORS.items()
    }


@router.route("GET", "/marketplace/stats/{release_id:int}")
def marketplace_stats(ctx: Context, release_id: int) -> dict[str, Any]:
    """Lowest price and number for sale (both null when nothing is for sale)."""
    require_release(ctx, release_id)
    me: UserRecord | None = ctx.state.user(ctx.identity) if ctx.identity else None
    currency = _currency_param(ctx, me.curr_abbr if me else "USD")
    low, count = ctx.state.marketplace_summary(release_id)
    return {
        "lowest_price": None
        if low is None
        else _money(currency, convert_price(low, "USD", currency)),
        "num_for_sale": count or None,
        "blocked_from_sale": False,
    }


# ----- inventory export and upload -------------------------------------------------------------

EXPORT_COLUMNS = (
    "listing_id",
    "artist",
    "title",
    "label",
    "catno",
    "format",
    "release_id",
    "status",
    "price",
    "listed",
    "comments",
    "media_condition",
    "sleeve_condition",
    "accept_offer",
    "external_id",
    "weight",
    "format_quantity",
    "location",
)


def _job_time(moment: datetime) -> str:
    """Export and upload times are written without an offset (``2018-09-27T12:50:39``)."""
    return timestamp(moment)[:19]


def _export_document(job: JobRecord) -> dict[str, Any]:
    return {
        "status": job.status,
        "created_ts": job.created_ts,
        "url": f"{BASE}/inventory/export/{job.id}",
        "finished_ts": job.finished_ts,
        "download_url": f"{BASE}/inventory/export/{job.id}/download",
        "filename": job.filename,
        "id": job.id,
    }


def _upload_document(job: JobRecord) -> dict[str, Any]:
    return {
        "status": job.status,
        "results": job.results,
        "created_ts": job.created_ts,
        "finished_ts": job.finished_ts,
        "filename": job.filename,
        "type": job.kind,
        "id": job.id,
    }


def _my_jobs(ctx: Context, me: str, *, export: bool) -> list[JobRecord]:
    jobs = [
        j
        for j in ctx.state.jobs.values()
        if j.username.lower() == me.lower() and (j.kind == "export") == export
    ]
    return sorted(jobs, key=lambda j: j.id, reverse=True)


def _job(ctx: Context, job_id: int, *, export: bool) -> JobRecord:
    me = ctx.require_user()
    job: JobRecord | None = ctx.state.jobs.get(job_id)
    if job is None or job.username.lower() != me.lower() or (job.kind == "export") != export:
        raise HTTPError(404, MSG_NOT_FOUND)
    return job


def _export_csv(ctx: Context, username: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    release = _release_cache(ctx)
    for x in ctx.state.inventory(username):
        info = ctx.dataset.basic_information(x.release_id)
        formats = info.get("formats") or [{}]
        labels = info.get("labels") or [{}]
        writer.writerow(
            (
                x.id,
                release(x.release_id).get("artist") or release_sort_value(info, "artist"),
                info.get("title", ""),
                labels[0].get("name", ""),
                labels[0].get("catno", ""),
                formats[0].get("name", ""),
                x.release_id,
                x.status,
                f"{x.price:.2f}",
                x.posted,
                x.comments,
                x.condition,
                x.sleeve_condition,
                "Y" if x.allow_offers else "N",
                x.external_id,
                x.weight,
                x.format_quantity,
                x.location,
            )
        )
    return out.getvalue()


@router.route("POST", "/inventory/export")
def request_export(ctx: Context) -> EmuResponse:
    """Export the caller's inventory as CSV (finished at once)."""
    me = ctx.require_user()
    user = get_user(ctx, me)
    moment = ctx.state.clock()
    job = JobRecord(
        id=ctx.state.next_id("job"),
        username=user.username,
        kind="export",
        status="success",
        created_ts=_job_time(moment),
        finished_ts=_job_time(moment),
        filename=f"{user.username}-inventory-{timestamp(moment)[:16].replace('-', '').replace('T', '-').replace(':', '')}.csv",
        csv=_export_csv(ctx, user.username),
    )
    ctx.state.jobs[job.id] = job
    return EmuResponse.json(
        _export_document(job), 200, {"Location": f"{BASE}/inventory/export/{job.id}"}
    )


@router.route("GET", "/inventory/export")
def list_exports(ctx: Context) -> EmuResponse:
    """The caller's recent exports, newest first."""
    me = ctx.require_user()
    return ctx.paginate([_export_document(j) for j in _my_jobs(ctx, me, export=True)], "items")


@router.route("GET", "/inventory/export/{export_id:int}")
def get_export(ctx: Context, export_id: int) -> dict[str, Any]:
    """One export's status."""
    return _export_document(_job(ctx, export_id, export=True))


@router.route("GET", "/inventory/export/{export_id:int}/download")
def download_export(ctx: Context, export_id: int) -> EmuResponse:
    """The export's CSV file."""
    job = _job(ctx, export_id, export=True)
    response = EmuResponse.text(job.csv, 200, "text/csv")
    response.headers["Content-Disposition"] = f"attachment; filename={job.filename}"
    return response


def uploaded_csv(ctx: Context) -> tuple[str, str]:
    """The ``upload`` file of a multipart body (or a bare CSV body): (filename, text)."""
    request = ctx.request
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + request.body
        )
        for part in message.iter_parts():
            if part.get_param("name", header="content-disposition") == "upload":
                payload = part.get_payload(decode=True)
                name = part.get_filename() or "upload.csv"
                if isinstance(payload, bytes):
                    return name, payload.decode("utf-8-sig", "replace")
    elif "csv" in content_type or content_type.startswith("text/"):
        return "upload.csv", request.body.decode("utf-8-sig", "replace")
    raise HTTPError(422, "Invalid upload: send the CSV file as the multipart field 'upload'.")


def _row_listing_fields(row: dict[str, str], *, required: tuple[str, ...]) -> dict[str, Any]:
    """The listing fields of one CSV row, validated; raises ValueError with the reason."""
    out: dict[str, Any] = {}
    for name in required:
        if not (row.get(name) or "").strip():
            raise ValueError(f"missing {name}")
    if (row.get("price") or "").strip():
        try:
            out["price"] = _price(row["price"])
        except HTTPError as error:
            raise ValueError(error.message) from None
    if (row.get("media_condition") or "").strip():
        if row["media_condition"] not in MEDIA_CONDITIONS:
            raise ValueError(f"invalid media_condition {row['media_condition']!r}")
        out["condition"] = row["media_condition"]
    if (row.get("sleeve_condition") or "").strip():
        if row["sleeve_condition"] not in SLEEVE_CONDITIONS:
            raise ValueError(f"invalid sleeve_condition {row['sleeve_condition']!r}")
        out["sleeve_condition"] = row["sleeve_condition"]
    offer = (row.get("accept_offer") or "").strip().upper()
    if offer:
        if offer not in ("Y", "N"):
            raise ValueError("accept_offer must be Y or N")
        out["allow_offers"] = offer == "Y"
    for name in ("comments", "location", "external_id"):
        if row.get(name) is not None and name in row and row[name] != "":
            out[name] = row[name]
    for name, low in (("weight", 0), ("format_quantity", 1)):
        raw = (row.get(name) or "").strip()
        if raw:
            if not raw.isdigit() or int(raw) < low:
                raise ValueError(f"{name} must be an integer of at least {low}")
            out[name] = int(raw)
    return out


def _apply_upload(
    ctx: Context, user: UserRecord, kind: str, rows: list[dict[str, str]]
) -> list[str]:
    """Apply each row; the errors, one line per rejected row."""
    errors: list[str] = []
    state = ctx.state
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        try:
            if kind == "delete":
                raw = (row.get("listing_id") or "").strip()
                if not raw.isdigit():
                    raise ValueError("listing_id must be a number")
                listing = state.listings.get(int(raw))
                if listing is None or listing.seller.lower() != user.username.lower():
                    raise ValueError(f"listing {raw} is not in your inventory")
                del state.listings[listing.id]
                continue
            raw_release = (row.get("release_id") or "").strip()
            if not raw_release.isdigit():
                raise ValueError("release_id must be a number")
            release_id = int(raw_release)
            if kind == "add":
                fields = _row_listing_fields(row, required=("price", "media_condition"))
                if ctx.dataset.release(release_id) is None:
                    raise ValueError(f"release {release_id} does not exist")
                listing = ListingRecord(
                    id=state.next_id("listing"),
                    seller=user.username,
                    release_id=release_id,
                    status="For Sale",
                    price=0.0,
                    currency=user.curr_abbr,
                    condition="",
                    sleeve_condition="Not Graded",
                    posted=state.now(),
                )
                for name, value in fields.items():
                    setattr(listing, name, value)
                state.listings[listing.id] = listing
                continue
            fields = _row_listing_fields(row, required=())
            if not fields:
                raise ValueError("a change needs at least one field besides release_id")
            raw_listing = (row.get("listing_id") or "").strip()
            targets = [
                x
                for x in state.inventory(user.username)
                if x.release_id == release_id
                and x.status in EDITABLE_LISTING_STATUSES
                and (not raw_listing or str(x.id) == raw_listing)
            ]
            if not targets:
                raise ValueError(f"no editable listing of release {release_id} in your inventory")
            for listing in targets:
                for name, value in fields.items():
                    setattr(listing, name, value)
        except ValueError as error:
            errors.append(f"Row {number}: {str(error).rstrip('.')}.")
    state.listings_changed()
    return errors


_UPLOAD_REQUIRED = {
    "add": ("release_id", "price", "media_condition"),
    "change": ("release_id",),
    "delete": ("listing_id",),
}


def _upload(ctx: Context, kind: str) -> EmuResponse:
    me = ctx.require_user()
    user = get_user(ctx, me)
    filename, text = uploaded_csv(ctx)
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    reader.fieldnames = header
    missing = [name for name in _UPLOAD_REQUIRED[kind] if name not in header]
    rows = [] if missing else list(reader)
    if missing:
        status, results = "failed", f"Missing required column: {', '.join(missing)}."
    else:
        errors = _apply_upload(ctx, user, kind, rows)
        done = len(rows) - len(errors)
        results = f"CSV file contains {len(rows)} records.<p>Processed {done} records."
        if errors:
            results += "<p>" + "<p>".join(errors)
        status = "success" if not errors else ("failed" if done == 0 else "success with errors")
    moment = ctx.state.clock()
    job = JobRecord(
        id=ctx.state.next_id("job"),
        username=user.username,
        kind=kind,
        status=status,
        created_ts=_job_time(moment),
        finished_ts=_job_time(moment),
        filename=filename,
        results=results,
    )
    ctx.state.jobs[job.id] = job
    return EmuResponse.json(
        _upload_document(job), 200, {"Location": f"{BASE}/inventory/upload/{job.id}"}
    )


@router.route("POST", "/inventory/upload/add")
def upload_add(ctx: Context) -> EmuResponse:
    """Add listings from a CSV (they go For Sale at once)."""
    return _upload(ctx, "add")


@router.route("POST", "/inventory/upload/change")
def upload_change(ctx: Context) -> EmuResponse:
    """Change listings from a CSV (by ``release_id``, or ``listing_id`` when given)."""
    return _upload(ctx, "change")


@router.route("POST", "/inventory/upload/delete")
def upload_delete(ctx: Context) -> EmuResponse:
    """Delete listings named by ``listing_id`` in a CSV."""
    return _upload(ctx, "delete")


@router.route("GET", "/inventory/upload")
def list_uploads(ctx: Context) -> EmuResponse:
    """The caller's recent uploads, newest first."""
    me = ctx.require_user()
    return ctx.paginate([_upload_document(j) for j in _my_jobs(ctx, me, export=False)], "items")


@router.route("GET", "/inventory/upload/{upload_id:int}")
def get_upload(ctx: Context, upload_id: int) -> dict[str, Any]:
    """One upload's status and results."""
    return _upload_document(_job(ctx, upload_id, export=False))
