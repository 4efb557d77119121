"""Behaviour of the models on the shapes real Discogs answers take (no UI, no network)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

import discogs_tui.models as models
from discogs_tui.models import (
    AddedInstance,
    Artist,
    ArtistRelease,
    CollectionItem,
    CollectionValue,
    CommunityRating,
    Currency,
    CustomField,
    CustomFieldType,
    DiscogsModel,
    Fee,
    InventoryExport,
    InventoryUpload,
    Listing,
    ListingStatus,
    MarketplaceStats,
    MasterVersion,
    MediaCondition,
    Message,
    NewListing,
    Order,
    OrderMessage,
    OrderStatus,
    Page,
    PriceSuggestions,
    Profile,
    Release,
    ReleaseRatingByUser,
    ReleaseStats,
    SearchResult,
    SearchType,
    Service,
    SleeveCondition,
    Submissions,
    Track,
    UserList,
    UserListSummary,
    Want,
    parse_page,
)

# -- enums ----------------------------------------------------------------------------------


def test_grade_enums_hold_the_documented_values() -> None:
    """Eight media grades; the sleeve adds Generic, Not Graded and No Cover."""
    assert len(MediaCondition) == 8
    assert MediaCondition.NEAR_MINT.value == "Near Mint (NM or M-)"
    sleeve_only = {member.value for member in SleeveCondition} - {
        member.value for member in MediaCondition
    }
    assert sleeve_only == {"Generic", "Not Graded", "No Cover"}


def test_status_enums_hold_the_documented_values() -> None:
    """Listing states, order statuses (edit and filter), currencies and kinds."""
    assert {member.value for member in ListingStatus} == {
        "All",
        "Deleted",
        "Draft",
        "Expired",
        "For Sale",
        "Sold",
        "Suspended",
        "Violation",
    }
    assert (
        OrderStatus("Cancelled (Per Buyer's Request)") is OrderStatus.CANCELLED_PER_BUYERS_REQUEST
    )
    assert OrderStatus("Merged") is OrderStatus.MERGED
    assert len(OrderStatus) == 16
    assert len(Currency) == 12
    assert {member.value for member in SearchType} == {"release", "master", "artist", "label"}
    assert {member.value for member in CustomFieldType} == {"dropdown", "textarea"}


def test_known_enum_values_become_members() -> None:
    """A known grade or status is the enum member, not a bare string."""
    listing = Listing.model_validate(
        {"status": "Draft", "condition": "Good (G)", "sleeve_condition": "No Cover"}
    )
    assert listing.status is ListingStatus.DRAFT
    assert listing.condition is MediaCondition.GOOD
    assert listing.sleeve_condition is SleeveCondition.NO_COVER


def test_unknown_enum_values_are_kept_as_strings() -> None:
    """Values Discogs adds later survive as plain strings instead of failing validation."""
    listing = Listing.model_validate(
        {"status": "On Hold", "condition": "Sealed (S)", "sleeve_condition": "Torn"}
    )
    assert listing.status == "On Hold"
    assert not isinstance(listing.status, ListingStatus)
    assert listing.condition == "Sealed (S)"
    assert listing.sleeve_condition == "Torn"

    order = Order.model_validate(
        {"id": "9-9", "status": "Disputed", "next_status": ["Shipped", "Lost"]}
    )
    assert order.status == "Disputed"
    assert order.next_status == [OrderStatus.SHIPPED, "Lost"]
    assert order.next_status[0] is OrderStatus.SHIPPED

    assert SearchResult.model_validate({"type": "composition"}).type == "composition"
    assert CustomField.model_validate({"type": "checkbox"}).type == "checkbox"
    assert Profile.model_validate({"curr_abbr": "PLN"}).curr_abbr == "PLN"
    assert Profile.model_validate({"curr_abbr": "EUR"}).curr_abbr is Currency.EUR


def test_enum_fields_still_reject_non_strings() -> None:
    """Keeping unknown values does not mean accepting anything: a number is not a status."""
    with pytest.raises(ValidationError):
        Listing.model_validate({"status": 5})


# -- quirks of the live API -----------------------------------------------------------------


def test_release_stats_accepts_the_documented_shape() -> None:
    """The docs' ``{num_have, num_want}``."""
    stats = ReleaseStats.model_validate({"num_have": 12, "num_want": 40})
    assert (stats.num_have, stats.num_want, stats.is_offensive) == (12, 40, None)


