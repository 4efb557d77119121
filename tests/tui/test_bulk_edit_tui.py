"""Marks on the seller's inventory, the bulk edit form and its preview, against the emulator.

The app's background runner is another part: here ``start_bulk_edit`` is a recording stand-in
on the app, and the tests check the :class:`Plan` it is handed.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import httpx
import pytest
from market_helpers import Recording, fresh, json_error, settle, truth, type_text
from textual.widgets import DataTable, Input, Select, Static
from tui_helpers import demo_app, notices

from discogs_tui.app import DiscogsApp
from discogs_tui.commands import palette_commands
from discogs_tui.emulator.dataset import Dataset
from discogs_tui.models.marketplace import Listing
from discogs_tui.screens.marketplace import marks as marks_module
from discogs_tui.screens.marketplace.bulk_form import (
    PRICE_EXPECTED,
    BulkEditForm,
    bulk_change,
    parse_price_change,
)
from discogs_tui.screens.marketplace.bulk_preview import NOTHING_TO_SEND, BulkPreview
from discogs_tui.screens.marketplace.inventory import InventoryPage
from discogs_tui.screens.marketplace.marks import MARK
from discogs_tui.tasks.bulk_plan import BulkChange, Plan, PriceRule, Rounding
from discogs_tui.tasks.inventory_csv import carries_owner_fields
from discogs_tui.widgets.paged_table import PagedTable


class Runner:
    """A stand-in for the app's bulk runner: records each plan, answers ``accept``."""

    def __init__(self, accept: bool = True) -> None:
        self.accept = accept
        self.plans: list[Plan] = []
        self.sources: list[str] = []

    def __call__(self, plan: Plan, *, source: str) -> bool:
        self.plans.append(plan)
        self.sources.append(source)
        return self.accept


def with_runner(app: DiscogsApp, runner: Runner, *, running: bool = False) -> DiscogsApp:
    app.start_bulk_edit = runner  # type: ignore[method-assign]
    app.bulk_running = running  # type: ignore[misc]
    return app


def page_of(app: DiscogsApp) -> InventoryPage:
    assert isinstance(app.screen, InventoryPage)
    return app.screen


def item_cell(table: PagedTable[Any], row: int) -> str:
    return str(table.get_cell(str(row), "item"))


async def open_inventory(pilot: Any) -> InventoryPage:
    await settle(pilot)
    await pilot.press("I")
    await settle(pilot)
    return page_of(pilot.app)


def row_of(page: InventoryPage, status: str) -> int:
    return next(i for i, x in enumerate(page.listing_table.items) if x.status == status)


# -- the form's words ------------------------------------------------------------------


def test_a_price_change_is_typed_with_its_sign() -> None:
    assert parse_price_change("+10%") == (Decimal("10"), None)
    assert parse_price_change(" -5 % ") == (Decimal("-5"), None)
    assert parse_price_change("+2") == (None, Decimal("2"))
    assert parse_price_change("\u22121.50") == (None, Decimal("-1.50"))
    assert parse_price_change("") == (None, None)
    for bad in ("10", "10%", "+ten", "+1.505", "-100%", "+0", "++1", "+1%%"):
        with pytest.raises(ValueError):
            parse_price_change(bad)
    with pytest.raises(ValueError, match="sign"):
        parse_price_change("12")


def test_the_form_values_become_a_change() -> None:
    values: dict[str, Any] = {
        "price": (Decimal("10"), None),
        "rounding": "49/99",
        "status": "keep",
        "location_action": "set",
        "location": "",
        "comments_action": "keep",
        "comments": "typed but kept",
        "allow_offers": "no",
    }
    change = bulk_change(values)
    assert change == BulkChange(
        price=PriceRule(percent=Decimal("10"), rounding=Rounding.ENDING_49_99),
        location="",
        allow_offers=False,
    ), "Set to with nothing typed empties the location; Leave as is keeps the comments"
    values |= {"price": (None, None), "rounding": "cent", "location_action": "keep"}
    values |= {"allow_offers": "keep"}
    assert bulk_change(values) == BulkChange()
    values["rounding"] = "whole"
    assert bulk_change(values).price == PriceRule(rounding=Rounding.WHOLE), "rounding alone"


