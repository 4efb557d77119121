"""Walking a whole collection folder (tasks.collection): pages, progress, cancel, estimate."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from discogs_tui.api.client import DiscogsClient
from discogs_tui.api.errors import AuthError, ForbiddenError
from discogs_tui.api.ratelimit import Priority, RateState
from discogs_tui.emulator.app import Emulator
from discogs_tui.emulator.records import InstanceRecord
from discogs_tui.tasks.collection import (
    LoadProgress,
    estimate,
    load_all,
    load_overview,
    pages_for,
    private_collection_message,
)

BASE = "http://localhost"


@pytest.fixture(scope="module")
def big() -> Emulator:
    """The demo world with 2,000 collection instances (built once: it takes a moment)."""
    return Emulator(base_url=BASE, scale=2000, rate_limit=100_000)


@pytest.fixture
async def client(big: Emulator) -> AsyncIterator[DiscogsClient]:
    async with DiscogsClient(
        base_url=BASE, token="demo-token", transport=big.transport(offload=False)
    ) as client:
        yield client


def budget(limit: int = 60, remaining: int = 60) -> RateState:
    return RateState(
        limit=limit,
        used=limit - remaining,
        remaining=remaining,
        queued=0,
        throttled_until=None,
        updated_at=None,
        source="local",
    )


async def test_all_of_two_thousand_items_in_twenty_requests(client: DiscogsClient) -> None:
    steps: list[LoadProgress] = []
    pages: list[list[int | None]] = []
    result = await load_all(
        client,
        "demo",
        0,
        on_progress=steps.append,
        on_items=lambda items: pages.append([item.instance_id for item in items]),
    )
    assert [len(page) for page in pages] == [100] * 20
    assert [i for page in pages for i in page] == [item.instance_id for item in result.items]
    assert len(result.items) == 2000 and result.total == 2000
    assert result.requests == 20 == client.requests_sent
    assert result.pages == 20 and result.complete and not result.cancelled
    assert len({item.instance_id for item in result.items}) == 2000
    assert [step.loaded for step in steps] == list(range(100, 2001, 100))
    assert [step.requests for step in steps] == list(range(1, 21))
    assert all(step.total == 2000 for step in steps)
    folders = await client.get_collection_folders("demo")
    assert next(f.count for f in folders.folders if f.id == 0) == 2000


async def test_one_folder_and_the_order_asked_for(client: DiscogsClient) -> None:
    folders = {f.id: f for f in (await client.get_collection_folders("demo")).folders}
    techno = next(f for f in folders.values() if f.name == "Techno")
    assert techno.id is not None
    result = await load_all(client, "demo", techno.id, sort="year", sort_order="desc")
    assert len(result.items) == techno.count == result.total
    assert {item.folder_id for item in result.items} == {techno.id}
    years = [item.basic_information.year or 0 for item in result.items]
    assert years == sorted(years, reverse=True)
    first = await client.get_collection_items_by_folder(
        "demo", techno.id, sort="year", sort_order="desc"
    )
    assert [i.instance_id for i in result.items[:100]] == [i.instance_id for i in first.items]


async def test_a_bad_sort_is_refused_before_any_request(client: DiscogsClient) -> None:
    with pytest.raises(ValueError, match="sort must be one of added, artist"):
        await load_all(client, "demo", sort="price")
    with pytest.raises(ValueError, match="asc or desc"):
        await load_all(client, "demo", sort="year", sort_order="up")
    assert client.requests_sent == 0


async def test_cancel_stops_after_the_request_in_flight(client: DiscogsClient) -> None:
    cancel = asyncio.Event()

    def progress(step: LoadProgress) -> None:
        if step.pages == 3:
            cancel.set()

    result = await load_all(client, "demo", on_progress=progress, cancel=cancel)
    assert result.cancelled and not result.complete
    assert result.pages == 3 and len(result.items) == 300
    assert result.requests == 3 == client.requests_sent


async def test_cancelling_the_task_stops_at_once(client: DiscogsClient) -> None:
    task: asyncio.Task[object] | None = None

    def progress(step: LoadProgress) -> None:
        if step.pages == 2 and task is not None:
            task.cancel()

    task = asyncio.ensure_future(load_all(client, "demo", on_progress=progress))
    with pytest.raises(asyncio.CancelledError):
        await task
    assert client.requests_sent == 2


async def test_pages_are_background_work(client: DiscogsClient) -> None:
    seen: list[Priority] = []
    acquire = client.governor.acquire

    async def spy(priority: Priority = Priority.INTERACTIVE) -> float:
        seen.append(priority)
        return await acquire(priority)

    client.governor.acquire = spy  # type: ignore[method-assign]
    await load_all(client, "demo")
    assert seen == [Priority.BACKGROUND] * 20


async def test_an_instance_added_meanwhile_is_not_listed_twice() -> None:
    emulator = Emulator(base_url=BASE)  # 300 instances
    async with DiscogsClient(
        base_url=BASE, token="demo-token", transport=emulator.transport(offload=False)
    ) as client:
        collection = emulator.state.collection("demo")
        some = next(iter(collection.instances.values()))

        def add_one_on_top(step: LoadProgress) -> None:
            if step.pages == 1:
                collection.add(
                    InstanceRecord(
                        instance_id=9_999_999,
                        release_id=some.release_id,
                        folder_id=1,
                        rating=0,
                        date_added="2099-01-01T00:00:00-07:00",
                    )
                )

        result = await load_all(
            client, "demo", sort="added", sort_order="desc", on_progress=add_one_on_top
        )
    ids = [item.instance_id for item in result.items]
    assert len(ids) == len(set(ids)) == 300, "page 2 began with page 1's last item again"
    assert 9_999_999 not in ids  # it went in on page 1, already read


async def test_another_users_private_collection_says_why(client: DiscogsClient) -> None:
    with pytest.raises((ForbiddenError, AuthError)):
        await load_all(client, "privateuser")
    words = private_collection_message("privateuser", "demo")
    assert "privateuser" in words and "private" in words and "signed in as demo" in words
    assert "token" in private_collection_message("privateuser", None)


async def test_overview_gives_folders_fields_and_the_value(client: DiscogsClient) -> None:
    overview = await load_overview(client, "demo")
    assert overview.count(0) == 2000
    assert overview.folder_names()[1] == "Uncategorized"
    assert [f.name for f in overview.fields] == ["Media", "Notes"]
    assert overview.value is not None and overview.value.median.startswith("$")
    async with DiscogsClient(
        base_url=BASE, transport=Emulator(base_url=BASE).transport(offload=False)
    ) as anonymous:
        theirs = await load_overview(anonymous, "demo")
    assert theirs.value is None, "the value is the owner's only"
    assert list(theirs.folder_names()) == [0]
    assert [f.name for f in theirs.fields] == ["Media"], "only public fields"


@pytest.mark.parametrize(
    ("items", "remaining", "words"),
    [
        (2000, 60, "20 requests, about 10 s at 60/min"),
        # 55 counted in the window leave it over the next minute, about one a second.
        (2000, 5, "20 requests, about 17 s at 60/min"),
        (2000, 0, "20 requests, about 21 s at 60/min"),  # one a second from the start
        # 60 in 30 s, a wait for the first to leave at 60 s, then 40 more in 20 s.
        (10_000, 60, "100 requests, about 80 s at 60/min"),
        (100_000, 60, "1000 requests, about 16 min at 60/min"),
        (0, 60, "1 request, about 1 s at 60/min"),  # an empty folder is still one page
        (50, 0, "1 request, about 2 s at 60/min"),
    ],
)
def test_estimate_in_words(items: int, remaining: int, words: str) -> None:
    assert str(estimate(items, budget(remaining=remaining))) == words


def test_estimate_counts_cached_pages_and_other_reads() -> None:
    cost = estimate(2000, budget(limit=25, remaining=25), cached_pages=15, extra_requests=2)
    assert (cost.requests, cost.limit) == (7, 25)
    assert str(cost) == "7 requests, about 4 s at 25/min"
    assert pages_for(2001) == 21 and pages_for(100) == 1
    with pytest.raises(ValueError):
        pages_for(10, 0)
