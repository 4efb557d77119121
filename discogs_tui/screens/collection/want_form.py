"""The wantlist's forms: add a release, edit a want's notes and rating, remove a want
(https://www.discogs.com/developers/#page:user-wantlist,header:user-wantlist-add-to-wantlist).

A want's rating goes from 0 (not rated) to 5; its notes are free text seen by the owner only.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Static

from discogs_tui.api.errors import NotFoundError, clean_text
from discogs_tui.models.collection import Want
from discogs_tui.screens.form import FormField, FormScreen

if TYPE_CHECKING:
    from discogs_tui.api.client import DiscogsClient

WANT_RATING_LABEL = "Rating (0 to 5, 0: not rated)"


def parse_want_rating(text: str) -> int:
    """A whole number from 0 to 5 (empty is 0); ``ValueError`` says what is wrong."""
    text = text.strip()
    if not text:
        return 0
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a whole number: type 0 to 5.") from None
    if not 0 <= value <= 5:
        raise ValueError(f"{value} is out of range: a want's rating goes from 0 to 5.")
    return value


def want_fields(notes: str = "", rating: int = 0) -> list[FormField]:
    """The notes and rating fields, filled with the want's values."""
    return [
        FormField("notes", "Notes (only you see them)", str, value=notes),
        FormField(
            "rating",
            WANT_RATING_LABEL,
            parse_want_rating,
            value=str(rating) if rating else "",
            placeholder="0 to 5",
        ),
    ]


def _heading(verb: str, release_id: int, title: str) -> str:
    return f"{verb} release {release_id}" + (f": {clean_text(title, 40)}" if title else "")


class AddWantForm(FormScreen[Want]):
    """Add release ``release_id`` to ``username``'s wantlist, with notes and a rating."""

    def __init__(
        self, client: DiscogsClient, username: str, release_id: int, *, title: str = ""
    ) -> None:
        self.client = client
        self.username = username
        self.release_id = release_id
        super().__init__(
            _heading("Add to wantlist:", release_id, title),
            want_fields(),
            self._send,
            settle=self._read_back,
            saved="Added to your wantlist",
        )

    async def _send(self, values: Mapping[str, Any]) -> Want:
        return await self.client.add_to_wantlist(
            self.username, self.release_id, notes=values["notes"], rating=values["rating"]
        )

    async def _read_back(self, values: Mapping[str, Any]) -> Want | None:
        return await find_want(self.client, self.username, self.release_id)


class EditWantForm(FormScreen[Want]):
    """Edit the notes and rating of ``want`` in ``username``'s wantlist (``update_want``)."""

    def __init__(self, client: DiscogsClient, username: str, want: Want) -> None:
        self.client = client
        self.username = username
        self.release_id = want.basic_information.id or want.id or 0
        super().__init__(
            _heading("Edit want:", self.release_id, want.basic_information.title),
            want_fields(want.notes, want.rating),
            self._send,
            settle=self._read_back,
            saved="Want saved",
        )

    async def _send(self, values: Mapping[str, Any]) -> Want:
        return await self.client.update_want(
            self.username, self.release_id, notes=values["notes"], rating=values["rating"]
        )

    async def _read_back(self, values: Mapping[str, Any]) -> Want | None:
        now = await find_want(self.client, self.username, self.release_id)
        if now is not None and now.notes == values["notes"] and now.rating == values["rating"]:
            return now
        return None


class RemoveWantForm(FormScreen[bool]):
    """Asks before removing release ``release_id`` from ``username``'s wantlist; True when done."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,y", "save", "Remove", id="want_remove.yes", tooltip="Remove it"),
    ]

    def __init__(
        self, client: DiscogsClient, username: str, release_id: int, *, title: str = ""
    ) -> None:
        self.client = client
        self.username = username
        self.release_id = release_id
        super().__init__(
            _heading("Remove from your wantlist:", release_id, title) + "?",
            [],
            self._send,
            settle=self._read_back,
            saved="Removed from your wantlist",
        )

    def on_mount(self) -> None:
        # The form's keys line says "saves": here the same keys remove.
        cancel = self.app.get_key_display(self._binding("form.cancel"))
        self.query_one(".form-keys", Static).update(Text(f"enter or y removes · {cancel} keeps it"))

    async def _send(self, values: Mapping[str, Any]) -> bool:
        # Removed already (elsewhere, or by a resend): what was asked for is the case.
        with contextlib.suppress(NotFoundError):
            await self.client.remove_from_wantlist(self.username, self.release_id)
        return True

    async def _read_back(self, values: Mapping[str, Any]) -> bool | None:
        return (
            True if await find_want(self.client, self.username, self.release_id) is None else None
        )


async def find_want(client: DiscogsClient, username: str, release_id: int) -> Want | None:
    """``username``'s want of release ``release_id``, or None when it is not wanted.

    Walks the wantlist (Discogs has no read of one want); raises what the reads raise.
    """
    async for want in client.walk(client.get_wantlist, username):
        if (want.basic_information.id or want.id) == release_id:
            return want
    return None