# -- marks -----------------------------------------------------------------------------


async def test_space_marks_and_moves_down_and_the_border_counts(dataset: Dataset) -> None:
    _, transport = fresh(dataset)
    app = with_runner(demo_app(transport=transport), Runner())
    async with app.run_test(size=(80, 24)) as pilot:
        page = await open_inventory(pilot)
        table = page.listing_table
        first, second = table.items[0], table.items[1]
        await pilot.press("space", "space")
        assert table.cursor_row == 2, "space moves the cursor down, like a file manager"
        assert set(page.marks.listings) == {first.id, second.id}
        assert item_cell(table, 0).startswith(f"{MARK} ")
        assert not item_cell(table, 2).startswith(MARK)
        assert "2 marked" in str(table.border_title)
        await pilot.press("up", "space")
        assert set(page.marks.listings) == {first.id}, "space again unmarks"
        assert not item_cell(table, 1).startswith(MARK)
        assert "1 marked" in str(table.border_title)
        await pilot.press("U")
        assert len(page.marks) == 0
        assert "marked" not in str(table.border_title)
        assert not item_cell(table, 0).startswith(MARK)
        names = [command.name for command in palette_commands(app)]
        assert {"Bulk edit marked listings", "Mark all listings shown", "Clear marks"} <= set(names)
        helped = {row.binding_id: row.keys for row in app.help_rows()}
        assert helped["inventory.mark"] == "space" and helped["inventory.bulk_edit"] == "b"
        assert {"inventory.mark_all", "inventory.clear_marks"} <= set(helped)


async def test_mark_all_loads_every_page_through_the_table(dataset: Dataset) -> None:
    _, transport = fresh(dataset)
    app = with_runner(demo_app(transport=transport), Runner())
    async with app.run_test(size=(80, 24)) as pilot:
        page = await open_inventory(pilot)
        table = page.listing_table
        assert table.has_more, "the demo seller's 200 listings come in two pages"
        await pilot.press("asterisk")
        await settle(pilot)
        total = table.pagination_total
        assert total is not None and len(page.marks) == total == len(table.items)
        assert not table.has_more
        assert f"{total} marked" in str(table.border_title)
        assert all(item_cell(table, i).startswith(MARK) for i in range(len(table.items)))


async def test_mark_all_asks_before_many_requests(
    dataset: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(marks_module, "ASK_PAGES", 0)
    _, transport = fresh(dataset)
    app = with_runner(demo_app(transport=transport), Runner())
    async with app.run_test(size=(80, 24)) as pilot:
        page = await open_inventory(pilot)
        table = page.listing_table
        await pilot.press("asterisk")
        await settle(pilot)
        assert len(page.marks) == 0 and table.has_more, "nothing loaded nor marked yet"
        assert any("1 more request " in n and "again" in n for n in notices(app))
        await pilot.press("asterisk")
        await settle(pilot)
        assert len(page.marks) == table.pagination_total


async def test_marks_survive_a_filter_change(dataset: Dataset) -> None:
    _, transport = fresh(dataset)
    app = with_runner(demo_app(transport=transport), Runner())
    async with app.run_test(size=(80, 24)) as pilot:
        page = await open_inventory(pilot)
        table = page.listing_table
        await pilot.press("space", "space", "space")
        marked = set(page.marks.listings)
        status = page.query_one("#inventory-status", Select)
        status.value = "Draft"
        await settle(pilot)
        shown = {x.id for x in table.items}
        hidden = len(marked - shown)
        assert hidden, "the first rows are For Sale, the Draft view hides them"
        assert f"3 marked ({hidden} not shown)" in str(table.border_title)
        status.value = "All"
        await settle(pilot)
        assert set(page.marks.listings) == marked
        assert "3 marked" in str(table.border_title) and "not shown" not in str(table.border_title)
        assert [item_cell(table, i).startswith(MARK) for i in range(4)] == [1, 1, 1, 0]


# -- the form and the preview ------------------------------------------------------------


async def test_a_bad_price_change_is_explained_and_kept(dataset: Dataset) -> None:
    _, transport = fresh(dataset)
    runner = Runner()
    app = with_runner(demo_app(transport=transport), runner)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_inventory(pilot)
        await pilot.press("space", "b")
        await settle(pilot)
        assert isinstance(app.screen, BulkEditForm)
        await type_text(pilot, "10%")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, BulkEditForm), "the form stays"
        assert app.screen.query_one("#field-price", Input).value == "10%"
        error = app.screen.query_one("#error-price", Static)
        assert PRICE_EXPECTED in str(error.render())
        assert runner.plans == [] and transport.writes() == []


