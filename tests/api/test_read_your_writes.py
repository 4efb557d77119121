"""Read-your-writes: after a write, no read hands out or keeps an answer from before it.

Every write method of the client is tried against the in-process emulator in two ways:

* the race: a read of the data is slow on its way back (the server answered before the
  write), the write happens, a read asked after the write must not join the slow read, and
  the slow read must not store its old answer for a later read;
* the cache: with every related page cached, after the write each of them reads the same as
  a client with no cache (nothing the write changed is still served from the disk).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pydantic
import pytest

from discogs_tui.api.client import DiscogsClient
from discogs_tui.api.ratelimit import RateGovernor
from discogs_tui.emulator.app import Emulator
from discogs_tui.emulator.dataset import Dataset

BASE_URL = "http://localhost"
ME = "demo"
CDS = 9500002
"""The demo user's "CDs" folder."""


class SlowReturn(httpx.AsyncBaseTransport):
    """The emulator, but the answer to one chosen GET is held on its way back.

    The server has answered (with the data as it was) before the hold begins, like an answer
    still travelling when the user saves an edit.
    """

    def __init__(self, emulator: Emulator) -> None:
        self.inner = emulator.transport(offload=False)
        self.hold_path: str | None = None
        self.held = asyncio.Event()
        self.release = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        body = await response.aread()
        if request.method == "GET" and request.url.path == self.hold_path:
            self.hold_path = None
            self.held.set()
            await self.release.wait()
        return httpx.Response(response.status_code, headers=response.headers, content=body)


def new_client(transport: httpx.AsyncBaseTransport, cache: Path | None) -> DiscogsClient:
    client = DiscogsClient(
        base_url=BASE_URL,
        token="demo-token",
        transport=transport,
        cache=cache,
        governor=RateGovernor(limit=100_000),
    )
    client.set_username(ME)
    return client


@dataclass
class World:
    """Ids from the demo state that the writes act on."""

    instance: Any
    """A collection item of demo's (release, folder, instance, rating)."""
    listing: Any
    order: Any
    want: Any
    empty_folder: int
    listing_release: int


async def discover(client: DiscogsClient) -> World:
    items = await client.get_collection_items_by_folder(ME, 1, per_page=1)
    inventory = await client.get_inventory(ME, status="For Sale", per_page=1)
    orders = await client.get_orders(per_page=10)
    order = next(o for o in orders.items if o.next_status)
    wants = await client.get_wantlist(ME, per_page=1)
    folder = await client.create_collection_folder(ME, name="Empty for now")
    await client.update_release_rating(1, ME, rating=2)  # so that removing it shows
    listing = inventory.items[0]
    return World(
        instance=items.items[0],
        listing=listing,
        order=order,
        want=wants.items[0],
        empty_folder=folder.id,
        listing_release=listing.release.id,
    )


Read = Callable[[DiscogsClient, World], Awaitable[Any]]
Write = Callable[[DiscogsClient, World], Awaitable[Any]]


@dataclass(frozen=True)
class Case:
    write: Write
    read: Read
    """A read whose answer the write changes."""
    path: Callable[[World], str]
    """The path that read asks for."""


def items_of_release(c: DiscogsClient, w: World) -> Awaitable[Any]:
    return c.get_collection_items_by_release(ME, w.instance.id)


def items_path(w: World) -> str:
    return f"/users/{ME}/collection/releases/{w.instance.id}"


def folders_path(w: World) -> str:
    return f"/users/{ME}/collection/folders"


def listing_release_path(w: World) -> str:
    return f"/releases/{w.listing_release}"


UPLOAD_CSV = b"release_id,price,media_condition\n1,9.99,Mint (M)\n"

