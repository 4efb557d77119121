"""Users: identity, profiles, contributions, submissions and lists.

Follows https://www.discogs.com/developers/#page:user-identity and
https://www.discogs.com/developers/#page:user-lists. Errors are the
:mod:`discogs_tui.api.errors` hierarchy (:class:`NotFoundError` for an unknown user or list,
:class:`AuthError` where the owner must be signed in).
"""

from __future__ import annotations

from discogs_tui.api.client._shared import MAX_PER_PAGE, _body, _per_page, _seg
from discogs_tui.api.client.core import ClientCore
from discogs_tui.models import Page
from discogs_tui.models.user import (
    Contribution,
    Identity,
    Profile,
    Submissions,
    UserList,
    UserListSummary,
)


class UsersAPI(ClientCore):
    """Who is signed in, users' profiles and what they contributed, and their lists."""

    async def get_user_identity(self) -> Identity:
        """Who the credentials belong to (``id``, ``username``); :class:`AuthError` without any.

        https://www.discogs.com/developers/#page:user-identity,header:user-identity-identity
        """
        return await self._get(Identity, "/oauth/identity")

    async def get_user_profile(self, username: str) -> Profile:
        """A user's public profile (email only for the owner).

        https://www.discogs.com/developers/#page:user-identity,header:user-identity-profile
        """
        return await self._get(Profile, f"/users/{_seg(username)}")

    async def update_user_profile(
        self,
        username: str,
        *,
        name: str | None = None,
        home_page: str | None = None,
        location: str | None = None,
        profile: str | None = None,
        curr_abbr: str | None = None,
    ) -> Profile:
        """Edit the signed-in user's profile; fields left ``None`` stay as they are.

        ``curr_abbr`` is the marketplace currency (e.g. ``USD``). Returns the new profile.
        Raises :class:`ForbiddenError` for another user's profile, :class:`ValidationError`
        for a value Discogs refuses, :class:`OutcomeUnknownError` when the answer was lost.
        https://www.discogs.com/developers/#page:user-identity,header:user-identity-profile
        """
        path = f"/users/{_seg(username)}"
        body = _body(
            name=name,
            home_page=home_page,
            location=location,
            profile=profile,
            curr_abbr=curr_abbr,
        )
        return await self._write_parsed(Profile, "POST", path, body=body)

    async def get_user_contributions(
        self,
        username: str,
        *,
        page: int = 1,
        per_page: int = MAX_PER_PAGE,
        sort: str | None = None,
        sort_order: str | None = None,
    ) -> Page[Contribution]:
        """One page of the releases, labels and artists the user contributed to.

        https://www.discogs.com/developers/#page:user-identity,header:user-identity-user-contributions
        """
        return await self._page(
            Contribution,
            "contributions",
            f"/users/{_seg(username)}/contributions",
            page=page,
            per_page=per_page,
            params={"sort": sort, "sort_order": sort_order},
        )

    async def get_user_submissions(
        self, username: str, *, page: int = 1, per_page: int = MAX_PER_PAGE
    ) -> Submissions:
        """One page of the edits the user submitted (artists, labels, releases).

        https://www.discogs.com/developers/#page:user-identity,header:user-identity-user-submissions
        """
        return await self._get(
            Submissions,
            f"/users/{_seg(username)}/submissions",
            {"page": page, "per_page": _per_page(per_page)},
        )

    async def get_lists(
        self, username: str, *, page: int = 1, per_page: int = MAX_PER_PAGE
    ) -> Page[UserListSummary]:
        """One page of a user's lists (private ones only for the owner).

        https://www.discogs.com/developers/#page:user-lists,header:user-lists-user-lists
        """
        return await self._page(
            UserListSummary, "lists", f"/users/{_seg(username)}/lists", page=page, per_page=per_page
        )

    async def get_list(self, list_id: int) -> UserList:
        """One list with its items (:class:`NotFoundError` for another's private list).

        https://www.discogs.com/developers/#page:user-lists,header:user-lists-list
        """
        return await self._get(UserList, f"/lists/{list_id}")
