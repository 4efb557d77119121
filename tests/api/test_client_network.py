"""DiscogsClient on a bad network: what came back, deadlines, retries, redirects, the gauge.

In-process through httpx.MockTransport and the emulator's transport, and over loopback
against the emulator's HTTP server for what needs real sockets (slow bodies, refusals).
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import inspect
import logging
import socket
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from discogs_tui.api import errors
from discogs_tui.api.client import DiscogsClient
from discogs_tui.api.ratelimit import RateGovernor
from discogs_tui.emulator.app import Emulator
from discogs_tui.emulator.faults import Faults
from discogs_tui.emulator.server import running_server
from discogs_tui.launch import Session, resolve_identity

BASE = "https://api.discogs.test"
RELEASE = {"id": 1, "title": "Stockholm", "artists": [{"id": 1, "name": "The Persuader"}]}

Handler = Callable[[httpx.Request], httpx.Response]


class Script:
    """A MockTransport handler answering from a list (the last answer repeats)."""

    def __init__(self, *answers: httpx.Response | Exception) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            if isinstance(answer, httpx.RequestError):
                answer._request = request
            raise answer
        return answer


class Pauses:
    """The client's retry sleep: records pauses instead of waiting."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def client_for(handler: Handler, *, pauses: Pauses | None = None, **kwargs: Any) -> DiscogsClient:
    kwargs.setdefault("base_url", BASE)
    kwargs.setdefault("jitter", lambda: 1.0)
    return DiscogsClient(
        transport=httpx.MockTransport(handler),
        sleep=pauses or Pauses(),
        **kwargs,
    )


def html(status: int, title: str = "Service Unavailable", *, typed: bool = True) -> httpx.Response:
    page = (
        f"<!DOCTYPE html><html><head><title>{title}</title><style>p{{}}</style></head>"
        "<body><h1>Please wait</h1><p>You don't have permission to view this.</p></body></html>"
    )
    headers = {"Content-Type": "text/html; charset=utf-8"} if typed else {}
    return httpx.Response(status, content=page.encode(), headers=headers)


# == 2. errors say what came back =========================================================


async def test_oauth_plain_text_reason_reaches_the_message() -> None:
    emulator = Emulator(base_url="http://localhost")
    async with DiscogsClient(
        base_url="http://localhost",
        consumer_key="nobody-knows-this-key",
        consumer_secret="and-this-secret",
        transport=emulator.transport(offload=False),
    ) as client:
        with pytest.raises(errors.AuthError) as caught:
            await client.get_request_token()
    assert "Invalid consumer." in caught.value.message
    assert caught.value.status == 401
    assert "nobody-knows-this-key" not in caught.value.message


async def test_plain_text_error_is_kept_as_a_clean_short_excerpt() -> None:
    dirty = (
        "Denied \x1b[31mred\x1b[0m\x07 \u202eevil\u202c \u2066iso\u2069 \x85c1\x7f\r\n\t"
        "for token-abcdef123 " + "word " * 100
    )
    script = Script(
        httpx.Response(400, content=dirty.encode(), headers={"Content-Type": "text/plain"})
    )
    async with client_for(script, token="token-abcdef123") as client:
        with pytest.raises(errors.ValidationError) as caught:
            await client.get_release(1)
    message = caught.value.message
    assert message.startswith("Discogs answered HTTP 400: Denied")
    assert "red" in message and "evil" in message
    for bad in ("\x1b", "\x07", "\u202e", "\u202c", "\u2066", "\u2069", "\x85", "\x7f", "\n"):
        assert bad not in message
    assert "  " not in message
    assert "token-abcdef123" not in message and "****" in message
    assert len(message) <= 160
    assert message.endswith("…")


async def test_json_message_is_cleaned_too() -> None:
    script = Script(httpx.Response(404, json={"message": "Release\x1b[2J \u202enot found."}))
    async with client_for(script) as client:
        with pytest.raises(errors.NotFoundError) as caught:
            await client.get_release(1)
    assert "\x1b" not in caught.value.message and "\u202e" not in caught.value.message
    assert "not found." in caught.value.message


