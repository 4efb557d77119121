"""The client's shape: small modules by area, one naming rule for writes, one body helper.

See the package docstring of :mod:`discogs_tui.api.client` for the rule these tests hold.
"""

from __future__ import annotations

import contextlib
import inspect
import json
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import pytest

import discogs_tui.api
from discogs_tui.api.client import DiscogsClient
from discogs_tui.api.client._shared import _body
from discogs_tui.api.errors import InvalidResponseError
from discogs_tui.models.enums import ListingStatus, OrderStatus

API = Path(discogs_tui.api.__file__).parent
LIMIT = 20 * 1024
AREAS = ("database", "users", "collection", "marketplace", "inventory", "oauth")
READS = ("get_", "search_", "download_")
WRITES = ("create_", "update_", "delete_", "add_", "remove_", "move_")
PLUMBING = {"aclose", "check_cache", "iter_pages", "walk"}


def public_coroutines() -> dict[str, object]:
    return {
        name: member
        for name, member in inspect.getmembers(DiscogsClient)
        if not name.startswith("_") and inspect.iscoroutinefunction(member)
    }


def test_no_service_layer_module_is_over_20_kb() -> None:
    sizes = {path.relative_to(API).as_posix(): path.stat().st_size for path in API.rglob("*.py")}
    assert sizes, "no modules found"
    assert {name: size for name, size in sizes.items() if size > LIMIT} == {}


def test_every_operation_is_a_read_or_a_write_named_by_the_rule() -> None:
    names = set(public_coroutines()) - PLUMBING
    assert names
    odd = sorted(name for name in names if not name.startswith(READS + WRITES))
    assert odd == []


def test_every_operation_lives_in_its_area_and_cites_the_discogs_docs() -> None:
    missing = []
    for name, member in public_coroutines().items():
        if name in PLUMBING or name == "get_raw":
            continue
        module = inspect.getmodule(member)
        assert module is not None
        assert module.__name__.rsplit(".", 1)[-1] in AREAS, name
        if "https://www.discogs.com/developers/" not in (inspect.getdoc(member) or ""):
            missing.append(name)
    assert missing == []


def test_body_leaves_out_only_none_and_sends_enums_as_their_values() -> None:
    body = _body(status=OrderStatus.SHIPPED, rating=0, allow_offers=False, notes=None)
    assert body == {"status": OrderStatus.SHIPPED.value, "rating": 0, "allow_offers": False}
    assert type(body["status"]) is str


@pytest.mark.parametrize(
    ("call", "sent"),
    [
        (lambda c: c.update_instance_rating("me", 3, 7, 11, rating=4), {"rating": 4}),
        (lambda c: c.move_instance("me", 3, 7, 11, to_folder_id=5), {"folder_id": 5}),
        (lambda c: c.update_want("me", 7, rating=0), {"rating": 0}),
        (
            lambda c: c.update_listing(
                9, release_id=7, condition="Mint (M)", price=2.5, status=ListingStatus.DRAFT
            ),
            {"release_id": 7, "condition": "Mint (M)", "price": 2.5, "status": "Draft"},
        ),
    ],
)
async def test_a_write_sends_exactly_the_fields_given(
    call: Callable[[DiscogsClient], Awaitable[object]], sent: dict[str, object]
) -> None:
    bodies: list[object] = []

    def answer(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.content))
        return httpx.Response(204)

    async with DiscogsClient(
        base_url="https://api.discogs.test",
        token="t",
        transport=httpx.MockTransport(answer),
    ) as client:
        with contextlib.suppress(InvalidResponseError):  # a 204 is no Want: the request matters
            await call(client)
    assert bodies == [sent]
