"""History, focus and the bottom bar as the user moves between pages (issue 8, item 7)."""

from __future__ import annotations

import httpx
import pytest
from textual.widgets import DataTable, Input
from tui_helpers import demo_app, settle, shared_emulator

from discogs_tui.navigation import Target
from discogs_tui.screens import ArtistPage, LabelPage, MasterPage, ReleasePage
from discogs_tui.screens.database.database_page import DatabasePage
from discogs_tui.screens.database.search import SearchPage
from discogs_tui.widgets.paged_table import PagedTable
from discogs_tui.widgets.rate_gauge import RateGauge


class SwitchableTransport(httpx.AsyncBaseTransport):
    """The emulator, or a network that is down while ``down`` is true."""

    def __init__(self) -> None:
        self.down = True
        self.inner = shared_emulator().transport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        return await self.inner.handle_async_request(request)


async def test_opening_the_page_you_are_on_adds_no_history() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("artist", id=1))
        await settle(pilot, app)
        page, depth = app.screen, len(app.screen_stack)
        app.navigate(Target("artist", id=1))
        await settle(pilot, app)
        await pilot.press("colon", *"artist 1", "enter")
        await settle(pilot, app)
        assert app.screen is page and len(app.screen_stack) == depth
        await pilot.press("escape")
        await settle(pilot, app)
        assert not isinstance(app.screen, ArtistPage)  # one back leaves it


async def test_searching_again_for_the_search_shown_adds_no_history() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("search", query="persuader"))
        await settle(pilot, app)
        page, depth = app.screen, len(app.screen_stack)
        await pilot.press("colon", *"search persuader", "enter")
        await settle(pilot, app)
        assert app.screen is page and len(app.screen_stack) == depth
        app.navigate(Target("search", query="persuader", search_type="artist"))
        await settle(pilot, app)
        assert app.screen is not page  # another search is another page


async def test_after_escape_the_search_field_shows_the_query_of_the_results() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("search", query="persuader"))
        await settle(pilot, app)
        page = app.screen
        assert isinstance(page, SearchPage)
        results = page.query_one("#search-results", PagedTable)
        assert app.focused is results and results.row_count
        await pilot.press("slash")
        field = page.query_one("#search-query", Input)
        assert app.focused is field
        await pilot.press("ctrl+u", *"something else")
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.focused is results
        assert field.value == "persuader"
        assert page.current is not None and page.current.q == "persuader"
        assert app.screen is page


PAGES = [
    (Target("release", id=1), ReleasePage),
    (Target("artist", id=1), ArtistPage),
    (Target("master", id=1660109), MasterPage),
    (Target("label", id=1), LabelPage),
]
IDS = ["release", "artist", "master", "label"]


@pytest.mark.parametrize(("target", "page_type"), PAGES, ids=IDS)
async def test_the_gauge_stays_at_the_bottom_of_an_error_page(
    target: Target, page_type: type
) -> None:
    app = demo_app(transport=SwitchableTransport())
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(target)
        await settle(pilot, app)
        page = app.screen
        assert isinstance(page, page_type) and page.has_class("-failed")
        gauge = page.query_one(RateGauge)
        assert gauge.region.bottom == 24 - 1  # the footer's line is the last


@pytest.mark.parametrize(("target", "page_type"), PAGES, ids=IDS)
async def test_after_ctrl_r_rescues_a_page_its_content_has_the_keys(
    target: Target, page_type: type
) -> None:
    transport = SwitchableTransport()
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(target)
        await settle(pilot, app)
        page = app.screen
        assert isinstance(page, page_type) and page.has_class("-failed")
        transport.down = False
        await pilot.press("ctrl+r")
        await settle(pilot, app)
        assert page.model is not None
        focused = app.focused
        assert focused is not None and focused.screen is page
        fresh = demo_app()
        async with fresh.run_test(size=(80, 24)) as fresh_pilot:
            fresh.navigate(target)
            await settle(fresh_pilot, fresh)
            expected = fresh.focused
            assert expected is not None
            # The same widget a page that loaded at once focuses.
            assert focused.id == expected.id and type(focused) is type(expected)
        if isinstance(focused, DataTable) and focused.row_count > 1:
            await pilot.press("j")
            await pilot.pause()
            assert focused.cursor_row == 1
            await pilot.press("G")
            await pilot.pause()
            assert focused.cursor_row == focused.row_count - 1


@pytest.mark.parametrize(("target", "page_type"), PAGES, ids=IDS)
async def test_an_error_page_offers_only_keys_that_act_there(
    target: Target, page_type: type
) -> None:
    transport = SwitchableTransport()
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(target)
        await settle(pilot, app)
        page = app.screen
        assert isinstance(page, page_type) and page.has_class("-failed")

        def offered() -> set[str]:
            return {
                active.binding.id or active.binding.action
                for active in page.active_bindings.values()
                if active.enabled and active.node is page and active.binding.id
            }

        assert offered() == {"page.reload"}
        rows = {row.binding_id for row in app.help_rows() if row.section == "This page"}
        assert rows == {"page.reload"}
        transport.down = False
        await pilot.press("ctrl+r")
        await settle(pilot, app)
        own = {
            binding.id
            for bindings in page._merge_bindings().key_to_bindings.values()
            for binding in bindings
            if binding.id
        }
        assert offered() == own  # every key of the page is back once it has loaded


@pytest.mark.parametrize(("target", "page_type"), PAGES, ids=IDS)
async def test_opening_a_page_starts_one_fetch(
    target: Target, page_type: type, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[str] = []
    fetch = DatabasePage.load

    def counting_load(page: DatabasePage) -> None:
        started.append(page.target.describe())
        fetch(page)

    monkeypatch.setattr(DatabasePage, "load", counting_load)
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(target)
        await settle(pilot, app)
        assert isinstance(app.screen, page_type)
        assert started == [target.describe()]
