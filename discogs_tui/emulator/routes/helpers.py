"""Helpers every route module shares: lookups with the Discogs 404s, parameter parsing,
lazy pagination, sort keys, money and short user documents.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar, overload

from discogs_tui.emulator.core import BASE, Context, EmuResponse, HTTPError
from discogs_tui.emulator.messages import user_ref
from discogs_tui.emulator.records import UserRecord
from discogs_tui.emulator.vocab import CURRENCIES

MSG_NO_USER = "User does not exist or may have been deleted."
MSG_NO_RELEASE = "Release not found."


def get_user(ctx: Context, username: str) -> UserRecord:
    """The user named in the path; 404 with the Discogs message when there is none."""
    user: UserRecord | None = ctx.state.user(username)
    if user is None:
        raise HTTPError(404, MSG_NO_USER)
    return user


def require_release(ctx: Context, release_id: int) -> dict[str, Any]:
    """The dataset's release document; 404 ``Release not found.`` when it has none."""
    release: dict[str, Any] | None = ctx.dataset.release(release_id)
    if release is None:
        raise HTTPError(404, MSG_NO_RELEASE)
    return release


Item = TypeVar("Item")
Document = TypeVar("Document")


class Mapped(Sequence[Document], Generic[Item, Document]):
    """A sequence that builds each document only when its page is sliced out.

    Pagination of a 50 000-instance collection then formats 50 documents, not 50 000.
    """

    def __init__(self, items: Sequence[Item], convert: Callable[[Item], Document]) -> None:
        self._items = items
        self._convert = convert

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> Document: ...
    @overload
    def __getitem__(self, index: slice) -> list[Document]: ...
    def __getitem__(self, index: int | slice) -> Document | list[Document]:
        if isinstance(index, slice):
            return [self._convert(item) for item in self._items[index]]
        return self._convert(self._items[index])


def paginate_into(
    ctx: Context, items: Sequence[Any], wrap: Callable[[list[Any]], dict[str, Any]]
) -> EmuResponse:
    """Like :meth:`Context.paginate`, but the page's items go into ``wrap(page)``'s shape."""
    response = ctx.paginate(items, "_page")
    body = json.loads(response.body)
    page = body.pop("_page")
    body.update(wrap(page))
    return EmuResponse.json(body, response.status, {**response.headers})


def parse_bool(raw: str | None, *, name: str, default: bool = False) -> bool:
    """A boolean parameter (``true/false``, ``1/0``, ``yes/no``); 422 when unreadable."""
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in ("true", "1", "yes", "y", "on"):
        return True
    if lowered in ("false", "0", "no", "n", "off"):
        return False
    raise HTTPError(422, f"Invalid {name}: expected true or false.")


def parse_rating(raw: str | None, *, low: int, high: int, default: int | None) -> int | None:
    """A rating parameter in ``low..high``; ``default`` when absent; 422 otherwise."""
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if not low <= value <= high:
        raise HTTPError(422, f"Invalid rating: expected an integer from {low} to {high}.")
    return value


def sort_order(ctx: Context, default: str = "asc") -> bool:
    """True when the ``sort_order`` parameter asks for descending order."""
    raw = (ctx.request.param("sort_order") or default).lower()
    return raw == "desc"


def _first(values: Any, key: str) -> str:
    if isinstance(values, list) and values and isinstance(values[0], dict):
        return str(values[0].get(key) or "")
    return ""


def release_sort_value(info: dict[str, Any], key: str) -> Any:
    """A sortable value of a release (full document or ``basic_information``) for ``key``."""
    if key == "artist":
        return _first(info.get("artists"), "name").lower()
    if key == "label":
        return _first(info.get("labels"), "name").lower()
    if key == "catno":
        return _first(info.get("labels"), "catno").lower()
    if key == "format":
        return _first(info.get("formats"), "name").lower()
    if key == "year":
        return int(info.get("year") or 0)
    return str(info.get("title") or "").lower()


def memoised(get: Callable[[int], dict[str, Any]]) -> Callable[[int], dict[str, Any]]:
    """``get`` remembering its answers by release id, for one request (sorts ask many times)."""
    cache: dict[int, dict[str, Any]] = {}

    def cached(release_id: int) -> dict[str, Any]:
        found = cache.get(release_id)
        if found is None:
            found = cache[release_id] = get(release_id)
        return found

    return cached


def user_short(ctx: Context, username: str) -> dict[str, Any]:
    """``{id, username, resource_url}`` for a known user (just the name otherwise)."""
    user = ctx.state.user(username)
    if user is None:
        return {"username": username, "resource_url": f"{BASE}/users/{username}"}
    return user_ref(user)


def require_choice(value: str | None, name: str, choices: Sequence[str]) -> str:
    """``value`` when it is one of ``choices``; 422 ``Invalid {name}: expected one of …``."""
    if value is None or value not in choices:
        raise HTTPError(422, f"Invalid {name}: expected one of {', '.join(choices)}.")
    return value


def money(currency: str, value: float) -> dict[str, Any]:
    """``{currency, value}``: a price as the marketplace documents give it (rounded to cents)."""
    return {"currency": currency, "value": round(value, 2)}


def currency_param(ctx: Context, default: str) -> str:
    """The ``curr_abbr`` parameter, ``default`` when absent; 422 when not a Discogs currency."""
    return require_choice(ctx.request.param("curr_abbr") or default, "curr_abbr", CURRENCIES)
