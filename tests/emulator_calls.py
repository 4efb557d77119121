"""Calling emulator routes directly, through a Router and a Context (no HTTP, no app)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from discogs_tui.emulator.core import BASE, Context, EmuRequest, Router

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