async def preview_of(pilot: Any, page: InventoryPage, rows: list[int], typed: str) -> BulkPreview:
    table = page.listing_table
    for row in rows:
        table.move_cursor(row=row)
        await pilot.press("space")
    await pilot.press("b")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, BulkEditForm)
    await type_text(pilot, typed)
    form.query_one("#field-rounding", Select).value = "49/99"
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, BulkPreview)
    return pilot.app.screen


async def test_the_preview_shows_each_listing_and_applies_absolute_prices(
    dataset: Dataset,
) -> None:
    _, transport = fresh(dataset)
    runner = Runner()
    app = with_runner(demo_app(transport=transport), runner)
    async with app.run_test(size=(80, 24)) as pilot:
        page = await open_inventory(pilot)
        items = page.listing_table.items
        sale, sold = row_of(page, "For Sale"), row_of(page, "Sold")
        for_sale, sold_one = items[sale], items[sold]
        preview = await preview_of(pilot, page, [sale, sold], "+10%")
        old = Decimal(str(for_sale.price.value))
        plan = preview.plan
        assert [e.listing_id for e in plan.edits] == [for_sale.id]
        new = Decimal(plan.edits[0].new["price"])
        assert str(new)[-2:] in ("49", "99") and abs(new - old * Decimal("1.1")) <= Decimal("0.25")
        assert [(s.listing_id, s.reason) for s in plan.skips] == [
            (sold_one.id, "Sold listings cannot be edited")
        ]
        table = preview.query_one("#preview-table", DataTable)
        assert table.row_count == 2
        change = str(table.get_cell("0", "change"))
        assert change == f"Price ${old:.2f} \u2192 ${new:,.2f}", "price in its currency"
        assert str(table.get_cell("1", "change")) == "Skipped: Sold listings cannot be edited"
        summary = str(preview.query_one("#preview-summary", Static).render())
        assert summary.startswith("1 edit, 1 skipped, 0 unchanged: 1 request, about ")
        assert summary.endswith(f"at {app.client.rate_state.limit}/min")
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, InventoryPage), "preview and form closed"
        assert runner.sources == ["bulk edit"] and runner.plans == [plan]
        sent = runner.plans[0].edits[0]
        assert sent.new["price"] == f"{new:.2f}", "an absolute price, never +10%"
        assert sent.new["location"] == (for_sale.location or "")
        assert set(page.marks.listings) == {sold_one.id}, "the sent listing is unmarked"
        assert transport.writes() == [], "the form and the preview send nothing"


async def test_a_refused_start_keeps_the_preview_and_the_marks(dataset: Dataset) -> None:
    _, transport = fresh(dataset)
    runner = Runner(accept=False)
    app = with_runner(demo_app(transport=transport), runner)
    async with app.run_test(size=(80, 24)) as pilot:
        page = await open_inventory(pilot)
        await preview_of(pilot, page, [row_of(page, "For Sale")], "+2")
        await pilot.press("a")
        await settle(pilot)
        assert len(runner.plans) == 1
        assert isinstance(app.screen, BulkPreview)
        assert len(page.marks) == 1


