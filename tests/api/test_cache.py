"""The disk cache: round trips, TTL by kind, staleness, invalidation, namespaces, privacy, the loop."""

from __future__ import annotations

import asyncio
import os
import stat
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import diskcache
import pytest

from discogs_tui.api.cache import (
    DAY,
    HOUR,
    MINUTE,
    CachedAnswer,
    ResponseCache,
    WriteGenerations,
    cache_key,
    cache_stats_all,
    clear_all,
    default_cache_dir,
    namespace_for,
    ttl_for,
)

BASE = "https://api.discogs.com"
START = 1_700_000_000.0


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


MakeCache = Callable[..., ResponseCache]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "answers"


@pytest.fixture
def make_cache(cache_dir: Path, clock: FakeClock) -> Iterator[MakeCache]:
    """Build caches on the fake clock under ``cache_dir``; close them all afterwards."""
    made: list[ResponseCache] = []

    def make(namespace: str = "ns1", **kwargs: Any) -> ResponseCache:
        kwargs.setdefault("clock", clock)
        directory = kwargs.pop("directory", cache_dir)
        cache = ResponseCache(directory, namespace=namespace, **kwargs)
        made.append(cache)
        return cache

    yield make
    for cache in made:
        cache.close()


def key(path: str, **params: str | int | float | bool) -> str:
    return cache_key("GET", path, params or None)


# --- round trips, age and staleness ------------------------------------------------------------


async def test_put_then_get_returns_body_status_and_times(
    make_cache: MakeCache, clock: FakeClock
) -> None:
    cache = make_cache()
    await cache.put(key("/releases/249504"), b'{"id": 249504}', status=200, ttl=7 * DAY)

    answer = await cache.get(key("/releases/249504"))

    assert answer == CachedAnswer(
        body=b'{"id": 249504}', status=200, stored_at=START, expires_at=START + 7 * DAY
    )


async def test_missing_key_is_none(make_cache: MakeCache) -> None:
    cache = make_cache()
    await cache.put(key("/releases/1"), b"one", status=200, ttl=60)

    assert await cache.get(key("/releases/2")) is None
    assert await cache.get(key("/releases/1", curr_abbr="EUR")) is None


async def test_body_too_big_for_the_database_goes_to_a_file_and_back(
    make_cache: MakeCache,
) -> None:
    cache = make_cache()
    body = bytes(range(256)) * 1024  # 256 KiB: diskcache stores it as a file
    await cache.put(key("/masters/1000/versions", page=1), body, status=200, ttl=60)

    answer = await cache.get(key("/masters/1000/versions", page=1))

    assert answer is not None
    assert answer.body == body
    assert len(list(cache.directory.rglob("*.val"))) == 1
    stats = await cache.stats()
    assert (stats.entries, stats.fresh, stats.stale) == (1, 1, 0)


async def test_put_overwrites_and_restarts_the_age(make_cache: MakeCache, clock: FakeClock) -> None:
    cache = make_cache()
    await cache.put(key("/users/demo"), b"old", status=200, ttl=300)
    clock.advance(100)
    await cache.put(key("/users/demo"), b"new", status=200, ttl=300)

    answer = await cache.get(key("/users/demo"))

    assert answer is not None
    assert answer.body == b"new"
    assert answer.age(clock()) == 0
    assert answer.expires_at == START + 400


async def test_age_and_freshness_follow_the_clock(make_cache: MakeCache, clock: FakeClock) -> None:
    cache = make_cache()
    await cache.put(key("/database/search", q="trash80"), b"[]", status=200, ttl=HOUR)

    clock.advance(HOUR - 1)
    answer = await cache.get(key("/database/search", q="trash80"))
    assert answer is not None
    assert answer.age(clock()) == HOUR - 1
    assert answer.is_fresh(clock())

    clock.advance(1)
    assert not answer.is_fresh(clock())


