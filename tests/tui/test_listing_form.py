"""Quick edit, new listing and delete through the listing form, against the emulator.

Each test has its own emulator (listings are written) and records what reached it.
"""

from __future__ import annotations

import json

import httpx
import pytest
from market_helpers import fresh, json_error, settle, table, truth, type_text
from textual.widgets import Input, Select, Static
from tui_helpers import demo_app, notices

from discogs_tui.api.errors import NotFoundError
from discogs_tui.emulator.dataset import Dataset
from discogs_tui.navigation import Target
from discogs_tui.screens.marketplace.actions import ConfirmDelete
from discogs_tui.screens.marketplace.inventory import InventoryPage
from discogs_tui.screens.marketplace.listing_form import (
    NO_SUGGESTIONS,
    ListingForm,
    not_editable_reason,
    parse_price,
)


@pytest.mark.parametrize(
    ("text", "value"), [("12", 12.0), ("12.5", 12.5), (" 12.50 ", 12.5), ("1,234.00", 1234.0)]
)
def test_prices_that_parse(text: str, value: float) -> None:
    assert parse_price(text) == value


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("-5", "more than 0"),
        ("0", "more than 0"),
        ("12.345", "at most 2 decimals"),
        ("abc", "not a price"),
        ("", "Type a price"),
        ("nan", "Type a price"),
        ("inf", "Type a price"),
    ],
)
def test_prices_that_are_refused(text: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        parse_price(text)


def test_only_for_sale_draft_and_expired_are_editable() -> None:
    assert not_editable_reason("For Sale") is None
    assert not_editable_reason("Expired") is None
    sold = not_editable_reason("Sold")
    assert sold is not None and "list the release anew" in sold.lower()
    assert "Suspended" in (not_editable_reason("Suspended") or "")


def form(app: object) -> ListingForm:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, ListingForm), screen
    return screen


def error_of(app: object, name: str) -> str:
    return str(form(app).query_one(f"#error-{name}", Static).render())


async def open_inventory(pilot: object, app: object) -> InventoryPage:
    app.navigate(Target("inventory"))  # type: ignore[attr-defined]
    await settle(pilot)
    page = app.screen  # type: ignore[attr-defined]
    assert isinstance(page, InventoryPage)
    return page


async def test_quick_edit_price_is_selected_typing_replaces_it_and_the_row_updates_in_place(
    dataset: Dataset,
) -> None:
    emulator, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        page = await open_inventory(pilot, app)
        rows = table(app, "#inventory-table")
        await pilot.press("down", "down")
        first = rows.current_item
        assert first is not None and first.id is not None and first.status == "For Sale"
        await pilot.press("e")
        await settle(pilot)
        price = form(app).query_one("#field-price", Input)
        assert app.focused is price
        assert price.selected_text == price.value and price.value
        assert "Discogs fee at" in form(app).hints()
        assert "Suggested for" in form(app).hints()
        await type_text(pilot, "23.45")
        assert price.value == "23.45"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ListingForm)
        assert app.screen is page
        assert rows.cursor_row == 2, "the cursor stays on the row"
        assert rows.items[2].price.value == 23.45
        assert "$23.45" in str(rows.get_row_at(2)[3])
        assert len(rows.items) == 100, "the rows loaded stay"
    (post,) = transport.writes()
    body = json.loads(post.content)
    assert {"release_id", "condition", "price", "status"} <= set(body)
    assert body["price"] == 23.45 and body["release_id"] == first.release.id
    async with truth(emulator) as other:
        assert (await other.get_listing(first.id)).price.value == 23.45


async def test_a_negative_price_is_refused_beside_the_field_and_nothing_is_sent(
    dataset: Dataset,
) -> None:
    _, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_inventory(pilot, app)
        await pilot.press("e")
        await settle(pilot)
        await type_text(pilot, "-5")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "more than 0" in error_of(app, "price")
        assert form(app).query_one("#field-price", Input).value == "-5"
        form(app).query_one("#field-price", Input).value = ""
        await type_text(pilot, "12.345")
        await pilot.press("enter")
        await settle(pilot)
        assert "at most 2 decimals" in error_of(app, "price")
    assert transport.writes() == []


async def test_a_sold_listing_says_it_must_be_listed_anew(dataset: Dataset) -> None:
    _, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_inventory(pilot, app)
        rows = table(app, "#inventory-table")
        sold = next(i for i, item in enumerate(rows.items) if item.status == "Sold")
        rows.move_cursor(row=sold)
        await pilot.press("e")
        await settle(pilot)
        assert not isinstance(app.screen, ListingForm)
        assert any("List the release anew" in words for words in notices(app))
    assert transport.writes() == []


