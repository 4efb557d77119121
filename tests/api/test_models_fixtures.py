"""Every recorded response in tests/fixtures/responses parses into its model, with real values.

The fixtures come from three MIT-licensed clients (see tests/fixtures/NOTICE): plain JSON
bodies, raw HTTP/1.1 responses, and request/response recordings whose body is a JSON string.
Each file (and each exchange of a recording) is mapped to its model explicitly below.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from discogs_tui.models import (
    AddedInstance,
    Artist,
    ArtistRelease,
    CollectionItem,
    CollectionValue,
    Currency,
    CustomFieldList,
    CustomFieldType,
    Folder,
    FolderList,
    Identity,
    Label,
    LabelRelease,
    Listing,
    ListingStatus,
    Master,
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
    SearchResult,
    SearchType,
    SleeveCondition,
    Want,
    parse_page,
)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "responses"


@dataclass(frozen=True)
class Case:
    """One recorded body, the model it must parse into, and values it must carry."""

    path: str
    """File below tests/fixtures/responses, with ``#n`` for the n-th exchange of a recording."""
    model: type[BaseModel]
    key: str | None = None
    """For a paginated answer: the key of its list (the page's ``items``)."""
    expect: dict[str, Any] = field(default_factory=dict)
    """Dotted attribute paths (list indexes allowed) and the value each must have."""


def read_body(path: str) -> tuple[int | None, Any]:
    """The status (when recorded) and decoded JSON body of a fixture."""
    name, _, exchange = path.partition("#")
    text = (FIXTURES / name).read_text(encoding="utf-8")
    if name.startswith("DiscogsApiClient/"):
        recording = json.loads(text)[int(exchange)]
        return recording["responseStatusCode"], json.loads(recording["responseBody"])
    if name.startswith("php-discogs-api/"):
        head, _, body = text.replace("\r\n", "\n").partition("\n\n")
        status = int(head.split("\n")[0].split()[1])
        return status, json.loads(body)
    return None, json.loads(text)


def dig(value: Any, dotted: str) -> Any:
    """Follow ``a.b.0.c`` through attributes and list indexes."""
    for part in dotted.split("."):
        value = value[int(part)] if part.isdigit() else getattr(value, part)
    return value


def parse(case: Case) -> BaseModel:
    """Parse a case's body the way the client does."""
    _, body = read_body(case.path)
    if case.key is not None:
        return parse_page(body, case.key, case.model)
    return case.model.model_validate(body)


B = "buntine-discogs/"
P = "php-discogs-api/"
R = "DiscogsApiClient/Collection."

