"""Emulator marketplace routes: inventory, listings, orders, messages, fee, suggestions, stats,
inventory export and upload. Handlers are driven through a Router and a Context.
"""

from __future__ import annotations

from typing import Any

import pytest
from emulator_calls import caller, fixed_state

from discogs_tui.emulator.core import (
    MSG_FORBIDDEN,
    MSG_NOT_FOUND,
    Router,
)
from discogs_tui.emulator.dataset import Dataset
from discogs_tui.emulator.routes import marketplace
from discogs_tui.emulator.state import State
from discogs_tui.emulator.vocab import MEDIA_CONDITIONS

MSG_BAD_STATUS = (
    "Invalid status: expected one of All, Deleted, Draft, Expired, For Sale, Sold, "
    "Suspended, Violation."
)
ROUTER = Router()
ROUTER.include(marketplace.router)


@pytest.fixture
def state(dataset: Dataset) -> State:
    return fixed_state(dataset)


@pytest.fixture
def call(state: State, dataset: Dataset) -> Any:
    return caller(ROUTER, dataset, state)


def _all(call: Any, path: str, key: str, **kwargs: Any) -> list[dict[str, Any]]:
    """Every item of a paginated resource."""
    out: list[dict[str, Any]] = []
    page = 1
    while True:
        query = kwargs.pop("query", "")
        reply = call("GET", path, query=f"{query}&per_page=100&page={page}".lstrip("&"), **kwargs)
        kwargs["query"] = query
        assert reply.status == 200, reply.body
        out.extend(reply.body[key])
        if page >= reply.body["pagination"]["pages"]:
            return out
        page += 1


# ----- inventory ---------------------------------------------------------------------------------


def test_inventory_visibility(call: Any) -> None:
    mine = _all(call, "/users/demo/inventory", "listings")
    assert {x["status"] for x in mine} == {"For Sale", "Draft", "Expired", "Sold"}
    assert {"weight", "format_quantity", "external_id", "location", "quantity"} <= set(mine[0])
    theirs = _all(call, "/users/demo/inventory", "listings", who=None)
    assert {x["status"] for x in theirs} == {"For Sale"}
    assert len(theirs) == sum(1 for x in mine if x["status"] == "For Sale")
    assert "location" not in theirs[0] and "in_cart" not in theirs[0]
    assert (
        call("GET", "/users/demo/inventory", who="seller2").body["listings"][0]["in_cart"] is False
    )
    drafts = call("GET", "/users/demo/inventory", query="status=Draft").body["listings"]
    assert drafts and {x["status"] for x in drafts} == {"Draft"}
    assert (
        call("GET", "/users/demo/inventory", who=None, query="status=Draft").body["listings"] == []
    )
    bad = call("GET", "/users/demo/inventory", query="status=Gone")
    assert (bad.status, bad.body) == (422, {"message": MSG_BAD_STATUS})
    assert call("GET", "/users/nobody-here/inventory").status == 404


def test_inventory_listing_shape(call: Any) -> None:
    listing = call("GET", "/users/seller2/inventory", who=None).body["listings"][0]
    assert listing["price"]["currency"] == "EUR" and isinstance(listing["price"]["value"], float)
    assert listing["condition"] in MEDIA_CONDITIONS
    assert listing["seller"]["username"] == "seller2"
    assert set(listing["release"]) >= {"id", "description", "catalog_number", "thumbnail"}
    assert listing["resource_url"] == f"http://localhost/marketplace/listings/{listing['id']}"


@pytest.mark.parametrize("order", ["asc", "desc"])
def test_inventory_sorts(call: Any, order: str) -> None:
    prices = [
        x["price"]["value"]
        for x in call(
            "GET", "/users/demo/inventory", query=f"sort=price&sort_order={order}&per_page=100"
        ).body["listings"]
    ]
    assert prices == sorted(prices, reverse=order == "desc")
    statuses = [
        x["status"]
        for x in call("GET", "/users/demo/inventory", query="sort=status&per_page=100").body[
            "listings"
        ]
    ]
    assert statuses == sorted(statuses)
    items = [
        x["release"]["description"].lower()
        for x in call("GET", "/users/demo/inventory", query="sort=item&per_page=100").body[
            "listings"
        ]
    ]
    assert items == sorted(items)
    # Sorting by location is the owner's privilege: others get the default (newest first).
    posted = [
        x["posted"]
        for x in call("GET", "/users/demo/inventory", who=None, query="sort=location").body[
            "listings"
        ]
    ]
    assert posted == sorted(posted, reverse=True)


