"""The emulator's mutable user-side state: users, collections, wantlists, listings, orders.

Database documents (releases, artists, ...) live in the read-only dataset; everything a
user can change lives here. :meth:`State.create` builds the demo world deterministically
(see :mod:`~discogs_tui.emulator.world`); :meth:`State.save` and :meth:`State.load` keep it
across restarts as one JSON file, written atomically so a crash never leaves half a file behind.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from discogs_tui.emulator import world
from discogs_tui.emulator.records import (
    Collection,
    JobRecord,
    ListingRecord,
    ListRecord,
    OrderRecord,
    UserRecord,
    WantRecord,
)
from discogs_tui.emulator.vocab import convert_price, timestamp

STATE_VERSION = 1
"""Bumped when the saved file's layout changes incompatibly."""

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


def _now() -> datetime:
    return datetime.now(UTC)


class State:
    """Everything users can change, plus the credentials the emulator accepts."""

    def __init__(
        self, dataset: DatasetLike | None = None, *, clock: Callable[[], datetime] = _now
    ) -> None:
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
        cls,
        data: dict[str, Any],
        dataset: DatasetLike | None = None,
        *,
        clock: Callable[[], datetime] = _now,
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
        state.listings = {x.id: x for x in map(ListingRecord.from_dict, data["listings"])}
        state.orders = {o.id: o for o in map(OrderRecord.from_dict, data["orders"])}
        state.lists = {x.id: x for x in map(ListRecord.from_dict, data["lists"])}
        state.jobs = {j.id: j for j in map(JobRecord.from_dict, data["jobs"])}
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
    def load(
        cls, path: Path, dataset: DatasetLike, *, clock: Callable[[], datetime] = _now
    ) -> State:
        """The state saved at ``path`` by :meth:`save`."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls.from_json(data, dataset, clock=clock)

    # ----- the demo world ----------------------------------------------------------------

    @classmethod
    def create(
        cls,
        dataset: DatasetLike,
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
        world.populate(state, list(dataset.release_ids()), scale=scale, seed=seed)
        return state
