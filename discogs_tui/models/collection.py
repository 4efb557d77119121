"""Models of the collection and wantlist answers: folders, instances, fields, value, wants."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field, field_validator

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
    """``GET /users/{username}/collection/folders`` (not paginated).

    A folder that cannot be read is left out and counted in ``dropped``.
    """

    _row_fields: ClassVar[tuple[str, ...]] = ("folders",)

    folders: list[Folder] = Field(default_factory=list)
    dropped: int = 0
    """Folders that could not be read."""


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
    """The value of one custom field on a collection instance.

    ``field_id`` is ``None`` for a note in the older free-text shape (no custom field).
    """

    field_id: int | None = None
    value: LenientStr = ""


def _notes_as_list(value: Any) -> Any:
    """Read every shape of a collection item's ``notes`` as a list of ``{field_id, value}``.

    The current shape is ``[{"field_id": 3, "value": "..."}]``
    (https://www.discogs.com/developers/#page:user-collection). Older answers also send a
    mapping of field id to value (``{"3": "..."}``), or plain text; plain text becomes a
    note without a ``field_id``. The base model has already turned a lone value into a
    one-item list and dropped nulls.
    """
    if not isinstance(value, list):
        return value
    notes: list[Any] = []
    for item in value:
        if item == {}:
            continue
        if isinstance(item, dict) and not ({"field_id", "value"} & item.keys()):
            notes.extend({"field_id": key, "value": text} for key, text in item.items())
        elif isinstance(item, str | int | float) and not isinstance(item, bool):
            if str(item).strip():
                notes.append({"value": item})
        else:
            notes.append(item)
    return notes


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

    @field_validator("notes", mode="before")
    @classmethod
    def _older_note_shapes(cls, value: Any) -> Any:
        """Accept the older shapes of ``notes`` (a mapping, plain text)."""
        return _notes_as_list(value)


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
    """``GET /users/{username}/collection/fields`` (not paginated).

    A field that cannot be read is left out and counted in ``dropped``.
    """

    _row_fields: ClassVar[tuple[str, ...]] = ("fields",)

    fields: list[CustomField] = Field(default_factory=list)
    dropped: int = 0
    """Custom fields that could not be read."""


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
