"""The emulator's mutable user-side state: users, collections, wantlists, listings, orders.

Database documents (releases, artists, ...) live in the read-only dataset; everything a
user can change lives here. :meth:`State.create` builds the demo world deterministically
from a seeded RNG; :meth:`State.save` and :meth:`State.load` keep it across restarts as
one JSON file, written atomically so a crash never leaves half a file behind.
"""

from __future__ import annotations

import json
import os
import random
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Protocol, TypeVar

from discogs_tui.emulator.core import BASE

# Enumerations, word for word from ENDPOINTS.md §7.
CURRENCIES = ("USD", "GBP", "EUR", "CAD", "AUD", "JPY", "CHF", "MXN", "BRL", "NZD", "SEK", "ZAR")
MEDIA_CONDITIONS = (
    "Mint (M)",
    "Near Mint (NM or M-)",
    "Very Good Plus (VG+)",
    "Very Good (VG)",
    "Good Plus (G+)",
    "Good (G)",
    "Fair (F)",
    "Poor (P)",
)
SLEEVE_CONDITIONS = (*MEDIA_CONDITIONS, "Generic", "Not Graded", "No Cover")
LISTING_STATUSES = (
    "All",
    "Deleted",
    "Draft",
    "Expired",
    "For Sale",
    "Sold",
    "Suspended",
    "Violation",
)
EDITABLE_LISTING_STATUSES = ("For Sale", "Draft", "Expired")
ORDER_STATUSES = (
    "New Order",
    "Buyer Contacted",
    "Invoice Sent",
    "Payment Pending",
    "Payment Received",
    "In Progress",
    "Shipped",
    "Refund Sent",
    "Cancelled (Non-Paying Buyer)",
    "Cancelled (Item Unavailable)",
    "Cancelled (Per Buyer's Request)",
)
ORDER_FILTER_STATUSES = (
    "All",
    *ORDER_STATUSES,
    "Merged",
    "Order Changed",
    "Cancelled",
    "Cancelled (Refund Received)",
)

# Rough exchange rates to USD, so prices can be shown in a caller's currency.
USD_RATES: dict[str, float] = {
    "USD": 1.0,
    "GBP": 0.79,
    "EUR": 0.92,
    "CAD": 1.36,
    "AUD": 1.52,
    "JPY": 150.0,
    "CHF": 0.88,
    "MXN": 17.1,
    "BRL": 5.0,
    "NZD": 1.64,
    "SEK": 10.4,
    "ZAR": 18.6,
}
CURRENCY_SYMBOLS: dict[str, str] = {
    "USD": "$",
    "GBP": "£",
    "EUR": "€",
    "CAD": "CA$",
    "AUD": "A$",
    "JPY": "¥",
    "CHF": "CHF",
    "MXN": "MX$",
    "BRL": "R$",
    "NZD": "NZ$",
    "SEK": "SEK",
    "ZAR": "ZAR",
}

# Where a grade sits relative to a Mint copy's price (used for suggestions and values).
CONDITION_FACTORS: dict[str, float] = {
    "Mint (M)": 1.0,
    "Near Mint (NM or M-)": 0.895,
    "Very Good Plus (VG+)": 0.684,
    "Very Good (VG)": 0.474,
    "Good Plus (G+)": 0.263,
    "Good (G)": 0.158,
    "Fair (F)": 0.105,
    "Poor (P)": 0.053,
}

SELLING_FEE_RATE = 0.09
"""The share of an item's price Discogs charges the seller (approximately)."""

STATE_VERSION = 1
"""Bumped when the saved file's layout changes incompatibly."""

# Generated timestamps are written in this zone, like the Discogs examples (-07:00).
DISCOGS_TZ = timezone(timedelta(hours=-7))
_EPOCH = datetime(2023, 1, 1, 12, 0, 0, tzinfo=DISCOGS_TZ)