# ----- listings ----------------------------------------------------------------------------------


def test_get_listing(call: Any, state: State) -> None:
    listing = next(x for x in state.inventory("seller2") if x.status == "For Sale")
    reply = call("GET", f"/marketplace/listings/{listing.id}", who=None)
    assert reply.status == 200
    body = reply.body
    assert body["price"] == {"currency": "EUR", "value": listing.price}
    assert body["original_price"]["curr_abbr"] == "EUR"
    assert body["original_price"]["formatted"].startswith("€")
    assert body["seller"]["stats"]["total"] > 0
    assert "weight" not in body
    usd = call("GET", f"/marketplace/listings/{listing.id}", query="curr_abbr=USD").body
    assert usd["price"]["currency"] == "USD" and usd["price"]["value"] > listing.price
    assert call("GET", f"/marketplace/listings/{listing.id}", query="curr_abbr=XX").status == 422
    missing = call("GET", "/marketplace/listings/1")
    assert (missing.status, missing.body) == (404, {"message": MSG_NOT_FOUND})
    draft = next(x for x in state.inventory("demo") if x.status == "Draft")
    assert call("GET", f"/marketplace/listings/{draft.id}", who=None).status == 404
    mine = call("GET", f"/marketplace/listings/{draft.id}")
    assert mine.status == 200 and "external_id" in mine.body


def test_create_listing_then_read(call: Any) -> None:
    stats = call("GET", "/marketplace/stats/2", who=None).body
    created = call(
        "POST",
        "/marketplace/listings",
        data={
            "release_id": 2,
            "condition": "Very Good Plus (VG+)",
            "sleeve_condition": "Generic",
            "price": 0.25,
            "comments": "cheap",
            "allow_offers": True,
            "weight": "auto",
            "format_quantity": 2,
            "location": "Crate 9",
        },
    )
    assert created.status == 201
    listing_id = created.body["listing_id"]
    assert created.body["resource_url"] == f"http://localhost/marketplace/listings/{listing_id}"
    shown = call("GET", f"/marketplace/listings/{listing_id}").body
    assert (shown["status"], shown["comments"], shown["allow_offers"]) == (
        "For Sale",
        "cheap",
        True,
    )
    assert (shown["weight"], shown["format_quantity"], shown["location"]) == (460, 2, "Crate 9")
    after = call("GET", "/marketplace/stats/2", who=None).body
    assert after["lowest_price"] == {"currency": "USD", "value": 0.25}
    assert after["num_for_sale"] == (stats["num_for_sale"] or 0) + 1
    ids = {x["id"] for x in _all(call, "/users/demo/inventory", "listings")}
    assert listing_id in ids


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"condition": "Shiny"}, "Invalid condition"),
        ({"sleeve_condition": "Torn"}, "Invalid sleeve_condition"),
        ({"price": -1}, "Invalid price"),
        ({"price": "abc"}, "Invalid price"),
        ({"status": "Sold"}, "Invalid status"),
        ({"release_id": 999999999}, "Invalid release_id"),
        ({"allow_offers": "maybe"}, "Invalid allow_offers"),
        ({"weight": -5}, "Invalid weight"),
    ],
)
def test_create_listing_validation(call: Any, change: dict[str, Any], fragment: str) -> None:
    data = {"release_id": 1, "condition": "Mint (M)", "price": 10, **change}
    reply = call("POST", "/marketplace/listings", data=data)
    assert reply.status == 422 and reply.body["message"].startswith(fragment)


def test_create_listing_needs_user(call: Any) -> None:
    data = {"release_id": 1, "condition": "Mint (M)", "price": 10}
    assert call("POST", "/marketplace/listings", who=None, data=data).status == 401
    assert call("POST", "/marketplace/listings", data={"release_id": 1, "price": 3}).status == 422


