"""What the marketplace pages share: prices with their currency, grades in short, filters."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from discogs_tui.models import Page
from discogs_tui.models.common import Price
from discogs_tui.money import format_price

T = TypeVar("T")

OTHER_SELLER_PAGES = 100
"""Discogs serves at most this many pages of another seller's inventory."""

_SHORT = {"Generic": "Gen", "Not Graded": "NG", "No Cover": "NC"}


def short_grade(grade: object) -> str:
    """``VG+`` for ``Very Good Plus (VG+)``, ``NM`` for ``Near Mint (NM or M-)``."""
    text = str(grade or "")
    if text in _SHORT:
        return _SHORT[text]
    found = re.search(r"\(([^)]*)\)", text)
    if found:
        return found.group(1).split(" or ")[0]
    return text


def price_text(price: Price | None) -> str:
    """``€12.50`` (symbol or code, never a bare number), or nothing when unknown."""
    if price is None or price.value is None:
        return ""
    return format_price(price.value, price.currency)


def day(stamp: str) -> str:
    """``2026-11-30`` from an ISO 8601 time stamp."""
    return stamp[:10]


_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def month(stamp: str) -> str:
    """``Nov 2026`` from an ISO 8601 time stamp (a table's short date), else the text as is."""
    try:
        return f"{_MONTHS[int(stamp[5:7]) - 1]} {stamp[:4]}"
    except (ValueError, IndexError):
        return stamp[:10]


MARKET_CSS = """
.market-bar { height: 1; margin: 0 0 0 1; }
.market-bar Select { width: 22; margin-right: 1; }
.market-bar Input { width: 1fr; }
.market-note { height: auto; color: $warning; padding: 0 1; }
"""
"""The filter bar over a marketplace table, and the note under it."""


def filtered_fetcher(
    fetch: Callable[[int], Awaitable[Page[T]]],
    keep: Callable[[T], bool] | None,
    *,
    max_pages: int | None = None,
    least: int = 25,
) -> Callable[[int], Awaitable[Page[T]]]:
    """``fetch`` with only the items ``keep`` accepts, never past ``max_pages``.

    With a filter, one call reads server pages until ``least`` items match or none is left,
    and answers with the number of the last page it read, so the table asks for the one
    after it next.
    """

    async def run(number: int) -> Page[T]:
        page = await fetch(number)
        pages = page.pagination.pages
        if max_pages is not None:
            pages = min(pages, max_pages)
        if keep is None:
            items: Sequence[T] = page.items
        else:
            items = [item for item in page.items if keep(item)]
            while len(items) < least and page.pagination.page < pages:
                page = await fetch(page.pagination.page + 1)
                items = [*items, *(item for item in page.items if keep(item))]
        pagination = page.pagination.model_copy(update={"pages": pages})
        return page.model_copy(update={"items": list(items), "pagination": pagination})

    return run