_FIRST_INSTANCE_ID = 2_176_900_000  # above 2**31, as live instance ids are
_FIRST_LISTING_ID = 3_100_000_000
_FIRST_FOLDER_ID = 9_500_000


class DatasetLike(Protocol):
    """What the state needs from the dataset: release ids and release documents."""

    def release(self, release_id: int) -> dict[str, Any] | None:
        """The full release document, or ``None``."""
        ...

    def release_ids(self) -> list[int]:
        """Every release id in the dataset, ascending."""
        ...


def timestamp(moment: datetime) -> str:
    """``moment`` as Discogs writes times: ISO 8601 with seconds and a -07:00 offset."""
    return moment.astimezone(DISCOGS_TZ).replace(microsecond=0).isoformat()


def parse_time(text: str) -> datetime | None:
    """An ISO 8601 time (naive means UTC); ``None`` when unreadable."""
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def convert_price(value: float, source: str, target: str) -> float:
    """``value`` in ``source`` currency expressed in ``target`` currency (rounded to cents)."""
    usd = value / USD_RATES.get(source, 1.0)
    return round(usd * USD_RATES.get(target, 1.0), 2)


def format_money(value: float, currency: str) -> str:
    """A price as Discogs formats it for display: ``"$1,234.56"``, ``"€71.20"``."""
    symbol = CURRENCY_SYMBOLS.get(currency, currency)
    return f"{symbol}{value:,.2f}"


def reference_price(release_id: int) -> float:
    """A stable Mint-copy price in USD for a release, derived from its id (no real sales data)."""
    return 8.0 + (release_id * 7919 % 6000) / 100.0


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


def _now() -> datetime:
    return datetime.now(UTC)