def test_release_stats_accepts_the_live_shape() -> None:
    """The live API's ``{"is_offensive": false}``: no counts, and no error."""
    stats = ReleaseStats.model_validate({"is_offensive": False})
    assert stats.is_offensive is False
    assert stats.num_have is None and stats.num_want is None


def test_collection_value_is_formatted_strings() -> None:
    """Amounts keep their currency symbol exactly as sent."""
    value = CollectionValue.model_validate(
        {"maximum": "€101.72", "median": "€71.20", "minimum": "€50.86"}
    )
    assert (value.minimum, value.median, value.maximum) == ("€50.86", "€71.20", "€101.72")


def test_marketplace_stats_fields_are_nullable() -> None:
    """Nothing for sale (or blocked): ``lowest_price`` and ``num_for_sale`` are null."""
    stats = MarketplaceStats.model_validate(
        {"lowest_price": None, "num_for_sale": None, "blocked_from_sale": True}
    )
    assert stats.lowest_price is None and stats.num_for_sale is None
    assert stats.blocked_from_sale is True
    priced = MarketplaceStats.model_validate(
        {"lowest_price": {"currency": "EUR", "value": 6.99}, "num_for_sale": 23}
    )
    assert priced.lowest_price is not None and priced.lowest_price.value == 6.99
    assert priced.num_for_sale == 23


def test_release_lowest_price_may_be_null() -> None:
    """A release nobody sells has ``lowest_price: null``."""
    release = Release.model_validate({"id": 1, "lowest_price": None, "num_for_sale": 0})
    assert release.lowest_price is None and release.num_for_sale == 0


def test_instance_ids_beyond_32_bits_stay_exact() -> None:
    """Instance ids exceed 2^31 (and may one day exceed 2^63); Python ints hold them exactly."""
    item = CollectionItem.model_validate({"id": 5134861, "instance_id": 2176916224})
    assert item.instance_id == 2176916224
    huge = CollectionItem.model_validate({"instance_id": 2**64 + 3})
    assert huge.instance_id == 2**64 + 3


def test_search_year_is_a_string() -> None:
    """Search results send the year as text; a number is turned into text too."""
    assert SearchResult.model_validate({"year": "1995"}).year == "1995"
    assert SearchResult.model_validate({"year": 1995}).year == "1995"
    assert SearchResult.model_validate({}).year is None


def test_order_ids_are_strings() -> None:
    """Order ids look like ``"1-1"``; a bare number is read as its text."""
    assert Order.model_validate({"id": "123-45"}).id == "123-45"
    assert Order.model_validate({"id": 7}).id == "7"
    message = OrderMessage.model_validate({"order": {"id": "1-1"}})
    assert message.order is not None and message.order.id == "1-1"


def test_format_quantity_accepts_numbers_and_text() -> None:
    """``qty`` is text in real data but some answers send a number."""
    release = Release.model_validate(
        {"formats": [{"name": "Vinyl", "qty": 2}, {"name": "CD", "qty": "1"}]}
    )
    assert [fmt.qty for fmt in release.formats] == ["2", "1"]


def test_nulls_read_as_defaults() -> None:
    """``null`` where a list or string is expected gives the default instead of an error."""
    release = Release.model_validate(
        {"id": 3, "title": None, "images": None, "tracklist": None, "notes": None}
    )
    assert release.title == "" and release.notes == ""
    assert release.images == [] and release.tracklist == []
    item = CollectionItem.model_validate({"instance_id": 1, "notes": None, "rating": None})
    assert item.notes == [] and item.rating == 0


