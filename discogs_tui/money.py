"""Prices as collectors read them: ``€34.91``, ``¥3,491``, ``CHF 34.91``; never a bare number.

Discogs sends marketplace figures as bare numbers in a currency the request chose
(``curr_abbr``, https://www.discogs.com/developers/#page:database,header:database-release-get)
or the account's own; the caller says which and :func:`format_price` shows it. This module
imports no UI: every page that shows a price (release, master, marketplace) uses it.
"""

from __future__ import annotations

from discogs_tui.sanitize import safe_line

CURRENCY_SYMBOLS: dict[str, str] = {
    "USD": "$",
    "EUR": "\u20ac",
    "GBP": "\u00a3",
    "JPY": "\u00a5",
    "CAD": "CA$",
    "AUD": "A$",
    "NZD": "NZ$",
    "MXN": "MX$",
    "BRL": "R$",
    "ZAR": "R",
}
"""Symbols written before the amount; other codes (CHF, SEK, ...) are written as the code."""

NO_CENTS = frozenset({"JPY"})
"""Currencies shown without decimals."""


def format_price(value: float, currency: str | None) -> str:
    """``value`` in ``currency`` (an ISO 4217 code such as ``"EUR"``): ``€1,234.50``.

    A known code gets its symbol, any other its code and a space (``CHF 34.91``); with no
    currency known the amount stands alone.
    """
    code = safe_line(str(currency or "")).strip().upper()
    amount = f"{value:,.0f}" if code in NO_CENTS else f"{value:,.2f}"
    if not code:
        return amount
    symbol = CURRENCY_SYMBOLS.get(code)
    return f"{symbol}{amount}" if symbol else f"{code} {amount}"


def for_sale_text(count: int | None, lowest: float | None, currency: str | None) -> str:
    """``3 for sale from €34.91``, ``none for sale``, or ``""`` when nothing is known."""
    if count is None and lowest is None:
        return ""
    if not count:
        return "none for sale"
    words = f"{count:,} for sale"
    return words + (f" from {format_price(lowest, currency)}" if lowest is not None else "")
