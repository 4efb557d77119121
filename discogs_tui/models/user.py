"""Models of the user answers: identity, profile, contributions, submissions and lists."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from discogs_tui.models.common import LenientModel, Pagination
from discogs_tui.models.database import Artist, Label, Release
from discogs_tui.models.enums import CurrencyValue, SearchTypeValue


class Identity(LenientModel):
    """Who the credentials belong to: ``GET /oauth/identity``."""

    id: int | None = None
    username: str = ""
    resource_url: str = ""
    consumer_name: str = ""


class Profile(LenientModel):
    """A user's profile ``GET /users/{username}``.

    ``email`` is sent only to the owner; the collection and wantlist counts only to the owner
    or when public; absent values are ``None``.
    """

    id: int | None = None
    username: str = ""
    name: str = ""
    email: str | None = None
    profile: str = ""
    home_page: str = ""
    location: str = ""
    registered: str = ""
    uri: str = ""
    resource_url: str = ""
    avatar_url: str = ""
    banner_url: str = ""
    inventory_url: str = ""
    collection_folders_url: str = ""
    collection_fields_url: str = ""
    wantlist_url: str = ""
    curr_abbr: CurrencyValue | None = None
    rank: float | None = None
    num_pending: int | None = None
    num_for_sale: int | None = None
    num_lists: int | None = None
    num_collection: int | None = None
    num_wantlist: int | None = None
    num_unread: int | None = None
    releases_contributed: int | None = None
    releases_rated: int | None = None
    rating_avg: float | None = None
    buyer_rating: float | None = None
    buyer_rating_stars: float | None = None
    buyer_num_ratings: int | None = None
    seller_rating: float | None = None
    seller_rating_stars: float | None = None
    seller_num_ratings: int | None = None
    activated: bool | None = None
    marketplace_suspended: bool | None = None
    is_staff: bool | None = None


class Contribution(Release):
    """One row of ``GET /users/{username}/contributions``: a full release object."""


class SubmittedItems(LenientModel):
    """The ``submissions`` block: artists, labels and releases the user submitted.

    Each list is read row by row; rows that cannot be read are left out and counted in
    ``dropped``.
    """

    _row_fields: ClassVar[tuple[str, ...]] = ("artists", "labels", "releases")

    artists: list[Artist] = Field(default_factory=list)
    labels: list[Label] = Field(default_factory=list)
    releases: list[Release] = Field(default_factory=list)
    dropped: int = 0
    """Submitted artists, labels and releases on this page that could not be read."""


class Submissions(LenientModel):
    """One page of ``GET /users/{username}/submissions``.

    Unlike other paginated answers, the page holds three lists in one object
    (``submissions.artists``, ``.labels``, ``.releases``), so it is not a
    :class:`~discogs_tui.models.common.Page`.
    """

    pagination: Pagination = Field(default_factory=Pagination)
    submissions: SubmittedItems = Field(default_factory=SubmittedItems)

    @property
    def dropped(self) -> int:
        """Rows of this page that could not be read and were left out."""
        return self.submissions.dropped

    @property
    def artists(self) -> list[Artist]:
        """Artists submitted, on this page."""
        return self.submissions.artists

    @property
    def labels(self) -> list[Label]:
        """Labels submitted, on this page."""
        return self.submissions.labels

    @property
    def releases(self) -> list[Release]:
        """Releases submitted, on this page."""
        return self.submissions.releases


class _ListKeys(LenientModel):
    """Both key sets in which Discogs describes a list.

    The documented answer uses ``list_id, created_ts, modified_ts, url``; others use
    ``id, date_added, date_changed, uri``. Both are kept as sent; the properties pick
    whichever is present.
    """

    id: int | None = None
    list_id: int | None = None
    name: str = ""
    description: str = ""
    public: bool | None = None
    resource_url: str = ""
    uri: str = ""
    url: str = ""
    date_added: str = ""
    date_changed: str = ""
    created_ts: str = ""
    modified_ts: str = ""

    @property
    def number(self) -> int | None:
        """The list's id, from ``id`` or ``list_id``."""
        return self.id if self.id is not None else self.list_id

    @property
    def created(self) -> str:
        """When the list was made, from ``date_added`` or ``created_ts``."""
        return self.date_added or self.created_ts

    @property
    def modified(self) -> str:
        """When the list last changed, from ``date_changed`` or ``modified_ts``."""
        return self.date_changed or self.modified_ts

    @property
    def web_url(self) -> str:
        """The list's page on discogs.com, from ``uri`` or ``url``."""
        return self.uri or self.url


class UserListItem(LenientModel):
    """An entry of a list: a release, master, artist or label with the owner's comment."""

    id: int | None = None
    type: SearchTypeValue = "release"
    display_title: str = ""
    comment: str = ""
    uri: str = ""
    resource_url: str = ""
    image_url: str = ""


class UserListSummary(_ListKeys):
    """One row of ``GET /users/{username}/lists`` (some answers include the entries too)."""

    items: list[UserListItem] = Field(default_factory=list)


class UserList(UserListSummary):
    """A list with its entries ``GET /lists/{list_id}``.

    An entry that cannot be read is left out of ``items`` and counted in ``dropped``.
    """

    _row_fields: ClassVar[tuple[str, ...]] = ("items",)

    dropped: int = 0
    """Entries of the list that could not be read."""
