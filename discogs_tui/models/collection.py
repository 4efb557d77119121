"""Models of the collection and wantlist answers: folders, instances, fields, value, wants."""

from __future__ import annotations

from pydantic import Field

from discogs_tui.models.common import LenientModel, LenientStr
from discogs_tui.models.database import ArtistCredit, Format, ReleaseLabel
from discogs_tui.models.enums import CustomFieldTypeValue


class Folder(LenientModel):
    """A collection folder. Folder 0 is "All", folder 1 "Uncategorized"."""

    id: int | None = None
    name: str = ""
    count: int = 0
    resource_url: str = ""


class FolderList(LenientModel):
    """``GET /users/{username}/collection/folders`` (not paginated)."""

    folders: list[Folder] = Field(default_factory=list)


class BasicInformation(LenientModel):
    """The short form of a release carried by collection items and wants."""

    id: int | None = None
    title: str = ""
    year: int | None = None
    resource_url: str = ""
    thumb: str = ""
    cover_image: str = ""
    master_id: int | None = None
    master_url: str | None = None
    artists: list[ArtistCredit] = Field(default_factory=list)
    labels: list[ReleaseLabel] = Field(default_factory=list)
    formats: list[Format] = Field(default_factory=list)
    genres: list[str] = Field(default_factory=list)
    styles: list[str] = Field(default_factory=list)


class CollectionNote(LenientModel):
    """The value of one custom field on a collection instance."""

    field_id: int | None = None
    value: LenientStr = ""


class CollectionItem(LenientModel):
    """One copy (instance) of a release in a collection folder.

    ``id`` is the release id; ``instance_id`` tells copies of the same release apart and
    exceeds 2^31 on real accounts.
    """

    id: int | None = None
    instance_id: int | None = None
    folder_id: int | None = None
    rating: int = 0
    date_added: str = ""
    resource_url: str = ""
    basic_information: BasicInformation = Field(default_factory=BasicInformation)
    notes: list[CollectionNote] = Field(default_factory=list)


class AddedInstance(CollectionItem):
    """Answer to adding a release to a folder.

    The docs show ``{instance_id, resource_url}``; the live API sends the whole instance.
    """


class CustomField(LenientModel):
    """A collection custom field: a dropdown with ``options`` or a textarea with ``lines``."""

    id: int | None = None
    name: str = ""
    type: CustomFieldTypeValue = "textarea"
    position: int | None = None
    public: bool = False
    options: list[str] = Field(default_factory=list)
    lines: int | None = None


class CustomFieldList(LenientModel):
    """``GET /users/{username}/collection/fields`` (not paginated)."""

    fields: list[CustomField] = Field(default_factory=list)


class CollectionValue(LenientModel):
    """Estimated collection value ``GET /users/{username}/collection/value``.

    Discogs sends formatted amounts with the currency symbol (``"€101.72"``), not numbers.
    """

    minimum: str = ""
    median: str = ""
    maximum: str = ""


class Want(LenientModel):
    """A wantlist entry; ``notes`` is visible to the owner only."""

    id: int | None = None
    rating: int = 0
    notes: str = ""
    notes_public: bool | None = None
    date_added: str = ""
    resource_url: str = ""
    basic_information: BasicInformation = Field(default_factory=BasicInformation)