def test_lenient_models_still_reject_wrong_types() -> None:
    """Leniency is about absence, not about garbage: a text id fails."""
    with pytest.raises(ValidationError):
        Release.model_validate({"id": "not a number"})
    with pytest.raises(ValidationError):
        CollectionItem.model_validate({"instance_id": 1.5})


def test_minimal_and_empty_bodies_parse() -> None:
    """Almost every field is optional: real data omits many of them."""
    for model in (Release, Artist, Listing, Order, Want, CollectionItem, Profile, Service):
        assert isinstance(model.model_validate({}), model)


# -- specific shapes ------------------------------------------------------------------------


def test_artist_members_may_be_bare_names() -> None:
    """Submissions list members as names; they become references with a name and no id."""
    artist = Artist.model_validate(
        {"members": ["Eldridge Gravy", {"id": 7, "name": "Lady Gravy", "active": True}]}
    )
    assert [member.name for member in artist.members] == ["Eldridge Gravy", "Lady Gravy"]
    assert artist.members[0].id is None
    assert artist.members[1].active is True


def test_tracklist_nests_sub_tracks_and_track_credits() -> None:
    """An index track carries sub-tracks; each track may carry its own extra artists."""
    release = Release.model_validate(
        {
            "tracklist": [
                {
                    "position": "",
                    "type_": "index",
                    "title": "Suite",
                    "sub_tracks": [
                        {
                            "position": "1a",
                            "type_": "track",
                            "title": "Part One",
                            "extraartists": [{"id": 9, "name": "Someone", "role": "Vocals"}],
                        }
                    ],
                }
            ]
        }
    )
    suite = release.tracklist[0]
    assert suite.type_ == "index"
    assert isinstance(suite.sub_tracks[0], Track)
    assert suite.sub_tracks[0].extraartists[0].role == "Vocals"


def test_artist_credit_display_name_prefers_the_variation() -> None:
    """``anv`` is the name as printed on the release."""
    release = Release.model_validate(
        {"artists": [{"name": "Aphex Twin", "anv": "AFX"}, {"name": "Autechre", "anv": ""}]}
    )
    assert [credit.display_name for credit in release.artists] == ["AFX", "Autechre"]


def test_artist_release_rows_mix_masters_and_releases() -> None:
    """``type`` tells a master row from a release row."""
    rows = [ArtistRelease.model_validate({"type": kind, "id": 1}) for kind in ("master", "release")]
    assert [row.type for row in rows] == [SearchType.MASTER, SearchType.RELEASE]


def test_lists_accept_both_key_sets() -> None:
    """``list_id, created_ts, modified_ts, url`` and ``id, date_added, date_changed, uri``."""
    documented = UserList.model_validate(
        {
            "list_id": 2,
            "created_ts": "2016-05-31T10:36:30-07:00",
            "modified_ts": "2016-05-31T13:46:12-07:00",
            "url": "https://www.discogs.com/lists/new-list/2",
            "items": [{"type": "artist", "id": 3227, "display_title": "Silent Phase"}],
        }
    )
    other = UserListSummary.model_validate(
        {
            "id": 11,
            "date_added": "2021-12-01T14:30:00Z",
            "date_changed": "2021-12-02T14:30:00Z",
            "uri": "https://www.discogs.com/lists/x/11",
        }
    )
    assert documented.number == 2 and other.number == 11
    assert documented.created == "2016-05-31T10:36:30-07:00"
    assert other.modified == "2021-12-02T14:30:00Z"
    assert documented.web_url.endswith("/2") and other.web_url.endswith("/11")
    assert documented.items[0].type is SearchType.ARTIST


def test_order_message_reads_the_from_key() -> None:
    """``from`` is a Python keyword: it lands on ``from_`` and dumps back as ``from``."""
    message = OrderMessage.model_validate(
        {"from": {"username": "seller"}, "message": "Thanks!", "type": "message"}
    )
    assert message.from_ is not None and message.from_.username == "seller"
    assert message.model_dump(by_alias=True)["from"]["username"] == "seller"