CASES: dict[str, Case] = {
    "rate a release": Case(
        lambda c, w: c.update_release_rating(1, ME, rating=4),
        lambda c, w: c.get_release_rating(1),
        lambda w: "/releases/1/rating",
    ),
    "remove a release rating": Case(
        lambda c, w: c.delete_release_rating(1, ME),
        lambda c, w: c.get_user_profile(ME),
        lambda w: f"/users/{ME}",
    ),
    "edit the profile": Case(
        lambda c, w: c.update_user_profile(ME, location="Somewhere else"),
        lambda c, w: c.get_user_profile(ME),
        lambda w: f"/users/{ME}",
    ),
    "create a folder": Case(
        lambda c, w: c.create_collection_folder(ME, name="Tapes"),
        lambda c, w: c.get_collection_folders(ME),
        folders_path,
    ),
    "rename a folder": Case(
        lambda c, w: c.update_collection_folder(ME, CDS, name="Compact Discs"),
        lambda c, w: c.get_collection_folders(ME),
        folders_path,
    ),
    "delete a folder": Case(
        lambda c, w: c.delete_collection_folder(ME, w.empty_folder),
        lambda c, w: c.get_collection_folders(ME),
        folders_path,
    ),
    "add to the collection": Case(
        lambda c, w: c.add_to_collection_folder(ME, CDS, w.instance.id),
        items_of_release,
        items_path,
    ),
    "rate an instance": Case(
        lambda c, w: c.update_instance_rating(
            ME,
            w.instance.folder_id,
            w.instance.id,
            w.instance.instance_id,
            rating=5 if w.instance.rating != 5 else 1,
        ),
        items_of_release,
        items_path,
    ),
    "move an instance": Case(
        lambda c, w: c.move_instance(
            ME, w.instance.folder_id, w.instance.id, w.instance.instance_id, to_folder_id=CDS
        ),
        items_of_release,
        items_path,
    ),
    "remove an instance": Case(
        lambda c, w: c.remove_from_collection_folder(
            ME, w.instance.folder_id, w.instance.id, w.instance.instance_id
        ),
        lambda c, w: c.get_collection_value(ME),
        lambda w: f"/users/{ME}/collection/value",
    ),
    "edit an instance's notes": Case(
        lambda c, w: c.update_instance_field(
            ME, w.instance.folder_id, w.instance.id, w.instance.instance_id, 2, value="Cleaned"
        ),
        items_of_release,
        items_path,
    ),
    "add a want": Case(
        lambda c, w: c.add_to_wantlist(ME, 1, notes="First pressing"),
        lambda c, w: c.get_wantlist(ME),
        lambda w: f"/users/{ME}/wants",
    ),
    "edit a want": Case(
        lambda c, w: c.update_want(ME, w.want.id, notes="Any pressing"),
        lambda c, w: c.get_wantlist(ME),
        lambda w: f"/users/{ME}/wants",
    ),
    "remove a want": Case(
        lambda c, w: c.remove_from_wantlist(ME, w.want.id),
        lambda c, w: c.get_user_profile(ME),
        lambda w: f"/users/{ME}",
    ),
    "edit a listing": Case(
        lambda c, w: c.update_listing(
            w.listing.id,
            release_id=w.listing_release,
            condition="Mint (M)",
            price=0.5,
            status="For Sale",
        ),
        lambda c, w: c.get_release(w.listing_release),
        listing_release_path,
    ),
    "create a listing": Case(
        lambda c, w: c.create_listing(release_id=w.listing_release, condition="Mint (M)", price=1),
        lambda c, w: c.get_inventory(ME),
        lambda w: f"/users/{ME}/inventory",
    ),
    "delete a listing": Case(
        lambda c, w: c.delete_listing(w.listing.id, release_id=w.listing_release),
        lambda c, w: c.get_release(w.listing_release),
        listing_release_path,
    ),
    "change an order's status": Case(
        lambda c, w: c.update_order(w.order.id, status=w.order.next_status[-1]),
        lambda c, w: c.get_orders(),
        lambda w: "/marketplace/orders",
    ),
    "message a buyer": Case(
        lambda c, w: c.create_order_message(w.order.id, message="Posted today"),
        lambda c, w: c.get_order_messages(w.order.id),
        lambda w: f"/marketplace/orders/{w.order.id}/messages",
    ),
    "export the inventory": Case(
        lambda c, w: c.create_inventory_export(),
        lambda c, w: c.get_inventory_exports(),
        lambda w: "/inventory/export",
    ),
    "upload listings": Case(
        lambda c, w: c.create_inventory_upload("add", UPLOAD_CSV),
        lambda c, w: c.get_release(1),
        lambda w: "/releases/1",
    ),
    "a raw write": Case(
        lambda c, w: c.get_raw(f"/users/{ME}/wants/1", method="PUT"),
        lambda c, w: c.get_user_profile(ME),
        lambda w: f"/users/{ME}",
    ),
}


def comparable(answer: Any) -> Any:
    """An answer as plain data, without how it was fetched."""
    if isinstance(answer, pydantic.BaseModel):
        return answer.model_dump(mode="json")
    return answer


