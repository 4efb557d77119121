"""Typed pydantic models of every Discogs API answer. Never imports textual."""

from __future__ import annotations

from discogs_tui.models.common import (
    DiscogsModel,
    FetchInfo,
    Message,
    Page,
    Pagination,
    PaginationUrls,
    Price,
    keep_unknown,
)

__all__ = [
    "DiscogsModel",
    "FetchInfo",
    "Message",
    "Page",
    "Pagination",
    "PaginationUrls",
    "Price",
    "keep_unknown",
]
