"""The selling fee, price suggestions and marketplace stats of a release
(https://www.discogs.com/developers/#page:marketplace,header:marketplace-fee).
"""

from __future__ import annotations

from typing import Any

from discogs_tui.emulator.core import Context, HTTPError, Router
from discogs_tui.emulator.records import UserRecord
from discogs_tui.emulator.routes.helpers import (
    currency_param,
    get_user,
    money,
    require_choice,
    require_release,
)
from discogs_tui.emulator.vocab import (
    CONDITION_FACTORS,
    CURRENCIES,
    SELLING_FEE_RATE,
    convert_price,
    reference_price,
)

router = Router()


def _fee(price: float, currency: str) -> dict[str, Any]:
    require_choice(currency, "currency", CURRENCIES)
    if price < 0:
        raise HTTPError(422, "Invalid price: expected a number of at least 0.")
    return {"value": round(price * SELLING_FEE_RATE, 2), "currency": currency}


@router.route("GET", "/marketplace/fee/{price:float}")
def fee(ctx: Context, price: float) -> dict[str, Any]:
    """The selling fee for a price in USD."""
    return _fee(price, "USD")


@router.route("GET", "/marketplace/fee/{price:float}/{currency}")
def fee_in_currency(ctx: Context, price: float, currency: str) -> dict[str, Any]:
    """The selling fee for a price in ``currency``."""
    return _fee(price, currency)


@router.route("GET", "/marketplace/price_suggestions/{release_id:int}")
def price_suggestions(ctx: Context, release_id: int) -> dict[str, Any]:
    """A suggested price per media grade, in the caller's currency."""
    me = ctx.require_user()
    require_release(ctx, release_id)
    currency = get_user(ctx, me).curr_abbr
    mint = reference_price(release_id)
    return {
        grade: money(currency, convert_price(mint * factor, "USD", currency))
        for grade, factor in CONDITION_FACTORS.items()
    }


@router.route("GET", "/marketplace/stats/{release_id:int}")
def marketplace_stats(ctx: Context, release_id: int) -> dict[str, Any]:
    """Lowest price and number for sale (both null when nothing is for sale)."""
    require_release(ctx, release_id)
    me: UserRecord | None = ctx.state.user(ctx.identity) if ctx.identity else None
    currency = currency_param(ctx, me.curr_abbr if me else "USD")
    low, count = ctx.state.marketplace_summary(release_id)
    return {
        "lowest_price": None
        if low is None
        else money(currency, convert_price(low, "USD", currency)),
        "num_for_sale": count or None,
        "blocked_from_sale": False,
    }
