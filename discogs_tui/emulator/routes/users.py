"""User endpoints: profile, submissions, contributions, wantlist and lists
(https://www.discogs.com/developers/#page:user-identity).
"""

from __future__ import annotations

from typing import Any

from discogs_tui.emulator.core import (
    BASE,
    MSG_NOT_FOUND,
    MSG_PRIVATE,
    Context,
    EmuResponse,
    HTTPError,
    Router,
)
from discogs_tui.emulator.records import UserRecord, WantRecord
from discogs_tui.emulator.routes.helpers import (
    Mapped,
    get_user,
    paginate_into,
    parse_rating,
    release_sort_value,
    require_choice,
    require_release,
    sort_order,
    user_short,
)
from discogs_tui.emulator.vocab import CURRENCIES

router = Router()


def display_title(info: dict[str, Any]) -> str:
    """``"Artist - Title"`` for a release document or ``basic_information``."""
    artists = info.get("artists") or []
    names = "".join(
        f"{a.get('anv') or a.get('name', '')}{' ' + a['join'] + ' ' if a.get('join') else ''}"
        for a in artists
        if isinstance(a, dict)
    ).strip()
    title = str(info.get("title") or "")
    return f"{names} - {title}" if names else title


# ----- profile -------------------------------------------------------------------------------


def profile_document(ctx: Context, user: UserRecord) -> dict[str, Any]:
    """The profile as ``/users/{username}`` shows it to the caller."""
    state = ctx.state
    owner = ctx.is_owner(user.username)
    base = f"{BASE}/users/{user.username}"
    ratings: dict[int, int] = state.release_ratings.get(user.username.lower(), {})
    lists = [x for x in state.lists.values() if x.owner.lower() == user.username.lower()]
    inventory = state.inventory(user.username)
    pending = sum(
        1
        for o in state.orders.values()
        if o.seller.lower() == user.username.lower()
        and o.status in ("New Order", "Buyer Contacted", "Invoice Sent", "Payment Pending")
    )
    doc: dict[str, Any] = {
        "id": user.id,
        "username": user.username,
        "resource_url": base,
        "uri": f"{BASE}/user/{user.username}",
        "name": user.name,
        "home_page": user.home_page,
        "location": user.location,
        "profile": user.profile,
        "registered": user.registered,
        "rank": user.rank,
        "num_pending": pending,
        "num_for_sale": sum(1 for x in inventory if x.status == "For Sale"),
        "num_lists": len(lists) if owner else sum(1 for x in lists if x.public),
        "releases_contributed": user.releases_contributed,
        "releases_rated": len(ratings),
        "rating_avg": round(sum(ratings.values()) / len(ratings), 2) if ratings else 0,
        "inventory_url": f"{base}/inventory",
        "collection_folders_url": f"{base}/collection/folders",
        "collection_fields_url": f"{base}/collection/fields",
        "wantlist_url": f"{base}/wants",
        "avatar_url": f"{BASE}/images/avatars/{user.id}.png",
        "banner_url": "",
        "buyer_rating": user.buyer_rating,
        "buyer_rating_stars": round(user.buyer_rating / 20, 1),
        "buyer_num_ratings": user.buyer_num_ratings,
        "seller_rating": user.seller_rating,
        "seller_rating_stars": round(user.seller_rating / 20, 1),
        "seller_num_ratings": user.seller_num_ratings,
        "curr_abbr": user.curr_abbr,
    }
    if owner or user.collection_public:
        doc["num_collection"] = len(state.collection(user.username).instances)
    if owner or user.wantlist_public:
        doc["num_wantlist"] = len(state.wantlist(user.username))
    if owner:
        doc["email"] = user.email
    return doc


@router.route("GET", "/users/{username}")
def get_profile(ctx: Context, username: str) -> dict[str, Any]:
    """A user's profile; ``email`` only for the owner."""
    return profile_document(ctx, get_user(ctx, username))


@router.route("POST", "/users/{username}")
def edit_profile(ctx: Context, username: str) -> dict[str, Any]:
    """Change name, home page, location, profile text or currency (owner only)."""
    user = get_user(ctx, username)
    ctx.require_owner(username)
    request = ctx.request
    currency = request.param("curr_abbr")
    if currency is not None:
        require_choice(currency, "curr_abbr", CURRENCIES)
    for name in ("name", "home_page", "location", "profile"):
        value = request.param(name)
        if value is not None:
            setattr(user, name, value)
    if currency is not None:
        user.curr_abbr = currency
    return profile_document(ctx, user)


# ----- submissions and contributions ---------------------------------------------------------

_CONTRIBUTION_SORTS = ("label", "artist", "title", "catno", "format", "rating", "year", "added")


def _contributed_releases(ctx: Context, user: UserRecord) -> list[dict[str, Any]]:
    releases: list[dict[str, Any]] = []
    for release_id in user.contributions:
        doc = ctx.dataset.release(release_id)
        if doc is not None:
            releases.append(doc)
    return releases


@router.route("GET", "/users/{username}/contributions")
def contributions(ctx: Context, username: str) -> EmuResponse:
    """Releases the user contributed to, sortable like collection items."""
    user = get_user(ctx, username)
    releases = _contributed_releases(ctx, user)
    key = ctx.request.param("sort")
    if key in _CONTRIBUTION_SORTS:
        if key == "added":
            releases.sort(key=lambda r: str(r.get("date_added") or ""), reverse=sort_order(ctx))
        elif key == "rating":
            releases.sort(
                key=lambda r: float(r.get("community", {}).get("rating", {}).get("average") or 0),
                reverse=sort_order(ctx),
            )
        else:
            releases.sort(key=lambda r: release_sort_value(r, key), reverse=sort_order(ctx))
    return ctx.paginate(releases, "contributions")


