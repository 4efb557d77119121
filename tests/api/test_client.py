"""DiscogsClient's request pipeline, tested over httpx.MockTransport (no UI, no network)."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pydantic
import pytest

from discogs_tui.api import errors
from discogs_tui.api.cache import ResponseCache
from discogs_tui.api.client import DEFAULT_USER_AGENT, DiscogsClient
from discogs_tui.api.ratelimit import Priority, RateGovernor

RELEASE = {
    "id": 1,
    "title": "Stockholm",
    "year": 1999,
    "artists": [{"id": 1, "name": "The Persuader"}],
}

Handler = Callable[[httpx.Request], httpx.Response]


def rate_headers(used: int = 1, limit: int = 60) -> dict[str, str]:
    return {
        "X-Discogs-Ratelimit": str(limit),
        "X-Discogs-Ratelimit-Used": str(used),
        "X-Discogs-Ratelimit-Remaining": str(limit - used),
    }


class Recorder:
    """A MockTransport handler that records requests and answers from a script."""

    def __init__(self, answer: Handler) -> None:
        self.answer = answer
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.answer(request)


async def no_sleep(seconds: float) -> None:
    """Retry pauses of reads, skipped (the tests count tries, not time)."""


def make_client(handler: Handler, **kwargs: object) -> DiscogsClient:
    kwargs.setdefault("sleep", no_sleep)
    return DiscogsClient(
        base_url="https://api.discogs.test",
        transport=httpx.MockTransport(handler),
        **kwargs,  # type: ignore[arg-type]
    )


async def test_token_header_user_agent_and_accept() -> None:
    rec = Recorder(lambda r: httpx.Response(200, json=RELEASE, headers=rate_headers()))
    async with make_client(rec, token="s3cret") as client:
        release = await client.get_release(1)
    assert release.title == "Stockholm"
    sent = rec.requests[0]
    assert sent.headers["Authorization"] == "Discogs token=s3cret"
    assert sent.headers["User-Agent"] == DEFAULT_USER_AGENT
    assert DEFAULT_USER_AGENT.startswith("DiscogsTUI/")
    assert sent.headers["Accept"] == "application/vnd.discogs.v2.discogs+json"
    assert sent.url.path == "/releases/1"


async def test_consumer_key_and_oauth_headers() -> None:
    rec = Recorder(lambda r: httpx.Response(200, json=RELEASE))
    async with make_client(rec, consumer_key="k", consumer_secret="s") as client:
        await client.get_release(1)
    assert rec.requests[-1].headers["Authorization"] == "Discogs key=k, secret=s"
    async with make_client(
        rec, consumer_key="k", consumer_secret="s", oauth_token="t", oauth_token_secret="ts"
    ) as client:
        await client.get_release(1)
    auth = rec.requests[-1].headers["Authorization"]
    assert auth.startswith("OAuth ")
    assert 'oauth_signature_method="HMAC-SHA1"' in auth
    assert 'oauth_token="t"' in auth


async def test_anonymous_limit_is_25_and_signed_in_is_60() -> None:
    rec = Recorder(lambda r: httpx.Response(200, json=RELEASE))
    async with make_client(rec) as client:
        assert client.rate_state.limit == 25
        assert "Authorization" not in (await _first(client, rec)).headers
    async with make_client(rec, token="t") as client:
        assert client.rate_state.limit == 60


async def _first(client: DiscogsClient, rec: Recorder) -> httpx.Request:
    await client.get_release(1)
    return rec.requests[-1]


async def test_query_params_and_per_page_default_100() -> None:
    body = {
        "pagination": {"page": 2, "pages": 3, "per_page": 100, "items": 250, "urls": {}},
        "results": [{"id": 5, "type": "artist", "title": "The Persuader"}],
    }
    rec = Recorder(lambda r: httpx.Response(200, json=body))
    async with make_client(rec, token="t") as client:
        page = await client.search_database(q="persuader", type="artist", page=2)
    params = dict(rec.requests[0].url.params)
    assert params == {"q": "persuader", "type": "artist", "page": "2", "per_page": "100"}
    assert page.pagination.items == 250
    assert page.items[0].title == "The Persuader"


@pytest.mark.parametrize(
    ("status", "body", "error_type"),
    [
        (401, {"message": "You must authenticate to access this resource."}, errors.AuthError),
        (
            403,
            {"message": "You don't have permission to access this resource."},
            errors.ForbiddenError,
        ),
        (404, {"message": "Release not found."}, errors.NotFoundError),
        (405, {"message": "Method not allowed."}, errors.MethodNotAllowedError),
        (
            422,
            {"message": "Invalid status", "detail": [{"msg": "bad", "loc": ["body", "status"]}]},
            errors.ValidationError,
        ),
        (500, {"message": "Query time exceeded. Please try a simpler query."}, errors.ServerError),
        (502, None, errors.WebPageError),
    ],
)
async def test_status_codes_become_typed_errors(
    status: int, body: dict[str, object] | None, error_type: type[errors.DiscogsError]
) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if body is None:
            return httpx.Response(status, content=b"<html>bad gateway</html>")
        return httpx.Response(status, json=body)

    async with make_client(answer, token="t") as client:
        with pytest.raises(error_type) as caught:
            await client.get_release(1)
    assert caught.value.status == status
    if body is not None:
        assert caught.value.message == body["message"]
    else:
        assert "HTTP 502: bad gateway" in caught.value.message
        assert "web page" in caught.value.message
    if status == 422:
        assert isinstance(caught.value, errors.ValidationError)
        assert caught.value.detail_messages() == ["body.status: bad"]


async def test_network_failures_become_network_error_without_secrets() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("boom token=s3cret", request=request)

    async with make_client(answer, token="s3cret") as client:
        with pytest.raises(errors.NetworkError) as caught:
            await client.get_release(1)
    assert "s3cret" not in str(caught.value)
    assert "connect" in str(caught.value).lower()


async def test_malformed_json_and_wrong_shape_are_invalid_response() -> None:
    async with make_client(
        lambda r: httpx.Response(200, content=b'{"id": 1, "ti'), token="t"
    ) as client:
        with pytest.raises(errors.InvalidResponseError):
            await client.get_release(1)
    async with make_client(lambda r: httpx.Response(200, json=[1, 2]), token="t") as client:
        with pytest.raises(errors.InvalidResponseError):
            await client.get_release(1)
        with pytest.raises(errors.InvalidResponseError):
            await client.get_inventory("demo")


async def test_error_message_never_echoes_the_token() -> None:
    answer = lambda r: httpx.Response(401, json={"message": "Bad token s3cret"})  # noqa: E731
    async with make_client(answer, token="s3cret") as client:
        with pytest.raises(errors.AuthError) as caught:
            await client.get_release(1)
    assert "s3cret" not in caught.value.message


def test_credentials_refused_over_plain_http_except_loopback() -> None:
    with pytest.raises(errors.InsecureTransportError) as caught:
        DiscogsClient(base_url="http://api.discogs.com", token="s3cret")
    assert "s3cret" not in str(caught.value)
    DiscogsClient(base_url="http://api.discogs.com")  # anonymous: nothing to leak
    for url in ("http://127.0.0.1:8080", "http://localhost", "http://[::1]:9"):
        DiscogsClient(base_url=url, token="t")


class FakeTime:
    """A clock and sleep pair for the governor: sleeping advances the clock."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(seconds, 0.0)
        await asyncio.sleep(0)


