"""Orders, one order and its messages, and the order's forms, against the emulator."""

from __future__ import annotations

import json

import httpx
import pytest
from market_helpers import fresh, json_error, settle, table, truth, type_text
from textual.widgets import Select, Static, TextArea
from tui_helpers import demo_app, notices

from discogs_tui.commands import palette_commands
from discogs_tui.emulator.dataset import Dataset
from discogs_tui.navigation import Target
from discogs_tui.screens.marketplace.orders import (
    OrderPage,
    OrdersPage,
    OrderStatusForm,
    SendMessageForm,
    ShippingForm,
    parse_message,
    parse_shipping,
)
from discogs_tui.widgets.command_line import parse_command
from discogs_tui.widgets.markup_view import MarkupView


def test_messages_and_shipping_are_checked_before_sending() -> None:
    with pytest.raises(ValueError, match="Type a message"):
        parse_message("   \n ")
    with pytest.raises(ValueError, match="at most"):
        parse_message("x" * 2001)
    assert parse_message("Thanks!\n") == "Thanks!"
    assert parse_shipping("0") == 0.0
    assert parse_shipping("4.50") == 4.5
    with pytest.raises(ValueError):
        parse_shipping("-1")


async def test_orders_list_filters_sorts_and_opens_an_order(dataset: Dataset) -> None:
    assert parse_command("orders").target == Target("orders")
    assert parse_command("order 1000001-1").target == Target("order", name="1000001-1")
    _, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("O")
        await settle(pilot)
        assert isinstance(app.screen, OrdersPage)
        rows = table(app, "#orders-table")
        assert len(rows.items) == 5
        assert len(transport.reads("/marketplace/orders")) == 1
        total = rows.get_row_at(0)[3].plain
        assert (total and total[0] in "$€£¥") or total[:3].isalpha()
        status = str(rows.items[0].status)
        app.screen.query_one("#orders-status", Select).value = status
        await settle(pilot)
        assert {str(o.status) for o in rows.items} == {status}
        app.screen.query_one("#orders-status", Select).value = "All"
        app.screen.query_one("#orders-sort", Select).value = "id:asc"
        await settle(pilot)
        sent = transport.reads("/marketplace/orders")[-1].url.params
        assert (sent["sort"], sent["sort_order"]) == ("id", "asc")
        first = rows.items[0]
        await pilot.press("enter")
        await settle(pilot)
        page = app.screen
        assert isinstance(page, OrderPage) and page.order_id == first.id
        facts = page.query_one("#order-facts", MarkupView).render().plain
        for words in ("Status", "Buyer", "Items", "Total", first.buyer.username):
            assert words in facts
        thread = str(page.query_one("#order-messages", Static).render())
        assert thread and "Could not" not in thread


async def test_send_message_from_the_palette_reaches_the_server(dataset: Dataset) -> None:
    emulator, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("order", name="1000001-1"))
        await settle(pilot)
        send = next(c for c in palette_commands(app) if c.name == "Send message")
        send.run()
        await settle(pilot)
        form = app.screen
        assert isinstance(form, SendMessageForm)
        assert isinstance(app.focused, TextArea)
        await type_text(pilot, "Posted today")
        await pilot.press("enter")
        await type_text(pilot, "Tracking follows")
        assert isinstance(app.screen, SendMessageForm), "enter adds a line, it does not send"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, OrderPage)
        thread = str(app.screen.query_one("#order-messages", Static).render())
        assert "Posted today" in thread, "the page reads the thread again"
    (post,) = transport.writes()
    assert json.loads(post.content)["message"] == "Posted today\nTracking follows"
    async with truth(emulator) as other:
        messages = await other.get_order_messages("1000001-1")
        assert any(m.message == "Posted today\nTracking follows" for m in messages.items)


async def test_an_empty_message_is_refused_and_nothing_is_sent(dataset: Dataset) -> None:
    _, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("order", name="1000001-1"))
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SendMessageForm)
        assert "Type a message" in str(app.screen.query_one("#error-message", Static).render())
    assert transport.writes() == []


async def test_change_status_offers_only_the_next_statuses_and_saves(dataset: Dataset) -> None:
    emulator, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("order", name="1000001-1"))
        await settle(pilot)
        page = app.screen
        assert isinstance(page, OrderPage) and page.model is not None
        allowed = [str(s) for s in page.model.next_status]
        assert allowed
        await pilot.press("s")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, OrderStatusForm)
        choice = form.query_one("#field-status", Select)
        assert [value for _, value in choice._options if isinstance(value, str)] == allowed
        choice.value = allowed[-1]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, OrderPage), (
            str(app.screen.query_one("#form-status", Static).render()),
            str(app.screen.query_one("#error-status", Static).render()),
            notices(app),
        )
    async with truth(emulator) as other:
        assert str((await other.get_order("1000001-1")).status) == allowed[-1]


async def test_a_refused_status_change_shows_the_servers_words(dataset: Dataset) -> None:
    _, transport = fresh(dataset)

    def refuse(request: httpx.Request) -> httpx.Response | None:
        if request.method == "POST":
            return json_error(422, "Invalid status: this order cannot move to that status.")
        return None

    transport.hook = refuse
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("order", name="1000001-1"))
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, OrderStatusForm)
        choice = form.query_one("#field-status", Select)
        choice.value = next(v for _, v in choice._options if isinstance(v, str))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, OrderStatusForm)
        assert "cannot move" in str(app.screen.query_one("#error-status", Static).render())


async def test_set_shipping_price(dataset: Dataset) -> None:
    emulator, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("order", name="1000001-1"))
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)
        assert isinstance(app.screen, ShippingForm)
        app.screen.query_one("#field-shipping").value = ""  # type: ignore[attr-defined]
        await type_text(pilot, "7.25")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, OrderPage)
    if transport.writes():
        async with truth(emulator) as other:
            order = await other.get_order("1000001-1")
            assert order.shipping is not None and order.shipping.value == 7.25
    else:
        raise AssertionError(f"nothing sent: {notices(app)}")


async def test_an_order_that_does_not_exist_says_not_found(dataset: Dataset) -> None:
    _, transport = fresh(dataset)
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("order", name="1000001-999"))
        await settle(pilot)
        assert any("not found" in words.lower() for words in notices(app))


async def test_orders_need_a_sign_in(dataset: Dataset) -> None:
    _, transport = fresh(dataset)
    app = demo_app(transport=transport, username=None)
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("orders"))
        await settle(pilot)
        assert any("sign-in" in words for words in notices(app))
    assert transport.reads("/marketplace/orders") == []