@router.route("GET", "/users/{username}/submissions")
def submissions(ctx: Context, username: str) -> EmuResponse:
    """The user's database submissions, grouped into artists, labels and releases."""
    user = get_user(ctx, username)
    releases = _contributed_releases(ctx, user)
    return paginate_into(
        ctx,
        releases,
        lambda page: {"submissions": {"artists": [], "labels": [], "releases": page}},
    )


# ----- wantlist --------------------------------------------------------------------------------


def want_document(ctx: Context, username: str, want: WantRecord) -> dict[str, Any]:
    """One want as the API shows it; ``notes`` only to the owner."""
    doc: dict[str, Any] = {
        "id": want.release_id,
        "resource_url": f"{BASE}/users/{username}/wants/{want.release_id}",
        "rating": want.rating,
        "date_added": want.date_added,
        "basic_information": ctx.dataset.basic_information(want.release_id),
    }
    if ctx.is_owner(username):
        doc["notes"] = want.notes
    return doc


@router.route("GET", "/users/{username}/wants")
def wantlist(ctx: Context, username: str) -> EmuResponse:
    """A wantlist: the owner's, or anyone's when it is public."""
    user = get_user(ctx, username)
    if not user.wantlist_public and not ctx.is_owner(username):
        raise HTTPError(403, MSG_PRIVATE)
    wants = list(ctx.state.wantlist(username).values())
    return ctx.paginate(Mapped(wants, lambda w: want_document(ctx, user.username, w)), "wants")


def _want_params(ctx: Context, want: WantRecord) -> None:
    rating = parse_rating(ctx.request.param("rating"), low=0, high=5, default=None)
    if rating is not None:
        want.rating = rating
    notes = ctx.request.param("notes")
    if notes is not None:
        want.notes = notes


@router.route("PUT", "/users/{username}/wants/{release_id:int}")
def add_want(ctx: Context, username: str, release_id: int) -> EmuResponse:
    """Add a release to the owner's wantlist (201 with the want)."""
    user = get_user(ctx, username)
    ctx.require_owner(username)
    require_release(ctx, release_id)
    wants = ctx.state.wantlist(username)
    want = wants.get(release_id) or WantRecord(release_id, 0, "", ctx.state.now())
    _want_params(ctx, want)
    wants[release_id] = want
    return EmuResponse.json(want_document(ctx, user.username, want), 201)


@router.route("POST", "/users/{username}/wants/{release_id:int}")
def edit_want(ctx: Context, username: str, release_id: int) -> dict[str, Any]:
    """Change the notes or rating of a want."""
    user = get_user(ctx, username)
    ctx.require_owner(username)
    want = ctx.state.wantlist(username).get(release_id)
    if want is None:
        raise HTTPError(404, MSG_NOT_FOUND)
    _want_params(ctx, want)
    return want_document(ctx, user.username, want)


@router.route("DELETE", "/users/{username}/wants/{release_id:int}")
def delete_want(ctx: Context, username: str, release_id: int) -> None:
    """Remove a release from the owner's wantlist."""
    get_user(ctx, username)
    ctx.require_owner(username)
    wants = ctx.state.wantlist(username)
    if release_id not in wants:
        raise HTTPError(404, MSG_NOT_FOUND)
    del wants[release_id]


# ----- lists -----------------------------------------------------------------------------------


@router.route("GET", "/users/{username}/lists")
def user_lists(ctx: Context, username: str) -> EmuResponse:
    """A user's lists: public ones, plus private ones for the owner."""
    user = get_user(ctx, username)
    owner = ctx.is_owner(username)
    found = [
        x
        for x in ctx.state.lists.values()
        if x.owner.lower() == user.username.lower() and (x.public or owner)
    ]
    docs = [
        {
            "id": x.id,
            "name": x.name,
            "description": x.description,
            "public": x.public,
            "date_added": x.created,
            "date_changed": x.modified,
            "uri": f"{BASE}/lists/{x.id}",
            "resource_url": f"{BASE}/lists/{x.id}",
        }
        for x in found
    ]
    return ctx.paginate(docs, "lists")


@router.route("GET", "/lists/{list_id:int}")
def get_list(ctx: Context, list_id: int) -> dict[str, Any]:
    """One list with its items; a private list only for its owner."""
    record = ctx.state.lists.get(list_id)
    if record is None:
        raise HTTPError(404, MSG_NOT_FOUND)
    if not record.public and not ctx.is_owner(record.owner):
        raise HTTPError(403, MSG_PRIVATE)
    items = []
    for item in record.items:
        kind, item_id = item["type"], item["id"]
        info: dict[str, Any] = {}
        if kind == "release":
            info = ctx.dataset.basic_information(item_id)
        items.append(
            {
                "type": kind,
                "id": item_id,
                "display_title": display_title(info) if info else str(item_id),
                "uri": f"{BASE}/{kind}/{item_id}",
                "resource_url": f"{BASE}/{kind}s/{item_id}",
                "image_url": str(info.get("cover_image") or info.get("thumb") or ""),
                "comment": item.get("comment", ""),
            }
        )
    return {
        "list_id": record.id,
        "name": record.name,
        "description": record.description,
        "public": record.public,
        "created_ts": record.created,
        "modified_ts": record.modified,
        "url": f"{BASE}/lists/{record.id}",
        "resource_url": f"{BASE}/lists/{record.id}",
        "user": user_short(ctx, record.owner),
        "items": items,
    }