class State:
    """Everything users can change, plus the credentials the emulator accepts."""

    def __init__(self, dataset: Any = None, *, clock: Callable[[], datetime] = _now) -> None:
        self.dataset = dataset
        self.clock = clock
        """Gives "now" for timestamps of writes (tests pass a fixed clock)."""
        self.tokens: dict[str, str] = {}
        self.consumers: dict[str, str] = {}
        self.access_tokens: dict[str, tuple[str, str]] = {}
        self.users: dict[str, UserRecord] = {}
        """Keyed by lower-case username (Discogs usernames are case-insensitive)."""
        self.collections: dict[str, Collection] = {}
        self.wantlists: dict[str, dict[int, WantRecord]] = {}
        self.release_ratings: dict[str, dict[int, int]] = {}
        """Release ratings by user: username (lower-case) → release id → 1..5."""
        self.listings: dict[int, ListingRecord] = {}
        self.orders: dict[str, OrderRecord] = {}
        self.lists: dict[int, ListRecord] = {}
        self.jobs: dict[int, JobRecord] = {}
        self.counters: dict[str, int] = {
            "instance": _FIRST_INSTANCE_ID,
            "listing": _FIRST_LISTING_ID,
            "folder": _FIRST_FOLDER_ID,
            "list": 500_000,
            "job": 600_000,
        }
        self._market: dict[int, tuple[float, int]] | None = None

    # ----- identifiers and time -----------------------------------------------------------

    def next_id(self, kind: str) -> int:
        """A fresh id of ``kind`` (instance, listing, folder, list, job)."""
        self.counters[kind] = self.counters.get(kind, 1) + 1
        return self.counters[kind]

    def now(self) -> str:
        """The current time as a Discogs timestamp."""
        return timestamp(self.clock())

    # ----- queries others rely on ----------------------------------------------------------

    def user(self, username: str) -> UserRecord | None:
        """The user with this name (case-insensitive), or ``None``."""
        return self.users.get(username.lower())

    def user_exists(self, username: str) -> bool:
        """True when ``username`` is a known user."""
        return username.lower() in self.users

    def collection(self, username: str) -> Collection:
        """A user's collection (created empty on first use)."""
        key = username.lower()
        if key not in self.collections:
            self.collections[key] = Collection()
        return self.collections[key]

    def wantlist(self, username: str) -> dict[int, WantRecord]:
        """A user's wantlist, release id → want (created empty on first use)."""
        return self.wantlists.setdefault(username.lower(), {})

    def in_collection(self, username: str, release_id: int) -> bool:
        """True when ``username`` has at least one instance of ``release_id``."""
        found = self.collections.get(username.lower())
        return found is not None and bool(found.of_release(release_id))

    def in_wantlist(self, username: str, release_id: int) -> bool:
        """True when ``release_id`` is in ``username``'s wantlist."""
        return release_id in self.wantlists.get(username.lower(), {})

    def marketplace_summary(self, release_id: int) -> tuple[float | None, int]:
        """The lowest For Sale price (in USD) of a release and how many copies are for sale."""
        if self._market is None:
            market: dict[int, tuple[float, int]] = {}
            for listing in self.listings.values():
                if listing.status != "For Sale":
                    continue
                usd = convert_price(listing.price, listing.currency, "USD")
                low, count = market.get(listing.release_id, (usd, 0))
                market[listing.release_id] = (min(low, usd), count + 1)
            self._market = market
        low, count = self._market.get(release_id, (0.0, 0))
        return (low if count else None), count

    def listings_changed(self) -> None:
        """Forget the marketplace summary: call after any listing write."""
        self._market = None

    def inventory(self, username: str) -> list[ListingRecord]:
        """Every listing of a seller, in listing order."""
        key = username.lower()
        return [x for x in self.listings.values() if x.seller.lower() == key]

    # ----- persistence ----------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """The whole state as one JSON object."""
        return {
            "version": STATE_VERSION,
            "tokens": self.tokens,
            "consumers": self.consumers,
            "access_tokens": {k: list(v) for k, v in self.access_tokens.items()},
            "users": [u.to_dict() for u in self.users.values()],
            "collections": {k: c.to_dict() for k, c in self.collections.items()},
            "wantlists": {k: [w.to_dict() for w in v.values()] for k, v in self.wantlists.items()},
            "release_ratings": {
                k: [[rid, r] for rid, r in v.items()] for k, v in self.release_ratings.items()
            },
            "listings": [x.to_dict() for x in self.listings.values()],
            "orders": [o.to_dict() for o in self.orders.values()],
            "lists": [x.to_dict() for x in self.lists.values()],
            "jobs": [j.to_dict() for j in self.jobs.values()],
            "counters": self.counters,
        }

    @classmethod
    def from_json(
        cls, data: dict[str, Any], dataset: Any = None, *, clock: Callable[[], datetime] = _now
    ) -> State:
        """The state from :meth:`to_json` output."""
        if data.get("version") != STATE_VERSION:
            raise ValueError(f"unsupported emulator state version: {data.get('version')!r}")
        state = cls(dataset, clock=clock)
        state.tokens = dict(data["tokens"])
        state.consumers = dict(data["consumers"])
        state.access_tokens = {k: (v[0], v[1]) for k, v in data["access_tokens"].items()}
        for raw in data["users"]:
            user = UserRecord.from_dict(raw)
            state.users[user.username.lower()] = user
        state.collections = {k: Collection.from_dict(v) for k, v in data["collections"].items()}
        state.wantlists = {
            k: {w["release_id"]: WantRecord.from_dict(w) for w in v}
            for k, v in data["wantlists"].items()
        }
        state.release_ratings = {
            k: {int(rid): int(r) for rid, r in v} for k, v in data["release_ratings"].items()
        }
        for raw in data["listings"]:
            listing = ListingRecord.from_dict(raw)
            state.listings[listing.id] = listing
        for raw in data["orders"]:
            order = OrderRecord.from_dict(raw)
            state.orders[order.id] = order
        for raw in data["lists"]:
            record = ListRecord.from_dict(raw)
            state.lists[record.id] = record
        for raw in data["jobs"]:
            job = JobRecord.from_dict(raw)
            state.jobs[job.id] = job
        state.counters.update(data["counters"])
        return state

    def save(self, path: Path) -> None:
        """Write the state to ``path`` atomically: a temp file in the same folder, then rename.

        A crash at any point leaves either the old file or the new one, never a mix.
        """
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = json.dumps(self.to_json(), ensure_ascii=False, separators=(",", ":"))
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp_name, path)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        # Make the rename itself durable (POSIX; a no-op elsewhere).
        if hasattr(os, "O_DIRECTORY"):
            dir_fd = os.open(path.parent, os.O_DIRECTORY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)

    @classmethod
    def load(cls, path: Path, dataset: Any, *, clock: Callable[[], datetime] = _now) -> State:
        """The state saved at ``path`` by :meth:`save`."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls.from_json(data, dataset, clock=clock)

    # ----- the demo world ----------------------------------------------------------------

    @classmethod
    def create(
        cls,
        dataset: Any,
        *,
        scale: int = 0,
        seed: int = 20240607,
        clock: Callable[[], datetime] = _now,
    ) -> State:
        """The demo world, the same every time for the same dataset, ``scale`` and ``seed``.

        With ``scale=N`` (N > 0) the demo user gets N listings and N collection instances,
        cycling through the dataset's releases, for benchmarks.
        """
        state = cls(dataset, clock=clock)
        _DemoBuilder(state, random.Random(seed), list(dataset.release_ids()), scale).build()
        return state


# ----- demo generation -----------------------------------------------------------------------

_FOLDER_NAMES = ("Vinyl", "CDs", "Techno", "Jazz & Soul", "To Sell", "Favourites")
_COMMENTS = (
    "",
    "Plays great, light surface marks.",
    "Sealed copy.",
    "Corner ding on sleeve, vinyl is clean.",
    "Ships in a sturdy mailer.",
    "Includes original inner sleeve and insert.",
    "Promo stamp on label.",
    "Small seam split, otherwise great.",
)
_LOCATIONS = ("Shelf A", "Shelf B", "Crate 3", "Box 12", "Back room", "")
_WANT_NOTES = ("", "", "Only the first pressing", "Any copy in VG+ or better", "Gift idea")
_TEXTAREA_NOTES = (
    "Bought at a record fair.",
    "Signed by the artist.",
    "Cleaned with a wet vac.",
    "Gift from a friend.",
    "Needs a new outer sleeve.",
)
_BUYERS = ("vinylfan", "crate_digger", "beatcollector")
_ADDRESSES = (
    "Alex Example\n12 Sample Road\nSpringfield, OR 97477\nUnited States",
    "Sam Placeholder\n4 Rue Exemple\n75011 Paris\nFrance",
    "Jo Testperson\n88 Demo Street\nLeeds LS1 4AP\nUnited Kingdom",
)


def next_statuses(status: str) -> list[str]:
    """The statuses an order may move to from ``status`` (the ``next_status`` list)."""
    if status.startswith("Cancelled"):
        return []
    if status in ("Payment Received", "In Progress"):
        return [
            "Payment Received",
            "In Progress",
            "Shipped",
            "Refund Sent",
            "Cancelled (Item Unavailable)",
            "Cancelled (Per Buyer's Request)",
        ]
    if status == "Shipped":
        return ["Shipped", "Refund Sent"]
    if status == "Refund Sent":
        return ["Refund Sent", "Cancelled (Per Buyer's Request)"]
    return list(ORDER_STATUSES)


class _DemoBuilder:
    """Fills a :class:`State` with the demo users and their data."""

    def __init__(self, state: State, rng: random.Random, release_ids: list[int], scale: int):
        if not release_ids:
            raise ValueError("the dataset has no releases to build the demo from")
        self.state = state
        self.rng = rng
        self.release_ids = release_ids
        self.scale = max(0, scale)

    def when(self, days_back_max: int = 900) -> str:
        """A random past timestamp in the demo's time range."""
        offset = self.rng.randrange(days_back_max * 86400)
        return timestamp(_EPOCH + timedelta(days=900) - timedelta(seconds=offset))

    def build(self) -> None:
        """Create every demo user and their data."""
        s = self.state
        s.consumers["demo-consumer-key"] = "demo-consumer-secret"
        people = [
            UserRecord(
                id=1_000_001,
                username="demo",
                name="Demo User",
                email="demo@example.com",
                profile="I collect [b]techno[/b] and [i]jazz[/i] records. See [a1] for a favourite.",
                home_page="https://example.com/demo",
                location="Portland, Oregon",
                curr_abbr="USD",
                registered="2012-08-15T21:13:36-07:00",
                rank=149.0,
                releases_contributed=5,
                buyer_num_ratings=144,
                seller_num_ratings=21,
            ),
            UserRecord(
                id=1_000_002,
                username="seller2",
                name="Second Seller",
                email="seller2@example.com",
                profile="Second-hand records, graded honestly.",
                location="Berlin, Germany",
                curr_abbr="EUR",
                ships_from="Germany",
                registered="2015-03-02T09:00:00-07:00",
                seller_num_ratings=310,
                seller_rating=99.6,
            ),
            UserRecord(
                id=1_000_003,
                username="privateuser",
                name="Private Person",
                email="private@example.com",
                location="Leeds, United Kingdom",
                curr_abbr="GBP",
                ships_from="United Kingdom",
                registered="2018-11-20T12:00:00-07:00",
                collection_public=False,
                wantlist_public=False,
            ),
        ]
        for index, name in enumerate(_BUYERS):
            people.append(
                UserRecord(
                    id=1_000_010 + index,
                    username=name,
                    name=name.replace("_", " ").title(),
                    email=f"{name}@example.com",
                    registered="2019-01-01T10:00:00-07:00",
                )
            )
        for person in people:
            s.users[person.username.lower()] = person
        s.tokens.update(
            {
                "demo-token": "demo",
                "seller2-token": "seller2",
                "private-token": "privateuser",
                **{f"{name}-token": name for name in _BUYERS},
            }
        )
        people[0].contributions = self.pick(5)
        self.demo_collection()
        self.demo_wantlist()
        self.demo_inventory()
        self.demo_orders()
        self.demo_lists()
        self.demo_ratings()
        self.other_users()

    def pick(self, count: int) -> list[int]:
        """``count`` distinct release ids (fewer when the dataset is smaller)."""
        return self.rng.sample(self.release_ids, min(count, len(self.release_ids)))

    def demo_collection(self) -> None:
        """Folders, custom fields and a few hundred (or ``scale``) instances for ``demo``."""
        s, rng = self.state, self.rng
        collection = s.collection("demo")
        folder_ids = [1]
        for name in _FOLDER_NAMES:
            folder = FolderRecord(s.next_id("folder"), name)
            collection.folders[folder.id] = folder
            folder_ids.append(folder.id)
        collection.fields = [
            FieldRecord(
                id=1, name="Media", type="dropdown", position=1, public=True,
                options=list(MEDIA_CONDITIONS),
            ),
            FieldRecord(id=2, name="Notes", type="textarea", position=2, public=False, lines=3),
        ]  # fmt: skip
        count = self.scale or 300
        n = len(self.release_ids)
        start = rng.randrange(n)
        for k in range(count):
            release_id = self.release_ids[(start + k * 7) % n]
            notes: list[dict[str, Any]] = []
            if k % 3 == 0:
                notes.append({"field_id": 1, "value": MEDIA_CONDITIONS[k % 5]})
            if k % 4 == 1:
                notes.append({"field_id": 2, "value": _TEXTAREA_NOTES[k % len(_TEXTAREA_NOTES)]})
            collection.add(
                InstanceRecord(
                    instance_id=s.next_id("instance"),
                    release_id=release_id,
                    folder_id=folder_ids[rng.randrange(len(folder_ids))],
                    rating=rng.choice((0, 0, 3, 4, 5, 2, 1)),
                    date_added=self.when(),
                    notes=notes,
                )
            )

    def demo_wantlist(self) -> None:
        """About 50 wants with some notes and ratings."""
        wants = self.state.wantlist("demo")
        for release_id in self.pick(120):
            if len(wants) >= 50:
                break
            if self.state.in_collection("demo", release_id):
                continue
            wants[release_id] = WantRecord(
                release_id=release_id,
                rating=self.rng.choice((0, 0, 0, 3, 4, 5)),
                notes=self.rng.choice(_WANT_NOTES),
                date_added=self.when(),
            )

    def listing(self, seller: str, release_id: int, status: str, currency: str) -> ListingRecord:
        """A random listing of ``release_id`` by ``seller``."""
        rng = self.rng
        condition = rng.choice(MEDIA_CONDITIONS[:6])
        factor = CONDITION_FACTORS[condition]
        price = round(reference_price(release_id) * (0.6 + factor) * USD_RATES[currency], 2)
        return ListingRecord(
            id=self.state.next_id("listing"),
            seller=seller,
            release_id=release_id,
            status=status,
            price=price,
            currency=currency,
            condition=condition,
            sleeve_condition=rng.choice(SLEEVE_CONDITIONS),
            posted=self.when(600),
            comments=rng.choice(_COMMENTS),
            allow_offers=rng.random() < 0.3,
            external_id=f"SKU-{rng.randrange(10000):04d}" if rng.random() < 0.5 else "",
            location=rng.choice(_LOCATIONS),
            weight=rng.choice((0, 90, 180, 230, 460)),
            format_quantity=rng.choice((1, 1, 1, 2)),
            audio=rng.random() < 0.1,
        )

    def demo_inventory(self) -> None:
        """About 200 (or ``scale``) listings over For Sale, Draft, Expired and Sold."""
        s = self.state
        count = self.scale or 200
        n = len(self.release_ids)
        start = self.rng.randrange(n)
        statuses = ("For Sale",) * 6 + ("Draft", "Expired", "Sold")
        for k in range(count):
            release_id = self.release_ids[(start + k * 11) % n]
            record = self.listing("demo", release_id, statuses[k % len(statuses)], "USD")
            s.listings[record.id] = record

    def demo_orders(self) -> None:
        """A few orders of demo's Sold listings, in varied statuses, with messages."""
        s, rng = self.state, self.rng
        sold = [x for x in s.inventory("demo") if x.status == "Sold"][:8]
        demo = s.users["demo"]
        plan = (
            "New Order",
            "Invoice Sent",
            "Payment Received",
            "Shipped",
            "Cancelled (Non-Paying Buyer)",
        )
        for number, status in enumerate(plan, start=1):
            items = sold[(number - 1) % max(1, len(sold)) :][:2] if sold else []
            if not items:
                break
            buyer = _BUYERS[number % len(_BUYERS)]
            created = _EPOCH + timedelta(days=600 + number * 13, hours=number)
            order_id = f"{demo.id}-{number}"
            order = OrderRecord(
                id=order_id,
                seller="demo",
                buyer=buyer,
                status=status,
                created=timestamp(created),
                last_activity=timestamp(created + timedelta(days=2)),
                currency="USD",
                items=[
                    {
                        "id": x.id,
                        "release_id": x.release_id,
                        "price": x.price,
                        "media_condition": x.condition,
                        "sleeve_condition": x.sleeve_condition,
                    }
                    for x in items
                ],
                shipping=0.0 if status == "New Order" else 5.0,
                shipping_address=_ADDRESSES[number % len(_ADDRESSES)],
                additional_instructions=rng.choice(("", "Please use sturdy packaging.")),
                archived=status.startswith("Cancelled"),
            )
            order.messages.append(
                status_message(order, "demo", f"{buyer} created the order.", created, 1)
            )
            order.messages.append(
                chat_message(
                    order,
                    s.users[buyer],
                    "Hi! Could you combine shipping with my other order?",
                    created + timedelta(hours=3),
                )
            )
            if status != "New Order":
                order.messages.append(
                    chat_message(
                        order, demo, "Thank you for your order!", created + timedelta(days=1)
                    )
                )
            s.orders[order.id] = order

    def demo_lists(self) -> None:
        """Two lists for demo (one private) and a public one for seller2."""
        s = self.state
        for owner, name, public in (
            ("demo", "Desert island records", True),
            ("demo", "Records to digitise", False),
            ("seller2", "Staff picks", True),
        ):
            created = self.when()
            record = ListRecord(
                id=s.next_id("list"),
                owner=owner,
                name=name,
                description=f"{name} by {owner}.",
                public=public,
                created=created,
                modified=created,
                items=[
                    {"type": "release", "id": rid, "comment": self.rng.choice(_COMMENTS)}
                    for rid in self.pick(6)
                ],
            )
            s.lists[record.id] = record

    def demo_ratings(self) -> None:
        """Release ratings by demo and the buyers (they feed the community rating)."""
        s = self.state
        for name in ("demo", *_BUYERS):
            s.release_ratings[name] = {rid: self.rng.randint(1, 5) for rid in self.pick(40)}

    def other_users(self) -> None:
        """seller2's public inventory and collection, and privateuser's private collection."""
        s = self.state
        # Release 1 ("Stockholm") is always on sale, so its marketplace stats are never empty.
        picks = self.pick(40)
        first = self.release_ids[0]
        for release_id in [first, *(r for r in picks if r != first)]:
            status = "For Sale" if release_id == first or self.rng.random() < 0.85 else "Draft"
            record = self.listing("seller2", release_id, status, "EUR")
            s.listings[record.id] = record
        for username, count in (("seller2", 25), ("privateuser", 30)):
            collection = s.collection(username)
            for release_id in self.pick(count):
                collection.add(
                    InstanceRecord(
                        instance_id=s.next_id("instance"),
                        release_id=release_id,
                        folder_id=1,
                        rating=self.rng.choice((0, 3, 4, 5)),
                        date_added=self.when(),
                    )
                )
            wants = s.wantlist(username)
            for release_id in self.pick(10):
                wants[release_id] = WantRecord(release_id, 0, "", self.when())


