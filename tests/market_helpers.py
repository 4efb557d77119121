"""Shared by the marketplace page tests: a fresh emulator per test that writes, a recording
transport, another client that reads back what was saved, and ways to wait and look."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from tui_helpers import BASE_URL, DEMO_TOKEN
from tui_helpers import settle as tui_settle

from discogs_tui.api.client import DiscogsClient
from discogs_tui.app import DiscogsApp
from discogs_tui.emulator.app import Emulator
from discogs_tui.emulator.dataset import Dataset
from discogs_tui.widgets.paged_table import PagedTable


class Recording(httpx.AsyncBaseTransport):
    """The emulator, with every request recorded; ``hook`` may answer one itself."""

    def __init__(self, emulator: Emulator) -> None:
        self.inner = emulator.transport(offload=False)
        self.requests: list[httpx.Request] = []
        self.hook: Callable[[httpx.Request], httpx.Response | None] | None = None

    def writes(self) -> list[httpx.Request]:
        return [r for r in self.requests if r.method != "GET"]

    def reads(self, path_part: str) -> list[httpx.Request]:
        return [r for r in self.requests if r.method == "GET" and path_part in r.url.path]

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.hook is not None:
            answer = self.hook(request)
            if answer is not None:
                return answer
        return await self.inner.handle_async_request(request)


def fresh(dataset: Dataset, **kwargs: Any) -> tuple[Emulator, Recording]:
    emulator = Emulator(dataset=dataset, base_url=BASE_URL, rate_limit=100_000, **kwargs)
    return emulator, Recording(emulator)


def truth(emulator: Emulator) -> DiscogsClient:
    """Another client on the same server: it reads what was really saved."""
    return DiscogsClient(
        base_url=BASE_URL, token=DEMO_TOKEN, transport=emulator.transport(offload=False)
    )


async def settle(pilot: Any) -> None:
    """The one settle of the Pilot journeys, with a round more (a save, then its read-back)."""
    await tui_settle(pilot, pilot.app, rounds=5)


async def type_text(pilot: Any, text: str) -> None:
    for char in text:
        await pilot.press("space" if char == " " else char)


def table(app: DiscogsApp, selector: str) -> PagedTable[Any]:
    return app.screen.query_one(selector, PagedTable)


def json_error(status: int, message: str) -> httpx.Response:
    return httpx.Response(status, json={"message": message})
