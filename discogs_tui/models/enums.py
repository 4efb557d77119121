"""The closed vocabularies of the Discogs API: grades, statuses, currencies, kinds.

Fields holding these are typed ``Annotated[X | str, keep_unknown(X)]``: a value Discogs
adds later arrives as a plain ``str`` instead of failing validation.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from discogs_tui.models.common import keep_unknown


class MediaCondition(StrEnum):
    """Grade of the record (or disc, tape) itself, best first."""

    MINT = "Mint (M)"
    NEAR_MINT = "Near Mint (NM or M-)"
    VERY_GOOD_PLUS = "Very Good Plus (VG+)"
    VERY_GOOD = "Very Good (VG)"
    GOOD_PLUS = "Good Plus (G+)"
    GOOD = "Good (G)"
    FAIR = "Fair (F)"
    POOR = "Poor (P)"


class SleeveCondition(StrEnum):
    """Grade of the sleeve: the media grades plus three sleeve-only values."""

    MINT = "Mint (M)"
    NEAR_MINT = "Near Mint (NM or M-)"
    VERY_GOOD_PLUS = "Very Good Plus (VG+)"
    VERY_GOOD = "Very Good (VG)"
    GOOD_PLUS = "Good Plus (G+)"
    GOOD = "Good (G)"
    FAIR = "Fair (F)"
    POOR = "Poor (P)"
    GENERIC = "Generic"
    NOT_GRADED = "Not Graded"
    NO_COVER = "No Cover"


class ListingStatus(StrEnum):
    """State of a marketplace listing; also the inventory ``status`` filter (``All``)."""

    ALL = "All"
    DELETED = "Deleted"
    DRAFT = "Draft"
    EXPIRED = "Expired"
    FOR_SALE = "For Sale"
    SOLD = "Sold"
    SUSPENDED = "Suspended"
    VIOLATION = "Violation"


class OrderStatus(StrEnum):
    """State of a marketplace order: the values a seller may set and the list-filter values."""

    ALL = "All"
    NEW_ORDER = "New Order"
    BUYER_CONTACTED = "Buyer Contacted"
    INVOICE_SENT = "Invoice Sent"
    PAYMENT_PENDING = "Payment Pending"
    PAYMENT_RECEIVED = "Payment Received"
    IN_PROGRESS = "In Progress"
    SHIPPED = "Shipped"
    REFUND_SENT = "Refund Sent"
    MERGED = "Merged"
    ORDER_CHANGED = "Order Changed"
    CANCELLED = "Cancelled"
    CANCELLED_NON_PAYING_BUYER = "Cancelled (Non-Paying Buyer)"
    CANCELLED_ITEM_UNAVAILABLE = "Cancelled (Item Unavailable)"
    CANCELLED_PER_BUYERS_REQUEST = "Cancelled (Per Buyer's Request)"
    CANCELLED_REFUND_RECEIVED = "Cancelled (Refund Received)"


class Currency(StrEnum):
    """Currencies Discogs accepts as ``curr_abbr``."""

    USD = "USD"
    GBP = "GBP"
    EUR = "EUR"
    CAD = "CAD"
    AUD = "AUD"
    JPY = "JPY"
    CHF = "CHF"
    MXN = "MXN"
    BRL = "BRL"
    NZD = "NZD"
    SEK = "SEK"
    ZAR = "ZAR"


class SearchType(StrEnum):
    """Kind of database object: a search ``type``, an artist-release row, a list item."""

    RELEASE = "release"
    MASTER = "master"
    ARTIST = "artist"
    LABEL = "label"


class CustomFieldType(StrEnum):
    """Kind of a collection custom field."""

    DROPDOWN = "dropdown"
    TEXTAREA = "textarea"


# Field types: the enum member when the value is known, the raw string otherwise.
MediaConditionValue = Annotated[MediaCondition | str, keep_unknown(MediaCondition)]
SleeveConditionValue = Annotated[SleeveCondition | str, keep_unknown(SleeveCondition)]
ListingStatusValue = Annotated[ListingStatus | str, keep_unknown(ListingStatus)]
OrderStatusValue = Annotated[OrderStatus | str, keep_unknown(OrderStatus)]
CurrencyValue = Annotated[Currency | str, keep_unknown(Currency)]
SearchTypeValue = Annotated[SearchType | str, keep_unknown(SearchType)]
CustomFieldTypeValue = Annotated[CustomFieldType | str, keep_unknown(CustomFieldType)]
