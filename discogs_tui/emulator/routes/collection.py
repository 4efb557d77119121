"""Collection endpoints: folders, items, instances, custom fields and value
(https://www.discogs.com/developers/#page:user-collection).

Rules, as Discogs applies them: a non-owner sees folder 0 of a public collection only, and
gets 403 with the "authenticate as the owner" message for anything private; writes are
owner-only; folders 0 and 1 cannot be renamed or deleted; a folder must be empty to delete;
folder 0 cannot receive releases.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from typing import Any

from discogs_tui.emulator.core import (
    BASE,
    MSG_PRIVATE,
    Context,
    EmuResponse,
    HTTPError,
    Router,
)
from discogs_tui.emulator.records import Collection, FolderRecord, InstanceRecord, UserRecord
from discogs_tui.emulator.routes.helpers import (
    Mapped,
    get_user,
    memoised,
    parse_rating,
    release_sort_value,
    require_release,
    sort_order,
)
from discogs_tui.emulator.vocab import (
    CONDITION_FACTORS,
    convert_price,
    format_money,
    reference_price,
)

router = Router()

MSG_NO_FOLDER = "Folder not found."
MSG_NO_INSTANCE = "Instance not found."
MSG_FIXED_FOLDER_RENAME = "Folders 0 (All) and 1 (Uncategorized) cannot be renamed."
MSG_FIXED_FOLDER_DELETE = "Folders 0 (All) and 1 (Uncategorized) cannot be deleted."
MSG_FOLDER_NOT_EMPTY = "A folder must be empty before it can be deleted."
MSG_FOLDER_ZERO = 'Releases cannot be added to folder 0 ("All"); use folder 1 ("Uncategorized").'
MSG_FIELD_VALIDATION = 'See "detail" for validation errors.'
FIELD_NOT_FOUND_DETAIL = [
    {
        "msg": "HTTP fetch failed from 'collection': 400: Bad Request",
        "loc": ["body", "value"],
        "type": "value_error",
    }
]
_ITEM_SORTS = ("label", "artist", "title", "catno", "format", "rating", "added", "year")


def _readable(ctx: Context, user: UserRecord, folder_id: int = 0) -> bool:
    """True when the caller is the owner; else whether ``folder_id`` is public (403 if not)."""
    if ctx.is_owner(user.username):
        return True
    if not user.collection_public or folder_id != 0:
        raise HTTPError(403, MSG_PRIVATE)
    return False


def _folder_document(user: UserRecord, folder: FolderRecord, count: int) -> dict[str, Any]:
    return {
        "id": folder.id,
        "name": folder.name,
        "count": count,
        "resource_url": f"{BASE}/users/{user.username}/collection/folders/{folder.id}",
    }


def _folder(collection: Collection, folder_id: int) -> FolderRecord:
    folder = collection.folders.get(folder_id)
    if folder is None:
        raise HTTPError(404, MSG_NO_FOLDER)
    return folder


def instance_document(
    ctx: Context,
    user: UserRecord,
    instance: InstanceRecord,
    *,
    owner: bool,
    public_fields: set[int],
    basic: Callable[[int], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """One collection item; non-owners see only notes of public fields."""
    info = (
        basic(instance.release_id) if basic else ctx.dataset.basic_information(instance.release_id)
    )
    doc: dict[str, Any] = {
        "id": instance.release_id,
        "instance_id": instance.instance_id,
        "folder_id": instance.folder_id,
        "rating": instance.rating,
        "date_added": instance.date_added,
        "basic_information": info,
    }
    notes = [dict(n) for n in instance.notes if owner or int(n.get("field_id", 0)) in public_fields]
    if notes:
        doc["notes"] = notes
    return doc


def _sorted(ctx: Context, instances: list[InstanceRecord]) -> list[InstanceRecord]:
    key = ctx.request.param("sort")
    if key not in _ITEM_SORTS:
        return instances
    reverse = sort_order(ctx)
    if key == "rating":
        return sorted(instances, key=lambda i: i.rating, reverse=reverse)
    if key == "added":
        return sorted(instances, key=lambda i: i.date_added, reverse=reverse)
    basic = memoised(ctx.dataset.basic_information)
    return sorted(
        instances,
        key=lambda i: release_sort_value(basic(i.release_id), key),
        reverse=reverse,
    )


def _items_page(
    ctx: Context, user: UserRecord, collection: Collection, items: list[InstanceRecord], owner: bool
) -> EmuResponse:
    public_fields = {f.id for f in collection.fields if f.public}
    basic = memoised(ctx.dataset.basic_information)
    return ctx.paginate(
        Mapped(
            _sorted(ctx, items),
            lambda i: instance_document(
                ctx, user, i, owner=owner, public_fields=public_fields, basic=basic
            ),
        ),
        "releases",
    )


# ----- folders -------------------------------------------------------------------------------


@router.route("GET", "/users/{username}/collection/folders")
def list_folders(ctx: Context, username: str) -> dict[str, Any]:
    """The owner's folders; folder 0 only for others when the collection is public."""
    user = get_user(ctx, username)
    owner = _readable(ctx, user)
    collection = ctx.state.collection(username)
    folders = sorted(collection.folders.values(), key=lambda f: (f.id > 1, f.name.lower()))
    if not owner:
        folders = [f for f in folders if f.id == 0]
    return {"folders": [_folder_document(user, f, collection.count(f.id)) for f in folders]}


