"""Edit your profile: name, home page, location, profile text and marketplace currency
(https://www.discogs.com/developers/#page:user-identity,header:user-identity-profile).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from discogs_tui.models import Currency
from discogs_tui.models.user import Profile
from discogs_tui.screens.form import FormField, FormScreen, choices_of

if TYPE_CHECKING:
    from discogs_tui.api.client import DiscogsClient

PROFILE_KEYS = ("name", "home_page", "location", "profile", "curr_abbr")
"""The profile fields Discogs lets the owner change (the API's body keys)."""


def parse_currency(text: str) -> str:
    """One of the currencies Discogs accepts (:class:`Currency`); ``ValueError`` otherwise."""
    value = text.strip().upper()
    if value not in {member.value for member in Currency}:
        raise ValueError("Choose a currency from the list.")
    return value


class EditProfileForm(FormScreen[Profile]):
    """Edits ``username``'s own profile, starting from ``profile``; the result is the new profile.

    Only the fields changed are sent, so a value edited elsewhere meanwhile is kept.
    """

    DEFAULT_CSS = """
    EditProfileForm .form-dialog { max-height: 100%; overflow-y: auto; }
    """

    def __init__(self, client: DiscogsClient, username: str, profile: Profile) -> None:
        self.client = client
        self.username = username
        self.before = {
            "name": profile.name,
            "home_page": profile.home_page,
            "location": profile.location,
            "profile": profile.profile,
            "curr_abbr": str(profile.curr_abbr or ""),
        }
        super().__init__(
            f"Edit your profile ({username})",
            [
                FormField("name", "Name", str, value=profile.name),
                FormField("home_page", "Home page", str, value=profile.home_page),
                FormField("location", "Location", str, value=profile.location),
                FormField("profile", "Profile text (Discogs markup)", str, value=profile.profile),
                FormField(
                    "curr_abbr",
                    "Marketplace currency",
                    parse_currency,
                    value=self.before["curr_abbr"],
                    choices=choices_of(Currency),
                ),
            ],
            self._send,
            settle=self._read_back,
            saved="Profile saved",
        )

    def changes(self, values: Mapping[str, Any]) -> dict[str, str]:
        """The fields whose value differs from the profile the form started from."""
        return {key: values[key] for key in PROFILE_KEYS if values[key] != self.before[key]}

    async def _send(self, values: Mapping[str, Any]) -> Profile:
        changed = self.changes(values)
        if not changed:
            return await self.client.get_user_profile(self.username)
        return await self.client.update_user_profile(self.username, **changed)

    async def _read_back(self, values: Mapping[str, Any]) -> Profile | None:
        now = await self.client.get_user_profile(self.username)
        have = {
            "name": now.name,
            "home_page": now.home_page,
            "location": now.location,
            "profile": now.profile,
            "curr_abbr": str(now.curr_abbr or ""),
        }
        return now if all(have[k] == v for k, v in self.changes(values).items()) else None
