"""Every public DiscogsClient method, called at least once against the in-process emulator.

One walk through the demo world in a sensible order (read, write, read back, undo), so a
method whose path, parameters or model drift from the emulator fails here. The last test
checks that the walk really did call every public coroutine method of the client.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest

from discogs_tui.api.client import DiscogsClient, OAuthTokens
from discogs_tui.api.errors import AuthError
from discogs_tui.api.ratelimit import RateGovernor
from discogs_tui.emulator.app import Emulator
from discogs_tui.models import Page
from discogs_tui.models.collection import (
    AddedInstance,
    CollectionValue,
    CustomFieldList,
    Folder,
    FolderList,
)
from discogs_tui.models.database import (
    Artist,
    CommunityRating,
    Label,
    Master,
    Release,
    ReleaseRatingByUser,
    ReleaseStats,
    Service,
)
from discogs_tui.models.marketplace import (
    Fee,
    InventoryExport,
    InventoryUpload,
    Listing,
    MarketplaceStats,
    NewListing,
    Order,
    OrderMessage,
    PriceSuggestions,
)
from discogs_tui.models.user import Identity, Profile, Submissions, UserList

BASE = "http://localhost"

CALLED: set[str] = set()
"""Names of the client methods the walk called (checked by the last test)."""


class Recording(DiscogsClient):
    """A DiscogsClient that notes which public methods were called."""

    def __getattribute__(self, name: str) -> Any:
        if not name.startswith("_"):
            CALLED.add(name)
        return super().__getattribute__(name)


@pytest.fixture(scope="module")
def emulator() -> Emulator:
    return Emulator(base_url=BASE, rate_limit=10**6, anonymous_rate_limit=10**6)


@pytest.fixture
async def client(emulator: Emulator) -> AsyncIterator[DiscogsClient]:
    async with Recording(
        base_url=BASE,
        token="demo-token",
        transport=emulator.transport(offload=False),
        governor=RateGovernor(limit=10**6),
    ) as client:
        client.set_username("demo")
        yield client


async def test_service_identity_and_database(client: DiscogsClient) -> None:
    assert isinstance(await client.get_service(), Service)
    me = await client.get_user_identity()
    assert isinstance(me, Identity) and me.username == "demo"

    release = await client.get_release(1, curr_abbr="EUR")
    assert isinstance(release, Release) and release.title == "Stockholm"
    assert str(release.resource_url).startswith(BASE)
    assert isinstance(await client.get_release_rating(1), CommunityRating)
    assert isinstance(await client.get_release_stats(1), ReleaseStats)

    rated = await client.update_release_rating(1, "demo", rating=4)
    assert isinstance(rated, ReleaseRatingByUser) and rated.rating == 4
    assert (await client.get_release_rating_by_user(1, "demo")).rating == 4
    assert await client.delete_release_rating(1, "demo") is None
    assert (await client.get_release_rating_by_user(1, "demo")).rating == 0

    assert release.master_id is not None
    master = await client.get_master(release.master_id)
    assert isinstance(master, Master)
    versions = await client.get_master_versions(release.master_id, sort="released")
    assert isinstance(versions, Page) and any(v.id == 1 for v in versions.items)

    artist_id = release.artists[0].id
    assert isinstance(await client.get_artist(artist_id), Artist)
    works = await client.get_artist_releases(artist_id, sort="year", sort_order="asc")
    assert works.pagination.items == len(works.items) > 0

    label_id = release.labels[0].id
    assert isinstance(await client.get_label(label_id), Label)
    assert (await client.get_label_releases(label_id, per_page=2)).pagination.per_page == 2

    found = await client.search_database(q="persuader", type="release")
    assert found.items and all(r.type == "release" for r in found.items)
    assert await client.get_raw("/releases/1/stats") == {"is_offensive": False}


async def test_user_profile_contributions_lists(client: DiscogsClient) -> None:
    profile = await client.update_user_profile("demo", location="Malmö")
    assert isinstance(profile, Profile) and profile.location == "Malmö"
    assert (await client.get_user_profile("demo")).location == "Malmö"
    assert (await client.get_user_contributions("demo", sort="year")).items
    submissions = await client.get_user_submissions("demo")
    assert isinstance(submissions, Submissions | Page)
    lists = await client.get_lists("demo")
    assert lists.items
    detail = await client.get_list(lists.items[0].id)
    assert isinstance(detail, UserList)


async def test_collection_round_trip(client: DiscogsClient) -> None:
    folders = await client.get_collection_folders("demo")
    assert isinstance(folders, FolderList) and folders.folders[0].id == 0
    created = await client.create_collection_folder("demo", name="All methods")
    assert isinstance(created, Folder) and created.count == 0
    renamed = await client.update_collection_folder("demo", created.id, name="All methods 2")
    assert renamed.name == "All methods 2"
    assert (await client.get_collection_folder("demo", created.id)).name == "All methods 2"

    added = await client.add_to_collection_folder("demo", created.id, 1)
    assert isinstance(added, AddedInstance)
    items = await client.get_collection_items_by_folder("demo", created.id, sort="added")
    assert [i.instance_id for i in items.items] == [added.instance_id]
    by_release = await client.get_collection_items_by_release("demo", 1)
    assert added.instance_id in {i.instance_id for i in by_release.items}

    fields = await client.get_custom_fields("demo")
    assert isinstance(fields, CustomFieldList)
    textarea = next(f for f in fields.fields if f.type == "textarea")
    await client.update_instance_field(
        "demo", created.id, 1, added.instance_id, textarea.id, value="Signed sleeve"
    )
    await client.update_instance_rating("demo", created.id, 1, added.instance_id, rating=5)
    await client.move_instance("demo", created.id, 1, added.instance_id, to_folder_id=1)
    moved = await client.get_collection_items_by_release("demo", 1)
    mine = next(i for i in moved.items if i.instance_id == added.instance_id)
    assert mine.folder_id == 1 and mine.rating == 5
    assert any(n.value == "Signed sleeve" for n in mine.notes or [])

    await client.remove_from_collection_folder("demo", 1, 1, added.instance_id)
    await client.delete_collection_folder("demo", created.id)
    assert isinstance(await client.get_collection_value("demo"), CollectionValue)


async def test_wantlist_round_trip(client: DiscogsClient) -> None:
    wants = {w.id async for w in client.walk(client.get_wantlist, "demo")}
    target = next(i for i in (3, 4, 5, 6, 7, 8, 9, 10) if i not in wants)
    added = await client.add_to_wantlist("demo", target, notes="first", rating=2)
    assert added.id == target
    updated = await client.update_want("demo", target, notes="second")
    assert updated.notes == "second"
    await client.remove_from_wantlist("demo", target)
    assert target not in {w.id async for w in client.walk(client.get_wantlist, "demo")}


async def test_marketplace_round_trip(client: DiscogsClient) -> None:
    inventory = await client.get_inventory("demo", status="For Sale", sort="price")
    assert inventory.items and all(item.status == "For Sale" for item in inventory.items)
    created = await client.create_listing(
        release_id=1, condition="Very Good Plus (VG+)", price=12.5, status="Draft"
    )
    assert isinstance(created, NewListing)
    listing = await client.get_listing(created.listing_id)
    assert isinstance(listing, Listing) and listing.status == "Draft"
    await client.update_listing(
        created.listing_id,
        release_id=1,
        condition="Near Mint (NM or M-)",
        price=14.0,
        status="For Sale",
        comments="edited",
    )
    edited = await client.get_listing(created.listing_id, curr_abbr="USD")
    assert edited.status == "For Sale" and edited.comments == "edited"
    await client.delete_listing(created.listing_id)

    orders = await client.get_orders(status="All", sort="created", sort_order="desc")
    assert orders.items
    fresh = next(o for o in orders.items if o.status == "New Order")
    order = await client.get_order(fresh.id)
    assert isinstance(order, Order)
    assert (await client.get_order_messages(order.id)).items
    sent = await client.create_order_message(order.id, message="Packed today.")
    assert isinstance(sent, OrderMessage) and sent.message == "Packed today."
    target = next(s for s in order.next_status if s != order.status)
    changed = await client.update_order(order.id, status=target)
    assert changed.status == target

    assert isinstance(await client.get_fee(20.5, "EUR"), Fee)
    assert isinstance(await client.get_price_suggestions(1), PriceSuggestions)
    assert isinstance(await client.get_marketplace_stats(1, curr_abbr="EUR"), MarketplaceStats)


async def test_inventory_export_and_upload(client: DiscogsClient) -> None:
    await client.create_inventory_export()
    exports = await client.get_inventory_exports()
    assert exports.items
    export = await client.get_inventory_export(exports.items[0].id)
    assert isinstance(export, InventoryExport)
    csv = await client.download_inventory_export(export.id)
    assert csv.startswith(b"listing_id,")

    await client.create_inventory_upload(
        "add", b"release_id,price,media_condition\n1,9.99,Mint (M)\n", filename="add.csv"
    )
    uploads = await client.get_inventory_uploads()
    assert uploads.items
    upload = await client.get_inventory_upload(uploads.items[0].id)
    assert isinstance(upload, InventoryUpload) and upload.status == "success"


async def test_oauth_dance(emulator: Emulator) -> None:
    governor = RateGovernor(limit=10**6)
    async with Recording(
        base_url=BASE,
        consumer_key="demo-consumer-key",
        consumer_secret="demo-consumer-secret",
        transport=emulator.transport(offload=False),
        governor=governor,
    ) as consumer:
        request = await consumer.get_request_token()
        assert isinstance(request, OAuthTokens) and request.callback_confirmed
        url = consumer.authorize_url(request.oauth_token)
        assert url.startswith(f"{BASE}/oauth/authorize?oauth_token=")
        page = await consumer._http.get(url)
        found = re.search(r"Verifier: (\w+)", page.text)
        assert found is not None
        access = await consumer.create_access_token(
            request.oauth_token, request.oauth_token_secret, found.group(1)
        )
        # Key and secret alone may search (any identity) but are nobody's collection.
        assert (await consumer.search_database(q="stockholm", per_page=1)).items
        with pytest.raises(AuthError):
            await consumer.get_collection_value("demo")
    async with DiscogsClient(
        base_url=BASE,
        consumer_key="demo-consumer-key",
        consumer_secret="demo-consumer-secret",
        oauth_token=access.oauth_token,
        oauth_token_secret=access.oauth_token_secret,
        transport=emulator.transport(offload=False),
        governor=governor,
    ) as signed_in:
        assert (await signed_in.get_user_identity()).username == "demo"
        assert (await signed_in.get_collection_folders("demo")).folders


def test_every_public_method_was_called() -> None:
    """Runs last in this file: the walk above reached every public coroutine method."""
    public = {
        name
        for name, member in inspect.getmembers(DiscogsClient)
        if not name.startswith("_")
        and (inspect.iscoroutinefunction(member) or inspect.isasyncgenfunction(member))
    }
    public -= {"aclose", "check_cache"}  # ``async with``; the disk cache, not an endpoint
    assert public - CALLED == set()
    # Non-coroutine helpers the walk relies on.
    assert {"authorize_url", "set_username"} <= CALLED