@router.route("POST", "/users/{username}/collection/folders")
def create_folder(ctx: Context, username: str) -> EmuResponse:
    """Create a folder (201 with it, count 0)."""
    user = get_user(ctx, username)
    ctx.require_owner(username)
    name = (ctx.request.param("name") or "").strip()
    if not name:
        raise HTTPError(422, "Invalid name: a folder needs a name.")
    folder = FolderRecord(ctx.state.next_id("folder"), name)
    ctx.state.collection(username).folders[folder.id] = folder
    return EmuResponse.json(_folder_document(user, folder, 0), 201)


@router.route("GET", "/users/{username}/collection/folders/{folder_id:int}")
def get_folder(ctx: Context, username: str, folder_id: int) -> dict[str, Any]:
    """One folder (others may read folder 0 of a public collection)."""
    user = get_user(ctx, username)
    _readable(ctx, user, folder_id)
    collection = ctx.state.collection(username)
    folder = _folder(collection, folder_id)
    return _folder_document(user, folder, collection.count(folder_id))


@router.route("POST", "/users/{username}/collection/folders/{folder_id:int}")
def rename_folder(ctx: Context, username: str, folder_id: int) -> dict[str, Any]:
    """Rename a folder (not 0 or 1)."""
    user = get_user(ctx, username)
    ctx.require_owner(username)
    collection = ctx.state.collection(username)
    folder = _folder(collection, folder_id)
    if folder_id in (0, 1):
        raise HTTPError(422, MSG_FIXED_FOLDER_RENAME)
    name = (ctx.request.param("name") or "").strip()
    if not name:
        raise HTTPError(422, "Invalid name: a folder needs a name.")
    folder.name = name
    return _folder_document(user, folder, collection.count(folder_id))


@router.route("DELETE", "/users/{username}/collection/folders/{folder_id:int}")
def delete_folder(ctx: Context, username: str, folder_id: int) -> None:
    """Delete an empty folder (not 0 or 1)."""
    get_user(ctx, username)
    ctx.require_owner(username)
    collection = ctx.state.collection(username)
    _folder(collection, folder_id)
    if folder_id in (0, 1):
        raise HTTPError(422, MSG_FIXED_FOLDER_DELETE)
    if collection.count(folder_id):
        raise HTTPError(422, MSG_FOLDER_NOT_EMPTY)
    del collection.folders[folder_id]


# ----- items -----------------------------------------------------------------------------------


@router.route("GET", "/users/{username}/collection/folders/{folder_id:int}/releases")
def folder_items(ctx: Context, username: str, folder_id: int) -> EmuResponse:
    """The instances in a folder, sortable; others see folder 0 of a public collection only."""
    user = get_user(ctx, username)
    owner = _readable(ctx, user, folder_id)
    collection = ctx.state.collection(username)
    _folder(collection, folder_id)
    return _items_page(ctx, user, collection, collection.in_folder(folder_id), owner)


@router.route("GET", "/users/{username}/collection/releases/{release_id:int}")
def items_by_release(ctx: Context, username: str, release_id: int) -> EmuResponse:
    """Every instance of one release in the collection, with its folder."""
    user = get_user(ctx, username)
    owner = _readable(ctx, user)
    if release_id == 0:
        raise HTTPError(422, "Invalid release_id: it must be non-zero.")
    collection = ctx.state.collection(username)
    return _items_page(ctx, user, collection, collection.of_release(release_id), owner)


@router.route(
    "POST", "/users/{username}/collection/folders/{folder_id:int}/releases/{release_id:int}"
)
def add_instance(ctx: Context, username: str, folder_id: int, release_id: int) -> EmuResponse:
    """Add a copy of a release to a folder (not folder 0); 201 with the new instance."""
    user = get_user(ctx, username)
    ctx.require_owner(username)
    collection = ctx.state.collection(username)
    _folder(collection, folder_id)
    if folder_id == 0:
        raise HTTPError(422, MSG_FOLDER_ZERO)
    require_release(ctx, release_id)
    instance = InstanceRecord(
        instance_id=ctx.state.next_id("instance"),
        release_id=release_id,
        folder_id=folder_id,
        rating=0,
        date_added=ctx.state.now(),
    )
    collection.add(instance)
    doc = instance_document(ctx, user, instance, owner=True, public_fields=set())
    doc["resource_url"] = (
        f"{BASE}/users/{user.username}/collection/folders/{folder_id}"
        f"/releases/{release_id}?instance_id={instance.instance_id}"
    )
    return EmuResponse.json(doc, 201)