async def test_read_429_is_retried_after_retry_after() -> None:
    fake = FakeTime()
    answers = [
        httpx.Response(
            429,
            json={"message": "You are making requests too quickly."},
            headers={"Retry-After": "7", **rate_headers(60)},
        ),
        httpx.Response(200, json=RELEASE, headers=rate_headers(1)),
    ]
    rec = Recorder(lambda r: answers.pop(0))
    governor = RateGovernor(limit=60, clock=fake.clock, sleep=fake.sleep)
    async with make_client(rec, token="t", governor=governor) as client:
        release = await client.get_release(1)
    assert release.id == 1
    assert len(rec.requests) == 2
    assert 7 in [round(s) for s in fake.sleeps]


async def test_read_429_gives_up_after_capped_tries() -> None:
    fake = FakeTime()
    rec = Recorder(
        lambda r: httpx.Response(429, json={"message": "You are making requests too quickly."})
    )
    governor = RateGovernor(limit=60, clock=fake.clock, sleep=fake.sleep, max_retries=3)
    async with make_client(rec, token="t", governor=governor) as client:
        with pytest.raises(errors.RateLimitedError) as caught:
            await client.get_release(1)
    assert caught.value.message == "You are making requests too quickly."
    assert len(rec.requests) == 4  # the first try and three retries


