"""Turning answers into models: JSON, one object, a page of items, or raw JSON.

Each raises :class:`~discogs_tui.api.errors.InvalidResponseError` (with plain words) when the
answer is not what the Discogs documentation promises, so a broken answer is never stored.
"""

from __future__ import annotations

import json
from typing import Any

import pydantic

from discogs_tui.api.client._shared import M, T, _Answer
from discogs_tui.api.errors import InvalidResponseError
from discogs_tui.models import Page
from discogs_tui.models import common as _common


def parse_json(answer: _Answer, path: str) -> Any:
    """The JSON of an answer; :class:`InvalidResponseError` when it is not JSON."""
    try:
        return json.loads(answer.body)
    except (ValueError, RecursionError):
        raise InvalidResponseError(
            f"Discogs sent something that is not JSON for {path}.", status=answer.status
        ) from None


def parse_model(model: type[M], answer: _Answer, path: str) -> M:
    """One ``model``, carrying where it came from (cache, age, offline) in ``_fetch``."""
    data = parse_json(answer, path)
    try:
        parsed = model.model_validate(data)
    except pydantic.ValidationError as exc:
        raise InvalidResponseError(
            f"Discogs sent an unexpected {model.__name__} for {path}: "
            f"{exc.error_count()} problem(s), first: {exc.errors()[0]['msg']}",
            status=answer.status,
        ) from None
    parsed._fetch = answer.fetch  # type: ignore[attr-defined]
    return parsed


def parse_page(item: type[T], key: str, answer: _Answer, path: str) -> Page[T]:
    """A page of ``item`` under ``key`` (e.g. ``releases``) with its ``pagination``."""
    data = parse_json(answer, path)
    if not isinstance(data, dict):
        raise InvalidResponseError(f"Discogs sent a page that is not an object for {path}.")
    try:
        parsed: Page[T] = _common.parse_page(data, key, item)
    except pydantic.ValidationError as exc:
        raise InvalidResponseError(
            f"Discogs sent an unexpected page for {path}: {exc.errors()[0]['msg']}",
            status=answer.status,
        ) from None
    parsed._fetch = answer.fetch
    return parsed


def parse_raw_json(answer: _Answer, path: str) -> Any:
    """The JSON of an answer, ``None`` for an empty one (a write answered 204)."""
    return parse_json(answer, path) if answer.body.strip() else None
