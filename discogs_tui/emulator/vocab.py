"""The emulator's vocabularies: grades, listing and order statuses, currencies and prices.

The enumerations are the values the Discogs API accepts and sends, word for word
(https://www.discogs.com/developers/#page:marketplace). The prices are made up: a stable
reference price per release and rough exchange rates, since the emulator has no sales data.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

# Enumerations, word for word as the API documents them.
CURRENCIES = ("USD", "GBP", "EUR", "CAD", "AUD", "JPY", "CHF", "MXN", "BRL", "NZD", "SEK", "ZAR")
MEDIA_CONDITIONS = (
    "Mint (M)",
    "Near Mint (NM or M-)",
    "Very Good Plus (VG+)",
    "Very Good (VG)",
    "Good Plus (G+)",
    "Good (G)",
    "Fair (F)",
    "Poor (P)",
)
SLEEVE_CONDITIONS = (*MEDIA_CONDITIONS, "Generic", "Not Graded", "No Cover")
LISTING_STATUSES = (
    "All",
    "Deleted",
    "Draft",
    "Expired",
    "For Sale",
    "Sold",
    "Suspended",
    "Violation",
)
EDITABLE_LISTING_STATUSES = ("For Sale", "Draft", "Expired")
ORDER_STATUSES = (
    "New Order",
    "Buyer Contacted",
    "Invoice Sent",
    "Payment Pending",
    "Payment Received",
    "In Progress",
    "Shipped",
    "Refund Sent",
    "Cancelled (Non-Paying Buyer)",
    "Cancelled (Item Unavailable)",
    "Cancelled (Per Buyer's Request)",
)
ORDER_FILTER_STATUSES = (
    "All",
    *ORDER_STATUSES,
    "Merged",
    "Order Changed",
    "Cancelled",
    "Cancelled (Refund Received)",
)

# Rough exchange rates to USD, so prices can be shown in a caller's currency.
USD_RATES: dict[str, float] = {
    "USD": 1.0,
    "GBP": 0.79,
    "EUR": 0.92,
    "CAD": 1.36,
    "AUD": 1.52,
    "JPY": 150.0,
    "CHF": 0.88,
    "MXN": 17.1,
    "BRL": 5.0,
    "NZD": 1.64,
    "SEK": 10.4,
    "ZAR": 18.6,
}
CURRENCY_SYMBOLS: dict[str, str] = {
    "USD": "$",
    "GBP": "£",
    "EUR": "€",
    "CAD": "CA$",
    "AUD": "A$",
    "JPY": "¥",
    "CHF": "CHF",
    "MXN": "MX$",
    "BRL": "R$",
    "NZD": "NZ$",
    "SEK": "SEK",
    "ZAR": "ZAR",
}

# Where a grade sits relative to a Mint copy's price (used for suggestions and values).
CONDITION_FACTORS: dict[str, float] = {
    "Mint (M)": 1.0,
    "Near Mint (NM or M-)": 0.895,
    "Very Good Plus (VG+)": 0.684,
    "Very Good (VG)": 0.474,
    "Good Plus (G+)": 0.263,
    "Good (G)": 0.158,
    "Fair (F)": 0.105,
    "Poor (P)": 0.053,
}

SELLING_FEE_RATE = 0.09
"""The share of an item's price Discogs charges the seller (approximately)."""

# Generated timestamps are written in this zone, like the Discogs examples (-07:00).
DISCOGS_TZ = timezone(timedelta(hours=-7))


def timestamp(moment: datetime) -> str:
    """``moment`` as Discogs writes times: ISO 8601 with seconds and a -07:00 offset."""
    return moment.astimezone(DISCOGS_TZ).replace(microsecond=0).isoformat()


def parse_time(text: str) -> datetime | None:
    """An ISO 8601 time (naive means UTC); ``None`` when unreadable."""
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def convert_price(value: float, source: str, target: str) -> float:
    """``value`` in ``source`` currency expressed in ``target`` currency (rounded to cents)."""
    usd = value / USD_RATES.get(source, 1.0)
    return round(usd * USD_RATES.get(target, 1.0), 2)


def format_money(value: float, currency: str) -> str:
    """A price as Discogs formats it for display: ``"$1,234.56"``, ``"€71.20"``."""
    symbol = CURRENCY_SYMBOLS.get(currency, currency)
    return f"{symbol}{value:,.2f}"


def reference_price(release_id: int) -> float:
    """A stable Mint-copy price in USD for a release, derived from its id (no real sales data)."""
    return 8.0 + (release_id * 7919 % 6000) / 100.0


def next_statuses(status: str) -> list[str]:
    """The statuses an order may move to from ``status`` (the ``next_status`` list)."""
    if status.startswith("Cancelled"):
        return []
    if status in ("Payment Received", "In Progress"):
        return [
            "Payment Received",
            "In Progress",
            "Shipped",
            "Refund Sent",
            "Cancelled (Item Unavailable)",
            "Cancelled (Per Buyer's Request)",
        ]
    if status == "Shipped":
        return ["Shipped", "Refund Sent"]
    if status == "Refund Sent":
        return ["Refund Sent", "Cancelled (Per Buyer's Request)"]
    return list(ORDER_STATUSES)