def test_price_suggestions_map_grades_to_prices() -> None:
    """A bare mapping of grade to price; ``{}`` means no suggestion."""
    suggestions = PriceSuggestions.model_validate(
        {
            "Mint (M)": {"currency": "USD", "value": 14.3},
            "Poor (P)": {"currency": "USD", "value": 0.75},
        }
    )
    mint = suggestions.for_condition(MediaCondition.MINT)
    assert mint is not None and mint.value == 14.3
    assert suggestions.for_condition("Poor (P)") is not None
    assert suggestions.for_condition(MediaCondition.FAIR) is None
    assert PriceSuggestions.model_validate({}).prices == {}
    with pytest.raises(ValidationError):
        PriceSuggestions.model_validate({"Mint (M)": {"value": "a lot"}})


def test_fee_and_new_listing_shapes() -> None:
    """The fee is ``{value, currency}``; a new listing is ``{listing_id, resource_url}``."""
    fee = Fee.model_validate({"value": 0.42, "currency": "USD"})
    assert (fee.value, fee.currency) == (0.42, "USD")
    assert NewListing.model_validate({"listing_id": 41578241}).listing_id == 41578241


def test_added_instance_accepts_short_and_full_answers() -> None:
    """Docs: ``{instance_id, resource_url}``; live: the whole instance."""
    short = AddedInstance.model_validate({"instance_id": 3, "resource_url": "u"})
    assert short.instance_id == 3 and short.basic_information.title == ""
    full = AddedInstance.model_validate(
        {"instance_id": 2176916224, "rating": 4, "basic_information": {"title": "Glory"}}
    )
    assert full.basic_information.title == "Glory" and full.rating == 4


def test_error_message_with_validation_detail() -> None:
    """The 2026 422 body: a message plus ``detail`` items with ``msg``, ``loc``, ``type``."""
    body = {
        "detail": [
            {
                "msg": "HTTP fetch failed from 'collection': 400: Bad Request",
                "loc": ["body", "value"],
                "type": "value_error",
            }
        ],
        "message": 'See "detail" for validation errors.',
    }
    error = Message.model_validate(body)
    assert isinstance(error.detail, list)
    assert error.detail[0].loc == ["body", "value"]
    assert Message.model_validate({"message": "Release not found."}).detail is None


def test_small_answers() -> None:
    """Ratings, service root and inventory jobs."""
    rating = CommunityRating.model_validate(
        {"release_id": 1, "rating": {"count": 5, "average": 4.2}}
    )
    assert rating.rating.count == 5 and rating.rating.average == 4.2
    assert (
        ReleaseRatingByUser.model_validate({"username": "u", "release_id": 1, "rating": 5}).rating
        == 5
    )
    service = Service.model_validate(
        {"hello": "Welcome", "api_version": "v2", "statistics": {"releases": 18000000}}
    )
    assert service.statistics.releases == 18000000
    export = InventoryExport.model_validate(
        {"id": 599632, "status": "success", "finished_ts": None}
    )
    assert export.finished_ts is None and export.status == "success"
    upload = InventoryUpload.model_validate({"id": 1, "type": "change", "results": None})
    assert upload.type == "change" and upload.results is None


# -- pages ----------------------------------------------------------------------------------


def test_parse_page_moves_the_list_and_keeps_other_keys() -> None:
    """Master versions keep ``filters`` and ``filter_facets`` next to the page."""
    data: dict[str, Any] = {
        "pagination": {"page": 1, "pages": 15, "per_page": 1, "items": 15, "urls": {"next": "n"}},
        "filters": {"applied": {}, "available": {"country": {"UK": 6}}},
        "filter_facets": [{"id": "format", "title": "Format", "values": []}],
        "versions": [{"id": 8924382, "country": "US", "major_formats": ["Cassette"]}],
    }
    page = parse_page(data, "versions", MasterVersion)
    assert isinstance(page, Page)
    assert isinstance(page.items[0], MasterVersion)
    assert page.items[0].major_formats == ["Cassette"]
    assert page.pagination.has_next and page.pagination.urls.next == "n"
    extras = page.model_extra or {}
    assert extras["filters"]["available"]["country"] == {"UK": 6}
    assert extras["filter_facets"][0]["id"] == "format"
    assert "versions" not in extras
    assert data["versions"][0]["id"] == 8924382, "the caller's dict is left alone"


