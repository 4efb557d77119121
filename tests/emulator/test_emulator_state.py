"""The emulator state: the demo world, its queries, atomic save/load and scale generation."""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from discogs_tui.emulator.records import ListingRecord
from discogs_tui.emulator.state import State
from discogs_tui.emulator.vocab import (
    EDITABLE_LISTING_STATUSES,
    MEDIA_CONDITIONS,
    SLEEVE_CONDITIONS,
)


class FakeDataset:
    """A tiny stand-in for the bundled dataset: releases 1..n with minimal documents."""

    def __init__(self, count: int = 1000) -> None:
        self._ids = list(range(1, count + 1))

    def release_ids(self) -> list[int]:
        return list(self._ids)

    def release(self, release_id: int) -> dict[str, Any] | None:
        if 1 <= release_id <= len(self._ids):
            return {"id": release_id, "title": f"Title {release_id}"}
        return None


def fixed_clock() -> datetime:
    return datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.fixture
def state() -> State:
    return State.create(FakeDataset(), clock=fixed_clock)


def test_create_is_deterministic() -> None:
    first = State.create(FakeDataset()).to_json()
    second = State.create(FakeDataset()).to_json()
    assert first == second
    assert State.create(FakeDataset(), seed=1).to_json() != first


def test_demo_account_credentials(state: State) -> None:
    assert state.tokens["demo-token"] == "demo"
    assert state.tokens["seller2-token"] == "seller2"
    assert state.tokens["private-token"] == "privateuser"
    assert state.consumers == {"demo-consumer-key": "demo-consumer-secret"}
    assert state.access_tokens == {}
    assert state.user_exists("demo") and state.user_exists("DEMO")
    assert not state.user_exists("nobody")


def test_demo_collection(state: State) -> None:
    collection = state.collection("demo")
    names = {f.name for f in collection.folders.values()}
    assert {"All", "Uncategorized"} <= names and len(names) >= 5
    assert 200 <= len(collection.instances) <= 500
    assert all(i.instance_id > 2**31 for i in collection.instances.values())
    assert {i.rating for i in collection.instances.values()} >= {0, 3, 4, 5}
    kinds = {f.type: f for f in collection.fields}
    assert kinds["dropdown"].options and kinds["textarea"].lines
    with_notes = [i for i in collection.instances.values() if i.notes]
    assert len(with_notes) > 50
    for instance in with_notes:
        for note in instance.notes:
            custom = collection.field(note["field_id"])
            assert custom is not None
            if custom.type == "dropdown":
                assert note["value"] in (custom.options or [])
    # Every instance sits in a real folder other than 0.
    assert all(
        i.folder_id in collection.folders and i.folder_id != 0
        for i in collection.instances.values()
    )


def test_demo_wantlist_inventory_and_orders(state: State) -> None:
    wants = state.wantlist("demo")
    assert len(wants) == 50
    assert any(w.notes for w in wants.values()) and any(w.rating for w in wants.values())
    inventory = state.inventory("demo")
    assert 180 <= len(inventory) <= 220
    assert {x.status for x in inventory} == {"For Sale", "Draft", "Expired", "Sold"}
    assert {x.condition for x in inventory} <= set(MEDIA_CONDITIONS)
    assert {x.sleeve_condition for x in inventory} <= set(SLEEVE_CONDITIONS)
    assert len({x.condition for x in inventory}) >= 4
    assert any(x.allow_offers for x in inventory) and any(x.comments for x in inventory)
    orders = [o for o in state.orders.values() if o.seller == "demo"]
    assert len(orders) >= 3
    assert all(o.id.startswith("1000001-") and o.items and o.messages for o in orders)
    assert len({o.status for o in orders}) >= 3


def test_other_users(state: State) -> None:
    private = state.user("privateuser")
    assert private is not None and not private.collection_public
    assert state.collection("privateuser").instances
    seller2 = state.inventory("seller2")
    assert any(x.status == "For Sale" for x in seller2)
    assert {x.currency for x in seller2} == {"EUR"}


def test_membership_queries(state: State) -> None:
    instance = next(iter(state.collection("demo").instances.values()))
    assert state.in_collection("demo", instance.release_id)
    assert state.in_collection("DEMO", instance.release_id)
    assert not state.in_collection("nobody", instance.release_id)
    want = next(iter(state.wantlist("demo")))
    assert state.in_wantlist("demo", want) and not state.in_wantlist("seller2", 10**9)
    state.collection("demo").remove(instance.instance_id)
    others = state.collection("demo").of_release(instance.release_id)
    assert state.in_collection("demo", instance.release_id) == bool(others)


def test_marketplace_summary_follows_writes(state: State) -> None:
    # Release 1 is always on sale (seller2, in EUR); the summary is in USD.
    low, count = state.marketplace_summary(1)
    assert low is not None and count >= 1
    cheap = ListingRecord(
        id=state.next_id("listing"),
        seller="demo",
        release_id=1,
        status="For Sale",
        price=0.5,
        currency="USD",
        condition="Good (G)",
        sleeve_condition="Generic",
        posted=state.now(),
    )
    state.listings[cheap.id] = cheap
    state.listings_changed()
    assert state.marketplace_summary(1) == (0.5, count + 1)
    cheap.status = "Draft"
    state.listings_changed()
    assert state.marketplace_summary(1) == (low, count)
    assert state.marketplace_summary(10**9) == (None, 0)


def test_save_load_round_trip(state: State, tmp_path: Path) -> None:
    state.access_tokens["tok"] = ("secret", "demo")
    state.release_ratings["demo"][7] = 5
    path = tmp_path / "state.json"
    state.save(path)
    loaded = State.load(path, FakeDataset())
    assert loaded.to_json() == state.to_json()
    assert loaded.access_tokens["tok"] == ("secret", "demo")
    assert loaded.release_ratings["demo"][7] == 5
    first = next(iter(state.collection("demo").instances.values()))
    assert loaded.in_collection("demo", first.release_id)
    # Ids keep counting from where they were.
    assert loaded.next_id("listing") == state.next_id("listing")


def test_save_is_atomic(state: State, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "saved"
    path = folder / "state.json"
    state.save(path)
    before = path.read_bytes()
    state.users["demo"].location = "Changed"

    def crash(*args: Any) -> None:
        raise OSError("disk gone")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError):
        state.save(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["state.json"]
    monkeypatch.undo()
    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        state.save(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["state.json"]
    monkeypatch.undo()
    state.save(path)
    assert json.loads(path.read_text())["users"][0]["location"] == "Changed"


def test_load_rejects_unknown_version(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_text(json.dumps({"version": 999}))
    with pytest.raises(ValueError, match="version"):
        State.load(path, FakeDataset())


def test_next_statuses_for_editable_listings_constant() -> None:
    assert EDITABLE_LISTING_STATUSES == ("For Sale", "Draft", "Expired")


@pytest.mark.parametrize("scale", [10_000, 50_000])
def test_scale(scale: int, tmp_path: Path) -> None:
    dataset = FakeDataset(1000)
    started = time.perf_counter()
    state = State.create(dataset, scale=scale)
    created = time.perf_counter() - started
    assert len(state.collection("demo").instances) == scale
    assert len(state.inventory("demo")) == scale
    assert len({i.instance_id for i in state.collection("demo").instances.values()}) == scale
    message = f"scale={scale}: create {created:.2f}s"
    if scale == 10_000:
        started = time.perf_counter()
        state.save(tmp_path / "s.json")
        message += f", save {time.perf_counter() - started:.2f}s"
    print(message)
