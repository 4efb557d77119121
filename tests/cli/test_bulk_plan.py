"""Planning bulk listing edits: price rules and rounding, skip reasons, the CSV's checks, and
the request count and time estimate a preview shows."""

from __future__ import annotations

from decimal import Decimal

import pytest

from discogs_tui.api.ratelimit import RateState
from discogs_tui.tasks.bulk_plan import (
    EXPIRED_NEEDS_STATUS,
    NO_CHANGE,
    BulkChange,
    InputError,
    PriceRule,
    Rounding,
    estimate_seconds,
    listing_fields,
    plan_bulk_change,
    plan_rows,
    round_price,
)


def row(listing_id: int, **values: str) -> dict[str, str]:
    base = {
        "listing_id": str(listing_id),
        "release_id": "1586327",
        "artist": "Peter Arcade",
        "title": "Italo Disco",
        "price": "17.53",
        "status": "For Sale",
        "condition": "Good (G)",
        "sleeve_condition": "Good Plus (G+)",
        "comments": "Promo stamp on label.",
        "allow_offers": "no",
        "location": "",
        "external_id": "",
        "weight": "230",
        "format_quantity": "1",
    }
    return base | values


@pytest.mark.parametrize(
    ("value", "rounding", "expected"),
    [
        ("19.283", Rounding.CENT, "19.28"),
        ("19.285", Rounding.CENT, "19.29"),
        ("19.5", Rounding.WHOLE, "20"),
        ("19.49", Rounding.WHOLE, "19"),
        ("10.20", Rounding.ENDING_49_99, "9.99"),
        ("10.30", Rounding.ENDING_49_99, "10.49"),
        ("10.24", Rounding.ENDING_49_99, "10.49"),
        ("10.80", Rounding.ENDING_49_99, "10.99"),
        ("11.20", Rounding.ENDING_49_99, "10.99"),
    ],
)
def test_rounding_rules(value: str, rounding: Rounding, expected: str) -> None:
    assert round_price(Decimal(value), rounding) == Decimal(expected)


def test_a_price_rule_plans_absolute_prices_and_skips_with_reasons() -> None:
    listings = [
        row(1, price="10.00"),
        row(2, price="17.53", status="Draft"),
        row(3, price="20.00", status="Sold"),
        row(4, price="0.01"),
    ]
    rule = PriceRule(percent=Decimal(10), rounding=Rounding.CENT)
    plan = plan_bulk_change(listings, BulkChange(price=rule))
    assert [(e.listing_id, e.old["price"], e.new["price"]) for e in plan.edits] == [
        (1, "10.00", "11.00"),
        (2, "17.53", "19.28"),
    ]
    assert [(s.listing_id, s.reason) for s in plan.skips] == [
        (3, "Sold listings cannot be edited"),
        (4, NO_CHANGE),  # 0.011 rounds back to 0.01
    ]
    assert plan.edits[0].changed == ("price",)
    # Every edit carries the whole listing: sending it twice cannot compound.
    body = listing_fields(plan.edits[0].new)
    assert body["price"] == 11.0 and body["release_id"] == 1586327
    assert body["condition"] == "Good (G)" and body["status"] == "For Sale"


def test_a_price_cut_below_zero_is_skipped_and_other_fields_are_set() -> None:
    change = BulkChange(
        price=PriceRule(amount=Decimal(-15)), status="Draft", location="Box 3", allow_offers=True
    )
    plan = plan_bulk_change([row(1, price="10.00"), row(2, price="30.00")], change)
    assert [s.reason for s in plan.skips] == ["the new price -5.00 is not positive"]
    (edit,) = plan.edits
    assert edit.new["price"] == "15.00" and edit.new["status"] == "Draft"
    assert edit.changed == ("price", "status", "allow_offers", "location")


def test_a_listing_read_without_its_price_release_or_grade_is_skipped() -> None:
    # Every edit sends them; without them the edit cannot be built (the run used to stop
    # on it at every resume) or would send an empty grade.
    change = BulkChange(status="Draft")
    plan = plan_bulk_change(
        [row(1, price=""), row(2, release_id=""), row(3, condition=""), row(4)], change
    )
    assert [e.listing_id for e in plan.edits] == [4]
    assert [(s.listing_id, s.reason) for s in plan.skips] == [
        (1, "its price did not come with it"),
        (2, "its release_id did not come with it"),
        (3, "its condition did not come with it"),
    ]
    for edit in plan.edits:
        listing_fields(edit.new)


def test_the_summary_counts_requests_and_time_at_the_budget() -> None:
    plan = plan_bulk_change([row(i) for i in range(50)], BulkChange(status="Draft"))
    fresh = RateState(60, 0, 60, 0, None, None, "local")
    spent = RateState(60, 60, 0, 0, None, None, "local")
    assert plan.requests == 50
    assert estimate_seconds(50, spent) == pytest.approx(50.0)
    assert estimate_seconds(50, fresh) == pytest.approx(50 * 0.3)
    assert estimate_seconds(70, fresh) == pytest.approx(10 + 60 * 0.3)
    assert (
        plan.summary(spent) == "50 edits, 0 skipped, 0 unchanged: 50 requests, about 50 s at 60/min"
    )


