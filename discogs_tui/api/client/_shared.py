"""What every part of the client shares: constants, the request context, small value helpers.

Path segments, query parameters and request bodies are built here and only here:
:func:`_seg` for a path segment, :func:`_clean` for a query, :func:`_body` for a JSON body.
"""

from __future__ import annotations

import asyncio
import contextvars
import enum
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote

import pydantic

from discogs_tui import PROJECT_URL, __version__
from discogs_tui.api.cache import cache_key as _request_key
from discogs_tui.api.ratelimit import Priority
from discogs_tui.models import FetchInfo

DEFAULT_BASE_URL = "https://api.discogs.com"
DEFAULT_USER_AGENT = f"DiscogsTUI/{__version__} +{PROJECT_URL}"
MAX_PER_PAGE = 100
MAX_REDIRECTS = 5
RETRIED_STATUSES = frozenset({500, 502, 503, 504})
"""Statuses after which a read is tried again: the server failed, nothing was changed."""
ACCEPT_FORMATS = ("discogs", "plaintext", "html")

M = TypeVar("M", bound=pydantic.BaseModel)
T = TypeVar("T")
R = TypeVar("R")

Params = Mapping[str, str | int | float | bool | None]

_priority: contextvars.ContextVar[Priority] = contextvars.ContextVar(
    "discogs_priority", default=Priority.INTERACTIVE
)
_text_format: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "discogs_text_format", default=None
)
"""The text format asked for by the request being made (``None``: the client's own)."""


def cache_key(method: str, path: str, params: Mapping[str, str | int | float | bool] | None) -> str:
    """The cache key of a request: an answer asked for in another text format is kept apart.

    The ``Accept`` header changes how ``profile`` and ``notes`` read
    (https://www.discogs.com/developers/#page:home,header:home-versioning-and-media-types),
    so the format is part of the key (as a pseudo-parameter the request never sends).
    """
    chosen = _text_format.get()
    if chosen is not None:
        params = {**(params or {}), "accept": chosen}
    return _request_key(method, path, params)


@dataclass(frozen=True)
class _Answer:
    status: int
    body: bytes
    fetch: FetchInfo


def _per_page(per_page: int) -> int:
    """``per_page`` within what Discogs serves: 1 to 100 items a page."""
    return max(1, min(int(per_page), MAX_PER_PAGE))


@dataclass(frozen=True)
class _Flight:
    """A GET on its way: its answer, and the write generation of its path when it was sent."""

    answer: asyncio.Future[_Answer]
    generation: int


def _clean(params: Params | None) -> dict[str, str]:
    """Drop ``None`` values and render booleans the way Discogs expects."""
    out: dict[str, str] = {}
    for key, value in (params or {}).items():
        if value is None:
            continue
        if isinstance(value, bool):
            out[key] = "true" if value else "false"
        else:
            out[key] = str(value)
    return out


def _price_segment(price: float) -> str:
    """A price as a path segment: plain decimal, at most two places, never an exponent."""
    if not math.isfinite(price) or price < 0:
        raise ValueError(f"price must be a finite number of at least 0, not {price!r}")
    text = f"{price:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def _seg(value: str | int | float) -> str:
    """One path segment, percent-encoded (usernames may hold any character)."""
    return quote(str(value), safe="")


Body = dict[str, Any]
"""A JSON request body."""


def _body(**fields: Any) -> Body:
    """A JSON request body: the fields given, ``None`` left out, enums as their values.

    ``False`` and ``0`` are values and are sent; only ``None`` means "not given".
    """
    return {
        key: value.value if isinstance(value, enum.Enum) else value
        for key, value in fields.items()
        if value is not None
    }


def _raw_write_changes(path: str) -> tuple[str, ...]:
    """What a write the client has no model for may change: all of the user's own data
    (collection, wantlist, inventory, orders, lists, profile, marketplace figures) and the
    object it was sent to (e.g. ``/releases/1`` for a rating); other database objects stay."""
    bare = path.split("?", 1)[0]
    target = "/".join(bare.split("/")[:3]) or "/"
    return (bare, target, "/users", "/lists", "/marketplace", "/inventory")