async def test_a_422_shows_beside_the_form_and_keeps_everything_typed(dataset: Dataset) -> None:
    _, transport = fresh(dataset)

    def refuse(request: httpx.Request) -> httpx.Response | None:
        if request.method == "POST":
            return json_error(422, "Invalid price: the price is too high for this release.")
        return None

    transport.hook = refuse
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_inventory(pilot, app)
        await pilot.press("e")
        await settle(pilot)
        await type_text(pilot, "9999")
        form(app).query_one("#field-comments", Input).value = "Shrink intact"
        await pilot.press("ctrl+s")
        await settle(pilot)
        shown = form(app)
        status = str(shown.query_one("#form-status", Static).render())
        assert "too high" in status
        assert shown.typed()["price"] == "9999"
        assert shown.typed()["comments"] == "Shrink intact"
        assert not shown.saving


async def test_a_listing_deleted_meanwhile_says_not_found_in_the_form(dataset: Dataset) -> None:
    emulator, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        page = await open_inventory(pilot, app)
        await pilot.press("e")
        await settle(pilot)
        listing = page.current
        assert listing is not None and listing.id is not None
        del emulator.state.listings[listing.id]
        await type_text(pilot, "20")
        await pilot.press("ctrl+s")
        await settle(pilot)
        status = str(form(app).query_one("#form-status", Static).render())
        assert "not found" in status.lower()


async def test_price_suggestions_refused_403_say_so_once(dataset: Dataset) -> None:
    _, transport = fresh(dataset)

    def no_settings(request: httpx.Request) -> httpx.Response | None:
        if "/price_suggestions/" in request.url.path:
            return json_error(403, "You must fill out your seller settings first.")
        return None

    transport.hook = no_settings
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_inventory(pilot, app)
        await pilot.press("e")
        await settle(pilot)
        shown = form(app)
        shown.query_one("#field-condition", Select).value = "Mint (M)"
        await settle(pilot)
        assert shown.hints().count(NO_SUGGESTIONS) == 1
        assert len(transport.reads("/price_suggestions/")) == 1
        assert not any("seller settings" in words for words in notices(app))


async def test_sell_this_release_prefills_the_suggested_price_and_lists_it(
    dataset: Dataset,
) -> None:
    emulator, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("release", id=3))
        await settle(pilot)
        await pilot.press("L")
        await settle(pilot)
        shown = form(app)
        assert shown.listing is None
        suggested = shown.suggestions
        assert suggested is not None
        grade = shown.typed()["condition"]
        expected = suggested.for_condition(grade)
        assert expected is not None and expected.value is not None
        assert shown.typed()["price"] == f"{expected.value:.2f}"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ListingForm)
        assert any("saved" in words for words in notices(app))
    (post,) = transport.writes()
    assert post.url.path == "/marketplace/listings"
    async with truth(emulator) as other:
        mine = await other.get_inventory("demo", sort="listed", sort_order="desc")
        assert mine.items[0].release.id == 3


async def test_delete_listing_asks_first_then_deletes(dataset: Dataset) -> None:
    emulator, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        page = await open_inventory(pilot, app)
        listing = page.current
        assert listing is not None and listing.id is not None
        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDelete)
        assert transport.writes() == []
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is page
        assert all(item.id != listing.id for item in table(app, "#inventory-table").items)
    assert [r.method for r in transport.writes()] == ["DELETE"]
    async with truth(emulator) as other:
        with pytest.raises(NotFoundError):
            await other.get_listing(listing.id)


async def test_escape_on_the_delete_question_deletes_nothing(dataset: Dataset) -> None:
    _, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_inventory(pilot, app)
        await pilot.press("delete")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, InventoryPage)
    assert transport.writes() == []


async def test_edit_listing_from_the_palette_opens_the_same_form(dataset: Dataset) -> None:
    from discogs_tui.commands import palette_commands

    _, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_inventory(pilot, app)
        edit = next(c for c in palette_commands(app) if c.name == "Edit listing")
        edit.run()
        await settle(pilot)
        assert isinstance(app.screen, ListingForm)


async def test_not_signed_in_the_sell_key_asks_for_a_sign_in(dataset: Dataset) -> None:
    _, transport = fresh(dataset)
    app = demo_app(transport=transport, username=None)
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("release", id=3))
        await settle(pilot)
        await pilot.press("L")
        await settle(pilot)
        assert not isinstance(app.screen, ListingForm)
        assert any("sign-in" in words for words in notices(app))


async def test_an_expired_listing_opens_with_no_status_and_asks_for_one(dataset: Dataset) -> None:
    """A choice with nothing chosen yet (Expired is not a status one may set) opens blank."""
    _, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_inventory(pilot, app)
        rows = table(app, "#inventory-table")
        expired = next(i for i, item in enumerate(rows.items) if item.status == "Expired")
        rows.move_cursor(row=expired)
        await pilot.press("e")
        await settle(pilot)
        shown = form(app)
        assert shown.typed()["status"] == ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Choose For Sale or Draft" in error_of(app, "status")
        shown.query_one("#field-status", Select).value = "For Sale"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ListingForm)
        assert rows.items[expired].status == "For Sale"
    assert [r.method for r in transport.writes()] == ["POST"]