@pytest.mark.parametrize("status", [200, 401, 403, 404, 429, 503])
@pytest.mark.parametrize("typed", [True, False])
async def test_a_web_page_is_named_as_such_whatever_its_status(status: int, typed: bool) -> None:
    script = Script(html(status, "Just a moment...", typed=typed))
    governor = RateGovernor(limit=60, max_retries=0)
    async with client_for(script, token="t", governor=governor) as client:
        with pytest.raises(errors.WebPageError) as caught:
            await client.get_release(1)
    error = caught.value
    assert not isinstance(error, (errors.AuthError, errors.ForbiddenError))
    assert error.status == status
    assert f"web page instead of data (HTTP {status}: Just a moment...)" in error.message
    assert "permission" not in error.message.lower()
    assert "<" not in error.message


@pytest.mark.parametrize("status", [401, 403])
async def test_a_proxy_page_at_sign_in_keeps_the_token_and_says_what_came_back(
    status: int,
) -> None:
    # A 401 or 403 web page is not Discogs refusing the token: the session must not drop it.
    script = Script(html(status, "Attention Required! | Cloudflare"))
    client = client_for(script, token="a-good-token")
    session = Session(client, "LIVE", signed_in=True)
    async with client:
        await resolve_identity(session)
    assert client.credentials.token == "a-good-token"
    assert session.sign_in_note != "token rejected"
    (notice, _), *_ = session.notices
    assert f"web page instead of data (HTTP {status}: Attention Required! | Cloudflare)" in notice


async def test_a_web_page_answering_a_write_says_the_change_is_unconfirmed() -> None:
    script = Script(html(200, "Captive portal"))
    async with client_for(script, token="t") as client:
        with pytest.raises(errors.WebPageError) as caught:
            await client.delete_listing(5)
    assert "may or may not have been made" in caught.value.message
    assert len(script.requests) == 1


async def test_an_empty_answer_to_a_read_is_an_error_not_none() -> None:
    script = Script(httpx.Response(200, content=b""))
    async with client_for(script) as client:
        with pytest.raises(errors.InvalidResponseError) as caught:
            await client.get_raw("/releases/1")
        assert "empty answer" in caught.value.message
        with pytest.raises(errors.InvalidResponseError):
            await client.download_inventory_export(1)
    # A write answered 204 has nothing to say, and that is understood.
    async with client_for(Script(httpx.Response(204)), token="t") as client:
        assert await client.get_raw("/marketplace/listings/5", method="DELETE") is None


@pytest.mark.parametrize(
    ("failure", "jargon"),
    [
        (httpx.ReadError("[Errno 104] Connection reset by peer"), "ReadError"),
        (httpx.RemoteProtocolError("peer closed connection"), "RemoteProtocolError"),
        (httpx.WriteError("broken pipe"), "WriteError"),
        (httpx.ReadTimeout("timed out"), "ReadTimeout"),
    ],
)
async def test_transport_jargon_goes_to_the_log_not_the_message(
    failure: Exception, jargon: str, caplog: pytest.LogCaptureFixture
) -> None:
    async with client_for(Script(failure), token="s3cret-token") as client:
        with (
            caplog.at_level(logging.WARNING, logger="discogs_tui.api.client"),
            pytest.raises(errors.NetworkError) as caught,
        ):
            await client.get_release(1)
    assert jargon not in caught.value.message
    assert "Errno" not in caught.value.message
    assert any(jargon in record.getMessage() for record in caplog.records)
    assert not any("s3cret-token" in record.getMessage() for record in caplog.records)


# == 2. redirects =========================================================================


def moved(location: str, status: int = 301) -> httpx.Response:
    return httpx.Response(status, headers={"Location": location})


async def test_a_read_follows_a_redirect_on_the_same_host_signing_each_hop() -> None:
    script = Script(moved("/releases/2"), httpx.Response(200, json=RELEASE))
    async with client_for(
        script, consumer_key="ck", consumer_secret="cs", oauth_token="ot", oauth_token_secret="os"
    ) as client:
        release = await client.get_release(1)
    assert release.id == 1
    assert [r.url.path for r in script.requests] == ["/releases/1", "/releases/2"]
    first, second = (r.headers["Authorization"] for r in script.requests)
    assert first != second  # a fresh nonce and signature for the new URL
    assert client.rate_state.used == 2  # Discogs counted both