def test_edit_listing_rules(call: Any, state: State) -> None:
    by_status = {x.status: x for x in state.inventory("demo")}
    for_sale = by_status["For Sale"]
    path = f"/marketplace/listings/{for_sale.id}"
    assert call("POST", path, data={"price": 99.5, "status": "Draft"}).status == 204
    shown = call("GET", path).body
    assert (shown["price"]["value"], shown["status"]) == (99.5, "Draft")
    assert call("GET", path, who=None).status == 404
    assert call("POST", path, data={"condition": "Bad"}).status == 422
    assert call("GET", path).body["condition"] == for_sale.condition
    sold = call("POST", f"/marketplace/listings/{by_status['Sold'].id}", data={"price": 1})
    assert sold.status == 422 and "For Sale, Draft or Expired" in sold.body["message"]
    expired = f"/marketplace/listings/{by_status['Expired'].id}"
    assert call("POST", expired, data={"status": "For Sale"}).status == 204
    assert call("GET", expired, who=None).body["status"] == "For Sale"
    other = call("POST", path, who="seller2", data={"price": 1})
    assert (other.status, other.body["message"]) == (403, MSG_FORBIDDEN)
    assert call("POST", path, who=None, data={"price": 1}).status == 401
    assert call("POST", "/marketplace/listings/1", data={"price": 1}).status == 404


def test_delete_listing(call: Any, state: State) -> None:
    listing = state.inventory("demo")[0]
    path = f"/marketplace/listings/{listing.id}"
    assert call("DELETE", path, who="seller2").status == 403
    assert call("DELETE", path).status == 204
    assert call("GET", path).status == 404
    assert call("DELETE", path).status == 404


# ----- orders ------------------------------------------------------------------------------------


def test_list_orders_filters_and_sorts(call: Any) -> None:
    orders = call("GET", "/marketplace/orders").body["orders"]
    assert len(orders) == 5 and all(o["seller"]["username"] == "demo" for o in orders)
    assert call("GET", "/marketplace/orders", who="seller2").body["orders"] == []
    assert call("GET", "/marketplace/orders", who=None).status == 401
    shipped = call("GET", "/marketplace/orders", query="status=Shipped").body["orders"]
    assert [o["status"] for o in shipped] == ["Shipped"]
    cancelled = call("GET", "/marketplace/orders", query="status=Cancelled").body["orders"]
    assert cancelled and all(o["status"].startswith("Cancelled") for o in cancelled)
    assert call("GET", "/marketplace/orders", query="status=Lost").status == 422
    archived = call("GET", "/marketplace/orders", query="archived=true").body["orders"]
    assert archived and all(o["archived"] for o in archived)
    created = sorted(o["created"] for o in orders)
    later = call("GET", "/marketplace/orders", query=f"created_after={created[2]}").body["orders"]
    assert len(later) == 3
    earlier = call("GET", "/marketplace/orders", query=f"created_before={created[2]}").body[
        "orders"
    ]
    assert len(earlier) == 2
    assert call("GET", "/marketplace/orders", query="created_after=yesterday").status == 422
    newest = call("GET", "/marketplace/orders", query="sort=created&sort_order=desc").body["orders"]
    assert [o["created"] for o in newest] == sorted(created, reverse=True)


def test_get_order(call: Any) -> None:
    order = call("GET", "/marketplace/orders/1000001-1").body
    assert order["id"] == "1000001-1" and order["status"] == "New Order"
    assert order["next_status"][0] == "New Order" and len(order["next_status"]) == 11
    assert order["items"][0]["price"]["currency"] == "USD"
    items_total = sum(i["price"]["value"] for i in order["items"])
    assert order["total"]["value"] == pytest.approx(items_total + order["shipping"]["value"])
    assert order["messages_url"].endswith("/marketplace/orders/1000001-1/messages")
    assert call("GET", "/marketplace/orders/1000001-1", who="seller2").status == 403
    assert call("GET", "/marketplace/orders/1000001-1", who=None).status == 401
    assert call("GET", "/marketplace/orders/9-9").status == 404


def test_edit_order_status(call: Any) -> None:
    reply = call("POST", "/marketplace/orders/1000001-1", data={"status": "Buyer Contacted"})
    assert reply.status == 200 and reply.body["status"] == "Buyer Contacted"
    messages = call("GET", "/marketplace/orders/1000001-1/messages").body["messages"]
    assert messages[0]["message"] == "Seller changed status from New Order to Buyer Contacted"
    assert call("POST", "/marketplace/orders/1000001-1", data={"status": "Lost"}).status == 422
    closed = call("POST", "/marketplace/orders/1000001-5", data={"status": "Shipped"})
    assert closed.status == 422 and "none" in closed.body["message"]
    shipped = call("POST", "/marketplace/orders/1000001-4", data={"status": "New Order"})
    assert shipped.status == 422
    both = call("POST", "/marketplace/orders/1000001-1", data={"status": "Shipped", "shipping": 3})
    assert both.status == 422 and "same request" in both.body["message"]
    assert call("POST", "/marketplace/orders/1000001-1", who="vinylfan", data={}).status == 403


