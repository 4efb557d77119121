"""Order messages in the API's shape, shared by the demo world and the order routes.

See https://www.discogs.com/developers/#page:marketplace,header:marketplace-list-order-messages.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from discogs_tui.emulator.core import BASE
from discogs_tui.emulator.records import OrderRecord, UserRecord
from discogs_tui.emulator.vocab import timestamp


def order_ref(order: OrderRecord) -> dict[str, Any]:
    """A short order object ``{resource_url, id}``, as messages carry it."""
    return {"resource_url": f"{BASE}/marketplace/orders/{order.id}", "id": order.id}


def user_ref(user: UserRecord) -> dict[str, Any]:
    """A short user object ``{id, username, resource_url}``."""
    return {
        "id": user.id,
        "username": user.username,
        "resource_url": f"{BASE}/users/{user.username}",
    }


def status_message(
    order: OrderRecord, actor: str, text: str, moment: datetime, status_id: int
) -> dict[str, Any]:
    """An order message of type ``status`` (a status change recorded in the thread)."""
    return {
        "status_id": status_id,
        "timestamp": timestamp(moment),
        "actor": {"username": actor, "resource_url": f"{BASE}/users/{actor}"},
        "message": text,
        "type": "status",
        "order": order_ref(order),
        "subject": "",
    }


def chat_message(
    order: OrderRecord, sender: UserRecord, text: str, moment: datetime
) -> dict[str, Any]:
    """An order message of type ``message`` written by ``sender``."""
    return {
        "from": user_ref(sender),
        "timestamp": timestamp(moment),
        "message": text,
        "type": "message",
        "order": order_ref(order),
        "subject": f"Discogs Order #{order.id}",
    }