CASES = [
    # buntine/discogs
    Case(
        B + "valid_artist.json",
        Artist,
        expect={
            "id": 313929,
            "name": "Cirith Ungol",
            "members.0.name": "Greg Lindstrom",
            "members.0.active": False,
            "images.0.height": 288,
        },
    ),
    Case(
        B + "valid_artist_releases.json",
        ArtistRelease,
        "releases",
        {
            "pagination.items": 37,
            "items.0.type": SearchType.MASTER,
            "items.0.main_release": 4521828,
            "items.0.title": "Frost And Fire",
        },
    ),
    Case(
        B + "valid_fields.json",
        CustomFieldList,
        expect={"fields.0.name": "Media Condition", "fields.0.type": CustomFieldType.DROPDOWN},
    ),
    Case(B + "valid_folder.json", Folder, expect={"id": 232842, "name": "My New Folder"}),
    Case(B + "valid_identity.json", Identity, expect={"consumer_name": "Your Application Name"}),
    Case(
        B + "valid_label.json",
        Label,
        expect={
            "name": "Warner Bros. Records",
            "parent_label.name": "Warner Music Group",
            "sublabels.0.id": 195500,
        },
    ),
    Case(
        B + "valid_label_releases.json",
        LabelRelease,
        "releases",
        {"pagination.items": 8, "items.0.catno": "SSS 001", "items.0.artist": "Torfinn"},
    ),
    Case(
        B + "valid_listing.json",
        Listing,
        expect={
            "id": 157624565,
            "status": ListingStatus.FOR_SALE,
            "condition": MediaCondition.NEAR_MINT,
            "sleeve_condition": SleeveCondition.NEAR_MINT,
            "price.value": 32.9,
            "price.currency": "EUR",
            "weight": 239.0,
            "release.catalog_number": "ER 006",
        },
    ),
    Case(
        B + "valid_master_release.json",
        Master,
        expect={
            "main_release": 5160870,
            "artists.0.join": "&",
            "styles": ["Prog Rock", "Art Rock"],
        },
    ),
    Case(
        B + "valid_master_release_versions.json",
        MasterVersion,
        "versions",
        {"items.0.country": "Czechoslovakia", "items.0.released": "1982"},
    ),
    Case(
        B + "valid_order.json",
        Order,
        expect={
            "id": "1-1",
            "status": OrderStatus.NEW_ORDER,
            "next_status.0": OrderStatus.NEW_ORDER,
            "fee.value": 2.52,
            "items.0.id": 41578242,
            "seller.username": "example_seller",
        },
    ),
    Case(
        B + "valid_order_messages.json",
        OrderMessage,
        "messages",
        {
            "pagination.items": 7,
            "items.0.from_.username": "example_seller",
            "items.0.order.id": "1-1",
            "items.0.timestamp": "2011-11-17T14:55:52",
        },
    ),
    Case(B + "valid_price_suggestions.json", PriceSuggestions),
    Case(
        B + "valid_release.json",
        Release,
        expect={
            "title": "Stockholm",
            "released": "1999-03-00",
            "labels.0.entity_type": "1",
            "formats.0.qty": "2",
            "community.rating.count": 91,
            "tracklist.0.position": "A",
        },
    ),
    Case(
        B + "valid_search_results.json",
        SearchResult,
        "results",
        {"items.0.year": "1995", "items.0.type": SearchType.RELEASE, "items.0.id": 2633081},
    ),
    Case(B + "valid_user.json", Profile, expect={"username": "abuntine", "num_collection": 309}),
    Case(
        B + "valid_user_collection.json",
        CollectionItem,
        "releases",
        {"pagination.pages": 62, "items.0.id": 1845027, "items.0.instance_id": 1},
    ),
    Case(B + "valid_user_folder.json", Folder, expect={"id": 1, "name": "Uncategorized"}),
    Case(B + "valid_user_folders.json", FolderList, expect={"folders.0.name": "All"}),
    Case(
        B + "valid_user_inventory.json",
        Listing,
        "listings",
        {
            "items.0.condition": MediaCondition.POOR,
            "items.0.external_id": "shelf 32a, #5",
            "items.0.format_quantity": 2,
        },
    ),
    Case(B + "valid_user_profile.json", Profile, expect={"email": "sampleman@example.com"}),
    Case(
        B + "valid_user_wantlist.json",
        Want,
        "wants",
        {
            "pagination.items": 77,
            "items.0.id": 2360509,
            "items.0.basic_information.labels.0.name": "AMIGA",
            "items.0.basic_information.formats.0.descriptions": ['7"', "45 RPM", "Single"],
        },
    ),
    Case(
        B + "valid_wantlist_release.json",
        Want,
        expect={"notes": "This is a note", "basic_information.title": "Stockholm"},
    ),
    # ricbra/php-discogs-api (raw HTTP)
    Case(
        P + "add_order_message",
        OrderMessage,
        expect={"from_.username": "example_seller", "order.id": "1-1"},
    ),
    Case(P + "change_listing", Message, expect={"message": ""}),
    Case(P + "delete_listing", Message, expect={"message": ""}),
    Case(
        P + "change_order",
        Order,
        expect={"status": OrderStatus.INVOICE_SENT, "shipping.value": 5.0},
    ),
    Case(P + "create_listing", NewListing, expect={"listing_id": 41578241}),
    Case(
        P + "get_artist",
        Artist,
        expect={
            "name": "Aphex Twin",
            "realname": "Richard David James",
            "aliases.0.name": "Blue Calx (2)",
        },
    ),
    Case(
        P + "get_artist_releases",
        ArtistRelease,
        "releases",
        {"pagination.pages": 15, "items.0.title": "Analog Bubblebath Vol 2"},
    ),
    Case(P + "get_collection_folder", Folder, expect={"count": 20}),
    Case(P + "get_collection_folders", FolderList, expect={"folders.0.id": 0}),
    Case(
        P + "get_collection_items_by_folder",
        CollectionItem,
        "releases",
        {
            "items.0.basic_information.title": "Information Chase",
            "items.0.notes.0.field_id": 3,
            "items.0.notes.0.value": "bleep bloop blorp.",
        },
    ),
    Case(
        P + "get_inventory",
        Listing,
        "listings",
        {
            "pagination.items": 479,
            "items.0.sleeve_condition": SleeveCondition.GENERIC,
            "items.0.condition": MediaCondition.VERY_GOOD_PLUS,
        },
    ),
    Case(P + "get_label", Label, expect={"name": "Planet E", "sublabels.0.name": "Antidote (4)"}),
    Case(
        P + "get_label_releases",
        LabelRelease,
        "releases",
        {"pagination.pages": 169, "items.0.title": "DJ-Kicks"},
    ),
    Case(
        P + "get_listing",
        Listing,
        expect={
            "price.value": 120.0,
            "original_price.formatted": "$120.00",
            "original_price.curr_abbr": Currency.USD,
            "shipping_price.value": 2.5,
            "seller.stats.rating": "100",
            "release.year": 2014,
        },
    ),
    Case(P + "get_master", Master, expect={"title": "O Fortuna", "main_release": 42575}),
    Case(
        P + "get_master_versions",
        MasterVersion,
        "versions",
        {"pagination.page": 2, "items.0.label": "Indisc"},
    ),
    Case(P + "get_oauth_identity", Identity, expect={"username": "R-Search", "id": 557870}),
    Case(P + "get_order", Order, expect={"id": "1-1", "items.0.release.id": 1}),
    Case(
        P + "get_orders",
        Order,
        "orders",
        {"items.0.id": "1-1", "items.0.status": OrderStatus.NEW_ORDER},
    ),
    Case(
        P + "get_profile",
        Profile,
        expect={"username": "maxperei", "rank": 57.0, "curr_abbr": ""},
    ),
    Case(P + "get_release", Release, expect={"id": 1, "lowest_price": 8.077169493076712}),
    Case(
        P + "search",
        SearchResult,
        "results",
        {"pagination.items": 5661, "items.0.year": "1997", "items.0.catno": "PRODIGY 2811685"},
    ),
    # damidhagor/DiscogsApiClient (2026 recordings)
    Case(
        R
        + "CollectionFieldsTests.GetCollectionFields_ShouldReturnFields_WhenUsernameIsValid.json#0",
        CustomFieldList,
        expect={"fields.0.type": CustomFieldType.TEXTAREA, "fields.0.lines": 1},
    ),
    Case(
        R
        + "CollectionFolderReleaseUpdateTests.UpdateCollectionFolderReleaseField_ShouldThrowDiscogsException_WhenFieldDoesNotExist.json#0",
        Folder,
        expect={"id": 9510191, "count": 0},
    ),
    Case(
        R
        + "CollectionFolderReleaseUpdateTests.UpdateCollectionFolderReleaseField_ShouldThrowDiscogsException_WhenFieldDoesNotExist.json#1",
        AddedInstance,
        expect={"instance_id": 2176916224, "id": 5134861, "folder_id": 9510191},
    ),
    Case(
        R
        + "CollectionFolderReleaseUpdateTests.UpdateCollectionFolderReleaseField_ShouldThrowDiscogsException_WhenFieldDoesNotExist.json#2",
        Message,
        expect={
            "message": 'See "detail" for validation errors.',
            "detail.0.loc": ["body", "value"],
        },
    ),
    Case(
        R
        + "CollectionFolderReleasesTests.GetCollectionFolderReleases_ShouldThrowUnauthenticatedDiscogsException_WhenUnauthenticated.json#0",
        Message,
        expect={
            "message": "You are not allowed to view this resource. Please authenticate as the owner to view this content."
        },
    ),
    Case(
        R
        + "CollectionFoldersTests.CreateUpdateDeleteCollectionFolder_ShouldSucceed_WhenParametersAreValid.json#0",
        Folder,
        expect={"count": 0},
    ),
    Case(
        R
        + "CollectionFoldersTests.CreateUpdateDeleteCollectionFolder_ShouldSucceed_WhenParametersAreValid.json#1",
        Folder,
        expect={"id": 9391750},
    ),
    Case(
        R
        + "CollectionFoldersTests.GetCollectionFolder_ShouldThrowResourceNotFoundException_WhenUsernameDoesNotExist.json#0",
        Message,
        expect={"message": "User does not exist or may have been deleted."},
    ),
    Case(
        R
        + "CollectionFoldersTests.GetCollectionFolders_ShouldReturnPublicFolders_WhenUnauthenticated.json#0",
        Message,
    ),
    Case(
        R
        + "CollectionValueTests.GetCollectionValue_ShouldReturnCollectionValue_WhenUsernameIsValid.json#0",
        CollectionValue,
        expect={"maximum": "€101.72", "median": "€71.20", "minimum": "€50.86"},
    ),
    Case(
        R
        + "WantlistTests.AddAndRemoveReleaseFromWantlist_ShouldSucceed_WhenParametersAreValid.json#0",
        Want,
        expect={"id": 5134861, "rating": 0},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.path.split("/")[-1][-70:] for case in CASES])
