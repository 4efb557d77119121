"""Write an SVG of each screen to ``screenshots/`` at 80x24, against the in-process emulator.

Run from the repository root: ``python scripts/make_screenshots.py [--size 80x24] [--out DIR]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable
from decimal import Decimal
from pathlib import Path

import httpx
from textual.pilot import Pilot

from discogs_tui.api.client import DiscogsClient
from discogs_tui.app import DiscogsApp
from discogs_tui.config import Settings
from discogs_tui.emulator.app import Emulator
from discogs_tui.navigation import Target
from discogs_tui.tasks.bulk_plan import BulkChange, PriceRule, plan_bulk_change
from discogs_tui.tasks.inventory_csv import listing_row

Step = Callable[[DiscogsApp, Pilot[int]], Awaitable[None]]


async def settle(app: DiscogsApp, pilot: Pilot[int]) -> None:
    """Wait until every worker is done and the screen has been redrawn."""
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


def open_page(target: Target) -> Step:
    """A step that opens ``target`` the way ``:`` would."""

    async def step(app: DiscogsApp, pilot: Pilot[int]) -> None:
        app.navigate(target)
        await settle(app, pilot)

    return step


def press(*keys: str) -> Step:
    """A step that presses ``keys``."""

    async def step(app: DiscogsApp, pilot: Pilot[int]) -> None:
        await pilot.press(*keys)
        await settle(app, pilot)

    return step


async def sign_in(app: DiscogsApp, pilot: Pilot[int]) -> None:
    """The sign-in choices (the first run's welcome page; ctrl+p → Sign in later)."""
    app.action_sign_in()
    await settle(app, pilot)


class HeldEdit(httpx.AsyncBaseTransport):
    """A transport that holds the third listing edit, so a bulk edit stays mid-run."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.edits = 0
        self.held = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path.startswith("/marketplace/listings/"):
            self.edits += 1
            if self.edits == 3:
                self.held.set()
                await asyncio.Event().wait()  # until the screenshot is taken and the app ends
        return await self.inner.handle_async_request(request)


async def bulk_edit_running(app: DiscogsApp, pilot: Pilot[int]) -> None:
    """The inventory while a bulk edit raises 8 prices by 10% (its journal in a temporary
    folder, never the user's)."""
    os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="discogs-tui-shots-")
    held = HeldEdit(Emulator(base_url="http://localhost").transport())
    client = DiscogsClient(base_url="http://localhost", token="demo-token", transport=held)
    app.use_client(client, mode="DEMO", username="demo")
    app.navigate(Target("inventory"))
    await settle(app, pilot)
    rows = [listing_row(x) async for x in client.walk(client.get_inventory, "demo")]
    for_sale = [row for row in rows if row["status"] == "For Sale"][:8]
    plan = plan_bulk_change(for_sale, BulkChange(price=PriceRule(percent=Decimal(10))))
    app.start_bulk_edit(plan, source="bulk edit")
    await held.held.wait()
    await pilot.pause(0.2)


SHOTS: dict[str, list[Step]] = {
    "home": [],
    "command-line": [press("colon", *"release 1")],
    "help": [press("question_mark")],
    "search": [open_page(Target("search", query="")), press(*"Persuader", "enter")],
    "release": [open_page(Target("release", id=1))],
    "artist": [open_page(Target("artist", id=1))],
    "master": [open_page(Target("master", id=1660109))],
    "label": [open_page(Target("label", id=5))],
    "collection": [press("c")],
    "collection-folder": [press("c"), press("down", "down", "down", "down", "enter")],
    "collection-notes": [press("c"), press("down", "down", "down", "down", "enter"), press("e")],
    "add-to-collection": [open_page(Target("release", id=3)), press("a")],
    "wantlist": [open_page(Target("wantlist"))],
    "wantlist-filtered": [open_page(Target("wantlist")), press("s", "f", *"the")],
    "want-edit": [open_page(Target("wantlist")), press("e")],
    "release-add-want": [open_page(Target("release", id=1)), press("W")],
    "profile": [open_page(Target("user"))],
    "profile-private": [open_page(Target("user", name="privateuser"))],
    "profile-edit": [open_page(Target("user")), press("E")],
    "lists": [open_page(Target("lists"))],
    "list": [open_page(Target("lists")), press("enter")],
    "inventory": [open_page(Target("inventory"))],
    "inventory-marks": [open_page(Target("inventory")), press("space", "space", "down", "space")],
    "bulk-edit-form": [
        open_page(Target("inventory")),
        press(*["space"] * 12, "b", "plus", *"10", "percent_sign"),
    ],
    "bulk-edit-preview": [
        open_page(Target("inventory")),
        press(*["space"] * 12, "b", "plus", *"10", "percent_sign", "enter"),
    ],
    "listing-edit": [open_page(Target("inventory")), press("e", *"24.50")],
    "listing": [open_page(Target("listing", id=3100000032))],
    "orders": [open_page(Target("orders"))],
    "order": [open_page(Target("order", name="1000001-2"))],
    "order-message": [open_page(Target("order", name="1000001-2")), press("m", *"Posted today")],
    "bulk-edit-running": [bulk_edit_running],
    "welcome": [sign_in],
    "sign-in-oauth": [sign_in, press("down", "down", "enter")],
}
"""Each screenshot's name and the steps that lead to it from the home page."""


async def shoot(name: str, steps: list[Step], out: Path, size: tuple[int, int]) -> Path:
    """Run a fresh app through ``steps`` and save what it shows as ``out/name.svg``."""
    emulator = Emulator(base_url="http://localhost")
    client = DiscogsClient(
        base_url="http://localhost", token="demo-token", transport=emulator.transport()
    )
    app = DiscogsApp(client, mode="DEMO", username="demo", settings=Settings())
    try:
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            for step in steps:
                await step(app, pilot)
            path = app.save_screenshot(filename=f"{name}.svg", path=str(out))
    finally:
        await client.aclose()
    return Path(path)


async def main_async(out: Path, size: tuple[int, int], only: list[str]) -> int:
    """Write every screenshot (or those named in ``only``)."""
    for name, steps in SHOTS.items():
        if only and name not in only:
            continue
        path = await shoot(name, steps, out, size)
        print(f"wrote {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and write the screenshots."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("screenshots"), help="output folder")
    parser.add_argument("--size", default="80x24", help="terminal size, WIDTHxHEIGHT")
    parser.add_argument("names", nargs="*", help=f"only these: {', '.join(SHOTS)}")
    args = parser.parse_args(argv)
    width, _, height = args.size.partition("x")
    args.out.mkdir(parents=True, exist_ok=True)
    return asyncio.run(main_async(args.out, (int(width), int(height)), args.names))


if __name__ == "__main__":
    sys.exit(main())