async def test_escape_goes_back_to_the_form_with_every_value(dataset: Dataset) -> None:
    _, transport = fresh(dataset)
    runner = Runner()
    app = with_runner(demo_app(transport=transport), runner)
    async with app.run_test(size=(80, 24)) as pilot:
        page = await open_inventory(pilot)
        await preview_of(pilot, page, [row_of(page, "For Sale")], "-5%")
        await pilot.press("escape")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, BulkEditForm)
        assert form.typed()["price"] == "-5%" and form.typed()["rounding"] == "49/99"
        assert runner.plans == []
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, InventoryPage) and len(page.marks) == 1


async def test_with_nothing_to_send_apply_is_disabled(dataset: Dataset) -> None:
    _, transport = fresh(dataset)
    runner = Runner()
    app = with_runner(demo_app(transport=transport), runner)
    async with app.run_test(size=(80, 24)) as pilot:
        page = await open_inventory(pilot)
        preview = await preview_of(pilot, page, [row_of(page, "Sold")], "+10%")
        keys = str(preview.query_one("#preview-keys", Static).render())
        assert NOTHING_TO_SEND in keys
        await pilot.press("a")
        await pilot.press("enter")
        await settle(pilot)
        assert runner.plans == [] and isinstance(app.screen, BulkPreview)


async def test_without_marks_the_listing_under_the_cursor_is_offered(dataset: Dataset) -> None:
    _, transport = fresh(dataset)
    app = with_runner(demo_app(transport=transport), Runner())
    async with app.run_test(size=(80, 24)) as pilot:
        await open_inventory(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, BulkEditForm)
        assert len(app.screen.rows) == 1 and "1 listing" in app.screen.form_title