def test_fixture_parses_into_its_model(case: Case) -> None:
    """The body validates into its model and carries the recorded values."""
    parsed = parse(case)
    if case.key is None:
        assert type(parsed) is case.model
    else:
        assert isinstance(parsed, Page)
        _, body = read_body(case.path)
        assert len(parsed.items) == len(body[case.key])
        assert all(isinstance(item, case.model) for item in parsed.items)
    for dotted, expected in case.expect.items():
        assert dig(parsed, dotted) == expected, dotted


def test_every_fixture_body_is_covered() -> None:
    """Each fixture file, and each exchange of a recording, has a case: none is left untested."""
    covered = {case.path for case in CASES}
    found: set[str] = set()
    for path in sorted(p for p in FIXTURES.rglob("*") if p.is_file()):
        name = path.relative_to(FIXTURES).as_posix()
        if name.startswith("DiscogsApiClient/"):
            exchanges = json.loads(path.read_text(encoding="utf-8"))
            found |= {f"{name}#{n}" for n, ex in enumerate(exchanges) if ex.get("responseBody")}
        else:
            found.add(name)
    assert found == covered


def test_error_recordings_have_error_statuses() -> None:
    """The cases mapped to Message are the recorded 4xx answers and the 204 acknowledgements."""
    for case in CASES:
        status, _ = read_body(case.path)
        if case.model is Message:
            assert status is not None and (status >= 400 or status == 204), case.path
        elif status is not None:
            assert status < 300, case.path