async def test_write_429_is_never_repeated() -> None:
    fake = FakeTime()
    rec = Recorder(
        lambda r: httpx.Response(429, json={"message": "You are making requests too quickly."})
    )
    governor = RateGovernor(limit=60, clock=fake.clock, sleep=fake.sleep)
    async with make_client(rec, token="t", governor=governor) as client:
        with pytest.raises(errors.RateLimitedError):
            await client.delete_listing(5)
    assert len(rec.requests) == 1


async def test_governor_sees_server_headers() -> None:
    rec = Recorder(lambda r: httpx.Response(200, json=RELEASE, headers=rate_headers(used=42)))
    async with make_client(rec, token="t") as client:
        seen = []
        client.governor.subscribe(seen.append)
        await client.get_release(1)
        assert client.rate_state.used >= 42
        assert client.rate_state.remaining <= 18
    assert seen, "the governor notified its subscribers"


def cached_client(handler: Handler, tmp_path: Path, clock: Callable[[], float]) -> DiscogsClient:
    cache = ResponseCache(tmp_path / "cache", namespace="test", clock=clock)
    return make_client(handler, token="t", cache=cache, clock=clock)


async def test_cache_hit_costs_no_request_and_reports_age(tmp_path: Path) -> None:
    now = [5000.0]
    rec = Recorder(lambda r: httpx.Response(200, json=RELEASE))
    async with cached_client(rec, tmp_path, lambda: now[0]) as client:
        first = await client.get_release(1)
        now[0] += 3600
        second = await client.get_release(1)
    assert len(rec.requests) == 1
    assert first.fetch_info.from_cache is False
    assert second.fetch_info.from_cache is True
    assert second.fetch_info.age == pytest.approx(3600)
    assert second.title == "Stockholm"


async def test_stale_answer_served_when_network_fails(tmp_path: Path) -> None:
    now = [5000.0]
    online = [True]

    def answer(request: httpx.Request) -> httpx.Response:
        if not online[0]:
            raise httpx.ConnectError("offline", request=request)
        return httpx.Response(200, json=RELEASE)

    async with cached_client(answer, tmp_path, lambda: now[0]) as client:
        await client.get_release(1)
        now[0] += 30 * 86400  # far past the time-to-live
        online[0] = False
        stale = await client.get_release(1)
        assert stale.fetch_info.stale is True
        assert stale.title == "Stockholm"
        with pytest.raises(errors.NetworkError):
            await client.get_release(2)  # nothing cached for it