async def test_stale_answer_is_still_returned_marked_stale(
    make_cache: MakeCache, clock: FakeClock
) -> None:
    cache = make_cache()
    await cache.put(key("/marketplace/stats/1"), b"{}", status=200, ttl=10 * MINUTE)
    clock.advance(3 * DAY)

    answer = await cache.get(key("/marketplace/stats/1"))

    assert answer is not None
    assert answer.body == b"{}"
    assert not answer.is_fresh(clock())
    assert answer.age(clock()) == 3 * DAY


async def test_answer_past_the_grace_period_is_gone(
    make_cache: MakeCache, clock: FakeClock
) -> None:
    cache = make_cache(grace=DAY)
    await cache.put(key("/lists/5"), b"list", status=200, ttl=300)

    clock.advance(300 + DAY)  # exactly at the end of grace: still served
    assert await cache.get(key("/lists/5")) is not None
    clock.advance(1)
    assert await cache.get(key("/lists/5")) is None
    assert (await cache.stats()).entries == 0  # dropped, not just hidden


def test_age_never_goes_negative() -> None:
    answer = CachedAnswer(body=b"", status=200, stored_at=100.0, expires_at=200.0)

    assert answer.age(50.0) == 0
    assert answer.age(150.0) == 50
    assert answer.is_fresh(199.9)
    assert not answer.is_fresh(200.0)


async def test_put_rejects_negative_ttl_and_impossible_status(make_cache: MakeCache) -> None:
    cache = make_cache()

    with pytest.raises(ValueError, match="ttl"):
        await cache.put(key("/releases/1"), b"", status=200, ttl=-1)
    with pytest.raises(ValueError, match="status"):
        await cache.put(key("/releases/1"), b"", status=70000, ttl=1)
    assert await cache.get(key("/releases/1")) is None


async def test_foreign_value_is_dropped_not_misread(make_cache: MakeCache, cache_dir: Path) -> None:
    cache = make_cache()
    await cache.put(key("/releases/1"), b"ours", status=200, ttl=60)
    cache.close()
    with diskcache.Cache(str(cache_dir / "ns1")) as raw:
        raw.set(key("/releases/1"), b"not our format")

    reopened = make_cache()
    assert await reopened.get(key("/releases/1")) is None
    assert (await reopened.stats()).entries == 0


# --- invalidation ------------------------------------------------------------------------------

STORED = (
    key("/marketplace/listings/123"),
    key("/marketplace/listings/123", curr_abbr="EUR"),
    key("/marketplace/listings/1234"),
    key("/marketplace/listings/12"),
    key("/users/me/inventory", page=1, per_page=100),
    key("/users/me/inventory", page=2, per_page=100),
    key("/users/me/inventory", page=1, status="For Sale"),
    key("/users/me/inventoryx"),
    key("/users/other/inventory", page=1),
    key("/users/me"),
    key("/users/me/collection/folders"),
    key("/users/me/collection/folders/0/releases", page=1),
    key("/users/me/collection/folders/1/releases", page=3),
    key("/users/me/collection/fields"),
    key("/users/me/wants", page=1),
    key("/releases/123"),
)


async def fill(cache: ResponseCache) -> None:
    for stored in STORED:
        await cache.put(stored, stored.encode(), status=200, ttl=60)


async def remaining(cache: ResponseCache) -> set[str]:
    return {stored for stored in STORED if await cache.get(stored) is not None}


async def test_editing_a_listing_drops_that_listing_and_the_inventory_pages_only(
    make_cache: MakeCache,
) -> None:
    cache = make_cache()
    await fill(cache)

    dropped = await cache.invalidate("/marketplace/listings/123", "/users/me/inventory")

    gone = {
        key("/marketplace/listings/123"),
        key("/marketplace/listings/123", curr_abbr="EUR"),
        key("/users/me/inventory", page=1, per_page=100),
        key("/users/me/inventory", page=2, per_page=100),
        key("/users/me/inventory", page=1, status="For Sale"),
    }
    assert dropped == len(gone)
    assert await remaining(cache) == set(STORED) - gone


