"""Helpers for the Textual tests: an app wired to the in-process emulator, and ways to look at it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from textual.pilot import Pilot

from discogs_tui.api.client import DiscogsClient
from discogs_tui.app import DiscogsApp, Mode
from discogs_tui.config import Settings
from discogs_tui.emulator.app import Emulator

BASE_URL = "http://localhost"
DEMO_TOKEN = "demo-token"

_EMULATOR: Emulator | None = None


def shared_emulator() -> Emulator:
    """One emulator for the read-only tests of a run (loading the dataset takes a moment).

    Its rate limiter is reset each time so that every test starts with a full budget.
    """
    global _EMULATOR
    if _EMULATOR is None:
        _EMULATOR = Emulator(base_url=BASE_URL)
    _EMULATOR.limiter.reset()
    return _EMULATOR


def demo_client(*, transport: httpx.AsyncBaseTransport | None = None) -> DiscogsClient:
    """A client signed in as ``demo`` against the in-process emulator (or ``transport``)."""
    return DiscogsClient(
        base_url=BASE_URL,
        token=DEMO_TOKEN,
        transport=transport if transport is not None else shared_emulator().transport(),
        # Failed reads are still retried, without the pauses between tries.
        retry_backoff=0.0,
    )


def demo_app(
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    settings: Settings | None = None,
    mode: Mode = "DEMO",
    username: str | None = "demo",
    clock: Callable[[], float] | None = None,
    **kwargs: Any,
) -> DiscogsApp:
    """A :class:`DiscogsApp` on the in-process emulator, signed in as ``demo``."""
    extra: dict[str, Any] = dict(kwargs)
    if clock is not None:
        extra["clock"] = clock
    return DiscogsApp(
        demo_client(transport=transport),
        mode=mode,
        username=username,
        settings=settings or Settings(),
        **extra,
    )


def notices(app: DiscogsApp) -> list[str]:
    """The messages of the notifications currently shown."""
    return [notification.message for notification in app._notifications]


class FailingTransport(httpx.AsyncBaseTransport):
    """A transport whose every request fails to connect (a network that is down)."""

    def __init__(self) -> None:
        self.calls = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        raise httpx.ConnectError("connection refused", request=request)


async def settle(pilot: Pilot[Any], app: DiscogsApp, *, rounds: int = 4) -> None:
    """Let every worker finish and every message be handled (workers may start workers)."""
    for _ in range(rounds):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


async def settle_until(
    pilot: Pilot[Any], app: DiscogsApp, condition: Callable[[], bool], *, tries: int = 40
) -> bool:
    """Settle until ``condition`` holds (work that starts work, threads, a busy machine);
    whether it does. Bounded by ``tries`` rounds, never by a clock."""
    for _ in range(tries):
        if condition():
            return True
        await settle(pilot, app, rounds=1)
    return condition()