def _instance(
    ctx: Context, username: str, folder_id: int, release_id: int, instance_id: int
) -> tuple[UserRecord, Collection, InstanceRecord]:
    """The instance the path names; 404 unless it is that release, in that folder."""
    user = get_user(ctx, username)
    ctx.require_owner(username)
    collection = ctx.state.collection(username)
    _folder(collection, folder_id)
    instance = collection.instances.get(instance_id)
    if (
        instance is None
        or instance.release_id != release_id
        or (folder_id != 0 and instance.folder_id != folder_id)
    ):
        raise HTTPError(404, MSG_NO_INSTANCE)
    return user, collection, instance


_INSTANCE = (
    "/users/{username}/collection/folders/{folder_id:int}"
    "/releases/{release_id:int}/instances/{instance_id:int}"
)


@router.route("POST", _INSTANCE)
def edit_instance(
    ctx: Context, username: str, folder_id: int, release_id: int, instance_id: int
) -> None:
    """Rate an instance (0-5) and/or move it to another folder (``folder_id``)."""
    _user, collection, instance = _instance(ctx, username, folder_id, release_id, instance_id)
    rating = parse_rating(ctx.request.param("rating"), low=0, high=5, default=None)
    target: int | None = None
    raw_folder = ctx.request.param("folder_id")
    if raw_folder not in (None, ""):
        target = ctx.int_param("folder_id", instance.folder_id)
        if target == 0:
            raise HTTPError(422, MSG_FOLDER_ZERO)
        if target not in collection.folders:
            raise HTTPError(404, MSG_NO_FOLDER)
    if rating is not None:
        instance.rating = rating
    if target is not None:
        instance.folder_id = target


@router.route("DELETE", _INSTANCE)
def delete_instance(
    ctx: Context, username: str, folder_id: int, release_id: int, instance_id: int
) -> None:
    """Remove an instance from the collection."""
    _user, collection, instance = _instance(ctx, username, folder_id, release_id, instance_id)
    collection.remove(instance.instance_id)


@router.route("POST", _INSTANCE + "/fields/{field_id:int}")
def edit_field(
    ctx: Context,
    username: str,
    folder_id: int,
    release_id: int,
    instance_id: int,
    field_id: int,
) -> None:
    """Set a custom field's value on an instance (a dropdown takes one of its options)."""
    _user, collection, instance = _instance(ctx, username, folder_id, release_id, instance_id)
    custom = collection.field(field_id)
    if custom is None:
        raise HTTPError(422, MSG_FIELD_VALIDATION, detail=FIELD_NOT_FOUND_DETAIL)
    value = ctx.request.param("value")
    if value is None:
        raise HTTPError(422, "Invalid value: the value parameter is required.")
    if custom.type == "dropdown" and value != "" and value not in (custom.options or []):
        raise HTTPError(422, f"Invalid value: expected one of {', '.join(custom.options or [])}.")
    notes = [n for n in instance.notes if int(n.get("field_id", 0)) != field_id]
    if value != "":
        notes.append({"field_id": field_id, "value": value})
        notes.sort(key=lambda n: int(n["field_id"]))
    instance.notes = notes


# ----- fields and value ------------------------------------------------------------------------


@router.route("GET", "/users/{username}/collection/fields")
def list_fields(ctx: Context, username: str) -> dict[str, Any]:
    """The custom fields; others see only public ones of a public collection."""
    user = get_user(ctx, username)
    owner = _readable(ctx, user)
    out = []
    for custom in sorted(ctx.state.collection(username).fields, key=lambda f: f.position):
        if not owner and not custom.public:
            continue
        doc: dict[str, Any] = {
            "id": custom.id,
            "name": custom.name,
            "type": custom.type,
            "position": custom.position,
            "public": custom.public,
        }
        if custom.type == "dropdown":
            doc["options"] = list(custom.options or [])
        else:
            doc["lines"] = custom.lines or 1
        out.append(doc)
    return {"fields": out}


@router.route("GET", "/users/{username}/collection/value")
def collection_value(ctx: Context, username: str) -> dict[str, str]:
    """Minimum, median and maximum value of the collection, as formatted currency strings."""
    user = get_user(ctx, username)
    ctx.require_owner(username)
    currency = user.curr_abbr
    low = mid = high = 0.0
    for instance in ctx.state.collection(username).instances.values():
        mint = reference_price(instance.release_id)
        grades = sorted(mint * factor for factor in CONDITION_FACTORS.values())
        low += grades[1]
        mid += statistics.median(grades)
        high += grades[-1]
    return {
        "maximum": format_money(convert_price(high, "USD", currency), currency),
        "median": format_money(convert_price(mid, "USD", currency), currency),
        "minimum": format_money(convert_price(low, "USD", currency), currency),
    }
