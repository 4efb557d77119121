"""Marketplace endpoints: inventory and listings, orders and their messages, fee, price
suggestions and stats, inventory export and upload (https://www.discogs.com/developers/#page:marketplace).

:data:`router` serves them all; each module holds one concern and its own router.
"""

from __future__ import annotations

from discogs_tui.emulator.core import Router
from discogs_tui.emulator.routes.marketplace import inventory_jobs, listings, orders, prices

router = Router()
for _area in (listings, orders, prices, inventory_jobs):
    router.include(_area.router)

__all__ = ["router"]
