"""Every parameter limited to a vocabulary answers 422 naming the parameter and each accepted
value, word for word, whichever route reads it (one helper checks them all)."""

from __future__ import annotations

from typing import Any

import pytest
from emulator_calls import caller, fixed_state

from discogs_tui.emulator.core import Router
from discogs_tui.emulator.dataset import Dataset
from discogs_tui.emulator.routes import marketplace, users
from discogs_tui.emulator.state import State

ROUTER = Router()
for _module in (users, marketplace):
    ROUTER.include(_module.router)

CURRENCIES = "USD, GBP, EUR, CAD, AUD, JPY, CHF, MXN, BRL, NZD, SEK, ZAR"
GRADES = (
    "Mint (M), Near Mint (NM or M-), Very Good Plus (VG+), Very Good (VG), Good Plus (G+), "
    "Good (G), Fair (F), Poor (P)"
)
ORDER_FILTERS = (
    "All, New Order, Buyer Contacted, Invoice Sent, Payment Pending, Payment Received, "
    "In Progress, Shipped, Refund Sent, Cancelled (Non-Paying Buyer), "
    "Cancelled (Item Unavailable), Cancelled (Per Buyer's Request), Merged, Order Changed, "
    "Cancelled, Cancelled (Refund Received)"
)


@pytest.fixture
def state(dataset: Dataset) -> State:
    return fixed_state(dataset)


@pytest.fixture
def call(state: State, dataset: Dataset) -> Any:
    return caller(ROUTER, dataset, state)


def _listing(state: State, status: str) -> int:
    return next(x.id for x in state.inventory("demo") if x.status == status)


NEW_LISTING = {"release_id": 1, "condition": "Mint (M)", "price": 10}


@pytest.mark.parametrize(
    ("method", "path", "options", "message"),
    [
        (
            "POST",
            "/marketplace/listings",
            {"data": {**NEW_LISTING, "condition": "Shiny"}},
            f"Invalid condition: expected one of {GRADES}.",
        ),
        (
            "POST",
            "/marketplace/listings",
            {"data": {"release_id": 1, "price": 10}},
            f"Invalid condition: expected one of {GRADES}.",
        ),
        (
            "POST",
            "/marketplace/listings",
            {"data": {**NEW_LISTING, "sleeve_condition": "Torn"}},
            f"Invalid sleeve_condition: expected one of {GRADES}, Generic, Not Graded, No Cover.",
        ),
        (
            "POST",
            "/marketplace/listings",
            {"data": {**NEW_LISTING, "status": "Sold"}},
            "Invalid status: expected one of For Sale, Draft.",
        ),
        (
            "GET",
            "/users/demo/inventory",
            {"query": "status=Lost"},
            "Invalid status: expected one of All, Deleted, Draft, Expired, For Sale, Sold, "
            "Suspended, Violation.",
        ),
        (
            "GET",
            "/marketplace/orders",
            {"query": "status=Lost"},
            f"Invalid status: expected one of {ORDER_FILTERS}.",
        ),
        (
            "GET",
            "/marketplace/fee/10/XYZ",
            {},
            f"Invalid currency: expected one of {CURRENCIES}.",
        ),
        (
            "GET",
            "/marketplace/stats/1",
            {"query": "curr_abbr=XYZ"},
            f"Invalid curr_abbr: expected one of {CURRENCIES}.",
        ),
        (
            "POST",
            "/users/demo",
            {"data": {"curr_abbr": "XYZ"}},
            f"Invalid curr_abbr: expected one of {CURRENCIES}.",
        ),
    ],
)
def test_out_of_vocabulary_values_are_named(
    call: Any, method: str, path: str, options: dict[str, Any], message: str
) -> None:
    reply = call(method, path, **options)
    assert (reply.status, reply.body) == (422, {"message": message})


def test_listing_currency_is_checked_and_nothing_changes(call: Any, state: State) -> None:
    listing_id = _listing(state, "For Sale")
    reply = call("GET", f"/marketplace/listings/{listing_id}", query="curr_abbr=XYZ")
    assert reply.body == {"message": f"Invalid curr_abbr: expected one of {CURRENCIES}."}
    before = call("GET", f"/marketplace/listings/{listing_id}").body
    edit = call(
        "POST",
        f"/marketplace/listings/{listing_id}",
        data={"price": 1, "sleeve_condition": "Torn"},
    )
    assert edit.status == 422
    assert call("GET", f"/marketplace/listings/{listing_id}").body == before