async def test_http_to_https_on_the_same_host_is_followed() -> None:
    script = Script(moved("https://localhost/releases/1"), httpx.Response(200, json=RELEASE))
    async with client_for(script, base_url="http://localhost") as client:
        assert (await client.get_release(1)).id == 1
    assert str(script.requests[1].url) == "https://localhost/releases/1"


@pytest.mark.parametrize(
    ("base", "location"),
    [
        (BASE, "https://evil.example/releases/1"),
        (BASE, "http://api.discogs.test/releases/1"),  # https to http
        (BASE, "https://api.discogs.test:8443/releases/1"),  # another port
    ],
)
async def test_a_redirect_elsewhere_is_reported_with_its_location(base: str, location: str) -> None:
    script = Script(moved(location, 302))
    async with client_for(script, base_url=base) as client:
        with pytest.raises(errors.RedirectError) as caught:
            await client.get_release(1)
    assert caught.value.location == location
    assert location in caught.value.message
    assert caught.value.status == 302
    assert len(script.requests) == 1


async def test_a_write_is_never_redirected() -> None:
    script = Script(moved("/marketplace/listings/6", 307))
    async with client_for(script, token="t") as client:
        with pytest.raises(errors.RedirectError) as caught:
            await client.delete_listing(5)
    assert len(script.requests) == 1
    assert "/marketplace/listings/6" in caught.value.message
    assert "may or may not" in caught.value.message


async def test_endless_redirects_and_a_3xx_without_location_are_errors() -> None:
    script = Script(moved("/releases/1"))
    async with client_for(script) as client:
        with pytest.raises(errors.RedirectError) as caught:
            await client.get_release(1)
    assert len(script.requests) == 6  # the request and five hops
    assert "gave up" in caught.value.message
    async with client_for(Script(httpx.Response(304))) as client:
        with pytest.raises(errors.RedirectError) as caught:
            await client.get_release(1)
    assert "without data or a new address" in caught.value.message


# == 5. retries and deadlines =============================================================


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_a_read_is_retried_after_a_server_failure(status: int) -> None:
    script = Script(
        httpx.Response(status, json={"message": "Oops"}),
        httpx.Response(status, json={"message": "Oops"}),
        httpx.Response(200, json=RELEASE),
    )
    pauses = Pauses()
    async with client_for(script, pauses=pauses) as client:
        assert (await client.get_release(1)).id == 1
    assert len(script.requests) == 3
    assert pauses.calls == [0.25, 0.5]  # doubling, at full jitter


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ReadError("reset"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        httpx.ReadTimeout("timed out"),
        httpx.ConnectTimeout("timed out"),
    ],
)
async def test_a_read_is_retried_after_a_reset_or_a_stall(failure: Exception) -> None:
    script = Script(failure, httpx.Response(200, json=RELEASE))
    async with client_for(script) as client:
        assert (await client.get_release(1)).id == 1
    assert len(script.requests) == 2


async def test_retries_are_few_jittered_and_then_the_error_arrives() -> None:
    script = Script(httpx.Response(503, json={"message": "Down for a moment."}))
    pauses = Pauses()
    async with client_for(script, pauses=pauses, jitter=lambda: 0.5) as client:
        with pytest.raises(errors.ServerError) as caught:
            await client.get_release(1)
    assert caught.value.message == "Down for a moment."
    assert len(script.requests) == 4  # the first try and three retries
    assert pauses.calls == [0.125, 0.25, 0.5]


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (httpx.Response(503, json={"message": "Down."}), errors.ServerError),
        (httpx.Response(500), errors.ServerError),
        (httpx.ReadError("reset"), errors.OutcomeUnknownError),
        (httpx.RemoteProtocolError("cut"), errors.OutcomeUnknownError),
        (httpx.ReadTimeout("slow"), errors.OutcomeUnknownError),
    ],
)
async def test_a_write_is_never_retried(answer: httpx.Response | Exception, error: type) -> None:
    script = Script(answer, httpx.Response(201, json={"listing_id": 9}))
    pauses = Pauses()
    async with client_for(script, pauses=pauses, token="t") as client:
        with pytest.raises(error) as caught:
            await client.create_listing(release_id=1, condition="Mint (M)", price=5.0)
    assert len(script.requests) == 1
    assert pauses.calls == []
    if error is errors.OutcomeUnknownError:
        assert "may or may not have been made" in caught.value.message
        assert "check before trying again" in caught.value.message


