"""Emulator user-side routes: profile, collection, custom fields, value, wantlist, lists, ratings.

Handlers are driven through a Router and a Context, as the emulator app does.
"""

from __future__ import annotations

from typing import Any

import pytest
from emulator_calls import caller, fixed_state

from discogs_tui.emulator.core import (
    MSG_FORBIDDEN,
    MSG_PRIVATE,
    MSG_UNAUTHENTICATED,
    Router,
)
from discogs_tui.emulator.dataset import Dataset
from discogs_tui.emulator.routes import collection, marketplace, ratings, users
from discogs_tui.emulator.state import State

ROUTER = Router()
for _module in (users, collection, marketplace, ratings):
    ROUTER.include(_module.router)

MSG_NO_USER = "User does not exist or may have been deleted."


@pytest.fixture
def state(dataset: Dataset) -> State:
    return fixed_state(dataset)


@pytest.fixture
def call(state: State, dataset: Dataset) -> Any:
    return caller(ROUTER, dataset, state)


# ----- profile ---------------------------------------------------------------------------------


def test_profile_email_only_for_owner(call: Any) -> None:
    mine = call("GET", "/users/demo")
    assert mine.status == 200
    assert mine.body["email"] == "demo@example.com"
    assert mine.body["username"] == "demo"
    assert mine.body["resource_url"] == "http://localhost/users/demo"
    assert mine.body["num_collection"] > 0 and mine.body["num_wantlist"] == 50
    theirs = call("GET", "/users/demo", who="seller2")
    assert "email" not in theirs.body
    anonymous = call("GET", "/users/demo", who=None)
    assert anonymous.status == 200 and "email" not in anonymous.body
    private = call("GET", "/users/privateuser", who=None)
    assert "num_collection" not in private.body and "num_wantlist" not in private.body
    assert "num_collection" in call("GET", "/users/privateuser", who="privateuser").body


def test_profile_unknown_user(call: Any) -> None:
    reply = call("GET", "/users/nobody-here")
    assert (reply.status, reply.body) == (404, {"message": MSG_NO_USER})


def test_profile_edit(call: Any) -> None:
    reply = call("POST", "/users/demo", data={"location": "Lisbon", "curr_abbr": "EUR"})
    assert reply.status == 200 and reply.body["location"] == "Lisbon"
    again = call("GET", "/users/demo")
    assert (again.body["location"], again.body["curr_abbr"]) == ("Lisbon", "EUR")
    assert call("POST", "/users/demo", data={"curr_abbr": "XYZ"}).status == 422
    other = call("POST", "/users/demo", who="seller2", data={"name": "x"})
    assert (other.status, other.body["message"]) == (403, MSG_FORBIDDEN)
    anonymous = call("POST", "/users/demo", who=None, data={"name": "x"})
    assert (anonymous.status, anonymous.body["message"]) == (401, MSG_UNAUTHENTICATED)


# ----- folders -----------------------------------------------------------------------------------


def test_folders_owner_and_public(call: Any) -> None:
    mine = call("GET", "/users/demo/collection/folders").body["folders"]
    assert [f["id"] for f in mine[:2]] == [0, 1]
    assert len(mine) >= 5
    assert mine[0]["count"] == sum(f["count"] for f in mine[1:])
    public = call("GET", "/users/demo/collection/folders", who=None).body["folders"]
    assert [f["id"] for f in public] == [0]
    assert call("GET", "/users/demo/collection/folders/1", who=None).status == 403
    assert call("GET", "/users/demo/collection/folders/0", who=None).status == 200


@pytest.mark.parametrize("who", [None, "demo"])
def test_private_collection_is_403(call: Any, who: str | None) -> None:
    for path in (
        "/users/privateuser/collection/folders",
        "/users/privateuser/collection/folders/0",
        "/users/privateuser/collection/folders/0/releases",
        "/users/privateuser/collection/fields",
        "/users/privateuser/wants",
    ):
        reply = call("GET", path, who=who)
        assert (reply.status, reply.body) == (403, {"message": MSG_PRIVATE}), path
    assert call("GET", "/users/privateuser/collection/folders", who="privateuser").status == 200