async def test_prefix_drops_everything_below_it_on_path_boundaries(make_cache: MakeCache) -> None:
    cache = make_cache()
    await fill(cache)

    dropped = await cache.invalidate("/users/me/collection")

    assert dropped == 4
    left = await remaining(cache)
    assert not any("/users/me/collection" in stored for stored in left)
    assert key("/users/me") in left
    assert key("/users/me/wants", page=1) in left


async def test_prefix_with_trailing_slash_or_query(make_cache: MakeCache) -> None:
    cache = make_cache()
    await fill(cache)

    assert await cache.invalidate("/users/me/wants/") == 1
    assert await cache.invalidate("/users/me/inventory?page=1") == 2
    left = await remaining(cache)
    assert key("/users/me/inventory", page=2, per_page=100) in left
    assert key("/users/me/wants", page=1) not in left
    assert len(left) == len(STORED) - 3


async def test_a_path_with_a_bare_query_mark_drops_that_path_alone(make_cache: MakeCache) -> None:
    cache = make_cache()
    await fill(cache)

    assert await cache.invalidate("/users/me?") == 1
    left = await remaining(cache)
    assert key("/users/me") not in left
    assert len(left) == len(STORED) - 1, "the collection, wantlist and inventory stay"


def test_write_generations_follow_the_invalidation_rules() -> None:
    marks = WriteGenerations()
    assert marks.of("/users/me/collection/folders/1/releases") == 0
    marks.bump(["/users/me/collection/folders"])
    below = marks.of("/users/me/collection/folders/1/releases?page=2")
    assert below > 0
    assert marks.of("/users/me/collection/folders") == below
    assert marks.of("/users/me/collection/value") == 0
    assert marks.of("/users/me/collection/folders0") == 0, "path boundaries, not text"
    marks.bump(["/users/me?"])
    assert marks.of("/users/me") > below
    assert marks.of("/users/me/wants") == 0, "a query mark covers the path alone"
    marks.bump(["/"])
    assert marks.of("/releases/1") == marks.of("/users/me") > below


async def test_invalidate_nothing_matching_or_no_prefix(make_cache: MakeCache) -> None:
    cache = make_cache()
    await fill(cache)

    assert await cache.invalidate() == 0
    assert await cache.invalidate("/marketplace/listings/99", "/artists") == 0
    assert await remaining(cache) == set(STORED)


async def test_invalidate_root_drops_everything(make_cache: MakeCache) -> None:
    cache = make_cache()
    await fill(cache)

    assert await cache.invalidate("/") == len(STORED)
    assert await remaining(cache) == set()