def test_parse_page_with_missing_or_null_list_is_empty() -> None:
    """An empty collection may omit the list or send null."""
    assert parse_page({"pagination": {"items": 0}}, "releases", CollectionItem).items == []
    assert parse_page({"wants": None}, "wants", Want).items == []


def test_parse_page_validates_items() -> None:
    """A malformed row is left out and counted, never slipping through as a dict."""
    page = parse_page({"orders": [{"id": "1-1", "items": "nope"}, {"id": "1-2"}]}, "orders", Order)
    assert [order.id for order in page.items] == ["1-2"] and page.dropped == 1
    assert all(isinstance(order, Order) for order in page.items)


def test_parse_page_pagination_may_lack_pages() -> None:
    """Some answers omit ``pages``; the page then counts as the only one."""
    page = parse_page({"pagination": {"page": 1, "items": 2}, "orders": []}, "orders", Order)
    assert page.pagination.pages == 1 and not page.pagination.has_next


def test_submissions_hold_three_lists() -> None:
    """Artists, labels and releases under ``submissions``, with pagination."""
    submissions = Submissions.model_validate(
        {
            "pagination": {"page": 1, "pages": 2, "items": 68},
            "submissions": {
                "artists": [{"id": 1, "name": "A", "members": ["B"]}],
                "labels": [{"id": 2, "name": "L"}],
                "releases": [{"id": 3, "title": "R"}],
            },
        }
    )
    assert submissions.pagination.pages == 2
    assert submissions.artists[0].members[0].name == "B"
    assert submissions.labels[0].name == "L"
    assert submissions.releases[0].title == "R"


# -- frozen, extras, exports ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "data", "attribute", "value"),
    [
        (Release, {"id": 1, "title": "T"}, "title", "U"),
        (Listing, {"id": 1}, "status", "Sold"),
        (CollectionItem, {"instance_id": 1}, "rating", 5),
        (Order, {"id": "1-1"}, "id", "2-2"),
        (Want, {"id": 1}, "notes", "x"),
        (PriceSuggestions, {}, "foo", 1),
    ],
)
def test_models_are_frozen(
    model: type[BaseModel], data: dict[str, Any], attribute: str, value: Any
) -> None:
    """Assigning to a field of a parsed answer fails."""
    instance = model.model_validate(data)
    with pytest.raises(ValidationError):
        setattr(instance, attribute, value)


def test_nested_models_are_frozen_too() -> None:
    """Frozenness reaches nested objects (a listing's price)."""
    listing = Listing.model_validate({"price": {"currency": "USD", "value": 1.0}})
    with pytest.raises(ValidationError):
        listing.price.value = 2.0  # type: ignore[misc]


def test_unknown_fields_are_kept() -> None:
    """Fields the models do not describe survive as extras, nested ones included."""
    release = Release.model_validate(
        {"id": 1, "brand_new_field": [1, 2], "community": {"have": 1, "new_stat": 3}}
    )
    assert (release.model_extra or {})["brand_new_field"] == [1, 2]
    assert release.community is not None
    assert (release.community.model_extra or {})["new_stat"] == 3


def test_every_exported_model_subclasses_discogs_model() -> None:
    """Every model the package exports is a frozen DiscogsModel that keeps extras."""
    exported = [
        getattr(models, name)
        for name in models.__all__
        if isinstance(getattr(models, name), type) and issubclass(getattr(models, name), BaseModel)
    ]
    assert len(exported) > 60
    for model in exported:
        assert issubclass(model, DiscogsModel), model
        assert model.model_config.get("frozen") is True, model
        assert model.model_config.get("extra") == "allow", model


def test_existing_common_exports_are_kept() -> None:
    """The skeleton's exports are still there."""
    for name in (
        "DiscogsModel",
        "FetchInfo",
        "Message",
        "Page",
        "Pagination",
        "PaginationUrls",
        "Price",
        "keep_unknown",
    ):
        assert name in models.__all__
