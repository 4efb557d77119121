"""The signed-in seller's orders, and one order with its items, totals and message thread.

https://www.discogs.com/developers/#page:marketplace,header:marketplace-list-orders and
https://www.discogs.com/developers/#page:marketplace,header:marketplace-order
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import quote

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Select, Static

from discogs_tui.api.errors import DiscogsError, clean_text
from discogs_tui.models import Page
from discogs_tui.models.enums import OrderStatus
from discogs_tui.models.marketplace import Order, OrderMessage
from discogs_tui.navigation import Target
from discogs_tui.sanitize import safe_text
from discogs_tui.screens.database.database_page import (
    DatabasePage,
    LinkFollowingPage,
    section_title,
)
from discogs_tui.screens.form import FormField, FormScreen
from discogs_tui.screens.marketplace.common import MARKET_CSS, day, month, price_text, short_grade
from discogs_tui.widgets.facts import facts_builder, links_to
from discogs_tui.widgets.markup_view import LinkedText, MarkupView
from discogs_tui.widgets.paged_table import Column, PagedTable

if TYPE_CHECKING:
    from discogs_tui.api.client import DiscogsClient
    from discogs_tui.shell import PaletteCommand

PER_PAGE = 100

ORDER_SORTS = ("id", "buyer", "created", "status", "last_activity")
"""The keys Discogs sorts orders by."""

MESSAGE_MAX = 2000
"""The longest message the form sends (characters)."""


def order_row(order: Order) -> list[str | Text]:
    """Id, buyer, status, total with its currency, date created."""
    return [
        order.id,
        order.buyer.username,
        str(order.status or ""),
        Text(price_text(order.total), justify="right"),
        month(order.created),
    ]


def order_sort_choices() -> list[tuple[str, str]]:
    """Every order sort key in both directions (``key:order``)."""
    out = []
    for key in ORDER_SORTS:
        words = key.replace("_", " ").capitalize()
        out.append((f"{words} \u2193", f"{key}:desc"))
        out.append((f"{words} \u2191", f"{key}:asc"))
    return out


class OrdersPage(LinkFollowingPage):
    """``Target(kind="orders")``: the signed-in seller's orders."""

    AUTO_FOCUS = "#orders-table"
    DEFAULT_CSS = MARKET_CSS

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "reload", "Reload", show=False, id="page.reload"),
    ]

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="orders-bar", classes="market-bar"):
            yield Select(
                [(status.value, status.value) for status in OrderStatus],
                value="All",
                allow_blank=False,
                id="orders-status",
                compact=True,
            )
            yield Select(
                order_sort_choices(),
                value="id:desc",
                allow_blank=False,
                id="orders-sort",
                compact=True,
            )
        yield PagedTable[Order](
            [
                Column("Order", "id", 9),
                Column("Buyer", "buyer", 8, flex=True),
                Column("Status", "status", 10, flex=True),
                Column("Total", "total", 9),
                Column("Created", "created", 8),
            ],
            order_row,
            title="Your orders",
            noun="order",
            id="orders-table",
        )

    shown: tuple[str, str] | None = None
    """The status and sort of the rows shown (or on their way)."""

    def asked(self) -> tuple[str, str]:
        """The status and sort (``key:order``) chosen now."""
        return (
            str(self.query_one("#orders-status", Select).value),
            str(self.query_one("#orders-sort", Select).value),
        )

    def api_paths(self) -> tuple[str, ...]:
        return ("/marketplace/orders",)

    def load(self) -> None:
        self.title = "Your orders"
        table = self.query_one("#orders-table", PagedTable)
        if not self.discogs_app.username:
            table.empty_text = "Your orders need a Discogs sign-in (discogs-tui login)."
            self.notify(
                "Your orders need a Discogs sign-in: run discogs-tui login.",
                title="Sign-in needed",
                severity="warning",
                markup=False,
            )
            return
        self.shown = self.asked()
        status, sort = self.shown
        key, _, order = sort.partition(":")

        async def fetch(number: int) -> Page[Order]:
            return await self.client.get_orders(
                page=number,
                per_page=PER_PAGE,
                status=None if status == "All" else status,
                sort=key,
                sort_order=order,
            )

        table.show(fetch)

    @on(PagedTable.PageLoaded, "#orders-table")
    def _page_loaded(self, event: PagedTable.PageLoaded) -> None:
        if event.page.pagination.page <= 1:
            self.set_fetch_info(event.page.fetch_info)

    @on(Select.Changed, "#orders-status")
    @on(Select.Changed, "#orders-sort")
    def _choice_changed(self, event: Select.Changed) -> None:
        event.stop()
        if self.shown is not None and self.asked() != self.shown:
            self.load()

    def action_reload(self) -> None:
        """Read the orders again."""
        self.load()

    def target_for_item(self, item: Any) -> Target | None:
        order: Order = item
        return Target(kind="order", name=order.id) if order.id else None


