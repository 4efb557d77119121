"""The inventory page and the listing page against the in-process emulator."""

from __future__ import annotations

from market_helpers import fresh, settle, table, type_text
from rich.text import Text
from textual.widgets import Select, Static
from tui_helpers import demo_app, notices

from discogs_tui.commands import palette_commands
from discogs_tui.emulator.dataset import Dataset
from discogs_tui.models import Page, Pagination
from discogs_tui.models.marketplace import Listing
from discogs_tui.navigation import Target
from discogs_tui.screens.marketplace.common import filtered_fetcher, month, short_grade
from discogs_tui.screens.marketplace.inventory import InventoryPage, listing_matches, listing_row
from discogs_tui.screens.marketplace.listing import ListingPage
from discogs_tui.widgets.command_line import parse_command
from discogs_tui.widgets.markup_view import MarkupView


def test_grades_and_dates_in_short() -> None:
    assert short_grade("Very Good Plus (VG+)") == "VG+"
    assert short_grade("Near Mint (NM or M-)") == "NM"
    assert short_grade("Generic") == "Gen"
    assert short_grade(None) == ""
    assert month("2025-06-01T10:00:00-07:00") == "Jun 2025"


def test_a_row_shows_the_price_with_its_currency() -> None:
    listing = Listing.model_validate(
        {"id": 1, "price": {"value": 12.5, "currency": "EUR"}, "condition": "Mint (M)"}
    )
    cells = listing_row(listing)
    assert isinstance(cells[3], Text) and cells[3].plain == "\u20ac12.50"
    yen = Listing.model_validate({"id": 2, "price": {"value": 3491, "currency": "JPY"}})
    assert listing_row(yen)[3].plain == "\u00a53,491"  # type: ignore[union-attr]
    chf = Listing.model_validate({"id": 3, "price": {"value": 9, "currency": "CHF"}})
    assert listing_row(chf)[3].plain == "CHF 9.00"  # type: ignore[union-attr]


async def test_a_filter_reads_on_until_enough_match_and_the_cap_stops_paging() -> None:
    asked: list[int] = []

    async def fetch(number: int) -> Page[int]:
        asked.append(number)
        items = list(range((number - 1) * 10, number * 10))
        return Page[int](pagination=Pagination(page=number, pages=150, items=1500), items=items)

    run = filtered_fetcher(fetch, lambda n: n % 7 == 0, max_pages=100, least=5)
    page = await run(1)
    assert page.items == [0, 7, 14, 21, 28]
    assert asked == [1, 2, 3]
    assert page.pagination.page == 3, "the table asks for page 4 next"
    assert page.pagination.pages == 100, "another seller's inventory stops at 100 pages"
    asked.clear()
    last = await filtered_fetcher(fetch, None, max_pages=100)(100)
    assert last.pagination.page == last.pagination.pages == 100


async def test_inventory_opens_by_command_key_and_palette(dataset: Dataset) -> None:
    assert parse_command("inventory").target == Target("inventory")
    assert parse_command("inventory seller2").target == Target("inventory", name="seller2")
    _, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("I")
        await settle(pilot)
        assert isinstance(app.screen, InventoryPage)
        names = [command.name for command in palette_commands(app)]
        assert {"Edit listing", "Delete listing", "Your inventory", "Your orders"} <= set(names)


async def test_inventory_loads_a_page_at_a_time_and_filters_sorts_and_narrows(
    dataset: Dataset,
) -> None:
    _, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("inventory"))
        await settle(pilot)
        rows = table(app, "#inventory-table")
        assert len(rows.items) == 100 and rows.pagination_total == 200
        assert len(transport.reads("/inventory")) == 1, "only page 1 up front"
        assert "200 listings \u00b7 100 loaded" in rows.count_text()
        statuses = {str(item.status) for item in rows.items}
        assert {"For Sale", "Sold"} <= statuses, "the owner sees every status"

        app.screen.query_one("#inventory-status", Select).value = "Draft"
        await settle(pilot)
        assert rows.items and {str(item.status) for item in rows.items} == {"Draft"}
        assert transport.reads("/inventory")[-1].url.params["status"] == "Draft"

        app.screen.query_one("#inventory-status", Select).value = "All"
        app.screen.query_one("#inventory-sort", Select).value = "price:asc"
        await settle(pilot)
        prices = [item.price.value or 0 for item in rows.items]
        assert prices == sorted(prices)
        sent = transport.reads("/inventory")[-1].url.params
        assert (sent["sort"], sent["sort_order"]) == ("price", "asc")

        wanted = rows.items[5].release.description.split(" - ")[0]
        await pilot.press("ctrl+f")
        await type_text(pilot, wanted)
        # The filter applies FILTER_DELAY after the last key: wait for it to be asked for.
        for _ in range(250):
            if f'filter "{wanted}"' in rows.title:
                break
            await pilot.pause(0.02)
        await settle(pilot)
        assert rows.items and len(rows.items) < 100
        assert all(listing_matches(item, wanted) for item in rows.items)
        assert any(wanted.casefold() in item.release.description.casefold() for item in rows.items)
        assert f'filter "{wanted}"' in rows.title


async def test_another_sellers_inventory_shows_for_sale_only(dataset: Dataset) -> None:
    _, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("inventory", name="seller2"))
        await settle(pilot)
        rows = table(app, "#inventory-table")
        assert rows.items and {str(item.status) for item in rows.items} == {"For Sale"}
        assert app.screen.query_one("#inventory-status", Select).disabled
        assert rows.title == "Inventory of seller2"
        await pilot.press("e")
        await pilot.pause()
        assert "Only your own listings can be edited." in notices(app)


async def test_past_100_pages_of_another_seller_the_page_says_the_rest_cannot_be_listed(
    dataset: Dataset,
) -> None:
    _, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("inventory", name="seller2"))
        await settle(pilot)
        page = app.screen
        assert isinstance(page, InventoryPage)
        rows = table(app, "#inventory-table")
        big = Page[Listing](
            pagination=Pagination(page=100, pages=100, per_page=100, items=12_345),
            items=[],
        )
        page.post_message(rows.PageLoaded(rows, big, 1))
        await settle(pilot)
        note = str(page.query_one("#inventory-note", Static).render())
        assert "first 10,000 listings" in note and "other 2,345 cannot be listed" in note


async def test_the_listing_page_shows_price_grades_release_and_private_fields(
    dataset: Dataset,
) -> None:
    emulator, transport = fresh(dataset)
    listing = next(x for x in emulator.state.listings.values() if x.seller == "demo")
    listing.location = "Shelf A"
    listing.external_id = "ext-7"
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("listing", id=listing.id))
        await settle(pilot)
        assert isinstance(app.screen, ListingPage)
        facts = app.screen.query_one("#listing-facts", MarkupView).render().plain
        for words in ("Price", "Media", "Sleeve", "Status", "Release", "Posted", "Seller"):
            assert words in facts
        assert "Shelf A" in facts and "ext-7" in facts and "demo" in facts
        assert listing.condition in facts


async def test_a_listing_that_is_gone_says_not_found(dataset: Dataset) -> None:
    _, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("listing", id=987654321))
        await settle(pilot)
        assert any("not found" in words.lower() for words in notices(app))