async def test_a_running_bulk_edit_is_said_instead_of_a_form(dataset: Dataset) -> None:
    _, transport = fresh(dataset)
    app = with_runner(demo_app(transport=transport), Runner(), running=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_inventory(pilot)
        await pilot.press("space", "b")
        await settle(pilot)
        assert isinstance(app.screen, InventoryPage)
        assert any("already running" in n for n in notices(app))


# -- the values planned from are complete ------------------------------------------------


async def test_the_owners_inventory_carries_every_field_an_edit_sends(dataset: Dataset) -> None:
    _, transport = fresh(dataset)
    app = with_runner(demo_app(transport=transport), Runner())
    async with app.run_test(size=(80, 24)) as pilot:
        page = await open_inventory(pilot)
        assert all(carries_owner_fields(x) for x in page.listing_table.items)
        await pilot.press("space", "b")
        await settle(pilot)
        assert transport.reads("/marketplace/listings/") == [], "no listing read again"


class WithoutLocation(Recording):
    """The emulator, with ``location`` left out of the inventory's listings."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        answer = await super().handle_async_request(request)
        if request.method != "GET" or not request.url.path.endswith("/inventory"):
            return answer
        body = json.loads(await answer.aread())
        for listing in body.get("listings", []):
            listing.pop("location", None)
        return httpx.Response(answer.status_code, headers=answer.headers, json=body)


async def test_listings_lacking_an_owner_field_are_read_again(dataset: Dataset) -> None:
    emulator, _ = fresh(dataset)
    transport = WithoutLocation(emulator)
    runner = Runner()
    app = with_runner(demo_app(transport=transport), runner)
    async with app.run_test(size=(80, 24)) as pilot:
        page = await open_inventory(pilot)
        table = page.listing_table
        row = next(i for i, x in enumerate(table.items) if x.status == "For Sale")
        listing: Listing = table.items[row]
        assert listing.location is None
        table.move_cursor(row=row)
        await pilot.press("space", "b")
        await settle(pilot)
        assert [r.url.path for r in transport.reads("/marketplace/listings/")] == [
            f"/marketplace/listings/{listing.id}"
        ]
        form = app.screen
        assert isinstance(form, BulkEditForm)
        truth = emulator.state.listings[listing.id or 0]
        assert form.rows[0]["location"] == truth.location, "the location as Discogs has it"


async def test_a_listing_changed_elsewhere_is_planned_from_its_values_now(
    dataset: Dataset,
) -> None:
    # Marked, then changed on the website: the edit must not send the old comments back.
    emulator, transport = fresh(dataset)
    runner = Runner()
    app = with_runner(demo_app(transport=transport), runner)
    async with app.run_test(size=(80, 24)) as pilot:
        page = await open_inventory(pilot)
        table = page.listing_table
        rows = [i for i, x in enumerate(table.items) if x.status == "For Sale"][:3]
        changed, gone, kept = (table.items[i] for i in rows)
        for row in rows:
            table.move_cursor(row=row)
            await pilot.press("space")
        async with truth(emulator) as other:
            now = await other.get_listing(changed.id or 0, fresh=True)
            await other.update_listing(
                changed.id or 0,
                release_id=now.release.id or 0,
                condition=str(now.condition),
                price=float(now.price.value or 1),
                status="For Sale",
                comments="changed on the website",
                location="Shelf Z",
            )
            await other.delete_listing(gone.id or 0)
        await pilot.press("b")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, BulkEditForm)
        by_id = {row["listing_id"]: row for row in form.rows}
        assert set(by_id) == {str(changed.id), str(kept.id)}, "the deleted one is left out"
        assert by_id[str(changed.id)]["comments"] == "changed on the website"
        assert by_id[str(changed.id)]["location"] == "Shelf Z"
        assert gone.id not in page.marks
        assert any("gone" in n for n in notices(app))


async def test_reading_the_marks_again_costs_the_fewer_requests(dataset: Dataset) -> None:
    _, transport = fresh(dataset)
    app = with_runner(demo_app(transport=transport), Runner())
    async with app.run_test(size=(80, 24)) as pilot:
        page = await open_inventory(pilot)
        pages = -(-(page.listing_table.pagination_total or 0) // 100)
        assert pages >= 2
        await pilot.press("asterisk")
        await settle(pilot)
        before = len(transport.requests)
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, BulkEditForm)
        assert len(app.screen.rows) == len(page.marks) > pages
        reads = transport.requests[before:]
        assert [r.url.path for r in reads] == [reads[0].url.path] * pages, "the pages, no more"
        await pilot.press("escape", "U")
        await settle(pilot)
        before = len(transport.requests)
        await pilot.press("space", "b")
        await settle(pilot)
        assert isinstance(app.screen, BulkEditForm)
        assert 1 <= len(transport.requests[before:]) <= 2, "a page, then the listing alone"


async def test_while_a_bulk_edit_runs_the_quick_edit_starts_from_the_listing_now(
    dataset: Dataset,
) -> None:
    # The rows wait for the run's end to reload; a row it already changed must not be edited
    # from its old copy (the form sends every value, the old price back with it).
    from discogs_tui.screens.marketplace.listing_form import ListingForm

    emulator, transport = fresh(dataset)
    app = with_runner(demo_app(transport=transport), Runner(), running=True)
    async with app.run_test(size=(80, 24)) as pilot:
        page = await open_inventory(pilot)
        table = page.listing_table
        row = row_of(page, "For Sale")
        listing = table.items[row]
        async with truth(emulator) as other:
            now = await other.get_listing(listing.id or 0, fresh=True)
            await other.update_listing(
                listing.id or 0,
                release_id=now.release.id or 0,
                condition=str(now.condition),
                price=123.45,
                status="For Sale",
            )
        table.move_cursor(row=row)
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ListingForm)
        assert form.typed()["price"] == "123.45"


async def test_a_deleted_listing_leaves_the_marks(dataset: Dataset) -> None:
    _, transport = fresh(dataset)
    app = with_runner(demo_app(transport=transport), Runner())
    async with app.run_test(size=(80, 24)) as pilot:
        page = await open_inventory(pilot)
        table = page.listing_table
        first, second = table.items[0], table.items[1]
        await pilot.press("space", "space", "up", "delete", "enter")
        await settle(pilot)
        assert [r.method for r in transport.writes()] == ["DELETE"]
        assert set(page.marks.listings) == {first.id}, f"{second.id} was deleted"
        assert "1 marked" in str(page.listing_table.border_title)


def test_the_summary_reads_long_waits_in_minutes() -> None:
    from discogs_tui.api.ratelimit import RateState
    from discogs_tui.screens.marketplace.bulk_preview import duration_words, summary_words
    from discogs_tui.tasks.bulk_plan import Edit

    assert [duration_words(s) for s in (0.4, 55, 89, 90, 1923, 7500)] == [
        "1 s",
        "55 s",
        "89 s",
        "2 min",
        "32 min",
        "2 h 5 min",
    ]
    state = RateState(60, 0, 0, 0, None, None, "local")
    plan = Plan(edits=[Edit(n, {}, {}) for n in range(500)])
    assert summary_words(plan, state) == (
        "500 edits, 0 skipped, 0 unchanged: 500 requests, about 8 min at 60/min"
    )
    state = RateState(60, 10, 50, 0, None, None, "local")
    assert summary_words(Plan(edits=[Edit(1, {}, {})]), state) == (
        "1 edit, 0 skipped, 0 unchanged: 1 request, about 1 s at 60/min"
    )


async def test_the_mark_keys_type_in_the_filter_line(dataset: Dataset) -> None:
    _, transport = fresh(dataset)
    app = with_runner(demo_app(transport=transport), Runner())
    async with app.run_test(size=(80, 24)) as pilot:
        page = await open_inventory(pilot)
        await pilot.press("ctrl+f")
        await type_text(pilot, "b U*x")
        assert page.query_one("#inventory-filter", Input).value == "b U*x"
        assert len(page.marks) == 0 and isinstance(app.screen, InventoryPage)


async def test_mark_all_stops_and_says_so_when_a_page_fails(dataset: Dataset) -> None:
    _, transport = fresh(dataset)

    def refuse_page_2(request: httpx.Request) -> httpx.Response | None:
        if request.url.path.endswith("/inventory") and request.url.params.get("page") == "2":
            return json_error(403, "You don't have permission to access this resource.")
        return None

    app = with_runner(demo_app(transport=transport), Runner())
    async with app.run_test(size=(80, 24)) as pilot:
        page = await open_inventory(pilot)
        transport.hook = refuse_page_2
        await pilot.press("asterisk")
        await settle(pilot)
        assert any("Marking all stopped" in n for n in notices(app))
        assert len(page.marks) == 0 and page.marking_all is None
        assert not page.query_one("#inventory-note", Static).display


async def test_enter_pressed_twice_opens_the_preview_and_sends_nothing(dataset: Dataset) -> None:
    """On a phone or a slow link a second enter from the form lands on the preview: it says
    which key sends, and sends nothing."""
    _, transport = fresh(dataset)
    runner = Runner()
    app = with_runner(demo_app(transport=transport), runner)
    async with app.run_test(size=(80, 24)) as pilot:
        page = await open_inventory(pilot)
        await preview_of(pilot, page, [row_of(page, "For Sale")], "+2")
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert runner.plans == [] and transport.writes() == []
        assert isinstance(app.screen, BulkPreview)
        assert any("Press a to send the 1 edit." in n for n in notices(app))
        await pilot.press("a")
        await settle(pilot)
        assert len(runner.plans) == 1
