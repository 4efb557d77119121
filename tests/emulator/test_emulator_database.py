"""The database routes, called through a Router and a Context (no HTTP, no app)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from discogs_tui.emulator.core import BASE, Context, EmuRequest, Router
from discogs_tui.emulator.dataset import Dataset
from discogs_tui.emulator.routes.database import router

BASE_URL = "http://127.0.0.1:5999"


class FakeState:
    """Just the state methods the database routes look for."""

    def __init__(self) -> None:
        self.market: dict[int, tuple[float | None, int]] = {1: (10.0, 3)}
        self.collection = {("demo", 1)}
        self.wants = {("demo", 2)}

    def marketplace_summary(self, release_id: int) -> tuple[float | None, int]:
        return self.market.get(release_id, (None, 0))

    def in_collection(self, username: str, release_id: int) -> bool:
        return (username, release_id) in self.collection

    def in_wantlist(self, username: str, release_id: int) -> bool:
        return (username, release_id) in self.wants


def call(
    dataset: Dataset,
    path: str,
    query: str = "",
    *,
    state: Any = None,
    identity: str | None = None,
    consumer: bool = False,
) -> tuple[int, Any, dict[str, str]]:
    """Dispatch a GET through the database router: (status, decoded body, headers)."""
    table = Router()
    table.include(router)
    request = EmuRequest.build("GET", path, query_string=query)
    ctx = Context(
        request=request,
        dataset=dataset,
        state=state if state is not None else object(),
        base_url=BASE_URL,
        identity=identity,
        consumer=consumer,
    )
    response = table.respond(ctx)
    assert response is not None, path
    body = json.loads(response.body) if response.body else None
    return response.status, body, response.headers


def test_release(dataset: Dataset) -> None:
    status, body, _ = call(dataset, "/releases/1")
    assert status == 200
    assert body["title"] == "Stockholm"
    assert body["artists"][0]["name"] == "The Persuader"
    assert len(body["tracklist"]) == 6
    assert body["num_for_sale"] == 0 and body["lowest_price"] is None
    assert body["resource_url"] == f"{BASE}/releases/1"


def test_release_uses_the_marketplace_summary(dataset: Dataset) -> None:
    status, body, _ = call(dataset, "/releases/1", state=FakeState())
    assert status == 200
    assert body["lowest_price"] == 10.0 and body["num_for_sale"] == 3
    _, other, _ = call(dataset, "/releases/1", "curr_abbr=EUR", state=FakeState())
    assert other["num_for_sale"] == 3
    assert isinstance(other["lowest_price"], float)
    # The stored document is not changed by a request.
    assert dataset.release(1)["num_for_sale"] == 0  # type: ignore[index]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/releases/999999999", "Release not found."),
        ("/masters/999999999", "Master Release not found."),
        ("/masters/999999999/versions", "Master Release not found."),
        ("/artists/999999999", "Artist not found."),
        ("/artists/999999999/releases", "Artist not found."),
        ("/labels/999999999", "Label not found."),
        ("/labels/999999999/releases", "Label not found."),
    ],
)
def test_not_found(dataset: Dataset, path: str, message: str) -> None:
    status, body, _ = call(dataset, path)
    assert status == 404
    assert body == {"message": message}


def test_master_and_versions(dataset: Dataset) -> None:
    master_id = dataset.release(1)["master_id"]  # type: ignore[index]
    status, master, _ = call(dataset, f"/masters/{master_id}")
    assert status == 200
    assert master["main_release"] == 1
    assert master["versions_url"] == f"{BASE}/masters/{master_id}/versions"
    status, page, _ = call(dataset, f"/masters/{master_id}/versions")
    assert status == 200
    assert [v["id"] for v in page["versions"]] == [1]
    assert page["filters"]["available"]["country"] == {"Sweden": 1}
    assert page["filter_facets"][0]["id"] == "format"


def test_master_versions_filter_sort_and_page(dataset: Dataset) -> None:
    master_id = max(dataset.master_ids(), key=lambda m: len(dataset.master_versions(m) or []))
    total = len(dataset.master_versions(master_id) or [])
    _, page, headers = call(dataset, f"/masters/{master_id}/versions", "per_page=2&sort=catno")
    assert page["pagination"]["items"] == total
    assert len(page["versions"]) == 2
    assert 'rel="next"' in headers["Link"]
    _, all_rows, _ = call(dataset, f"/masters/{master_id}/versions", "sort=catno&sort_order=desc")
    catnos = [v["catno"].casefold() for v in all_rows["versions"] if v["catno"]]
    assert catnos == sorted(catnos, reverse=True)
    country = all_rows["versions"][0]["country"]
    _, filtered, _ = call(dataset, f"/masters/{master_id}/versions", f"country={country}")
    assert filtered["versions"]
    assert all(v["country"] == country for v in filtered["versions"])
    assert filtered["filters"]["applied"] == {"country": [country]}


def test_master_marketplace_figures(dataset: Dataset) -> None:
    master_id = dataset.release(1)["master_id"]  # type: ignore[index]
    _, master, _ = call(dataset, f"/masters/{master_id}", state=FakeState())
    assert master["num_for_sale"] == 3 and master["lowest_price"] == 10.0


def test_artist_and_releases(dataset: Dataset) -> None:
    status, artist, _ = call(dataset, "/artists/1")
    assert status == 200 and artist["name"] == "The Persuader"
    assert artist["releases_url"] == f"{BASE}/artists/1/releases"
    status, page, _ = call(dataset, "/artists/1/releases")
    assert status == 200
    assert page["pagination"]["items"] == len(page["releases"]) > 0
    years = [r["year"] for r in page["releases"]]
    assert years == sorted(years)
    _, by_title, _ = call(dataset, "/artists/1/releases", "sort=title&sort_order=desc")
    titles = [r["title"].casefold() for r in by_title["releases"]]
    assert titles == sorted(titles, reverse=True)
    for row in page["releases"]:
        if row["type"] == "master":
            assert call(dataset, f"/masters/{row['id']}")[0] == 200
        else:
            assert call(dataset, f"/releases/{row['id']}")[0] == 200


def test_label_and_releases(dataset: Dataset) -> None:
    status, label, _ = call(dataset, "/labels/5")
    assert status == 200 and label["name"] == "Svek"
    _, page, _ = call(dataset, "/labels/5/releases", "per_page=100")
    assert 1 in {r["id"] for r in page["releases"]}
    for row in page["releases"]:
        release = dataset.release(row["id"])
        assert release is not None
        assert 5 in {e["id"] for e in release["labels"] + release["companies"]}


def test_synthesized_documents_serve(dataset: Dataset) -> None:
    # Every link of release 1 answers 200 (its companies are absent from the samples).
    release = dataset.release(1)
    assert release is not None
    paths = [f"/artists/{a['id']}" for a in release["artists"] + release["extraartists"]]
    paths += [f"/labels/{e['id']}" for e in release["labels"] + release["companies"]]
    paths += [f"/masters/{release['master_id']}"]
    for path in paths:
        assert call(dataset, path)[0] == 200, path
        assert call(dataset, path + ("/versions" if "masters" in path else "/releases"))[0] == 200


def test_search_needs_auth(dataset: Dataset) -> None:
    status, body, _ = call(dataset, "/database/search", "q=stockholm")
    assert status == 401
    assert body == {"message": "You must authenticate to access this resource."}
    assert call(dataset, "/database/search", "q=stockholm", consumer=True)[0] == 200


def test_search_results_and_pagination(dataset: Dataset) -> None:
    status, page, headers = call(
        dataset, "/database/search", "q=the&type=release&per_page=5&page=2", identity="demo"
    )
    assert status == 200
    assert len(page["results"]) == 5
    assert page["pagination"]["page"] == 2 and page["pagination"]["per_page"] == 5
    assert page["pagination"]["items"] > 10
    assert {r["type"] for r in page["results"]} == {"release"}
    assert 'rel="prev"' in headers["Link"] and 'rel="next"' in headers["Link"]
    assert "q=the" in headers["Link"]
    _, capped, _ = call(dataset, "/database/search", "q=the&per_page=500", identity="demo")
    assert capped["pagination"]["per_page"] == 100 and len(capped["results"]) == 100


def test_search_field_params_through_the_route(dataset: Dataset) -> None:
    _, page, _ = call(
        dataset,
        "/database/search",
        "artist=persuader&release_title=stockholm&type=release",
        consumer=True,
    )
    assert 1 in {r["id"] for r in page["results"]}
    _, none, _ = call(dataset, "/database/search", "artist=persuader&year=1980", consumer=True)
    assert none["results"] == [] and none["pagination"]["items"] == 0


def test_search_user_data_from_the_state(dataset: Dataset) -> None:
    state = FakeState()
    _, page, _ = call(
        dataset,
        "/database/search",
        "release_title=stockholm&type=release",
        state=state,
        identity="demo",
    )
    one = next(r for r in page["results"] if r["id"] == 1)
    assert one["user_data"] == {"in_wantlist": False, "in_collection": True}
    _, page2, _ = call(
        dataset, "/database/search", "type=release&per_page=100", state=state, identity="demo"
    )
    two = next(r for r in page2["results"] if r["id"] == 2)
    assert two["user_data"]["in_wantlist"] is True
    # A consumer-only request has no user, so no flags.
    _, anon, _ = call(
        dataset,
        "/database/search",
        "release_title=stockholm&type=release",
        state=state,
        consumer=True,
    )
    assert next(r for r in anon["results"] if r["id"] == 1)["user_data"]["in_collection"] is False
