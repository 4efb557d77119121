"""Faults on demand, seen through httpx: in-process (both transports) and over a real socket."""

from __future__ import annotations

import json
import logging
import threading
from collections import Counter
from collections.abc import Iterator

import httpx
import pytest

from discogs_tui.emulator.app import Emulator
from discogs_tui.emulator.core import Context, Router
from discogs_tui.emulator.dataset import Dataset
from discogs_tui.emulator.faults import (
    FaultKind,
    Faults,
    chunks,
    malform,
    parse_statuses,
)
from discogs_tui.emulator.server import running_server
from discogs_tui.emulator.state import State

UA = {"User-Agent": "discogs-tui-tests/1.0"}
BASE_URL = "http://localhost"


@pytest.fixture
def emulator(dataset: Dataset) -> Emulator:
    # Limits high enough that only injected faults produce 429s.
    return Emulator(
        dataset=dataset,
        state=State.create(dataset),
        rate_limit=10_000,
        anonymous_rate_limit=10_000,
    )


class SleepLog:
    """Records sleeps instead of sleeping (sync and async flavours)."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)

    async def sleep(self, seconds: float) -> None:
        self.calls.append(seconds)


# ----- the dice ----------------------------------------------------------------------------


def test_no_faults_by_default() -> None:
    faults = Faults()
    assert not faults.active
    assert all(faults.decide().kind is FaultKind.NONE for _ in range(50))


def test_seeded_faults_repeat_exactly() -> None:
    def draw() -> list[tuple[FaultKind, int]]:
        faults = Faults(error_rate=0.3, reset_rate=0.1, malformed_rate=0.1, seed=42)
        return [(plan.kind, plan.status) for plan in (faults.decide() for _ in range(200))]

    assert draw() == draw()
    kinds = Counter(kind for kind, _ in draw())
    assert kinds[FaultKind.ERROR] > 0 and kinds[FaultKind.RESET] > 0
    assert kinds[FaultKind.MALFORMED] > 0 and kinds[FaultKind.NONE] > 0


@pytest.mark.parametrize(
    "bad",
    [{"error_rate": 1.5}, {"reset_rate": -0.1}, {"latency": -1.0}, {"error_statuses": ()}],
)
def test_invalid_settings_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Faults(**bad)  # type: ignore[arg-type]


def test_parse_statuses() -> None:
    assert parse_statuses("500, 503") == (500, 503)
    with pytest.raises(ValueError):
        parse_statuses("404")


def test_helpers_break_bodies() -> None:
    body = json.dumps({"a": list(range(50))}).encode()
    with pytest.raises(ValueError):
        json.loads(malform(body))
    assert b"".join(chunks(body)) == body
    assert 1 < len(chunks(body)) <= 10
    assert chunks(b"") == []


# ----- in-process: async transport -------------------------------------------------------


def _async_client(emulator: Emulator, faults: Faults, sleep: SleepLog) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=emulator.transport(faults=faults, sleep=sleep.sleep),
        base_url=BASE_URL,
        headers=UA,
    )


async def test_transport_reset_raises_read_error_and_skips_the_request(
    emulator: Emulator,
) -> None:
    sleep = SleepLog()
    async with _async_client(emulator, Faults(reset_rate=1.0), sleep) as http:
        with pytest.raises(httpx.ReadError):
            await http.get("/releases/1")
    # The request never reached the emulator: its window is empty.
    async with emulator.client() as clean:
        assert (await clean.get("/")).headers["x-discogs-ratelimit-used"] == "1"


async def test_transport_error_share_follows_the_rate(emulator: Emulator) -> None:
    sleep = SleepLog()
    faults = Faults(error_rate=0.3, seed=1)
    async with _async_client(emulator, faults, sleep) as http:
        responses = [await http.get("/") for _ in range(300)]
    statuses = Counter(response.status_code for response in responses)
    errors = sum(count for status, count in statuses.items() if status >= 500)
    assert 60 <= errors <= 120  # 30 % of 300, with room for chance
    assert set(statuses) <= {200, 500, 502, 503}
    assert {500, 502, 503} <= set(statuses)
    failed = next(response for response in responses if response.status_code == 500)
    assert failed.json() == {"message": "An internal server error occurred."}
    assert "x-discogs-ratelimit" in failed.headers


async def test_transport_429_storm(emulator: Emulator) -> None:
    async with _async_client(emulator, Faults(storm_429_rate=1.0), SleepLog()) as http:
        response = await http.get("/releases/1")
    assert response.status_code == 429
    assert response.json() == {"message": "You are making requests too quickly."}
    assert response.headers["x-discogs-ratelimit-remaining"] == "0"


async def test_transport_malformed_body_is_not_json(emulator: Emulator) -> None:
    async with _async_client(emulator, Faults(malformed_rate=1.0), SleepLog()) as http:
        response = await http.get("/releases/1")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert int(response.headers["content-length"]) == len(response.content)
    with pytest.raises(json.JSONDecodeError):
        response.json()


async def test_transport_truncated_body_raises_mid_stream(emulator: Emulator) -> None:
    async with _async_client(emulator, Faults(truncated_rate=1.0), SleepLog()) as http:
        with pytest.raises(httpx.RemoteProtocolError):
            await http.get("/releases/1")
        async with http.stream("GET", "/releases/1") as response:
            received = b""
            with pytest.raises(httpx.RemoteProtocolError):
                async for piece in response.aiter_raw():
                    received += piece
    assert 0 < len(received) < int(response.headers["content-length"])


async def test_transport_latency_and_slow_body_sleep(emulator: Emulator) -> None:
    sleep = SleepLog()
    async with _async_client(emulator, Faults(latency=0.75, slow_body=2.0), sleep) as http:
        response = await http.get("/releases/1")
    assert response.json()["id"] == 1  # the whole body arrives, just slowly
    assert sleep.calls[0] == 0.75
    dribble = sleep.calls[1:]
    assert len(dribble) > 1
    assert sum(dribble) == pytest.approx(2.0)


async def test_transport_faults_default_to_the_emulators_own(dataset: Dataset) -> None:
    emulator = Emulator(
        dataset=dataset, state=State.create(dataset), faults=Faults(storm_429_rate=1.0)
    )
    async with emulator.client() as http:
        assert (await http.get("/")).status_code == 429


# ----- in-process: sync transport --------------------------------------------------------


def test_sync_transport_faults(emulator: Emulator) -> None:
    sleep = SleepLog()

    def client(faults: Faults) -> httpx.Client:
        return httpx.Client(
            transport=emulator.sync_transport(faults=faults, sleep=sleep),
            base_url=BASE_URL,
            headers=UA,
        )

    with client(Faults(reset_rate=1.0)) as http, pytest.raises(httpx.ReadError):
        http.get("/")
    with client(Faults(truncated_rate=1.0)) as http, pytest.raises(httpx.RemoteProtocolError):
        http.get("/")
    with client(Faults(error_rate=1.0, error_statuses=(503,))) as http:
        assert http.get("/").status_code == 503
    with client(Faults(slow_body=1.0, latency=0.25)) as http:
        assert http.get("/").json()["api_version"] == "v2"
    assert sleep.calls[0] == 0.25
    assert sum(sleep.calls[1:]) == pytest.approx(1.0)


# ----- over a real socket --------------------------------------------------------------------


@pytest.fixture
def wire(
    emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> Iterator[tuple[Emulator, str, SleepLog]]:
    sleep = SleepLog()
    with (
        caplog.at_level(logging.ERROR, logger="discogs_tui.emulator"),
        running_server(emulator, sleep=sleep) as url,
    ):
        yield emulator, url, sleep
    # Faults are deliberate: the server itself must not have failed while making them.
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_socket_reset_is_a_transport_error(wire: tuple[Emulator, str, SleepLog]) -> None:
    emulator, url, _ = wire
    emulator.faults = Faults(reset_rate=1.0)
    for _ in range(3):
        with pytest.raises(httpx.ReadError):  # a TCP RST: "connection reset by peer"
            httpx.get(f"{url}/releases/1", headers=UA)
    emulator.faults = Faults()
    assert httpx.get(f"{url}/releases/1", headers=UA).status_code == 200


def test_socket_malformed_and_truncated(wire: tuple[Emulator, str, SleepLog]) -> None:
    emulator, url, _ = wire
    emulator.faults = Faults(malformed_rate=1.0)
    malformed = httpx.get(f"{url}/releases/1", headers=UA)
    assert malformed.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        malformed.json()
    emulator.faults = Faults(truncated_rate=1.0)
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.get(f"{url}/releases/1", headers=UA)


def test_socket_error_share_and_429_storm(wire: tuple[Emulator, str, SleepLog]) -> None:
    emulator, url, _ = wire
    emulator.faults = Faults(error_rate=0.5, seed=3)
    with httpx.Client(base_url=url, headers=UA) as http:
        statuses = Counter(http.get("/").status_code for _ in range(60))
        assert 15 <= sum(n for s, n in statuses.items() if s >= 500) <= 45
        assert statuses[200] > 0
        emulator.faults = Faults(storm_429_rate=1.0)
        storm = http.get("/")
        assert storm.status_code == 429
        assert storm.json() == {"message": "You are making requests too quickly."}


def test_socket_slow_body_and_latency(wire: tuple[Emulator, str, SleepLog]) -> None:
    emulator, url, sleep = wire
    emulator.faults = Faults(latency=0.5, slow_body=3.0)
    response = httpx.get(f"{url}/releases/1", headers=UA)
    assert response.json()["id"] == 1
    assert sleep.calls[0] == 0.5
    assert len(sleep.calls) > 2
    assert sum(sleep.calls[1:]) == pytest.approx(3.0)


def test_socket_slow_body_really_dribbles(emulator: Emulator) -> None:
    # With real (tiny) sleeps the client receives the body in several reads.
    emulator.faults = Faults(slow_body=0.02)
    with (
        running_server(emulator) as url,
        httpx.Client(headers=UA) as http,
        http.stream("GET", f"{url}/releases/1") as response,
    ):
        pieces = [piece for piece in response.iter_raw() if piece]
    assert len(pieces) > 1
    assert json.loads(b"".join(pieces))["id"] == 1


@pytest.mark.parametrize("offload", [True, False])
async def test_async_transport_runs_requests_off_the_event_loop(
    dataset: Dataset, offload: bool
) -> None:
    router = Router()

    def where(ctx: Context) -> dict[str, bool]:
        return {"on_loop_thread": threading.current_thread() is threading.main_thread()}

    router.add("GET", "/where", where)
    emulator = Emulator(dataset=dataset, state=State.create(dataset), routers=[router])
    async with httpx.AsyncClient(
        transport=emulator.transport(offload=offload), base_url=BASE_URL, headers=UA
    ) as http:
        answer = (await http.get("/where")).json()
    assert answer == {"on_loop_thread": not offload}