async def test_a_write_that_never_left_is_not_of_unknown_outcome() -> None:
    script = Script(httpx.ConnectError("[Errno 111] Connection refused"))
    async with client_for(script, token="t") as client:
        with pytest.raises(errors.NetworkError) as caught:
            await client.delete_listing(5)
    assert not isinstance(caught.value, errors.OutcomeUnknownError)
    assert "Could not connect to api.discogs.test" in caught.value.message
    assert caught.value.message.endswith("Nothing was changed.")


async def test_a_slow_body_in_process_ends_with_too_slow() -> None:
    emulator = Emulator(base_url="http://localhost", rate_limit=10**6)
    transport = emulator.transport(faults=Faults(slow_body=30.0), offload=False)
    async with DiscogsClient(
        base_url="http://localhost", transport=transport, timeout=0.5, sleep=Pauses()
    ) as client:
        with pytest.raises(errors.NetworkError) as caught:
            await client.get_release(1)
    assert caught.value.message.startswith("Discogs is too slow to answer")
    assert "0.5 seconds" in caught.value.message


@pytest.fixture
def loopback() -> Iterator[tuple[Emulator, str]]:
    emulator = Emulator(rate_limit=10**6, anonymous_rate_limit=10**6)
    with running_server(emulator) as url:
        yield emulator, url


async def test_a_slow_body_over_a_socket_ends_with_too_slow(
    loopback: tuple[Emulator, str],
) -> None:
    emulator, url = loopback
    emulator.faults = Faults(slow_body=2.0)
    async with DiscogsClient(base_url=url, timeout=0.5) as client:
        with pytest.raises(errors.NetworkError) as caught:
            await client.get_release(1)
        assert "too slow to answer" in caught.value.message
        emulator.faults = Faults()
        assert (await client.get_release(1)).id == 1


async def test_reads_recover_by_themselves_over_a_socket(loopback: tuple[Emulator, str]) -> None:
    emulator, url = loopback
    emulator.faults = Faults(error_rate=0.2, reset_rate=0.1, truncated_rate=0.1, seed=7)
    async with DiscogsClient(base_url=url, jitter=lambda: 0.0) as client:
        failures = 0
        for release_id in range(1, 21):
            try:
                await client.get_release(release_id % 5 + 1)
            except errors.NetworkError:
                failures += 1
            except errors.ServerError:
                failures += 1
    # Each read has four tries; with faults on about a third of requests, nearly all of
    # them get through (the seed fixes which requests meet which fault).
    assert failures <= 1


async def test_a_429_with_retry_after_waits_that_long_not_a_window() -> None:
    clock = FakeClock()
    moment = email.utils.formatdate(clock.wall() + 3, usegmt=True)
    script = Script(
        httpx.Response(429, json={"message": "Slow down."}, headers={"Retry-After": "2"}),
        httpx.Response(429, json={"message": "Slow down."}, headers={"Retry-After": moment}),
        httpx.Response(200, json=RELEASE),
    )
    governor = RateGovernor(
        limit=60, clock=clock.now, sleep=clock.sleep, wall_clock=clock.wall, max_retries=4
    )
    async with client_for(script, token="t", governor=governor) as client:
        assert (await client.get_release(1)).id == 1
    assert len(script.requests) == 3
    # 2 s, then until the date 3 s after the start: not a whole 60 s window.
    assert sum(clock.sleeps) == pytest.approx(3.0, abs=0.1)


