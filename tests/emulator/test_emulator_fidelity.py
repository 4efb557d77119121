"""The emulator answers like the real Discogs API: same keys, same value types.

Every recorded real response kept in tests/fixtures/ is compared, structurally, with the
emulator's answer to the same kind of request, made through DiscogsClient, in-process and
over loopback. Keys the emulator does not send are listed in ``KNOWN_GAPS`` with the reason;
a new gap fails the test.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest
from fidelity import buntine_body, php_body, recorded_exchanges, structure_diff

from discogs_tui.api.client import DiscogsClient
from discogs_tui.api.ratelimit import RateGovernor
from discogs_tui.emulator.app import Emulator
from discogs_tui.emulator.dataset import Dataset
from discogs_tui.emulator.server import running_server

Call = Callable[[DiscogsClient, dict[str, Any]], Awaitable[Any]]


async def raw(client: DiscogsClient, method: str, path: str, **params: Any) -> Any:
    """The emulator's JSON for one request, sent through the client's own pipeline."""
    return await client.get_raw(path, method=method, **params)


def get(path: str, **params: Any) -> Call:
    def call(client: DiscogsClient, ids: dict[str, Any]) -> Awaitable[Any]:
        return raw(client, "GET", path.format(**ids), **params)

    return call


def send(method: str, path: str, **body: Any) -> Call:
    def call(client: DiscogsClient, ids: dict[str, Any]) -> Awaitable[Any]:
        return client.get_raw(path.format(**ids), method=method, body=body)

    return call


# A middle page, so that the pagination object carries first, prev, next and last links.
MIDDLE = {"per_page": 1, "page": 2}

# fixture → the same kind of request to the emulator (as demo)
BUNTINE: dict[str, Call] = {
    "valid_artist.json": get("/artists/{artist}"),
    "valid_artist_releases.json": get("/artists/{artist}/releases", **MIDDLE),
    "valid_fields.json": get("/users/demo/collection/fields"),
    "valid_folder.json": get("/users/demo/collection/folders/1"),
    "valid_identity.json": get("/oauth/identity"),
    "valid_label.json": get("/labels/{label}"),
    "valid_label_releases.json": get("/labels/{label}/releases", **MIDDLE),
    "valid_listing.json": get("/marketplace/listings/{listing}"),
    "valid_master_release.json": get("/masters/{master}"),
    "valid_master_release_versions.json": get("/masters/{master}/versions"),
    "valid_order.json": get("/marketplace/orders/{order}"),
    "valid_order_messages.json": get("/marketplace/orders/{order}/messages"),
    "valid_price_suggestions.json": get("/marketplace/price_suggestions/1"),
    "valid_release.json": get("/releases/1"),
    "valid_search_results.json": get("/database/search", q="persuader", type="release"),
    "valid_user.json": get("/users/demo"),
    "valid_user_collection.json": get("/users/demo/collection/folders/0/releases"),
    "valid_user_folder.json": get("/users/demo/collection/folders/0"),
    "valid_user_folders.json": get("/users/demo/collection/folders"),
    "valid_user_inventory.json": get("/users/demo/inventory"),
    "valid_user_profile.json": get("/users/demo"),
    "valid_user_wantlist.json": get("/users/demo/wants", **MIDDLE),
    "valid_wantlist_release.json": send("PUT", "/users/demo/wants/{unwanted}", notes="fidelity"),
}

PHP: dict[str, Call] = {
    "get_artist": get("/artists/{artist}"),
    "get_artist_releases": get("/artists/{artist}/releases", **MIDDLE),
    "get_collection_folder": get("/users/demo/collection/folders/1"),
    "get_collection_folders": get("/users/demo/collection/folders"),
    "get_collection_items_by_folder": get("/users/demo/collection/folders/0/releases"),
    "get_inventory": get("/users/demo/inventory"),
    "get_label": get("/labels/{label}"),
    "get_label_releases": get("/labels/{label}/releases", **MIDDLE),
    "get_listing": get("/marketplace/listings/{listing}"),
    "get_master": get("/masters/{master}"),
    "get_master_versions": get("/masters/{master}/versions", **MIDDLE),
    "get_oauth_identity": get("/oauth/identity"),
    "get_order": get("/marketplace/orders/{order}"),
    "get_orders": get("/marketplace/orders"),
    "get_profile": get("/users/demo"),
    "get_release": get("/releases/1"),
    "search": get("/database/search", q="persuader", type="release", **MIDDLE),
    "add_order_message": send("POST", "/marketplace/orders/{order}/messages", message="Thanks!"),
}

# Keys real answers carry that the emulator does not send, and why (reported in the issue note).
KNOWN_GAPS: dict[str, set[str]] = {
    # Only groups have members; the artist aimed at (release 1's) is a person.
    "buntine/valid_artist.json": {"$.members: missing"},
    # Only credited tracks carry extraartists; the master's first track has none.
    "buntine/valid_master_release.json": {"$.tracklist[0].extraartists: missing"},
    "php/get_master": {"$.tracklist[0].extraartists: missing"},
    # A 2013 field the live API no longer sends (not in the 2026 docs).
    "buntine/valid_user_wantlist.json": {"$.wants[0].notes_public: missing"},
}


async def discover_ids(client: DiscogsClient) -> dict[str, Any]:
    """Ids of real objects in the demo world to aim the requests at."""
    release = await client.get_release(1)
    # The master with the most versions, so a middle page of versions exists.
    dataset = Dataset.load()
    master_id = max(dataset.master_ids(), key=lambda m: len(dataset.master_versions(m) or []))
    inventory = await client.get_inventory("demo", status="For Sale", per_page=1)
    orders = await client.get_orders(per_page=1)
    wants = {w.id async for w in client.walk(client.get_wantlist, "demo")}
    unwanted = next(i for i in range(2, 5000) if i not in wants and i != 1)
    return {
        "artist": release.artists[0].id,
        "label": release.labels[0].id,
        "master": master_id,
        "listing": inventory.items[0].id,
        "order": orders.items[0].id,
        "unwanted": unwanted,
    }


def fixture_cases() -> Iterator[tuple[str, Any, Call]]:
    for name, call in BUNTINE.items():
        yield f"buntine/{name}", buntine_body(name), call
    for name, call in PHP.items():
        yield f"php/{name}", php_body(name), call


CASES = list(fixture_cases())


@pytest.fixture(scope="module", params=["in-process", "loopback"])
def client_factory(request: pytest.FixtureRequest) -> Iterator[Callable[[], DiscogsClient]]:
    emulator = Emulator(base_url="http://localhost", rate_limit=10**6)
    governor = RateGovernor(limit=10**6)

    if request.param == "in-process":
        yield lambda: DiscogsClient(
            base_url="http://localhost",
            token="demo-token",
            transport=emulator.transport(),
            governor=governor,
        )
        return
    with running_server(emulator) as base_url:
        yield lambda: DiscogsClient(base_url=base_url, token="demo-token", governor=governor)


@pytest.fixture
async def client(client_factory: Callable[[], DiscogsClient]) -> AsyncIterator[DiscogsClient]:
    async with client_factory() as client:
        yield client


@pytest.mark.parametrize(("name", "recorded", "call"), CASES, ids=[c[0] for c in CASES])
async def test_answers_have_the_recorded_structure(
    client: DiscogsClient, name: str, recorded: Any, call: Call
) -> None:
    ids = await discover_ids(client)
    answer = await call(client, ids)
    problems = [p for p in structure_diff(recorded, answer) if p not in KNOWN_GAPS.get(name, set())]
    assert problems == [], f"{name}: the emulator differs from the recorded answer"


async def test_live_2026_recordings(client: DiscogsClient) -> None:
    """The DiscogsApiClient recordings (live API, 2026): folders, fields, value, wants, errors."""
    ids = await discover_ids(client)
    checks = 0
    for name in (
        "Collection.CollectionFieldsTests.GetCollectionFields_ShouldReturnFields_WhenUsernameIsValid.json",
        "Collection.CollectionValueTests.GetCollectionValue_ShouldReturnCollectionValue_WhenUsernameIsValid.json",
        "Collection.CollectionFoldersTests.CreateUpdateDeleteCollectionFolder_ShouldSucceed_WhenParametersAreValid.json",
        "Collection.WantlistTests.AddAndRemoveReleaseFromWantlist_ShouldSucceed_WhenParametersAreValid.json",
    ):
        folder_id: int | None = None
        for exchange in recorded_exchanges(name):
            body = exchange["responseBody"]
            if not body:
                continue
            recorded = json.loads(body)
            method = exchange["requestMethod"]
            url = exchange["requestUrl"].split("api.discogs.com", 1)[1]
            parts = url.split("/")
            parts[2] = "demo"
            if "wants" in parts:
                parts[-1] = str(ids["unwanted"])
            if "folders" in parts and len(parts) > 5 and folder_id is not None:
                parts[5] = str(folder_id)
            path = "/".join(parts)
            sent = {"name": "fidelity"} if "folders" in parts and method == "POST" else {}
            answer = await client.get_raw(path, method=method, body=sent or None)
            if "folders" in parts and method == "POST" and folder_id is None:
                folder_id = answer["id"]
            assert structure_diff(recorded, answer) == [], f"{name}: {method} {path}"
            checks += 1
        if folder_id is not None:
            await client.delete_collection_folder("demo", folder_id)
    assert checks >= 5


def test_structure_diff_finds_missing_keys_and_type_changes() -> None:
    assert structure_diff({"a": 1, "b": [{"c": "x"}]}, {"a": 2.5, "b": [{"c": "y"}], "z": 0}) == []
    assert structure_diff({"a": 1}, {}) == ["$.a: missing"]
    assert structure_diff({"a": "1"}, {"a": 1}) == ["$.a: string expected, number found"]
    assert structure_diff({"b": [{"c": 1}]}, {"b": [{}]}) == ["$.b[0].c: missing"]
    assert structure_diff({"a": None}, {"a": {"x": 1}}) == []
