"""The records the emulator's state is made of, and a user's collection.

Each record is a dataclass of JSON values, so the state is saved by shallow copies
(:meth:`Record.to_dict`) and read back by :meth:`Record.from_dict`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar

T = TypeVar("T", bound="Record")


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    """The dataclass field names of ``cls`` (cached: dumping 50 000 records stays cheap)."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


class Record:
    """A JSON-friendly record: every field is a JSON value, so dumping is a shallow copy."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        """The record as a JSON object."""
        return {name: getattr(self, name) for name in _field_names(type(self))}

    @classmethod
    def from_dict(cls: type[T], data: dict[str, Any]) -> T:
        """The record from a JSON object written by :meth:`to_dict` (unknown keys ignored)."""
        known = _field_names(cls)
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass(slots=True)
class UserRecord(Record):
    """A Discogs user's profile and settings."""

    id: int
    username: str
    name: str = ""
    email: str = ""
    profile: str = ""
    home_page: str = ""
    location: str = ""
    curr_abbr: str = "USD"
    registered: str = ""
    ships_from: str = "United States"
    collection_public: bool = True
    wantlist_public: bool = True
    rank: float = 0.0
    releases_contributed: int = 0
    buyer_rating: float = 100.0
    buyer_num_ratings: int = 0
    seller_rating: float = 100.0
    seller_num_ratings: int = 0
    contributions: list[int] = field(default_factory=list)
    """Release ids this user contributed to (shown by ``/contributions`` and ``/submissions``)."""


@dataclass(slots=True)
class FolderRecord(Record):
    """A collection folder (0 "All" and 1 "Uncategorized" always exist)."""

    id: int
    name: str


@dataclass(slots=True)
class FieldRecord(Record):
    """A custom collection field: a dropdown with ``options`` or a textarea with ``lines``."""

    id: int
    name: str
    type: str
    position: int
    public: bool
    options: list[str] | None = None
    lines: int | None = None


@dataclass(slots=True)
class InstanceRecord(Record):
    """One copy of a release in a collection."""

    instance_id: int
    release_id: int
    folder_id: int
    rating: int
    date_added: str
    notes: list[dict[str, Any]] = field(default_factory=list)
    """Custom field values: ``[{"field_id": 1, "value": "..."}]``."""


@dataclass(slots=True)
class WantRecord(Record):
    """A release in a wantlist."""

    release_id: int
    rating: int
    notes: str
    date_added: str


@dataclass(slots=True)
class ListingRecord(Record):
    """A marketplace listing (price in the seller's currency)."""

    id: int
    seller: str
    release_id: int
    status: str
    price: float
    currency: str
    condition: str
    sleeve_condition: str
    posted: str
    comments: str = ""
    allow_offers: bool = False
    external_id: str = ""
    location: str = ""
    weight: int = 0
    format_quantity: int = 1
    audio: bool = False


@dataclass(slots=True)
class OrderRecord(Record):
    """A marketplace order: its items, buyer, status and message thread."""

    id: str
    seller: str
    buyer: str
    status: str
    created: str
    last_activity: str
    currency: str
    items: list[dict[str, Any]]
    """``[{"id": listing_id, "release_id", "price", "media_condition", "sleeve_condition"}]``."""
    shipping: float = 0.0
    shipping_method: str = "Standard"
    shipping_address: str = ""
    additional_instructions: str = ""
    archived: bool = False
    messages: list[dict[str, Any]] = field(default_factory=list)
    """Oldest first; each is already in the API's message shape."""


@dataclass(slots=True)
class ListRecord(Record):
    """A user list of releases, masters, artists or labels with comments."""

    id: int
    owner: str
    name: str
    description: str
    public: bool
    created: str
    modified: str
    items: list[dict[str, Any]] = field(default_factory=list)
    """``[{"type": "release", "id": 1, "comment": "..."}]``."""


@dataclass(slots=True)
class JobRecord(Record):
    """An inventory export or upload (both finish at once in the emulator)."""

    id: int
    username: str
    kind: str
    """``export`` or ``add``/``change``/``delete`` for uploads."""
    status: str
    created_ts: str
    finished_ts: str
    filename: str
    results: str = ""
    csv: str = ""


class Collection:
    """One user's collection: folders, custom fields and instances, with a by-release index."""

    def __init__(
        self,
        *,
        folders: Iterable[FolderRecord] = (),
        fields_: Iterable[FieldRecord] = (),
        instances: Iterable[InstanceRecord] = (),
    ) -> None:
        self.folders: dict[int, FolderRecord] = {f.id: f for f in folders}
        for fixed in (FolderRecord(0, "All"), FolderRecord(1, "Uncategorized")):
            self.folders.setdefault(fixed.id, fixed)
        self.fields: list[FieldRecord] = list(fields_)
        self.instances: dict[int, InstanceRecord] = {}
        self._by_release: dict[int, list[int]] = {}
        for instance in instances:
            self.add(instance)

    def add(self, instance: InstanceRecord) -> None:
        """Put ``instance`` in the collection."""
        self.instances[instance.instance_id] = instance
        self._by_release.setdefault(instance.release_id, []).append(instance.instance_id)

    def remove(self, instance_id: int) -> None:
        """Take an instance out of the collection."""
        instance = self.instances.pop(instance_id)
        ids = self._by_release.get(instance.release_id, [])
        if instance_id in ids:
            ids.remove(instance_id)
        if not ids:
            self._by_release.pop(instance.release_id, None)

    def of_release(self, release_id: int) -> list[InstanceRecord]:
        """Every instance of ``release_id``, oldest first."""
        return [self.instances[i] for i in self._by_release.get(release_id, [])]

    def in_folder(self, folder_id: int) -> list[InstanceRecord]:
        """The instances in a folder (folder 0 holds all of them)."""
        if folder_id == 0:
            return list(self.instances.values())
        return [i for i in self.instances.values() if i.folder_id == folder_id]

    def count(self, folder_id: int) -> int:
        """How many instances a folder holds."""
        if folder_id == 0:
            return len(self.instances)
        return sum(1 for i in self.instances.values() if i.folder_id == folder_id)

    def field(self, field_id: int) -> FieldRecord | None:
        """The custom field with this id, or ``None``."""
        return next((f for f in self.fields if f.id == field_id), None)

    def to_dict(self) -> dict[str, Any]:
        """The collection as JSON."""
        return {
            "folders": [f.to_dict() for f in self.folders.values()],
            "fields": [f.to_dict() for f in self.fields],
            "instances": [i.to_dict() for i in self.instances.values()],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Collection:
        """The collection from :meth:`to_dict` output."""
        return cls(
            folders=(FolderRecord.from_dict(f) for f in data.get("folders", [])),
            fields_=(FieldRecord.from_dict(f) for f in data.get("fields", [])),
            instances=(InstanceRecord.from_dict(i) for i in data.get("instances", [])),
        )