# -- one order ---------------------------------------------------------------------------------


def item_lines(order: Order) -> LinkedText:
    """One line per item: the release (a link), its grades and price."""
    out = LinkedText()
    for index, item in enumerate(order.items):
        if index:
            out.append("\n")
        release = item.release
        out.append_linked(
            links_to("release", [(release.id, release.description or f"Release {release.id}")])
        )
        grades = "/".join(
            g for g in (short_grade(item.media_condition), short_grade(item.sleeve_condition)) if g
        )
        tail = " \u00b7 ".join(part for part in (grades, price_text(item.price)) if part)
        if tail:
            out.append("  " + tail, style="dim")
    return out


def order_facts(order: Order) -> Callable[[int], LinkedText]:
    """Status, buyer, dates, totals, shipping and where it goes."""
    shipping = price_text(order.shipping)
    if shipping and order.shipping is not None and order.shipping.method:
        shipping += f" ({order.shipping.method})"
    return facts_builder(
        [
            ("Status", str(order.status or "")),
            ("Next", ", ".join(str(s) for s in order.next_status)),
            ("Buyer", order.buyer.username),
            ("Created", day(order.created)),
            ("Last activity", day(order.last_activity)),
            ("Items", item_lines(order)),
            ("Shipping", shipping),
            ("Fee", price_text(order.fee)),
            ("Total", price_text(order.total)),
            ("Ship to", order.shipping_address),
            ("Instructions", order.additional_instructions),
        ]
    )


def message_text(messages: list[OrderMessage]) -> Text:
    """The thread, oldest first: who and when, then what was said or done."""
    text = Text()
    for index, entry in enumerate(reversed(messages)):
        if index:
            text.append("\n\n")
        who = entry.from_ or entry.actor
        name = who.username if who is not None else "Discogs"
        text.append(f"{name} \u00b7 {entry.timestamp[:16].replace('T', ' ')}", style="bold")
        body = entry.message or entry.subject
        if entry.type == "shipping" and entry.new is not None and not body:
            body = f"Shipping changed to {entry.new:g}"
        if body:
            text.append("\n" + body)
    return safe_text(text) if text.plain else Text("No messages.", style="dim italic")


def parse_message(text: str) -> str:
    """The message as typed (not empty, at most :data:`MESSAGE_MAX` characters)."""
    if not text.strip():
        raise ValueError("Type a message to send.")
    if len(text) > MESSAGE_MAX:
        raise ValueError(
            f"A message has at most {MESSAGE_MAX:,} characters; this has {len(text):,}."
        )
    return text.rstrip()


def parse_shipping(text: str) -> float:
    """A shipping price of 0 or more, at most 2 decimals."""
    from discogs_tui.screens.marketplace.listing_form import parse_price

    if text.strip() in ("0", "0.0", "0.00"):
        return 0.0
    return parse_price(text)


class SendMessageForm(FormScreen[OrderMessage]):
    """A message to the buyer of ``order_id``; ``ctrl+s`` sends it (enter adds a line)."""

    CSS = "SendMessageForm TextArea.form-field { height: 8; }"

    def __init__(self, client: DiscogsClient, order_id: str) -> None:
        self.client = client
        self.order_id = order_id
        super().__init__(
            f"Message about order {order_id}",
            [FormField("message", "Message", parse_message, multiline=True)],
            self._send,
            saved=f"Message sent (order {order_id})",
        )

    async def _send(self, values: Mapping[str, Any]) -> OrderMessage:
        return await self.client.create_order_message(self.order_id, message=values["message"])


class OrderStatusForm(FormScreen[Order]):
    """Move an order to one of the statuses Discogs allows next."""

    def __init__(self, client: DiscogsClient, order: Order) -> None:
        self.client = client
        self.order_id = order.id
        choices = [(str(s), str(s)) for s in order.next_status]
        allowed = {value for _, value in choices}

        def parse(text: str) -> str:
            if text not in allowed:
                raise ValueError("Choose one of the statuses offered.")
            return text

        super().__init__(
            f"Order {order.id}: now {order.status}",
            [FormField("status", "New status", parse, choices=choices)],
            self._send,
            saved=lambda result: f"Order {result.id} is now {result.status}",
        )

    async def _send(self, values: Mapping[str, Any]) -> Order:
        return await self.client.update_order(self.order_id, status=values["status"])