def test_folder_create_rename_delete(call: Any) -> None:
    made = call("POST", "/users/demo/collection/folders", data={"name": "Boxes"})
    assert made.status == 201 and made.body["count"] == 0 and made.body["name"] == "Boxes"
    folder = made.body["id"]
    renamed = call("POST", f"/users/demo/collection/folders/{folder}", data={"name": "Box sets"})
    assert renamed.status == 200 and renamed.body["name"] == "Box sets"
    assert call("GET", f"/users/demo/collection/folders/{folder}").body["name"] == "Box sets"
    for fixed in (0, 1):
        assert (
            call("POST", f"/users/demo/collection/folders/{fixed}", data={"name": "x"}).status
            == 422
        )
        assert call("DELETE", f"/users/demo/collection/folders/{fixed}").status == 422
    assert call("POST", "/users/demo/collection/folders", data={"name": ""}).status == 422
    assert (
        call("POST", "/users/demo/collection/folders", who="seller2", data={"name": "x"}).status
        == 403
    )
    # A folder holding a release cannot be deleted.
    added = call("POST", f"/users/demo/collection/folders/{folder}/releases/1")
    assert added.status == 201
    refused = call("DELETE", f"/users/demo/collection/folders/{folder}")
    assert refused.status == 422 and "empty" in refused.body["message"]
    instance = added.body["instance_id"]
    assert (
        call(
            "DELETE", f"/users/demo/collection/folders/{folder}/releases/1/instances/{instance}"
        ).status
        == 204
    )
    assert call("DELETE", f"/users/demo/collection/folders/{folder}").status == 204
    assert call("GET", f"/users/demo/collection/folders/{folder}").status == 404


# ----- instances ---------------------------------------------------------------------------------


def test_add_release_rules(call: Any) -> None:
    zero = call("POST", "/users/demo/collection/folders/0/releases/1")
    assert zero.status == 422 and "folder 0" in zero.body["message"]
    missing = call("POST", "/users/demo/collection/folders/1/releases/999999999")
    assert (missing.status, missing.body["message"]) == (404, "Release not found.")
    before = len(call("GET", "/users/demo/collection/releases/1").body["releases"])
    added = call("POST", "/users/demo/collection/folders/1/releases/1")
    assert added.status == 201
    assert added.body["instance_id"] > 2**31 and added.body["folder_id"] == 1
    assert added.body["basic_information"]["title"] == "Stockholm"
    assert "instance_id=" in added.body["resource_url"]
    items = call("GET", "/users/demo/collection/releases/1").body["releases"]
    assert len(items) == before + 1
    assert added.body["instance_id"] in {i["instance_id"] for i in items}
    assert call("GET", "/users/demo/collection/releases/0").status == 422
    assert call("POST", "/users/demo/collection/folders/1/releases/1", who=None).status == 401


def _first_instance(call: Any, folder: int = 1) -> dict[str, Any]:
    return call("GET", f"/users/demo/collection/folders/{folder}/releases").body["releases"][0]


def test_instance_rate_and_move(call: Any) -> None:
    item = _first_instance(call)
    base = f"/users/demo/collection/folders/1/releases/{item['id']}/instances/{item['instance_id']}"
    assert call("POST", base, data={"rating": 5}).status == 204
    for bad in (6, -1, "x"):
        assert call("POST", base, data={"rating": bad}).status == 422
    folders = {f["name"]: f for f in call("GET", "/users/demo/collection/folders").body["folders"]}
    target = folders["Jazz & Soul"]
    assert call("POST", base, data={"folder_id": 0}).status == 422
    assert call("POST", base, data={"folder_id": target["id"]}).status == 204
    after = {f["name"]: f for f in call("GET", "/users/demo/collection/folders").body["folders"]}
    assert after["Jazz & Soul"]["count"] == target["count"] + 1
    assert after["Uncategorized"]["count"] == folders["Uncategorized"]["count"] - 1
    moved = call("GET", f"/users/demo/collection/releases/{item['id']}").body["releases"]
    mine = next(i for i in moved if i["instance_id"] == item["instance_id"])
    assert (mine["folder_id"], mine["rating"]) == (target["id"], 5)
    # The old folder no longer holds it.
    assert call("POST", base, data={"rating": 1}).status == 404
    assert call("POST", base, who="seller2", data={"rating": 1}).status == 403


