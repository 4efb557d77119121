"""80x24 snapshots of the wantlist, profile and list pages and their forms.

Each snapshot has its own emulator, so writes by other tests cannot change the picture.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from tui_helpers import BASE_URL, demo_app

from discogs_tui.app import DiscogsApp
from discogs_tui.emulator.app import Emulator
from discogs_tui.emulator.dataset import Dataset
from discogs_tui.navigation import Target

Snap = Callable[..., bool]


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return Dataset.load()


def app_on(dataset: Dataset) -> DiscogsApp:
    emulator = Emulator(dataset=dataset, base_url=BASE_URL, rate_limit=100_000)
    return demo_app(transport=emulator.transport(offload=False))


def open_and_wait(target: Target, *keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """A ``run_before`` that opens ``target``, presses ``keys`` and waits for the workers."""

    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        app.navigate(target)  # type: ignore[attr-defined]
        for key in (None, *keys):
            if key is not None:
                await pilot.press(key)
            for _ in range(4):
                await pilot.pause()
                await app.workers.wait_for_complete()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize(
    ("target", "keys"),
    [
        (Target("wantlist"), ()),
        (Target("wantlist"), ("s", "f", "t", "h", "e", "enter")),
        (Target("wantlist"), ("e",)),
        (Target("wantlist", name="privateuser"), ()),
        (Target("release", id=1), ("W",)),
        (Target("user"), ()),
        (Target("user", name="privateuser"), ()),
        (Target("user"), ("E",)),
        (Target("lists"), ()),
        (Target("lists"), ("enter",)),
    ],
    ids=[
        "wantlist",
        "wantlist_sorted_filtered",
        "want_edit_form",
        "wantlist_private",
        "release_add_want_form",
        "profile_own",
        "profile_private",
        "profile_edit_form",
        "lists",
        "list_entries",
    ],
)
def test_snapshot(
    snap_compare: Snap, dataset: Dataset, target: Target, keys: tuple[str, ...]
) -> None:
    assert snap_compare(
        app_on(dataset), run_before=open_and_wait(target, *keys), terminal_size=(80, 24)
    )