async def test_invalidate_never_reads_bodies(
    make_cache: MakeCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = make_cache()
    for page in range(1, 301):
        await cache.put(key("/users/me/inventory", page=page), b"x" * 100, status=200, ttl=60)
    for listing in range(300):
        await cache.put(key(f"/marketplace/listings/{listing}"), b"x", status=200, ttl=60)
    reads: list[object] = []
    real_fetch = diskcache.Disk.fetch

    def counting_fetch(self: diskcache.Disk, *args: Any) -> Any:
        reads.append(args)
        return real_fetch(self, *args)

    monkeypatch.setattr(diskcache.Disk, "fetch", counting_fetch)

    assert await cache.invalidate("/users/me/inventory", "/marketplace/listings/7") == 301
    assert reads == []
    assert (await cache.stats()).entries == 299


# --- namespaces, folders, privacy --------------------------------------------------------------


async def test_namespaces_are_isolated(make_cache: MakeCache) -> None:
    alice = make_cache(namespace_for(BASE, "alice-hash"))
    bob = make_cache(namespace_for(BASE, "bob-hash"))
    await alice.put(key("/users/alice/wants"), b"alice", status=200, ttl=60)
    await bob.put(key("/users/alice/wants"), b"bob", status=200, ttl=60)

    a = await alice.get(key("/users/alice/wants"))
    b = await bob.get(key("/users/alice/wants"))
    assert a is not None and a.body == b"alice"
    assert b is not None and b.body == b"bob"

    assert await alice.clear() == 1
    assert await alice.get(key("/users/alice/wants")) is None
    assert await bob.get(key("/users/alice/wants")) is not None


def test_namespace_is_a_short_stable_hash() -> None:
    ns = namespace_for(BASE, "token-hash")

    assert len(ns) == 16
    assert int(ns, 16) >= 0
    assert namespace_for(BASE, "token-hash") == ns
    assert namespace_for("https://API.discogs.com/", "token-hash") == ns
    assert namespace_for("https://api.discogs.com:443", "token-hash") == ns
    assert namespace_for(BASE, "other-hash") != ns
    assert namespace_for(BASE, None) != ns
    assert namespace_for(BASE, "") != namespace_for(BASE, None)
    assert namespace_for("http://127.0.0.1:8765", "token-hash") != ns


async def test_identity_and_token_never_reach_the_disk(make_cache: MakeCache) -> None:
    identity = "IdentityHashOfTheSecretToken0123456789"
    token = "RawTokenAbcdef0123456789"
    ns = namespace_for(BASE, identity)
    cache = make_cache(ns)
    stored = cache_key("GET", "/users/demo/wants", {"token": token, "page": 1})
    await cache.put(stored, b"[]", status=200, ttl=60)

    assert identity not in ns
    assert token not in stored
    assert await cache.get(stored) is not None
    for path in cache.directory.parent.rglob("*"):
        assert identity not in str(path)
        if path.is_file():
            content = path.read_bytes()
            assert identity.encode() not in content
            assert token.encode() not in content


def test_namespace_must_be_a_plain_folder_name(cache_dir: Path) -> None:
    for bad in ("", "../escape", "a/b", "x" * 65):
        with pytest.raises(ValueError, match="namespace"):
            ResponseCache(cache_dir, namespace=bad)
    assert not cache_dir.exists()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_folders_are_private(cache_dir: Path, make_cache: MakeCache) -> None:
    cache_dir.mkdir(mode=0o755)
    cache_dir.chmod(0o755)  # an existing, too open folder is tightened

    cache = make_cache("ns1")

    assert cache.directory == cache_dir / "ns1"
    assert mode(cache_dir) == 0o700
    assert mode(cache.directory) == 0o700


async def test_default_folder_is_in_the_xdg_cache_and_private(
    isolated_dirs: Path, clock: FakeClock
) -> None:
    cache = ResponseCache(namespace="abc123", clock=clock)
    try:
        await cache.put(key("/releases/1"), b"x", status=200, ttl=60)
    finally:
        cache.close()

    xdg_cache = isolated_dirs / "cache"
    assert default_cache_dir() == xdg_cache / "discogs-tui" / "http"
    assert cache.directory == xdg_cache / "discogs-tui" / "http" / "abc123"
    for folder in (xdg_cache / "discogs-tui", default_cache_dir(), cache.directory):
        assert mode(folder) == 0o700, folder
    assert (cache.directory / "cache.db").is_file()


# --- TTL table and keys ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "ttl"),
    [
        ("/releases/249504", 7 * DAY),
        ("/releases/249504/rating", 7 * DAY),
        ("/releases/249504/rating/demo", 7 * DAY),
        ("/releases/249504/stats", 7 * DAY),
        ("/masters/1000", 7 * DAY),
        ("/masters/1000/versions", 7 * DAY),
        ("/artists/108713", 7 * DAY),
        ("/artists/108713/releases", 7 * DAY),
        ("/labels/1", 7 * DAY),
        ("/labels/1/releases?page=2", 7 * DAY),
        ("/database/search", HOUR),
        ("/database/search?q=nirvana&type=release", HOUR),
        ("/marketplace/stats/1", 10 * MINUTE),
        ("/marketplace/price_suggestions/1", 10 * MINUTE),
        ("/marketplace/fee/20.5", 10 * MINUTE),
        ("/marketplace/fee/20.5/EUR", 10 * MINUTE),
        ("/marketplace/listings/123", 5 * MINUTE),
        ("/marketplace/orders", 5 * MINUTE),
        ("/marketplace/orders/1-1", 5 * MINUTE),
        ("/marketplace/orders/1-1/messages", 5 * MINUTE),
        ("/users/demo", 5 * MINUTE),
        ("/users/demo/", 5 * MINUTE),
        ("/users/demo/inventory", 5 * MINUTE),
        ("/users/demo/wants", 5 * MINUTE),
        ("/users/demo/lists", 5 * MINUTE),
        ("/users/demo/collection/folders", 5 * MINUTE),
        ("/users/demo/collection/folders/0/releases", 5 * MINUTE),
        ("/users/demo/collection/releases/249504", 5 * MINUTE),
        ("/users/demo/collection/fields", 5 * MINUTE),
        ("/users/demo/collection/value", 5 * MINUTE),
        ("/users/demo/submissions", 5 * MINUTE),
        ("/users/demo/contributions", 5 * MINUTE),
        ("/lists/5", 5 * MINUTE),
        ("/oauth/identity", None),
        ("/oauth/request_token", None),
        ("/oauth/access_token", None),
        ("/inventory/export", None),
        ("/inventory/export/7/download", None),
        ("/inventory/upload/add", None),
        ("/", None),
        ("/releases", None),
        ("/marketplace/listings", None),
        ("/something/new", None),
    ],
)
def test_ttl_by_kind(path: str, ttl: float | None) -> None:
    assert ttl_for(path) == ttl