def test_edit_order_shipping_invoices(call: Any) -> None:
    reply = call("POST", "/marketplace/orders/1000001-1", data={"shipping": 7.5})
    assert reply.status == 200
    assert (reply.body["status"], reply.body["shipping"]["value"]) == ("Invoice Sent", 7.5)
    items_total = sum(i["price"]["value"] for i in reply.body["items"])
    assert reply.body["total"]["value"] == pytest.approx(items_total + 7.5)
    kinds = [
        m["type"] for m in call("GET", "/marketplace/orders/1000001-1/messages").body["messages"]
    ]
    assert "shipping" in kinds[:2]
    assert call("POST", "/marketplace/orders/1000001-4", data={"shipping": 2}).status == 422
    assert call("POST", "/marketplace/orders/1000001-1", data={"shipping": -2}).status == 422


def test_order_messages(call: Any) -> None:
    path = "/marketplace/orders/1000001-2/messages"
    before = call("GET", path).body["pagination"]["items"]
    posted = call("POST", path, data={"message": "Shipping tomorrow."})
    assert posted.status == 201 and posted.body["message"] == "Shipping tomorrow."
    assert posted.body["from"]["username"] == "demo" and posted.body["order"]["id"] == "1000001-2"
    with_status = call(
        "POST", path, data={"message": "Paid, thanks!", "status": "Payment Received"}
    )
    assert with_status.status == 201
    assert with_status.body["message"] == (
        "Seller changed status from Invoice Sent to Payment Received\n\nPaid, thanks!"
    )
    assert call("GET", "/marketplace/orders/1000001-2").body["status"] == "Payment Received"
    listed = call("GET", path, query="per_page=1")
    assert listed.body["pagination"]["items"] == before + 2
    assert listed.body["messages"][0]["message"].endswith("Paid, thanks!")
    assert call("POST", path, data={}).status == 422
    buyer = call("GET", "/marketplace/orders/1000001-2").body["buyer"]["username"]
    from_buyer = call("POST", path, who=buyer, data={"message": "Great"})
    assert from_buyer.status == 201 and from_buyer.body["from"]["username"] == buyer
    assert call("POST", path, who=buyer, data={"status": "Shipped"}).status == 403
    assert call("GET", path, who="seller2").status == 403


# ----- fee, suggestions, stats -------------------------------------------------------------------


def test_fee(call: Any) -> None:
    assert call("GET", "/marketplace/fee/10", who=None).body == {"value": 0.9, "currency": "USD"}
    assert call("GET", "/marketplace/fee/10.50/EUR").body == {"value": 0.94, "currency": "EUR"}
    assert call("GET", "/marketplace/fee/10/XYZ").status == 422


def test_price_suggestions(call: Any) -> None:
    assert call("GET", "/marketplace/price_suggestions/1", who=None).status == 401
    suggestions = call("GET", "/marketplace/price_suggestions/1").body
    assert list(suggestions) == list(MEDIA_CONDITIONS)
    values = [v["value"] for v in suggestions.values()]
    assert values == sorted(values, reverse=True) and values[-1] > 0
    assert {v["currency"] for v in suggestions.values()} == {"USD"}
    euro = call("GET", "/marketplace/price_suggestions/1", who="seller2").body
    assert euro["Mint (M)"]["currency"] == "EUR"
    assert call("GET", "/marketplace/price_suggestions/999999999").status == 404


def test_stats(call: Any, state: State) -> None:
    unlisted = next(
        r for r in state.dataset.release_ids() if state.marketplace_summary(r) == (None, 0)
    )
    empty = call("GET", f"/marketplace/stats/{unlisted}", who=None).body
    assert empty == {"lowest_price": None, "num_for_sale": None, "blocked_from_sale": False}
    listed = call("GET", "/marketplace/stats/1", who=None).body
    assert listed["lowest_price"]["currency"] == "USD" and listed["num_for_sale"] >= 1
    assert (
        call("GET", "/marketplace/stats/1", who="seller2").body["lowest_price"]["currency"] == "EUR"
    )
    assert (
        call("GET", "/marketplace/stats/1", query="curr_abbr=GBP").body["lowest_price"]["currency"]
        == "GBP"
    )
    assert call("GET", "/marketplace/stats/999999999").status == 404


