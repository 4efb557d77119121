"""A page with rows that cannot be read shows the others and says how many were left out."""

from __future__ import annotations

import json
from typing import Any

import httpx
from tui_helpers import demo_app, settle, shared_emulator

from discogs_tui.navigation import Target
from discogs_tui.widgets.paged_table import PagedTable


class SearchTransport(httpx.AsyncBaseTransport):
    """Answers the search for ``anything`` with chosen pages; the rest goes to the emulator."""

    def __init__(self, pages: dict[int, dict[str, Any]]) -> None:
        self.pages = pages
        self.inner = shared_emulator().transport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.params.get("q") != "anything":
            return await self.inner.handle_async_request(request)
        number = int(request.url.params.get("page", "1"))
        body = json.dumps(self.pages[number]).encode()
        return httpx.Response(200, content=body, request=request)


def search_page(number: int, pages: int, rows: list[Any]) -> dict[str, Any]:
    return {
        "pagination": {"page": number, "pages": pages, "per_page": 3, "items": 3 * pages},
        "results": rows,
    }


async def test_one_unreadable_row_is_left_out_and_the_border_says_so() -> None:
    rows = [
        # A drifted row: format as one string, year as a number, a null inside a list.
        {"id": 11, "type": "release", "title": "Drifted", "format": "Vinyl", "year": 1999},
        {"id": "not a number", "type": "release", "title": "Broken"},
        {"id": 12, "type": "release", "title": "Fine", "format": ["CD", None], "year": "2001"},
    ]
    app = demo_app(transport=SearchTransport({1: search_page(1, 1, rows)}))
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("search", query="anything"))
        await settle(pilot, app)
        table = app.screen.query_one("#search-results", PagedTable)
        assert [item.title for item in table.items] == ["Drifted", "Fine"]
        assert table.items[0].format == ["Vinyl"] and table.items[0].year == "1999"
        assert table.items[1].format == ["CD"]
        assert table.row_count == 2
        subtitle = str(table.border_subtitle)
        assert "1 row could not be read" in subtitle
        assert "rows could not" not in subtitle


async def test_unreadable_rows_add_up_over_pages_and_a_new_search_starts_over() -> None:
    first = search_page(1, 2, [{"id": 1, "title": "One"}, None, "a bare string"])
    second = search_page(2, 2, [{"id": 2, "title": "Two"}, {"id": [3, 4], "title": "Bad"}])
    app = demo_app(transport=SearchTransport({1: first, 2: second}))
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("search", query="anything"))
        await settle(pilot, app)
        table = app.screen.query_one("#search-results", PagedTable)
        # Page 2 comes in at once: the cursor is within the prefetch margin of the last row.
        assert [item.title for item in table.items] == ["One", "Two"]
        assert table.rows_dropped == 3
        assert "3 rows could not be read" in str(table.border_subtitle)
        table.show(lambda number: app.client.search_database(q="Persuader", page=number))
        await settle(pilot, app)
        assert table.rows_dropped == 0
        assert "could not be read" not in str(table.border_subtitle)
