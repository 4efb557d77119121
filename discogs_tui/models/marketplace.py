"""Models of the marketplace answers: listings, orders, messages, fees, prices, inventory jobs."""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from discogs_tui.models.common import LenientModel, LenientStr, Price
from discogs_tui.models.database import Image, ItemStats
from discogs_tui.models.enums import (
    CurrencyValue,
    ListingStatusValue,
    MediaCondition,
    MediaConditionValue,
    OrderStatusValue,
    SleeveConditionValue,
)


class OriginalPrice(LenientModel):
    """A price in the seller's own currency, with its formatted text.

    ``converted`` carries the same amount in the caller's currency when they differ.
    """

    curr_abbr: CurrencyValue | None = None
    curr_id: int | None = None
    formatted: str = ""
    value: float | None = None
    converted: OriginalPrice | None = None


class SellerStats(LenientModel):
    """A seller's feedback: percentage (as text), stars and number of ratings."""

    rating: LenientStr = ""
    stars: float | None = None
    total: int | None = None


class Seller(LenientModel):
    """The seller of a listing or order."""

    id: int | None = None
    username: str = ""
    resource_url: str = ""
    url: str = ""
    html_url: str = ""
    uid: int | None = None
    avatar_url: str = ""
    payment: str = ""
    shipping: str = ""
    min_order_total: float | None = None
    stats: SellerStats | None = None


class ListingRelease(LenientModel):
    """The short form of the release a listing sells."""

    id: int | None = None
    description: str = ""
    title: str = ""
    artist: str = ""
    format: str = ""
    label: str = ""
    catalog_number: str = ""
    year: int | None = None
    resource_url: str = ""
    thumbnail: str = ""
    images: list[Image] = Field(default_factory=list)
    stats: ItemStats | None = None


class Listing(LenientModel):
    """A marketplace listing ``GET /marketplace/listings/{listing_id}`` or an inventory row.

    The owner also sees ``weight``, ``format_quantity``, ``external_id``, ``location`` and
    ``quantity``; signed-in callers see ``in_cart``.
    """

    id: int | None = None
    status: ListingStatusValue = "For Sale"
    price: Price = Field(default_factory=Price)
    original_price: OriginalPrice | None = None
    shipping_price: Price | None = None
    original_shipping_price: OriginalPrice | None = None
    condition: MediaConditionValue | None = None
    sleeve_condition: SleeveConditionValue | None = None
    comments: str = ""
    allow_offers: bool = False
    offer_submitted: bool | None = None
    audio: bool = False
    ships_from: str = ""
    posted: str = ""
    uri: str = ""
    resource_url: str = ""
    seller: Seller = Field(default_factory=Seller)
    release: ListingRelease = Field(default_factory=ListingRelease)
    in_cart: bool | None = None
    weight: float | None = None
    format_quantity: int | None = None
    external_id: str | None = None
    location: str | None = None
    quantity: int | None = None


class NewListing(LenientModel):
    """Answer to creating a listing: its id and URL."""

    listing_id: int | LenientStr | None = None
    resource_url: str = ""


class OrderItemRelease(LenientModel):
    """The release of an order line."""

    id: int | None = None
    description: str = ""


class OrderItem(LenientModel):
    """One line of an order: the listing id, its release, price and grades."""

    id: int | None = None
    release: OrderItemRelease = Field(default_factory=OrderItemRelease)
    price: Price = Field(default_factory=Price)
    media_condition: MediaConditionValue | None = None
    sleeve_condition: SleeveConditionValue | None = None


class Shipping(Price):
    """Shipping charged on an order, with the method when known."""

    method: str | None = None


class Fee(Price):
    """The Discogs fee for a price ``GET /marketplace/fee/{price}[/{currency}]``."""


class OrderParty(LenientModel):
    """The buyer or seller of an order."""

    id: int | None = None
    username: str = ""
    resource_url: str = ""