def test_custom_fields(call: Any) -> None:
    fields = call("GET", "/users/demo/collection/fields").body["fields"]
    kinds = {f["type"]: f for f in fields}
    assert kinds["dropdown"]["options"] and kinds["textarea"]["lines"] == 3
    public = call("GET", "/users/demo/collection/fields", who=None).body["fields"]
    assert [f["type"] for f in public] == ["dropdown"]
    item = _first_instance(call)
    base = (
        f"/users/demo/collection/folders/1/releases/{item['id']}"
        f"/instances/{item['instance_id']}/fields"
    )
    dropdown, textarea = kinds["dropdown"]["id"], kinds["textarea"]["id"]
    assert call("POST", f"{base}/{dropdown}", query="value=Poor+%28P%29").status == 204
    assert call("POST", f"{base}/{textarea}", data={"value": "Signed copy"}).status == 204
    bad = call("POST", f"{base}/{dropdown}", data={"value": "Shiny"})
    assert bad.status == 422 and "Mint (M)" in bad.body["message"]
    unknown = call("POST", f"{base}/999999", data={"value": "value"})
    assert unknown.status == 422
    assert unknown.body == {
        "detail": [
            {
                "msg": "HTTP fetch failed from 'collection': 400: Bad Request",
                "loc": ["body", "value"],
                "type": "value_error",
            }
        ],
        "message": 'See "detail" for validation errors.',
    }
    notes = call("GET", f"/users/demo/collection/releases/{item['id']}").body["releases"]
    mine = next(i for i in notes if i["instance_id"] == item["instance_id"])
    assert {(n["field_id"], n["value"]) for n in mine["notes"]} == {
        (dropdown, "Poor (P)"),
        (textarea, "Signed copy"),
    }
    # Others see only public fields' values.
    seen = call("GET", f"/users/demo/collection/releases/{item['id']}", who=None).body["releases"]
    theirs = next(i for i in seen if i["instance_id"] == item["instance_id"])
    assert theirs["notes"] == [{"field_id": dropdown, "value": "Poor (P)"}]


def test_collection_items_sort_and_paging(call: Any) -> None:
    page = call(
        "GET", "/users/demo/collection/folders/0/releases", query="per_page=500&sort=artist"
    )
    assert page.body["pagination"]["per_page"] == 100
    assert len(page.body["releases"]) == 100
    assert 'rel="next"' in page.headers["Link"]
    names = [r["basic_information"]["artists"][0]["name"].lower() for r in page.body["releases"]]
    assert names == sorted(names)
    desc = call(
        "GET", "/users/demo/collection/folders/0/releases", query="sort=rating&sort_order=desc"
    ).body["releases"]
    assert desc[0]["rating"] == 5
    assert [r["rating"] for r in desc] == sorted((r["rating"] for r in desc), reverse=True)


def test_collection_value(call: Any) -> None:
    value = call("GET", "/users/demo/collection/value").body
    numbers = [
        float(value[k].lstrip("$").replace(",", "")) for k in ("minimum", "median", "maximum")
    ]
    assert all(value[k].startswith("$") for k in value)
    assert 0 < numbers[0] <= numbers[1] <= numbers[2]
    assert call("GET", "/users/demo/collection/value", who="seller2").status == 403
    assert call("GET", "/users/demo/collection/value", who=None).status == 401
    call("POST", "/users/demo", data={"curr_abbr": "EUR"})
    assert call("GET", "/users/demo/collection/value").body["median"].startswith("€")


# ----- wantlist ----------------------------------------------------------------------------------


def test_wantlist_read_rules(call: Any) -> None:
    mine = call("GET", "/users/demo/wants", query="per_page=100").body
    assert mine["pagination"]["items"] == 50
    assert all("notes" in w for w in mine["wants"])
    public = call("GET", "/users/demo/wants", who=None, query="per_page=100").body["wants"]
    assert len(public) == 50 and all("notes" not in w for w in public)


