"""Calling emulator routes directly, through a Router and a Context (no HTTP, no app)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from discogs_tui.emulator.core import BASE, Context, EmuRequest, Router
from discogs_tui.emulator.state import State

BASE_URL = "http://localhost"


@dataclass
class Reply:
    """A handler's answer: status, the decoded body (JSON or text), headers."""

    status: int
    body: Any
    headers: dict[str, str]


def dispatch(
    router: Router,
    *,
    dataset: Any,
    state: Any,
    method: str,
    path: str,
    who: str | None = "demo",
    query: str = "",
    data: dict[str, Any] | None = None,
    body: bytes = b"",
    content_type: str | None = None,
) -> Reply:
    """Send one request to ``router`` as user ``who`` and decode the answer.

    ``data`` goes as a JSON body; the base-URL placeholder is replaced by ``BASE_URL``.
    """
    headers: dict[str, str] = {}
    if data is not None:
        body = json.dumps(data).encode()
        headers["content-type"] = "application/json"
    if content_type:
        headers["content-type"] = content_type
    request = EmuRequest.build(method, path, query_string=query, headers=headers, body=body)
    ctx = Context(request=request, dataset=dataset, state=state, base_url=BASE_URL, identity=who)
    response = router.respond(ctx)
    assert response is not None, f"no route for {method} {path}"
    text = response.body.decode().replace(BASE, BASE_URL)
    is_json = "json" in response.headers.get("Content-Type", "")
    return Reply(response.status, json.loads(text) if text and is_json else text, response.headers)


FIXED_NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
"""The clock of the demo state in route tests, so dates in answers are known."""


def fixed_state(dataset: Any) -> State:
    """The demo world, created on the fixed clock."""
    return State.create(dataset, clock=lambda: FIXED_NOW)


def caller(router: Router, dataset: Any, state: Any) -> Callable[..., Reply]:
    """``call(method, path, **options)`` bound to a router, dataset and state."""

    def call(method: str, path: str, **options: Any) -> Reply:
        return dispatch(router, dataset=dataset, state=state, method=method, path=path, **options)

    return call
