"""Order endpoints: orders, their status and shipping, and their messages
(https://www.discogs.com/developers/#page:marketplace,header:marketplace-order).

An order's status may only move to one of its ``next_status``; setting the shipping
invoices the buyer (status Invoice Sent), so never both at once.
"""

from __future__ import annotations

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
from discogs_tui.emulator.messages import chat_message, order_ref
from discogs_tui.emulator.records import OrderRecord
from discogs_tui.emulator.routes.helpers import (
    Mapped,
    get_user,
    money,
    parse_bool,
    require_choice,
    sort_order,
    user_short,
)
from discogs_tui.emulator.vocab import (
    ORDER_FILTER_STATUSES,
    ORDER_STATUSES,
    SELLING_FEE_RATE,
    format_money,
    next_statuses,
    parse_time,
    timestamp,
)

router = Router()

MSG_SHIPPING_AND_STATUS = "You cannot set the shipping and the order status in the same request."
MSG_SHIPPING_LOCKED = (
    "The shipping cannot be changed once an order is cancelled, paid (Payment Received) or Shipped."
)


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
                "price": money(order.currency, float(item["price"])),
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
        "fee": money(order.currency, items_total * SELLING_FEE_RATE),
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
        "total": money(order.currency, total),
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
        require_choice(status, "status", ORDER_FILTER_STATUSES)
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
    seller = get_user(ctx, order.seller)
    text = f"Seller changed status from {order.status} to {status}"
    if note:
        text = f"{text}\n\n{note}"
    order.status = status
    order.archived = order.archived or status.startswith("Cancelled")
    moment = ctx.state.clock()
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
                "order": order_ref(order),
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
        sender = get_user(ctx, ctx.require_user())
        moment = ctx.state.clock()
        message = chat_message(order, sender, text or "", moment)
        order.messages.append(message)
        order.last_activity = timestamp(moment)
    first = order.items[0]["release_id"] if order.items else None
    title = ctx.dataset.listing_release(first).get("title", "") if first else ""
    message["subject"] = f"Discogs Order #{order.id}, {title}" if title else message["subject"]
    order.messages[-1] = message
    return EmuResponse.json(message, 201)