def test_cache_key_is_stable_and_sorted() -> None:
    forward = cache_key("get", "/database/search", {"q": "nirvana", "type": "release", "page": 2})
    backward = cache_key("GET", "/database/search", {"page": 2, "type": "release", "q": "nirvana"})

    assert forward == backward == "GET /database/search?page=2&q=nirvana&type=release"


def test_cache_key_spells_values_and_paths_one_way() -> None:
    assert cache_key("GET", "/releases/1", None) == "GET /releases/1"
    assert cache_key("GET", "/releases/1", {}) == "GET /releases/1"
    assert cache_key("GET", "releases/1/", None) == "GET /releases/1"
    assert cache_key("GET", "/x", {"archived": True}) == "GET /x?archived=true"
    assert cache_key("GET", "/x", {"archived": False}) == "GET /x?archived=false"
    assert (
        cache_key("GET", "/marketplace/fee/20.5", {"n": 1.5}) == "GET /marketplace/fee/20.5?n=1.5"
    )
    assert cache_key("GET", "/x", {"status": "For Sale"}) == "GET /x?status=For%20Sale"
    # A query already on the path merges with params, in the same order.
    assert cache_key("GET", "/x?b=2", {"a": 1}) == cache_key("GET", "/x", {"b": 2, "a": 1})
    # Different methods, parameters or values never collide.
    assert cache_key("GET", "/x", {"a": 1}) != cache_key("HEAD", "/x", {"a": 1})
    assert cache_key("GET", "/x", {"a": 1}) != cache_key("GET", "/x", {"a": 2})
    assert cache_key("GET", "/x", {"a": "1&b=2"}) != cache_key("GET", "/x", {"a": 1, "b": 2})


def test_cache_key_leaves_credentials_out() -> None:
    with_token = cache_key("GET", "/users/demo", {"token": "s3cret", "page": 1})

    assert "s3cret" not in with_token
    assert with_token == cache_key("GET", "/users/demo", {"page": 1})
    assert "sig" not in cache_key("GET", "/users/demo?oauth_signature=sig", None)


# --- stats and clear ---------------------------------------------------------------------------


async def test_stats_count_fresh_and_stale(make_cache: MakeCache, clock: FakeClock) -> None:
    cache = make_cache("ns1")
    assert (await cache.stats()).entries == 0
    await cache.put(key("/releases/1"), b"a" * 1000, status=200, ttl=DAY)
    await cache.put(key("/database/search", q="x"), b"b", status=200, ttl=HOUR)
    await cache.put(key("/users/me/wants"), b"c" * 100_000, status=200, ttl=300)
    clock.advance(2 * HOUR)

    stats = await cache.stats()

    assert (stats.entries, stats.fresh, stats.stale) == (3, 1, 2)
    assert stats.namespace == "ns1"
    assert stats.directory == cache.directory
    assert stats.size_bytes >= 100_000