def test_wantlist_add_edit_delete(call: Any) -> None:
    added = call("PUT", "/users/demo/wants/1", data={"notes": "first press", "rating": 4})
    assert added.status == 201
    assert (added.body["id"], added.body["notes"], added.body["rating"]) == (1, "first press", 4)
    assert added.body["basic_information"]["title"] == "Stockholm"
    assert call("PUT", "/users/demo/wants/1", data={"rating": 7}).status == 422
    edited = call("POST", "/users/demo/wants/1", data={"notes": "any copy"})
    assert (
        edited.status == 200 and edited.body["notes"] == "any copy" and edited.body["rating"] == 4
    )
    wants = call("GET", "/users/demo/wants", query="per_page=100").body["wants"]
    assert any(w["id"] == 1 and w["notes"] == "any copy" for w in wants)
    assert call("DELETE", "/users/demo/wants/1").status == 204
    assert call("DELETE", "/users/demo/wants/1").status == 404
    assert call("POST", "/users/demo/wants/1", data={"notes": "x"}).status == 404
    assert call("PUT", "/users/demo/wants/999999999").status == 404
    assert call("PUT", "/users/demo/wants/1", who="seller2").status == 403
    assert call("PUT", "/users/demo/wants/1", who=None).status == 401


# ----- lists, contributions, submissions -----------------------------------------------------


def test_lists(call: Any) -> None:
    mine = call("GET", "/users/demo/lists").body["lists"]
    public = call("GET", "/users/demo/lists", who=None).body["lists"]
    assert len(mine) == 2 and len(public) == 1 and public[0]["public"] is True
    private = next(x for x in mine if not x["public"])
    assert call("GET", f"/lists/{private['id']}", who="seller2").status == 403
    shown = call("GET", f"/lists/{private['id']}")
    assert shown.status == 200 and shown.body["list_id"] == private["id"]
    item = shown.body["items"][0]
    assert set(item) >= {
        "type",
        "id",
        "display_title",
        "uri",
        "resource_url",
        "image_url",
        "comment",
    }
    assert " - " in item["display_title"]
    assert call("GET", "/lists/1").status == 404


def test_contributions_and_submissions(call: Any) -> None:
    contributions = call("GET", "/users/demo/contributions", query="sort=title").body
    titles = [r["title"].lower() for r in contributions["contributions"]]
    assert titles and titles == sorted(titles)
    submissions = call("GET", "/users/demo/submissions", query="per_page=2").body
    assert set(submissions["submissions"]) == {"artists", "labels", "releases"}
    assert len(submissions["submissions"]["releases"]) == 2
    assert submissions["pagination"]["items"] == len(titles)
    assert call("GET", "/users/nobody-here/contributions").status == 404


# ----- release ratings ---------------------------------------------------------------------------


def test_release_rating_by_user(call: Any, state: State) -> None:
    state.release_ratings["demo"].pop(1, None)
    assert call("GET", "/releases/1/rating/demo", who=None).body == {
        "username": "demo",
        "release_id": 1,
        "rating": 0,
    }
    before = call("GET", "/releases/1/rating").body["rating"]
    put = call("PUT", "/releases/1/rating/demo", data={"rating": 5})
    assert put.status == 200 and put.body["rating"] == 5
    assert call("GET", "/releases/1/rating/demo").body["rating"] == 5
    after = call("GET", "/releases/1/rating").body
    assert after["release_id"] == 1 and after["rating"]["count"] == before["count"] + 1
    for bad in (0, 6, "x"):
        assert call("PUT", "/releases/1/rating/demo", data={"rating": bad}).status == 422
    assert call("PUT", "/releases/1/rating/demo", who="seller2", data={"rating": 3}).status == 403
    assert call("PUT", "/releases/1/rating/demo", who=None, data={"rating": 3}).status == 401
    assert call("DELETE", "/releases/1/rating/demo").status == 204
    assert call("GET", "/releases/1/rating/demo").body["rating"] == 0
    missing = call("GET", "/releases/999999999/rating")
    assert (missing.status, missing.body) == (404, {"message": "Release not found."})
    assert call("GET", "/releases/1/rating/nobody-here").status == 404


def test_release_stats_live_shape(call: Any) -> None:
    assert call("GET", "/releases/1/stats", who=None).body == {"is_offensive": False}
    assert call("GET", "/releases/999999999/stats").status == 404