class Order(LenientModel):
    """A marketplace order ``GET /marketplace/orders/{order_id}``; ids are strings (``"1-1"``)."""

    id: LenientStr = ""
    status: OrderStatusValue | None = None
    next_status: list[OrderStatusValue] = Field(default_factory=list)
    """Statuses the seller may move the order to."""
    created: str = ""
    last_activity: str = ""
    archived: bool | None = None
    items: list[OrderItem] = Field(default_factory=list)
    fee: Price | None = None
    shipping: Shipping | None = None
    total: Price | None = None
    shipping_address: str = ""
    additional_instructions: str = ""
    seller: Seller = Field(default_factory=Seller)
    buyer: OrderParty = Field(default_factory=OrderParty)
    uri: str = ""
    resource_url: str = ""
    messages_url: str = ""


class OrderRef(LenientModel):
    """The order a message or refund belongs to."""

    id: LenientStr = ""
    resource_url: str = ""


class Refund(LenientModel):
    """A refund announced by an order message."""

    amount: float | None = None
    order: OrderRef | None = None


class MessageAuthor(LenientModel):
    """Who wrote an order message, or changed the order (``actor``)."""

    id: int | None = None
    username: str = ""
    resource_url: str = ""
    avatar_url: str = ""


class OrderMessage(LenientModel):
    """An entry of an order's message log; the JSON key ``from`` is the attribute ``from_``.

    ``type`` says what it records: ``message`` (written by ``from_``), ``status`` (``actor``
    moved the order to ``status_id``), ``shipping`` (price changed from ``original`` to
    ``new``), ``refund_sent`` / ``refund_received`` (``refund``).
    """

    subject: str = ""
    message: str = ""
    timestamp: str = ""
    type: str | None = None
    from_: MessageAuthor | None = Field(default=None, alias="from")
    actor: MessageAuthor | None = None
    order: OrderRef | None = None
    refund: Refund | None = None
    status_id: int | None = None
    original: float | None = None
    new: float | None = None


class PriceSuggestions(LenientModel):
    """Suggested prices by media grade ``GET /marketplace/price_suggestions/{release_id}``.

    The answer is a bare mapping ``{"Mint (M)": {"currency": "USD", "value": 9.5}, ...}``
    (``{}`` when the seller has no settings); every key is kept, validated as a :class:`Price`.
    """

    __pydantic_extra__: dict[str, Price] = Field(init=False)

    @model_validator(mode="before")
    @classmethod
    def _no_null_prices(cls, data: Any) -> Any:
        """A grade sent as ``null`` has no suggestion: leave it out; a one-price list is that price."""
        if not isinstance(data, dict):
            return data
        prices: dict[str, Any] = {}
        for grade, price in data.items():
            if isinstance(price, list) and len(price) == 1:
                price = price[0]
            if price is not None:
                prices[grade] = price
        return prices

    @property
    def prices(self) -> dict[str, Price]:
        """Every suggestion, keyed by the grade exactly as Discogs sent it."""
        return dict(self.__pydantic_extra__ or {})

    def for_condition(self, condition: MediaCondition | str) -> Price | None:
        """The suggested price for one media grade, or ``None`` when Discogs gave none."""
        return self.prices.get(str(condition))


class MarketplaceStats(LenientModel):
    """``GET /marketplace/stats/{release_id}``.

    ``lowest_price`` and ``num_for_sale`` are ``null`` when nothing is for sale or the release
    is blocked from sale.
    """

    lowest_price: Price | None = None
    num_for_sale: int | None = None
    blocked_from_sale: bool | None = None


class InventoryExport(LenientModel):
    """An inventory export job ``GET /inventory/export/{id}``."""

    id: int | None = None
    status: str = ""
    created_ts: str | None = None
    finished_ts: str | None = None
    url: str = ""
    download_url: str | None = None
    filename: str | None = None


class InventoryUpload(LenientModel):
    """An inventory upload job ``GET /inventory/upload/{id}``."""

    id: int | None = None
    status: str = ""
    type: str = ""
    """``add``, ``change`` or ``delete``."""
    results: str | None = None
    created_ts: str | None = None
    finished_ts: str | None = None
    filename: str | None = None