async def test_write_invalidates_what_it_changes(tmp_path: Path) -> None:
    now = [5000.0]
    listing = {"id": 7, "status": "For Sale", "price": {"currency": "USD", "value": 10}}
    inventory = {
        "pagination": {"page": 1, "pages": 1, "per_page": 100, "items": 1, "urls": {}},
        "listings": [listing],
    }

    def answer(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            return httpx.Response(204)
        if request.url.path.endswith("/inventory"):
            return httpx.Response(200, json=inventory)
        return httpx.Response(200, json=listing)

    rec = Recorder(answer)
    async with cached_client(rec, tmp_path, lambda: now[0]) as client:
        client.set_username("demo")
        await client.get_listing(7)
        await client.get_inventory("demo")
        before = len(rec.requests)
        await client.get_listing(7)
        await client.get_inventory("demo")
        assert len(rec.requests) == before, "both came from the cache"
        await client.update_listing(
            7, release_id=1, condition="Mint (M)", price=12.0, status="For Sale"
        )
        await client.get_listing(7)
        await client.get_inventory("demo")
    methods = [r.method for r in rec.requests]
    assert methods.count("POST") == 1
    assert len(rec.requests) == before + 3
    post = next(r for r in rec.requests if r.method == "POST")
    assert json.loads(post.content) == {
        "release_id": 1,
        "condition": "Mint (M)",
        "price": 12.0,
        "status": "For Sale",
    }


async def test_identical_gets_in_flight_share_one_request() -> None:
    gate = asyncio.Event()
    count = [0]

    class SlowTransport(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            count[0] += 1
            await gate.wait()
            return httpx.Response(200, json=RELEASE)

    async with DiscogsClient(
        base_url="https://api.discogs.test", token="t", transport=SlowTransport()
    ) as client:
        tasks = [asyncio.create_task(client.get_release(1)) for _ in range(5)]
        await asyncio.sleep(0.01)
        gate.set()
        results = await asyncio.gather(*tasks)
    assert count[0] == 1
    assert {r.title for r in results} == {"Stockholm"}


async def test_walk_visits_every_page_and_later_pages_are_background() -> None:
    total = 250

    def answer(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        per_page = int(request.url.params["per_page"])
        start = (page - 1) * per_page
        ids = range(start, min(start + per_page, total))
        return httpx.Response(
            200,
            json={
                "pagination": {
                    "page": page,
                    "pages": 3,
                    "per_page": per_page,
                    "items": total,
                    "urls": {},
                },
                "listings": [{"id": i} for i in ids],
            },
        )

    priorities: list[Priority] = []

    class Spy(RateGovernor):
        async def acquire(self, priority: Priority = Priority.INTERACTIVE) -> float:
            priorities.append(priority)
            return await super().acquire(priority)

    rec = Recorder(answer)
    async with make_client(rec, token="t", governor=Spy(limit=60)) as client:
        ids = [listing.id async for listing in client.walk(client.get_inventory, "demo")]
    assert ids == list(range(total))
    assert len(rec.requests) == 3  # the floor at 100 a page
    assert priorities == [Priority.INTERACTIVE, Priority.BACKGROUND, Priority.BACKGROUND]


async def test_models_are_frozen_and_keep_unknown_fields() -> None:
    body = dict(RELEASE, brand_new_field={"x": 1})
    async with make_client(lambda r: httpx.Response(200, json=body), token="t") as client:
        release = await client.get_release(1)
    assert release.model_extra == {"brand_new_field": {"x": 1}}
    with pytest.raises(pydantic.ValidationError):
        release.title = "changed"  # type: ignore[misc]


# -- hardening: each test below failed before its fix ---------------------------------------


async def test_cancelled_leader_does_not_cancel_a_shared_get() -> None:
    """Two screens ask for the same release; the first is closed (cancelled) mid-request.

    The second must still get its answer, not a CancelledError it never asked for.
    """
    gates = [asyncio.Event(), asyncio.Event()]
    started = asyncio.Event()
    count = [0]

    class SlowTransport(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            gate = gates[min(count[0], 1)]
            count[0] += 1
            started.set()
            await gate.wait()
            return httpx.Response(200, json=RELEASE)

    async with DiscogsClient(
        base_url="https://api.discogs.test", token="t", transport=SlowTransport()
    ) as client:
        leader = asyncio.create_task(client.get_release(1))
        await started.wait()
        follower = asyncio.create_task(client.get_release(1))
        await asyncio.sleep(0)
        leader.cancel()
        with pytest.raises(asyncio.CancelledError):
            await leader
        gates[1].set()
        release = await asyncio.wait_for(follower, 5)
    assert release.title == "Stockholm"
    assert count[0] == 2, "the follower sent the request the leader gave up"


async def test_cancelled_follower_leaves_the_shared_get_running() -> None:
    gate = asyncio.Event()
    started = asyncio.Event()

    class SlowTransport(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            started.set()
            await gate.wait()
            return httpx.Response(200, json=RELEASE)

    async with DiscogsClient(
        base_url="https://api.discogs.test", token="t", transport=SlowTransport()
    ) as client:
        leader = asyncio.create_task(client.get_release(1))
        await started.wait()
        follower = asyncio.create_task(client.get_release(1))
        await asyncio.sleep(0)
        follower.cancel()
        with pytest.raises(asyncio.CancelledError):
            await follower
        gate.set()
        assert (await asyncio.wait_for(leader, 5)).title == "Stockholm"


@pytest.mark.parametrize("token", ["tökén-secret-value", "abc def-secret", "tok\nen-secret"])
def test_credentials_with_impossible_characters_are_a_discogs_error(token: str) -> None:
    """A token pasted with a space, a newline or a non-ASCII letter is refused up front.

    Before: httpx raised UnicodeEncodeError (or worse, sent a split header) at the first request.
    """
    with pytest.raises(errors.DiscogsError) as caught:
        DiscogsClient(base_url="https://api.discogs.test", token=token)
    assert "secret" not in str(caught.value)
    assert "token" in str(caught.value)


def test_credentials_surrounding_whitespace_is_ignored() -> None:
    client = DiscogsClient(base_url="https://api.discogs.test", token="  abc123-token\n")
    assert client.credentials.token == "abc123-token"
    assert client.credentials.authorization("GET", "https://x/") == "Discogs token=abc123-token"


async def test_deeply_nested_json_is_invalid_response() -> None:
    async with make_client(lambda r: httpx.Response(200, content=b"[" * 100_000), token="t") as c:
        with pytest.raises(errors.InvalidResponseError):
            await c.get_release(1)
        with pytest.raises(errors.InvalidResponseError):
            await c.get_inventory("demo")


@pytest.mark.parametrize(
    ("price", "segment"),
    [(1234567.0, "1234567"), (0.1 + 0.2, "0.3"), (5, "5"), (20.5, "20.5"), (1e-7, "0")],
)
async def test_fee_path_is_a_plain_decimal(price: float, segment: str) -> None:
    """``{price:g}`` wrote 1234567 as ``1.23457e+06``, a path Discogs does not route."""
    rec = Recorder(lambda r: httpx.Response(200, json={"value": 1.0, "currency": "USD"}))
    async with make_client(rec, token="t") as client:
        await client.get_fee(price, "EUR")
    assert rec.requests[0].url.path == f"/marketplace/fee/{segment}/EUR"


@pytest.mark.parametrize("price", [float("nan"), float("inf"), -1.0])
async def test_fee_refuses_impossible_prices_without_a_request(price: float) -> None:
    rec = Recorder(lambda r: httpx.Response(200, json={"value": 1.0, "currency": "USD"}))
    async with make_client(rec, token="t") as client:
        with pytest.raises(ValueError):
            await client.get_fee(price)
    assert rec.requests == []


async def test_a_failed_write_still_invalidates_the_cache(tmp_path: Path) -> None:
    """A write whose answer was lost may still have happened: drop what it would change."""
    listing = {"id": 7, "status": "For Sale", "price": {"currency": "USD", "value": 10}}
    lose_post = [True]

    def answer(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            if lose_post[0]:
                raise httpx.ReadTimeout("lost", request=request)
            return httpx.Response(204)
        return httpx.Response(200, json=listing)

    rec = Recorder(answer)
    async with cached_client(rec, tmp_path, lambda: 5000.0) as client:
        await client.get_listing(7)
        with pytest.raises(errors.NetworkError):
            await client.update_listing(
                7, release_id=1, condition="Mint (M)", price=12.0, status="For Sale"
            )
        before = len(rec.requests)
        await client.get_listing(7)
    assert len(rec.requests) == before + 1, "the listing was fetched again, not served cached"


class BrokenCache(ResponseCache):
    """A disk cache whose database fails (disk full, locked, corrupted)."""

    def _get_sync(self, key: str) -> Any:
        raise sqlite3.OperationalError("database is locked")

    def _put_sync(self, key: str, body: bytes, status: int, ttl: float) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    def _invalidate_sync(self, prefixes: tuple[str, ...]) -> int:
        raise OSError(28, "No space left on device")


async def test_a_broken_disk_cache_never_breaks_a_request(tmp_path: Path) -> None:
    """Before: sqlite3.OperationalError from the cache reached the caller."""
    rec = Recorder(lambda r: httpx.Response(200 if r.method == "GET" else 204, json=RELEASE))
    cache = BrokenCache(tmp_path / "cache", namespace="test")
    async with make_client(rec, token="t", cache=cache) as client:
        assert (await client.get_release(1)).title == "Stockholm"
        assert (await client.get_release(1)).title == "Stockholm"
        await client.delete_listing(7)
    assert len(rec.requests) == 3


async def test_closing_the_client_closes_the_cache_off_the_event_loop(tmp_path: Path) -> None:
    threads: list[int] = []

    class Watched(ResponseCache):
        def close(self) -> None:
            threads.append(threading.get_ident())
            super().close()

    cache = Watched(tmp_path / "cache", namespace="test")
    async with make_client(lambda r: httpx.Response(200, json=RELEASE), cache=cache) as client:
        await client.get_release(1)
    assert threads and threads[0] != threading.get_ident()


async def test_walk_goes_on_past_a_page_whose_every_row_was_unreadable() -> None:
    """A page of rows that could not be read is not the end of the list."""
    pages = {
        "1": {"pagination": {"page": 1, "pages": 2, "per_page": 1, "items": 2}, "releases": ["?"]},
        "2": {
            "pagination": {"page": 2, "pages": 2, "per_page": 1, "items": 2},
            "releases": [{"id": 7, "title": "Kept"}],
        },
    }

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=pages[request.url.params["page"]])

    async with DiscogsClient(
        base_url="https://api.discogs.test", transport=httpx.MockTransport(answer)
    ) as client:
        walked = [release.id async for release in client.walk(client.get_label_releases, 1)]
    assert walked == [7]