def test_price_suggestions_fixture_keys_every_grade() -> None:
    """All eight media grades come back as prices, reachable by enum member."""
    suggestions = parse(Case(B + "valid_price_suggestions.json", PriceSuggestions))
    assert isinstance(suggestions, PriceSuggestions)
    assert set(suggestions.prices) == {grade.value for grade in MediaCondition}
    mint = suggestions.for_condition(MediaCondition.MINT)
    assert mint is not None and mint.currency == "USD"
    assert mint.value == pytest.approx(14.3191391)


def test_recorded_instance_id_exceeds_32_bits() -> None:
    """The 2026 recording's instance id (2176916224) survives as a Python int."""
    added = parse(
        Case(
            R
            + "CollectionFolderReleaseUpdateTests.UpdateCollectionFolderReleaseField_ShouldThrowDiscogsException_WhenFieldDoesNotExist.json#1",
            AddedInstance,
        )
    )
    assert isinstance(added, AddedInstance)
    assert added.instance_id is not None and added.instance_id > 2**31
    assert added.basic_information.master_id == 156551


def test_reference_check_script_parses_the_copied_fixtures() -> None:
    """scripts/check_reference_responses.py, pointed at the copies here, parses all of them."""
    script = Path(__file__).parents[2] / "scripts" / "check_reference_responses.py"
    spec = importlib.util.spec_from_file_location("check_reference_responses", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Dataclasses look their module up in sys.modules while being built.
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    lines: list[str] = []
    status = module.main([str(FIXTURES)], out=lines.append)
    assert status == 0
    assert lines[-1] == f"{len(CASES)} of {len(CASES)} valid JSON responses parsed"
    assert not any(" FAILED " in line or " no model " in line for line in lines)