async def test_clear_drops_everything_and_reports_the_count(make_cache: MakeCache) -> None:
    cache = make_cache()
    await fill(cache)

    assert await cache.clear() == len(STORED)
    assert (await cache.stats()).entries == 0
    assert await cache.clear() == 0


async def test_stats_and_clear_across_every_namespace(
    make_cache: MakeCache, cache_dir: Path, clock: FakeClock
) -> None:
    first = make_cache("aaaa")
    second = make_cache("bbbb")
    await first.put(key("/releases/1"), b"1", status=200, ttl=60)
    await second.put(key("/releases/1"), b"1", status=200, ttl=60)
    await second.put(key("/releases/2"), b"2", status=200, ttl=0)
    first.close()
    second.close()
    (cache_dir / "not-a-cache").mkdir()

    stats = cache_stats_all(cache_dir, clock=clock)

    assert [(s.namespace, s.entries, s.fresh, s.stale) for s in stats] == [
        ("aaaa", 1, 1, 0),
        ("bbbb", 2, 1, 1),
    ]
    assert clear_all(cache_dir) == 3
    assert cache_stats_all(cache_dir) == []
    assert os.listdir(cache_dir) == [], "no folder, database, WAL/SHM or value file left"


def test_stats_and_clear_of_a_missing_folder(tmp_path: Path) -> None:
    assert cache_stats_all(tmp_path / "nowhere") == []
    assert clear_all(tmp_path / "nowhere") == 0
    assert cache_stats_all() == []  # the default folder, not created yet
    assert not (tmp_path / "nowhere").exists()


async def test_closed_cache_refuses_calls_and_closes_once(make_cache: MakeCache) -> None:
    cache = make_cache()
    await cache.put(key("/releases/1"), b"1", status=200, ttl=60)
    cache.close()
    cache.close()

    with pytest.raises(RuntimeError, match="closed"):
        await cache.get(key("/releases/1"))


# --- the event loop keeps running --------------------------------------------------------------


async def test_cache_io_runs_off_the_loop_while_the_loop_keeps_ticking(
    make_cache: MakeCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each diskcache call waits until the ticker has ticked: only possible if it is off the loop.

    Were a call made on the loop, the ticker could never run, the wait would time out and the
    call would raise. No wall-clock figure is asserted; the timeout only turns a hang into a fail.
    """
    cache = make_cache()
    loop_thread = threading.get_ident()
    ticks = 0
    ticked = threading.Event()
    calls: list[tuple[str, int, int]] = []  # (name, thread, ticks seen when the call finished)

    def gated(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def call(self: diskcache.Cache, *args: Any, **kwargs: Any) -> Any:
            ticked.clear()
            if not ticked.wait(timeout=10):
                raise AssertionError(f"{name} blocked the event loop")
            calls.append((name, threading.get_ident(), ticks))
            return real(self, *args, **kwargs)

        return call

    monkeypatch.setattr(diskcache.Cache, "set", gated("set", diskcache.Cache.set))
    monkeypatch.setattr(diskcache.Cache, "get", gated("get", diskcache.Cache.get))
    stop = asyncio.Event()

    async def ticker() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            ticked.set()
            await asyncio.sleep(0)

    ticking = asyncio.create_task(ticker())
    try:
        for page in range(1, 4):
            await cache.put(key("/users/me/wants", page=page), b"w", status=200, ttl=60)
        answers = await asyncio.gather(
            *(cache.get(key("/users/me/wants", page=page)) for page in range(1, 4))
        )
    finally:
        stop.set()
        await ticking

    assert all(answer is not None and answer.body == b"w" for answer in answers)
    assert [name for name, _, _ in calls] == ["set"] * 3 + ["get"] * 3
    assert all(thread != loop_thread for _, thread, _ in calls)
    seen = [seen_ticks for _, _, seen_ticks in calls]
    assert seen[0] >= 1
    assert seen == sorted(seen)