# ----- inventory export and upload ---------------------------------------------------------------


def test_inventory_export(call: Any, state: State) -> None:
    assert call("POST", "/inventory/export", who=None).status == 401
    made = call("POST", "/inventory/export")
    assert made.status == 200 and made.body["status"] == "success"
    export_id = made.body["id"]
    assert made.headers["Location"].endswith(f"/inventory/export/{export_id}")
    assert call("GET", "/inventory/export").body["items"][0]["id"] == export_id
    assert call("GET", f"/inventory/export/{export_id}").body["filename"].endswith(".csv")
    assert call("GET", f"/inventory/export/{export_id}", who="seller2").status == 404
    download = call("GET", f"/inventory/export/{export_id}/download")
    assert download.headers["Content-Type"].startswith("text/csv")
    lines = download.body.strip().split("\n")
    assert lines[0].startswith("listing_id,artist,title")
    assert len(lines) == 1 + len(state.inventory("demo"))


def _multipart(text: str, filename: str = "inventory.csv") -> tuple[bytes, str]:
    boundary = "XyZboundary42"
    body = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="upload"; filename="{filename}"\r\n'
        "Content-Type: text/csv\r\n\r\n"
        f"{text}\r\n"
        f"--{boundary}--\r\n"
    ).encode()
    return body, f"multipart/form-data; boundary={boundary}"


def test_upload_add_change_delete(call: Any, state: State) -> None:
    before = len(state.inventory("demo"))
    body, kind = _multipart(
        "release_id,price,media_condition,comments,accept_offer\n"
        "1,1.50,Mint (M),Sealed,Y\n"
        "2,2.50,Near Mint (NM or M-),,N\n"
        "3,2.50,Shiny,,N\n"
    )
    added = call("POST", "/inventory/upload/add", body=body, content_type=kind)
    assert added.status == 200
    assert added.body["type"] == "add" and added.body["filename"] == "inventory.csv"
    assert "contains 3 records" in added.body["results"] and "Processed 2" in added.body["results"]
    assert "Row 4" in added.body["results"]
    assert len(state.inventory("demo")) == before + 2
    new = [x for x in state.inventory("demo") if x.comments == "Sealed"]
    assert len(new) == 1 and new[0].status == "For Sale" and new[0].allow_offers
    assert (
        call("GET", f"/inventory/upload/{added.body['id']}").body["status"] == added.body["status"]
    )
    body, kind = _multipart(f"release_id,listing_id,price\n1,{new[0].id},3.75\n")
    changed = call("POST", "/inventory/upload/change", body=body, content_type=kind)
    assert changed.status == 200 and changed.body["status"] == "success"
    assert call("GET", f"/marketplace/listings/{new[0].id}").body["price"]["value"] == 3.75
    body, kind = _multipart(f"listing_id\n{new[0].id}\n")
    deleted = call("POST", "/inventory/upload/delete", body=body, content_type=kind)
    assert deleted.body["status"] == "success"
    assert call("GET", f"/marketplace/listings/{new[0].id}").status == 404
    uploads = call("GET", "/inventory/upload").body["items"]
    assert [u["type"] for u in uploads] == ["delete", "change", "add"]


def test_upload_errors(call: Any) -> None:
    body, kind = _multipart("release_id,media_condition\n1,Mint (M)\n")
    missing = call("POST", "/inventory/upload/add", body=body, content_type=kind)
    assert missing.body["status"] == "failed" and "price" in missing.body["results"]
    nothing = call("POST", "/inventory/upload/add", body=b"{}", content_type="application/json")
    assert nothing.status == 422
    assert (
        call("POST", "/inventory/upload/add", who=None, body=body, content_type=kind).status == 401
    )
    body, kind = _multipart("listing_id\n1\n")
    foreign = call("POST", "/inventory/upload/delete", body=body, content_type=kind)
    assert foreign.body["status"] == "failed"


def test_upload_row_errors_read_as_sentences(call: Any) -> None:
    """Before: a row's message ended in two full stops ("expected a number..")."""
    body, kind = _multipart("release_id,price,media_condition\n1,abc,Mint (M)\n1,9,Mint (M)\n")
    answer = call("POST", "/inventory/upload/add", body=body, content_type=kind)
    assert answer.body["status"] == "success with errors"
    assert "Row 2: Invalid price: expected a number." in answer.body["results"]
    assert ".." not in answer.body["results"]
