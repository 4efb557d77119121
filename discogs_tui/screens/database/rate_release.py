"""Rate this release: the signed-in user's rating, 1 to 5 stars, or 0 to remove it
(https://www.discogs.com/developers/#page:database,header:database-release-rating-by-user).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from discogs_tui.api.errors import clean_text
from discogs_tui.models import ReleaseRatingByUser
from discogs_tui.screens.form import FormField, FormScreen

if TYPE_CHECKING:
    from discogs_tui.api.client import DiscogsClient

RATING_LABEL = "Rating (0 removes it)"


def parse_rating(text: str) -> int:
    """A whole number from 0 to 5 (0 removes the rating); ``ValueError`` says what is wrong."""
    text = text.strip()
    if not text:
        raise ValueError("Type a rating from 1 to 5, or 0 to remove it.")
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a whole number: type 1 to 5, or 0.") from None
    if not 0 <= value <= 5:
        raise ValueError(f"{value} is out of range: ratings go from 1 to 5 (0 removes it).")
    return value


class RateReleaseForm(FormScreen[ReleaseRatingByUser]):
    """Asks for ``username``'s rating of release ``release_id`` and saves it.

    1 to 5 is sent with ``PUT /releases/{id}/rating/{username}``, 0 with ``DELETE``; the
    result is the rating Discogs now has (``rating=0`` when removed).
    """

    def __init__(
        self,
        client: DiscogsClient,
        release_id: int,
        username: str,
        *,
        current: int | None = None,
        title: str = "",
    ) -> None:
        """``current`` is the rating shown on the page (typed in already when it is 1-5)."""
        self.client = client
        self.release_id = release_id
        self.username = username
        heading = f"Rate release {release_id}" + (f": {clean_text(title, 40)}" if title else "")
        super().__init__(
            heading,
            [
                FormField(
                    "rating",
                    RATING_LABEL,
                    parse_rating,
                    value=str(current) if current else "",
                    placeholder="1 to 5, or 0 to remove",
                )
            ],
            self._send,
            settle=self._read_back,
            saved=lambda result: "Rating saved" if result.rating else "Rating removed",
        )

    async def _send(self, values: Mapping[str, Any]) -> ReleaseRatingByUser:
        rating: int = values["rating"]
        if rating == 0:
            await self.client.delete_release_rating(self.release_id, self.username)
            return ReleaseRatingByUser(username=self.username, release_id=self.release_id, rating=0)
        return await self.client.update_release_rating(
            self.release_id, self.username, rating=rating
        )

    async def _read_back(self, values: Mapping[str, Any]) -> ReleaseRatingByUser | None:
        """The rating Discogs has now, when it is the one sent; None when it is not."""
        now = await self.client.get_release_rating_by_user(self.release_id, self.username)
        return now if now.rating == values["rating"] else None
