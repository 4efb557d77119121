"""Models of the database answers: releases, masters, artists, labels, search, service root."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator

from discogs_tui.models.common import LenientModel, LenientStr
from discogs_tui.models.enums import SearchTypeValue


class ServiceStatistics(LenientModel):
    """Object counts in the database, as the service root reports them."""

    releases: int | None = None
    artists: int | None = None
    labels: int | None = None


class Service(LenientModel):
    """The service root ``GET /``: greeting, version and database size."""

    hello: str = ""
    api_version: str = ""
    documentation_url: str = ""
    statistics: ServiceStatistics = Field(default_factory=ServiceStatistics)


class Image(LenientModel):
    """An image of an artist, label, release or master (URLs are blank when not signed in)."""

    type: str = ""
    uri: str = ""
    resource_url: str = ""
    uri150: str = ""
    width: int | None = None
    height: int | None = None


class Video(LenientModel):
    """A video linked to a release or master."""

    uri: str = ""
    title: str = ""
    description: str = ""
    duration: int | None = None
    embed: bool = False


class ArtistCredit(LenientModel):
    """An artist as credited on a release, master or track (``artists``, ``extraartists``)."""

    id: int | None = None
    name: str = ""
    anv: str = ""
    """Artist name variation used on this credit, blank when the plain name is used."""
    join: str = ""
    """Text joining this artist to the next one (``","``, ``"&"``, ``"Feat."``)."""
    role: str = ""
    tracks: str = ""
    resource_url: str = ""
    thumbnail_url: str | None = None

    @property
    def display_name(self) -> str:
        """The name as printed on the release: the variation if any, else the name."""
        return self.anv or self.name


class ArtistRef(LenientModel):
    """A linked artist: a group member, a group, or an alias.

    Some answers list members as bare names; a bare name becomes ``ArtistRef(name=...)``.
    """

    id: int | None = None
    name: str = ""
    resource_url: str = ""
    active: bool | None = None
    thumbnail_url: str | None = None


def _names_to_refs(value: Any) -> Any:
    """Turn each bare string of a list into ``{"name": string}``."""
    if isinstance(value, list):
        return [{"name": item} if isinstance(item, str) else item for item in value]
    return value


class Artist(LenientModel):
    """An artist ``GET /artists/{artist_id}``."""

    id: int | None = None
    name: str = ""
    realname: str = ""
    profile: str = ""
    uri: str = ""
    resource_url: str = ""
    releases_url: str = ""
    data_quality: str = ""
    urls: list[str] = Field(default_factory=list)
    namevariations: list[str] = Field(default_factory=list)
    images: list[Image] = Field(default_factory=list)
    members: list[ArtistRef] = Field(default_factory=list)
    groups: list[ArtistRef] = Field(default_factory=list)
    aliases: list[ArtistRef] = Field(default_factory=list)

    @field_validator("members", "groups", "aliases", mode="before")
    @classmethod
    def _bare_names(cls, value: Any) -> Any:
        """Accept bare names where objects are expected."""
        return _names_to_refs(value)


class InterestCounts(LenientModel):
    """How many have a release in their wantlist and in their collection."""

    in_wantlist: int = 0
    in_collection: int = 0


class ItemStats(LenientModel):
    """The ``stats`` of a version or artist/label release row: community and own counts."""

    community: InterestCounts | None = None
    user: InterestCounts | None = None


class ArtistRelease(LenientModel):
    """One row of ``GET /artists/{artist_id}/releases``: a master or a release."""

    id: int | None = None
    type: SearchTypeValue = "release"
    title: str = ""
    artist: str = ""
    role: str = ""
    year: int | None = None
    main_release: int | None = None
    """For a master row: the id of its main release."""
    trackinfo: str = ""
    """For an appearance on a compilation: which tracks the artist is credited on."""
    status: str = ""
    format: str = ""
    label: str = ""
    thumb: str = ""
    resource_url: str = ""
    stats: ItemStats | None = None


class LabelRef(LenientModel):
    """A linked label: a sublabel or the parent label."""

    id: int | None = None
    name: str = ""
    resource_url: str = ""


class Label(LenientModel):
    """A label ``GET /labels/{label_id}``."""

    id: int | None = None
    name: str = ""
    profile: str = ""
    contact_info: str = ""
    uri: str = ""
    resource_url: str = ""
    releases_url: str = ""
    data_quality: str = ""
    urls: list[str] = Field(default_factory=list)
    images: list[Image] = Field(default_factory=list)
    sublabels: list[LabelRef] = Field(default_factory=list)
    parent_label: LabelRef | None = None


class LabelRelease(LenientModel):
    """One row of ``GET /labels/{label_id}/releases``."""

    id: int | None = None
    title: str = ""
    artist: str = ""
    catno: str = ""
    format: str = ""
    status: str = ""
    year: int | None = None
    thumb: str = ""
    resource_url: str = ""
    stats: ItemStats | None = None


class Track(LenientModel):
    """A tracklist entry: a track, an index track (with ``sub_tracks``) or a heading."""

    position: str = ""
    type_: str = "track"
    """``track``, ``index`` or ``heading``."""
    title: str = ""
    duration: str = ""
    artists: list[ArtistCredit] = Field(default_factory=list)
    extraartists: list[ArtistCredit] = Field(default_factory=list)
    sub_tracks: list[Track] = Field(default_factory=list)


class Master(LenientModel):
    """A master release ``GET /masters/{master_id}``: the work behind many versions."""

    id: int | None = None
    title: str = ""
    year: int | None = None
    main_release: int | None = None
    main_release_url: str = ""
    most_recent_release: int | None = None
    most_recent_release_url: str = ""
    versions_url: str = ""
    uri: str = ""
    resource_url: str = ""
    data_quality: str = ""
    artists: list[ArtistCredit] = Field(default_factory=list)
    genres: list[str] = Field(default_factory=list)
    styles: list[str] = Field(default_factory=list)
    tracklist: list[Track] = Field(default_factory=list)
    images: list[Image] = Field(default_factory=list)
    videos: list[Video] = Field(default_factory=list)
    num_for_sale: int | None = None
    lowest_price: float | None = None


class MasterVersion(LenientModel):
    """One row of ``GET /masters/{master_id}/versions``."""

    id: int | None = None
    title: str = ""
    label: str = ""
    country: str = ""
    format: str = ""
    major_formats: list[str] = Field(default_factory=list)
    catno: str = ""
    released: str = ""
    status: str = ""
    thumb: str = ""
    resource_url: str = ""
    stats: ItemStats | None = None


class ReleaseLabel(LenientModel):
    """A label, company or series credit of a release.

    ``entity_type`` is a numeric id sent as a string (``"1"`` label, ``"17"`` pressed by, ...).
    """

    id: int | None = None
    name: str = ""
    catno: str = ""
    entity_type: LenientStr = ""
    entity_type_name: str = ""
    resource_url: str = ""
    thumbnail_url: str | None = None


class Company(ReleaseLabel):
    """A company credit of a release (pressing plant, publisher, studio, ...)."""


class Format(LenientModel):
    """A format of a release: ``{"name": "Vinyl", "qty": "2", "descriptions": ["LP"]}``."""

    name: str = ""
    qty: LenientStr = ""
    descriptions: list[str] = Field(default_factory=list)
    text: str = ""


class Identifier(LenientModel):
    """A barcode, matrix number, rights society code, ..."""

    type: str = ""
    value: str = ""
    description: str = ""


class UserRef(LenientModel):
    """A user as linked from another object (submitter, contributor, buyer, seller)."""

    id: int | None = None
    username: str = ""
    resource_url: str = ""


class Rating(LenientModel):
    """A community rating: number of votes and their average."""

    count: int = 0
    average: float = 0.0


class ReleaseCommunity(LenientModel):
    """The ``community`` block of a release."""

    have: int = 0
    want: int = 0
    rating: Rating = Field(default_factory=Rating)
    submitter: UserRef | None = None
    contributors: list[UserRef] = Field(default_factory=list)
    data_quality: str = ""
    status: str = ""


class Release(LenientModel):
    """A release ``GET /releases/{release_id}``: one particular edition."""

    id: int | None = None
    title: str = ""
    status: str = ""
    year: int | None = None
    released: str = ""
    """Free text: ``"1999"``, ``"2005-08-24"`` or ``"1999-03-00"`` (zero day or month allowed)."""
    released_formatted: str = ""
    country: str = ""
    notes: str = ""
    uri: str = ""
    resource_url: str = ""
    thumb: str = ""
    data_quality: str = ""
    artists: list[ArtistCredit] = Field(default_factory=list)
    artists_sort: str = ""
    extraartists: list[ArtistCredit] = Field(default_factory=list)
    labels: list[ReleaseLabel] = Field(default_factory=list)
    companies: list[Company] = Field(default_factory=list)
    series: list[ReleaseLabel] = Field(default_factory=list)
    formats: list[Format] = Field(default_factory=list)
    format_quantity: int | None = None
    genres: list[str] = Field(default_factory=list)
    styles: list[str] = Field(default_factory=list)
    tracklist: list[Track] = Field(default_factory=list)
    identifiers: list[Identifier] = Field(default_factory=list)
    videos: list[Video] = Field(default_factory=list)
    images: list[Image] = Field(default_factory=list)
    community: ReleaseCommunity | None = None
    master_id: int | None = None
    master_url: str | None = None
    estimated_weight: int | None = None
    date_added: str = ""
    date_changed: str = ""
    lowest_price: float | None = None
    """Lowest marketplace price in the caller's currency; ``None`` when nothing is for sale."""
    num_for_sale: int | None = None
    blocked_from_sale: bool | None = None
    is_offensive: bool | None = None


