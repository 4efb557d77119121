"""Helpers for the bulk-edit runner's tests: a transport that counts and can hold an edit."""

from __future__ import annotations

import asyncio
from collections import Counter
from decimal import Decimal

import httpx
from tui_helpers import BASE_URL, DEMO_TOKEN

from discogs_tui.api.client import DiscogsClient
from discogs_tui.emulator.app import Emulator
from discogs_tui.emulator.dataset import Dataset
from discogs_tui.tasks.bulk_plan import BulkChange, Plan, PriceRule, plan_bulk_change
from discogs_tui.tasks.inventory_csv import listing_row


class Wire(httpx.AsyncBaseTransport):
    """The emulator's transport, counting requests and the listing edits it made.

    ``hold_at``: the edit with that number (0 first) waits, before reaching the server, until
    :meth:`release`; ``held`` is set once it waits. ``fail_from``: edits from that number on
    fail to connect (a network that went down), read-backs too. ``refuse_from``: from that
    edit on, every request is answered 401 (the token was revoked).
    """

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        *,
        hold_at: int | None = None,
        fail_from: int | None = None,
        refuse_from: int | None = None,
    ) -> None:
        self.inner = inner
        self.refuse_from = refuse_from
        self.hold_at = hold_at
        self.fail_from = fail_from
        self.held = asyncio.Event()
        self._release = asyncio.Event()
        self.writes: Counter[int] = Counter()
        """Listing id → edits the server made to it."""
        self.edits_seen = 0
        self.requests: list[tuple[str, str]] = []

    def release(self) -> None:
        """Let the held edit go on."""
        self._release.set()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        self.requests.append((request.method, path))
        is_edit = request.method == "POST" and path.startswith("/marketplace/listings/")
        number = -1
        if is_edit:
            number = self.edits_seen
            self.edits_seen += 1
            if number == self.hold_at:
                self.held.set()
                await self._release.wait()
        if self.refuse_from is not None and self.edits_seen > self.refuse_from:
            body = {"message": "You must authenticate to access this resource."}
            return httpx.Response(401, json=body, request=request)
        if self.fail_from is not None and self.edits_seen > self.fail_from:
            raise httpx.ConnectError("connection refused", request=request)
        response = await self.inner.handle_async_request(request)
        if is_edit:
            await response.aread()
            if response.status_code < 300:
                self.writes[int(path.rsplit("/", 1)[1])] += 1
        return response

    def gets(self) -> int:
        """GET requests sent so far."""
        return sum(1 for method, _ in self.requests if method == "GET")


def new_emulator(dataset: Dataset) -> Emulator:
    """An emulator of its own (the test writes to it), with a budget no test exhausts."""
    return Emulator(dataset=dataset, base_url=BASE_URL, rate_limit=100_000)


def reader(emulator: Emulator) -> DiscogsClient:
    """Another client, as a second program reading the seller's listings back."""
    return DiscogsClient(base_url=BASE_URL, token=DEMO_TOKEN, transport=emulator.transport())


async def raise_prices(emulator: Emulator, count: int = 5, percent: int = 10) -> Plan:
    """A plan raising the prices of ``count`` For Sale listings of ``demo`` by ``percent``."""
    async with reader(emulator) as client:
        rows = [listing_row(x) async for x in client.walk(client.get_inventory, "demo")]
    for_sale = [row for row in rows if row["status"] == "For Sale"][:count]
    plan = plan_bulk_change(for_sale, BulkChange(price=PriceRule(percent=Decimal(percent))))
    assert len(plan.edits) == count
    return plan


def price_of(emulator: Emulator, listing_id: int) -> str:
    """The listing's price as the server holds it, with two decimals."""
    return f"{Decimal(str(emulator.state.listings[listing_id].price)):.2f}"
