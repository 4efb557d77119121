"""The database: releases, ratings, masters, artists, labels, search and the service itself.

Follows https://www.discogs.com/developers/#page:database. Every read raises the
:mod:`discogs_tui.api.errors` hierarchy: :class:`NotFoundError` for an unknown id,
:class:`NetworkError` when Discogs cannot be reached, :class:`InvalidResponseError` when the
answer does not parse.
"""

from __future__ import annotations

from discogs_tui.api.client._shared import MAX_PER_PAGE, _body, _seg
from discogs_tui.api.client.core import ClientCore
from discogs_tui.models import Page
from discogs_tui.models.database import (
    Artist,
    ArtistRelease,
    CommunityRating,
    Label,
    LabelRelease,
    Master,
    MasterVersion,
    Release,
    ReleaseRatingByUser,
    ReleaseStats,
    SearchResult,
    Service,
)


def _rating_changes(release_id: int, username: str) -> tuple[str, ...]:
    """A user's rating moves the release's community rating (in the release too) and the
    profile's ``releases_rated`` and ``rating_avg``."""
    return (f"/releases/{release_id}", f"/users/{_seg(username)}?")


class DatabaseAPI(ClientCore):
    """Reads of the Discogs database and the signed-in user's release ratings."""

    async def get_service(self) -> Service:
        """Service information: API version and database statistics (``GET /``).

        https://www.discogs.com/developers/#page:home,header:home-general-information
        """
        return await self._get(Service, "/")

    async def get_release(
        self, release_id: int, *, curr_abbr: str | None = None, text_format: str | None = None
    ) -> Release:
        """A release: tracklist, credits, formats, labels, identifiers, community figures.

        ``curr_abbr`` (e.g. ``EUR``) is the currency of ``lowest_price``. ``text_format``
        (``discogs``, ``plaintext``, ``html``) sets how ``notes`` reads for this request;
        ``None`` keeps the client's ``accept_format``; another value raises ``ValueError``.
        https://www.discogs.com/developers/#page:database,header:database-release
        """
        async with self._in_format(text_format):
            return await self._get(Release, f"/releases/{release_id}", {"curr_abbr": curr_abbr})

    async def get_release_rating(self, release_id: int) -> CommunityRating:
        """The community's average rating of a release (``rating.average`` 0 to 5, ``count``).

        https://www.discogs.com/developers/#page:database,header:database-community-release-rating
        """
        return await self._get(CommunityRating, f"/releases/{release_id}/rating")

    async def get_release_rating_by_user(
        self, release_id: int, username: str
    ) -> ReleaseRatingByUser:
        """One user's rating of a release, 1 to 5 (0 when unrated).

        https://www.discogs.com/developers/#page:database,header:database-release-rating-by-user
        """
        return await self._get(
            ReleaseRatingByUser, f"/releases/{release_id}/rating/{_seg(username)}"
        )

    async def update_release_rating(
        self, release_id: int, username: str, *, rating: int
    ) -> ReleaseRatingByUser:
        """Rate a release 1 to 5 as ``username`` (must be the signed-in user); the new rating.

        Raises :class:`AuthError`/:class:`ForbiddenError` for another user,
        :class:`ValidationError` for a rating out of range, :class:`OutcomeUnknownError` when
        the answer was lost (``PUT /releases/{id}/rating/{username}``).
        https://www.discogs.com/developers/#page:database,header:database-release-rating-by-user
        """
        path = f"/releases/{release_id}/rating/{_seg(username)}"
        return await self._write_parsed(
            ReleaseRatingByUser,
            "PUT",
            path,
            body=_body(rating=rating),
            invalidates=_rating_changes(release_id, username),
        )

    async def delete_release_rating(self, release_id: int, username: str) -> None:
        """Remove ``username``'s rating of a release (``DELETE``, answered 204).

        Raises as :meth:`update_release_rating` does.
        https://www.discogs.com/developers/#page:database,header:database-release-rating-by-user
        """
        path = f"/releases/{release_id}/rating/{_seg(username)}"
        await self._write("DELETE", path, invalidates=_rating_changes(release_id, username))

    async def get_release_stats(self, release_id: int) -> ReleaseStats:
        """Release statistics (the live API sends only ``is_offensive``).

        https://www.discogs.com/developers/#page:database,header:database-release-stats
        """
        return await self._get(ReleaseStats, f"/releases/{release_id}/stats")

    async def get_master(self, master_id: int) -> Master:
        """A master release: the work that groups all its versions.

        https://www.discogs.com/developers/#page:database,header:database-master-release
        """
        return await self._get(Master, f"/masters/{master_id}")

    async def get_master_versions(
        self,
        master_id: int,
        *,
        page: int = 1,
        per_page: int = MAX_PER_PAGE,
        format: str | None = None,
        label: str | None = None,
        released: str | None = None,
        country: str | None = None,
        sort: str | None = None,
        sort_order: str | None = None,
    ) -> Page[MasterVersion]:
        """One page of a master's versions; filters by format, label, year, country.

        ``per_page`` is kept within 1 to 100.
        https://www.discogs.com/developers/#page:database,header:database-master-release-versions
        """
        params = {
            "format": format,
            "label": label,
            "released": released,
            "country": country,
            "sort": sort,
            "sort_order": sort_order,
        }
        return await self._page(
            MasterVersion,
            "versions",
            f"/masters/{master_id}/versions",
            page=page,
            per_page=per_page,
            params=params,
        )

    async def get_artist(self, artist_id: int, *, text_format: str | None = None) -> Artist:
        """An artist: profile, real name, members, groups, aliases, links.

        ``text_format`` sets how ``profile`` reads for this request (see :meth:`get_release`).
        https://www.discogs.com/developers/#page:database,header:database-artist
        """
        async with self._in_format(text_format):
            return await self._get(Artist, f"/artists/{artist_id}")

    async def get_artist_releases(
        self,
        artist_id: int,
        *,
        page: int = 1,
        per_page: int = MAX_PER_PAGE,
        sort: str | None = None,
        sort_order: str | None = None,
    ) -> Page[ArtistRelease]:
        """One page of an artist's releases and masters (sort by ``year``, ``title``, ``format``).

        https://www.discogs.com/developers/#page:database,header:database-artist-releases
        """
        return await self._page(
            ArtistRelease,
            "releases",
            f"/artists/{artist_id}/releases",
            page=page,
            per_page=per_page,
            params={"sort": sort, "sort_order": sort_order},
        )

    async def get_label(self, label_id: int, *, text_format: str | None = None) -> Label:
        """A label: profile, contact, parent label and sublabels.

        ``text_format`` sets how ``profile`` reads for this request (see :meth:`get_release`).
        https://www.discogs.com/developers/#page:database,header:database-label
        """
        async with self._in_format(text_format):
            return await self._get(Label, f"/labels/{label_id}")

    async def get_label_releases(
        self, label_id: int, *, page: int = 1, per_page: int = MAX_PER_PAGE
    ) -> Page[LabelRelease]:
        """One page of the releases on a label.

        https://www.discogs.com/developers/#page:database,header:database-all-label-releases
        """
        return await self._page(
            LabelRelease, "releases", f"/labels/{label_id}/releases", page=page, per_page=per_page
        )

    async def search_database(
        self,
        *,
        q: str | None = None,
        type: str | None = None,
        title: str | None = None,
        release_title: str | None = None,
        credit: str | None = None,
        artist: str | None = None,
        anv: str | None = None,
        label: str | None = None,
        genre: str | None = None,
        style: str | None = None,
        country: str | None = None,
        year: str | int | None = None,
        format: str | None = None,
        catno: str | None = None,
        barcode: str | None = None,
        track: str | None = None,
        submitter: str | None = None,
        contributor: str | None = None,
        page: int = 1,
        per_page: int = MAX_PER_PAGE,
    ) -> Page[SearchResult]:
        """One page of a search of releases, masters, artists and labels.

        Needs any credentials (:class:`AuthError` without). ``type`` is ``release``,
        ``master``, ``artist`` or ``label``; ``None`` filters are left out.
        https://www.discogs.com/developers/#page:database,header:database-search
        """
        params: dict[str, str | int | None] = {
            "q": q,
            "type": type,
            "title": title,
            "release_title": release_title,
            "credit": credit,
            "artist": artist,
            "anv": anv,
            "label": label,
            "genre": genre,
            "style": style,
            "country": country,
            "year": year,
            "format": format,
            "catno": catno,
            "barcode": barcode,
            "track": track,
            "submitter": submitter,
            "contributor": contributor,
        }
        return await self._page(
            SearchResult, "results", "/database/search", page=page, per_page=per_page, params=params
        )