# ----- order messages (shared by the generator and the routes) ------------------------------


def _order_ref(order: OrderRecord) -> dict[str, Any]:
    return {"resource_url": f"{BASE}/marketplace/orders/{order.id}", "id": order.id}


def user_ref(user: UserRecord) -> dict[str, Any]:
    """A short user object ``{id, username, resource_url}``."""
    return {
        "id": user.id,
        "username": user.username,
        "resource_url": f"{BASE}/users/{user.username}",
    }


def status_message(
    order: OrderRecord, actor: str, text: str, moment: datetime, status_id: int
) -> dict[str, Any]:
    """An order message of type ``status`` (a status change recorded in the thread)."""
    return {
        "status_id": status_id,
        "timestamp": timestamp(moment),
        "actor": {"username": actor, "resource_url": f"{BASE}/users/{actor}"},
        "message": text,
        "type": "status",
        "order": _order_ref(order),
        "subject": "",
    }


def chat_message(
    order: OrderRecord, sender: UserRecord, text: str, moment: datetime
) -> dict[str, Any]:
    """An order message of type ``message`` written by ``sender``."""
    return {
        "from": user_ref(sender),
        "timestamp": timestamp(moment),
        "message": text,
        "type": "message",
        "order": _order_ref(order),
        "subject": f"Discogs Order #{order.id}",
    }
