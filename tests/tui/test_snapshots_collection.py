"""Snapshots of the collection pages and their forms at 80x24, each on its own emulator
(so no other test's writes show), including the failure paths."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from textual.pilot import Pilot
from textual.widgets import TextArea
from tui_helpers import BASE_URL, demo_app

from discogs_tui.app import DiscogsApp
from discogs_tui.emulator.app import Emulator
from discogs_tui.emulator.dataset import Dataset
from discogs_tui.navigation import Target

Snap = Callable[..., bool]


class Refusing(httpx.AsyncBaseTransport):
    """A fresh emulator; writes with ``method`` are answered ``status`` with ``message``."""

    def __init__(self, dataset: Dataset, status: int = 0, method: str = "", message: str = ""):
        self.inner = Emulator(dataset=dataset, base_url=BASE_URL).transport(offload=False)
        self.status, self.method, self.message = status, method, message

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.status and request.method == self.method:
            body = json.dumps({"message": self.message}).encode()
            return httpx.Response(self.status, content=body, request=request)
        return await self.inner.handle_async_request(request)


def app_on(dataset: Dataset, **refuse: Any) -> DiscogsApp:
    return demo_app(transport=Refusing(dataset, **refuse))


def steps(
    *actions: str | Callable[[Pilot[Any]], Awaitable[None]],
) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """A ``run_before`` pressing keys (or running steps), waiting for the workers after each."""

    async def run_before(pilot: Pilot[Any]) -> None:
        for action in actions:
            if isinstance(action, str):
                await pilot.press(action)
            else:
                await action(pilot)
            for _ in range(4):
                await pilot.pause()
                await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    return run_before


async def to_folder_row(pilot: Pilot[Any]) -> None:
    """On the collection page: the cursor to Jazz & Soul (the fifth folder)."""
    for _ in range(4):
        await pilot.press("down")


OPEN_JAZZ = ("c", to_folder_row, "enter")


def test_snapshot_collection_folders(snap_compare: Snap, dataset: Dataset) -> None:
    """All, Uncategorized, then the user's folders, with counts; the value above."""
    assert snap_compare(app_on(dataset), run_before=steps("c"), terminal_size=(80, 24))


def test_snapshot_collection_folder_items(snap_compare: Snap, dataset: Dataset) -> None:
    assert snap_compare(app_on(dataset), run_before=steps(*OPEN_JAZZ), terminal_size=(80, 24))


def test_snapshot_collection_filter(snap_compare: Snap, dataset: Dataset) -> None:
    """ "vinyl 19" typed: the loaded items matching both words."""
    keys = ["f", *"vinyl 19"]
    assert snap_compare(
        app_on(dataset), run_before=steps(*OPEN_JAZZ, *keys), terminal_size=(80, 24)
    )


def test_snapshot_collection_sorted_by_artist(snap_compare: Snap, dataset: Dataset) -> None:
    assert snap_compare(
        app_on(dataset), run_before=steps(*OPEN_JAZZ, "s", "S"), terminal_size=(80, 24)
    )


def test_snapshot_collection_notes_form(snap_compare: Snap, dataset: Dataset) -> None:
    """The custom fields: Media a drop-down, Notes a multi-line text area."""
    assert snap_compare(app_on(dataset), run_before=steps(*OPEN_JAZZ, "e"), terminal_size=(80, 24))


def test_snapshot_collection_move_form(snap_compare: Snap, dataset: Dataset) -> None:
    assert snap_compare(app_on(dataset), run_before=steps(*OPEN_JAZZ, "m"), terminal_size=(80, 24))


def test_snapshot_collection_remove_confirmation(snap_compare: Snap, dataset: Dataset) -> None:
    assert snap_compare(
        app_on(dataset), run_before=steps(*OPEN_JAZZ, "delete"), terminal_size=(80, 24)
    )


def test_snapshot_collection_rating_refused_403(snap_compare: Snap, dataset: Dataset) -> None:
    """A 403 on a rating: the form says why; the row under it keeps its old rating."""
    app = app_on(
        dataset,
        status=403,
        method="POST",
        message="You don't have permission to access this resource.",
    )
    assert snap_compare(
        app, run_before=steps(*OPEN_JAZZ, "R", "ctrl+u", "5", "enter"), terminal_size=(80, 24)
    )


def test_snapshot_collection_notes_refused_422(snap_compare: Snap, dataset: Dataset) -> None:
    async def type_note(pilot: Pilot[Any]) -> None:
        pilot.app.screen.query_one("#field-field_2", TextArea).text = "Too long, says the server"

    app = app_on(dataset, status=422, method="POST", message="Invalid value: too long.")
    assert snap_compare(
        app, run_before=steps(*OPEN_JAZZ, "e", type_note, "ctrl+s"), terminal_size=(80, 24)
    )


def test_snapshot_collection_delete_full_folder(snap_compare: Snap, dataset: Dataset) -> None:
    """Delete on a folder with items: a message says only an empty folder can go."""
    assert snap_compare(
        app_on(dataset), run_before=steps("c", to_folder_row, "delete"), terminal_size=(80, 24)
    )


def test_snapshot_collection_delete_all_refused(snap_compare: Snap, dataset: Dataset) -> None:
    """Delete on All: a message says why All and Uncategorized are fixed."""
    assert snap_compare(app_on(dataset), run_before=steps("c", "delete"), terminal_size=(80, 24))


def test_snapshot_release_add_to_collection(snap_compare: Snap, dataset: Dataset) -> None:
    """The folder question over release 3, Uncategorized chosen already."""

    async def open_release(pilot: Pilot[Any]) -> None:
        pilot.app.navigate(Target("release", id=3))  # type: ignore[attr-defined]

    assert snap_compare(
        app_on(dataset), run_before=steps(open_release, "a"), terminal_size=(80, 24)
    )