class ReleaseRatingByUser(LenientModel):
    """A user's rating of a release (``0`` when not rated)."""

    username: str = ""
    release_id: int | None = None
    rating: int = 0


class CommunityRating(LenientModel):
    """The community rating of a release ``GET /releases/{release_id}/rating``."""

    release_id: int | None = None
    rating: Rating = Field(default_factory=Rating)


class ReleaseStats(LenientModel):
    """``GET /releases/{release_id}/stats``.

    The docs promise ``{num_have, num_want}``; the live API answers ``{"is_offensive": false}``.
    Both shapes parse; absent figures are ``None``.
    """

    num_have: int | None = None
    num_want: int | None = None
    is_offensive: bool | None = None


class SearchCommunity(LenientModel):
    """Have and want counts of a search result."""

    have: int = 0
    want: int = 0


class SearchUserData(LenientModel):
    """Whether a search result is in the caller's wantlist or collection."""

    in_wantlist: bool = False
    in_collection: bool = False


class SearchResult(LenientModel):
    """One row of ``GET /database/search``; which fields are set depends on ``type``."""

    id: int | None = None
    type: SearchTypeValue = "release"
    title: str = ""
    thumb: str = ""
    cover_image: str = ""
    resource_url: str = ""
    uri: str = ""
    country: str = ""
    year: LenientStr | None = None
    """A string here (``"1999"``), unlike a release's integer ``year``."""
    format: list[str] = Field(default_factory=list)
    label: list[str] = Field(default_factory=list)
    genre: list[str] = Field(default_factory=list)
    style: list[str] = Field(default_factory=list)
    catno: str = ""
    barcode: list[str] = Field(default_factory=list)
    master_id: int | None = None
    master_url: str | None = None
    format_quantity: int | None = None
    formats: list[Format] = Field(default_factory=list)
    community: SearchCommunity | None = None
    user_data: SearchUserData | None = None