async def test_a_rate_limited_error_carries_an_http_date_retry_after() -> None:
    clock = FakeClock()
    moment = email.utils.formatdate(clock.wall() + 900, usegmt=True)
    script = Script(httpx.Response(429, json={"message": "Slow."}, headers={"Retry-After": moment}))
    governor = RateGovernor(limit=60, clock=clock.now, sleep=clock.sleep, wall_clock=clock.wall)
    async with client_for(script, token="t", governor=governor) as client:
        with pytest.raises(errors.RateLimitedError) as caught:
            await client.get_release(1)
    assert caught.value.retry_after == pytest.approx(900, abs=1)


class FakeClock:
    """A governor clock whose sleeps advance it; the wall clock moves with it."""

    def __init__(self) -> None:
        self.t = 1000.0
        self.sleeps: list[float] = []

    def now(self) -> float:
        return self.t

    def wall(self) -> float:
        return 1_800_000_000.0 + self.t

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += max(0.0, seconds)
        await asyncio.sleep(0)


# == 6. the gauge counts what Discogs counted =============================================


async def test_a_refused_connection_does_not_move_the_gauge() -> None:
    script = Script(httpx.ConnectError("[Errno 111] Connection refused"))
    async with client_for(script, token="t") as client:
        with pytest.raises(errors.NetworkError):
            await client.get_release(1)
        assert client.rate_state.used == 0
        assert client.requests_sent == 0


async def test_a_dns_failure_does_not_move_the_gauge_and_says_so() -> None:
    def lookup_fails(request: httpx.Request) -> httpx.Response:
        try:
            raise socket.gaierror(-2, "Name or service not known")
        except socket.gaierror as exc:
            raise httpx.ConnectError(str(exc), request=request) from exc

    async with client_for(lookup_fails, token="t") as client:
        with pytest.raises(errors.NetworkError) as caught:
            await client.get_release(1)
        assert client.rate_state.used == 0
    assert caught.value.message.startswith("Could not find api.discogs.test")


async def test_a_reset_after_sending_still_counts() -> None:
    script = Script(httpx.ReadError("reset"))
    async with client_for(script, token="t", retries=0) as client:
        with pytest.raises(errors.NetworkError):
            await client.get_release(1)
        assert client.rate_state.used == 1


async def test_a_refused_socket_does_not_move_the_gauge() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens on the port any more: the connection is refused.
    async with DiscogsClient(base_url=f"http://127.0.0.1:{port}", token="t") as client:
        with pytest.raises(errors.NetworkError) as caught:
            await client.get_release(1)
        assert client.rate_state.used == 0
    assert "Could not connect" in caught.value.message


# == 9. per_page ==========================================================================


@pytest.fixture(scope="module")
def demo_world() -> Emulator:
    return Emulator(base_url="http://localhost", rate_limit=10**6, anonymous_rate_limit=10**6)


def _paged_methods() -> list[str]:
    return sorted(
        name
        for name, member in inspect.getmembers(DiscogsClient, inspect.iscoroutinefunction)
        if not name.startswith("_") and "per_page" in inspect.signature(member).parameters
    )


def test_the_paged_methods_are_found() -> None:
    names = _paged_methods()
    assert len(names) >= 15
    assert {"search_database", "get_user_submissions", "get_inventory"} <= set(names)


@pytest.mark.parametrize("name", _paged_methods())
@pytest.mark.parametrize(("asked", "sent"), [(0, 1), (-5, 1), (1, 1), (100, 100), (500, 100)])
async def test_every_paged_method_clamps_per_page(
    name: str, asked: int, sent: int, demo_world: Emulator
) -> None:
    seen: list[httpx.Request] = []
    inner = demo_world.transport(offload=False)

    async def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return await inner.handle_async_request(request)

    async with DiscogsClient(
        base_url="http://localhost",
        token="demo-token",
        transport=httpx.MockTransport(record),
        governor=RateGovernor(limit=10**6),
    ) as client:
        method = getattr(client, name)
        args: list[Any] = []
        for parameter in inspect.signature(method).parameters.values():
            if parameter.kind is not parameter.POSITIONAL_OR_KEYWORD:
                continue
            args.append("demo" if "name" in parameter.name or "order" in parameter.name else 1)
        # A missing order or list is fine: only what was sent matters here.
        with contextlib.suppress(errors.DiscogsError):
            await method(*args, per_page=asked)
    assert seen
    assert seen[0].url.params["per_page"] == str(sent)