class ShippingForm(FormScreen[Order]):
    """Set an order's shipping price (Discogs then sends the invoice)."""

    def __init__(self, client: DiscogsClient, order: Order) -> None:
        self.client = client
        self.order_id = order.id
        now = order.shipping.value if order.shipping is not None else None
        currency = order.total.currency if order.total is not None else None
        super().__init__(
            f"Shipping of order {order.id}",
            [
                FormField(
                    "shipping",
                    "Shipping" + (f" ({currency})" if currency else ""),
                    parse_shipping,
                    value=f"{now:.2f}" if now is not None else "",
                )
            ],
            self._send,
            saved=lambda result: (
                f"Shipping of order {result.id} set to {price_text(result.shipping)}"
            ),
        )

    async def _send(self, values: Mapping[str, Any]) -> Order:
        return await self.client.update_order(self.order_id, shipping=values["shipping"])


class OrderPage(DatabasePage):
    """An order: ``Target(kind="order", name="1-1")`` (order ids are text)."""

    noun = "order"
    AUTO_FOCUS = "#order-facts"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "message", "Message", id="order.message", tooltip="Send the buyer a message"),
        Binding("s", "status", "Status", id="order.status", tooltip="Change the order's status"),
        Binding("S", "shipping", "Shipping", id="order.shipping", tooltip="Set the shipping price"),
    ]

    def __init__(self, target: Target) -> None:
        super().__init__(target)
        self.messages: list[OrderMessage] = []

    @property
    def order_id(self) -> str:
        """The order's id (``1-1``)."""
        return self.target.name or ""

    def compose_details(self) -> ComposeResult:
        yield MarkupView(id="order-facts", classes="facts")
        yield section_title("Messages")
        yield Static(id="order-messages", classes="plain-section")

    async def request(self) -> Order:
        return await self.client.get_order(self.order_id)

    def api_paths(self) -> tuple[str, ...]:
        return (f"/marketplace/orders/{quote(self.order_id, safe='')}",)

    def load(self) -> None:
        super().load()
        self.fetch_messages()

    @work(exclusive=True, group="order-messages", exit_on_error=False)
    async def fetch_messages(self) -> None:
        """Read the order's message thread (page 1: the most recent 100)."""
        box = self.query_one("#order-messages", Static)
        try:
            page = await self.client.get_order_messages(self.order_id)
        except DiscogsError as error:
            box.update(Text(f"Messages could not be read: {clean_text(error.message, 200)}"))
            return
        self.messages = page.items
        box.update(message_text(page.items))

    def show(self, model: Any) -> None:
        order: Order = model
        self.query_one("#order-facts", MarkupView).update(order_facts(order))

    def web_url(self) -> str | None:
        return f"https://www.discogs.com/sell/order/{self.order_id}"

    def action_message(self) -> None:
        """Write to the buyer (``ctrl+s`` sends)."""
        self.app.push_screen(SendMessageForm(self.client, self.order_id))

    def action_status(self) -> None:
        """Move the order to one of its allowed next statuses."""
        order: Order | None = self.model
        if order is None:
            return
        if not order.next_status:
            self.notify(
                f"Order {order.id} is {order.status}: it cannot move on from there.", markup=False
            )
            return
        self.app.push_screen(OrderStatusForm(self.client, order))

    def action_shipping(self) -> None:
        """Set the shipping price of the order."""
        order: Order | None = self.model
        if order is not None:
            self.app.push_screen(ShippingForm(self.client, order))

    def target_for_item(self, item: Any) -> Target | None:
        return None

    def palette_commands(self) -> list[PaletteCommand]:
        from discogs_tui.shell import PaletteCommand

        return [
            PaletteCommand("Send message", "Write to the buyer of this order", self.action_message),
            PaletteCommand(
                "Change order status", "Move the order to an allowed status", self.action_status
            ),
            PaletteCommand(
                "Set shipping price",
                "Set the order's shipping (sends the invoice)",
                self.action_shipping,
            ),
        ]


__all__ = ["OrderPage", "OrdersPage"]