@pytest.mark.parametrize("name", CASES)
async def test_a_read_in_flight_when_a_write_starts_is_neither_shared_nor_stored(
    name: str, dataset: Dataset, tmp_path: Path
) -> None:
    """Before: the read after the write joined the slow one and got (and cached) the old data."""
    case = CASES[name]
    emulator = Emulator(dataset=dataset, base_url=BASE_URL, rate_limit=100_000)
    slow = SlowReturn(emulator)
    async with (
        new_client(slow, tmp_path / "cache") as client,
        new_client(emulator.transport(offload=False), None) as truth,
    ):
        world = await discover(truth)
        slow.hold_path = case.path(world)
        first = asyncio.create_task(case.read(client, world))
        try:
            await asyncio.wait_for(slow.held.wait(), 5)
            await case.write(client, world)
            # Joining the held read would wait for ever: a time-out here is the failure.
            after = await asyncio.wait_for(case.read(client, world), 5)
        finally:
            slow.release.set()
        now = comparable(await case.read(truth, world))
        assert comparable(after) == now, "the read after the write saw the write"
        before = comparable(await first)
        assert before != now, "the write changed what the read shows"
        later = await case.read(client, world)
        assert comparable(later) == now, "the slow read's old answer was not stored"


async def related_reads(client: DiscogsClient, w: World) -> dict[str, Any]:
    """Every page a write in this file could change, except masters (see the client)."""
    reads: dict[str, Awaitable[Any]] = {
        "profile": client.get_user_profile(ME),
        "folders": client.get_collection_folders(ME),
        "folder CDs": client.get_collection_folder(ME, CDS),
        "all items": client.get_collection_items_by_folder(ME, 0),
        "items in CDs": client.get_collection_items_by_folder(ME, CDS),
        "items of the release": items_of_release(client, w),
        "items of release 1": client.get_collection_items_by_release(ME, 1),
        "value": client.get_collection_value(ME),
        "wantlist": client.get_wantlist(ME),
        "inventory": client.get_inventory(ME),
        "listing": client.get_listing(w.listing.id),
        "release 1": client.get_release(1),
        "listing's release": client.get_release(w.listing_release),
        "community rating": client.get_release_rating(1),
        "my rating": client.get_release_rating_by_user(1, ME),
        "market stats 1": client.get_marketplace_stats(1),
        "market stats": client.get_marketplace_stats(w.listing_release),
        "orders": client.get_orders(),
        "order": client.get_order(w.order.id),
        "messages": client.get_order_messages(w.order.id),
        "exports": client.get_inventory_exports(),
        "uploads": client.get_inventory_uploads(),
    }
    answers: dict[str, Any] = {}
    for label, read in reads.items():
        try:
            answers[label] = comparable(await read)
        except Exception as error:  # e.g. a listing the write deleted: compare the error
            answers[label] = type(error).__name__
    return answers


@pytest.mark.parametrize("name", CASES)
async def test_after_a_write_no_cached_page_shows_the_data_before_it(
    name: str, dataset: Dataset, tmp_path: Path
) -> None:
    case = CASES[name]
    emulator = Emulator(dataset=dataset, base_url=BASE_URL, rate_limit=100_000)
    async with (
        new_client(emulator.transport(offload=False), tmp_path / "cache") as client,
        new_client(emulator.transport(offload=False), None) as truth,
    ):
        world = await discover(truth)
        await related_reads(client, world)  # everything cached
        await case.write(client, world)
        cached = await related_reads(client, world)
        fresh = await related_reads(truth, world)
    stale = sorted(label for label in fresh if cached[label] != fresh[label])
    assert stale == []


async def test_a_write_tells_its_listeners_what_changed_and_a_refused_one_does_not(
    dataset: Dataset,
) -> None:
    """Pages learn from the client which data a write changed; a refused write changed nothing."""
    emulator = Emulator(base_url=BASE_URL, dataset=dataset)
    told: list[tuple[str, ...]] = []
    async with DiscogsClient(
        base_url=BASE_URL, token="demo-token", transport=emulator.transport()
    ) as client:
        client.change_listeners.append(told.append)
        await client.update_release_rating(3, ME, rating=4)
        assert len(told) == 1
        assert any("/releases/3".startswith(prefix.rstrip("?")) for prefix in told[0])
        with pytest.raises(Exception, match="rating"):
            await client.update_release_rating(3, ME, rating=9)
        assert len(told) == 1