HEADER = list(row(0))


def plan_of(*rows: dict[str, str], header: list[str] = HEADER) -> list[tuple[int, str, str]]:
    current = {1: row(1), 2: row(2, status="Sold")}
    plan = plan_rows(header, [(n + 2, r) for n, r in enumerate(rows)], current)
    return [(e.listing_id, name, e.new[name]) for e in plan.edits for name in e.changed]


def test_only_cells_that_differ_become_edits() -> None:
    assert plan_of(row(1), row(2, status="Sold")) == []
    assert plan_of(row(1, price="18", comments="")) == [
        (1, "price", "18.00"),
        (1, "comments", ""),
    ]
    # Discogs' own export columns are understood.
    header = ["listing_id", "media_condition", "accept_offer"]
    assert plan_of(
        {"listing_id": "1", "media_condition": "Mint (M)", "accept_offer": "Y"}, header=header
    ) == [(1, "condition", "Mint (M)"), (1, "allow_offers", "yes")]


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"listing_id": "99"}, "line 2, column listing_id: listing 99 is not in your inventory"),
        ({"listing_id": "x1"}, "line 2, column listing_id: 'x1' is not a listing id"),
        ({"price": "12.345"}, "line 2 (listing 1), column price: '12.345' is not a positive"),
        ({"price": "-3"}, "line 2 (listing 1), column price: '-3' is not a positive number"),
        ({"price": "ten"}, "line 2 (listing 1), column price: 'ten' is not a positive number"),
        ({"price": "0"}, "line 2 (listing 1), column price: '0' is not a positive number"),
        ({"condition": "Good"}, "line 2 (listing 1), column condition: 'Good' is not a media"),
        ({"sleeve_condition": "VG"}, "column sleeve_condition: 'VG' is not a sleeve grade"),
        ({"status": "Sold"}, "column status: 'Sold' is not a status an edit can set"),
        ({"allow_offers": "maybe"}, "column allow_offers: 'maybe' is not yes or no"),
        ({"format_quantity": "0"}, "column format_quantity: '0' is not a whole number"),
    ],
)
def test_each_bad_cell_is_named_by_line_and_column(cells: dict[str, str], message: str) -> None:
    with pytest.raises(InputError) as caught:
        plan_of(row(1) | cells)
    assert any(message in problem for problem in caught.value.problems), caught.value.problems


def test_unknown_columns_and_repeated_listings_are_refused() -> None:
    with pytest.raises(InputError, match="column 'colour' is unknown"):
        plan_of(row(1) | {"colour": "red"}, header=[*HEADER, "colour"])
    with pytest.raises(InputError, match="no listing_id column"):
        plan_of({"price": "1"}, header=["price"])
    with pytest.raises(InputError, match="listing 1 is already on line 2"):
        plan_of(row(1), row(1, price="20"))
    with pytest.raises(InputError) as caught:
        plan_of(row(1, price="x"), row(99))
    assert len(caught.value.problems) == 2, "every problem is named at once"


def test_an_expired_listing_is_edited_only_with_a_status_discogs_takes() -> None:
    """Every edit sends ``status`` and Discogs accepts only For Sale or Draft there."""
    expired = [row(1, status="Expired", price="10.00")]
    rule = BulkChange(price=PriceRule(percent=Decimal(10)))
    plan = plan_bulk_change(expired, rule)
    assert [s.reason for s in plan.skips] == [EXPIRED_NEEDS_STATUS] and plan.edits == []
    plan = plan_bulk_change(expired, BulkChange(price=rule.price, status="For Sale"))
    assert listing_fields(plan.edits[0].new)["status"] == "For Sale"
    current = {1: row(1, status="Expired")}
    header = ["listing_id", "price", "status"]
    csv_plan = plan_rows(
        header, [(2, {"listing_id": "1", "price": "9", "status": "Expired"})], current
    )
    assert [s.reason for s in csv_plan.skips] == [EXPIRED_NEEDS_STATUS]
    csv_plan = plan_rows(
        header, [(2, {"listing_id": "1", "price": "9", "status": "Draft"})], current
    )
    assert csv_plan.edits[0].new["status"] == "Draft"


@pytest.mark.parametrize("rounding", list(Rounding))
def test_a_yen_price_is_changed_to_whole_yen_whatever_the_rounding(rounding: Rounding) -> None:
    plan = plan_bulk_change(
        [row(1, price="3491.00", currency="JPY"), row(2, price="34.91", currency="USD")],
        BulkChange(price=PriceRule(percent=Decimal("10"), rounding=rounding)),
    )
    yen, dollars = (edit.new["price"] for edit in plan.edits)
    assert yen == "3840.00"
    assert dollars == {"cent": "38.40", "whole": "38.00", "49/99": "38.49"}[rounding.value]
