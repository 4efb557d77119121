"""The disk cache of Discogs answers: time-to-live by kind, invalidation by path, stale answers kept.

Answers live in one :class:`diskcache.Cache` per *namespace* (a short hash of base URL and
identity), under the XDG cache folder (``~/.cache/discogs-tui/http/<namespace>/``), in folders
of mode 0700. Two users, or the real Discogs and the emulator, never see each other's answers.

diskcache is synchronous: called on the event loop, a thousand writes stall the UI for over half
a second. So every diskcache call made by :class:`ResponseCache` runs on one worker thread owned
by that cache, and the coroutines only await it. One thread, not a pool: SQLite serialises writes
anyway, and diskcache keeps one connection per thread, so a single thread is the only way to
close every connection it opened.

Each stored value is raw bytes (a small fixed header, then the body), so nothing is unpickled
from disk. Each entry is tagged with its path (the key without method and query), which makes
invalidation by path prefix an index lookup instead of a scan of bodies.

Each namespace folder also holds ``about.json``: the server and the username it belongs to (never
a credential), so ``discogs-tui cache stats`` can name it.

Keys, namespaces and time-to-live rules are :mod:`discogs_tui.api.cache_keys` (re-exported here).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import shutil
import struct
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import diskcache
import platformdirs

from discogs_tui.api.cache_keys import (
    DAY,
    HOUR,
    MINUTE,
    _key_path,
    _path_of,
    cache_key,
    namespace_for,
    server_name,
    ttl_for,
)

__all__ = [
    "DAY",
    "DEFAULT_GRACE",
    "DEFAULT_SIZE_LIMIT",
    "HOUR",
    "MINUTE",
    "CacheStats",
    "CachedAnswer",
    "ResponseCache",
    "WriteGenerations",
    "cache_key",
    "cache_stats_all",
    "clear_all",
    "default_cache_dir",
    "namespace_for",
    "server_name",
    "ttl_for",
]

DEFAULT_SIZE_LIMIT = 256 * 1024 * 1024
"""Bytes per namespace before diskcache evicts the oldest answers."""

DEFAULT_GRACE = 30 * DAY
"""How long an expired answer is kept after its time-to-live, to be served when offline."""

_T = TypeVar("_T")

# Stored value = magic + header + body. The magic names the format, so a value written by a
# future layout (or a foreign file) is dropped instead of misread.
_MAGIC = b"DTC1"
_HEADER = struct.Struct("!Hdd")  # status, stored_at, expires_at
_PREFIX_LEN = len(_MAGIC) + _HEADER.size

# A namespace becomes a folder name: keep it to characters that cannot climb out of the folder.
_NAMESPACE_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")

_ABOUT = "about.json"
"""The file in each namespace folder naming its server and user."""

# --- what an answer is ------------------------------------------------------------------------


@dataclass(frozen=True)
class CachedAnswer:
    """A cached answer body with its status and the times it was stored and goes stale."""

    body: bytes
    status: int
    stored_at: float
    """Epoch seconds (from the cache's clock) when the answer was stored."""
    expires_at: float
    """Epoch seconds after which the answer is stale (still served when the network fails)."""

    def age(self, now: float) -> float:
        """Seconds since the answer was stored (never negative, even if the clock went back)."""
        return max(0.0, now - self.stored_at)

    def is_fresh(self, now: float) -> bool:
        """Whether the answer is still within its time-to-live at ``now``."""
        return now < self.expires_at


@dataclass(frozen=True)
class CacheStats:
    """Figures for one namespace, as shown by ``discogs-tui cache stats``."""

    entries: int
    size_bytes: int
    """Estimated bytes on disk (database plus value files)."""
    directory: Path
    namespace: str
    fresh: int
    stale: int
    label: str = ""
    """Whose answers these are, e.g. ``api.discogs.com as demo``; empty if not recorded."""


def _encode(body: bytes, status: int, stored_at: float, expires_at: float) -> bytes:
    return _MAGIC + _HEADER.pack(status, stored_at, expires_at) + body


def _decode(value: bytes) -> CachedAnswer | None:
    """Parse a stored value, or ``None`` if it is not in our format."""
    if len(value) < _PREFIX_LEN or not value.startswith(_MAGIC):
        return None
    status, stored_at, expires_at = _HEADER.unpack_from(value, len(_MAGIC))
    return CachedAnswer(
        body=value[_PREFIX_LEN:], status=status, stored_at=stored_at, expires_at=expires_at
    )


def _label(about: Mapping[str, Any]) -> str:
    server = str(about.get("server") or "unknown server")
    user = about.get("user")
    if isinstance(user, str) and user:
        return f"{server} as {user}"
    return f"{server}, signed in" if about.get("signed_in") else f"{server}, anonymous"


def _read_label(folder: Path) -> str:
    """The label recorded in ``folder``'s ``about.json``, or ``""`` if there is none readable."""
    try:
        about = json.loads((folder / _ABOUT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    return _label(about) if isinstance(about, dict) else ""


def default_cache_dir() -> Path:
    """The folder holding every namespace: the user's cache folder for discogs-tui, then ``http``."""
    return Path(platformdirs.user_cache_dir("discogs-tui")) / "http"


def _make_private_dir(path: Path, *, chmod_also: Iterable[Path] = ()) -> None:
    """Create ``path`` (and missing parents) with mode 0700, then force 0700 on it and extras."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    for folder in (*chmod_also, path):
        if folder.is_dir():
            os.chmod(folder, 0o700)


# --- read-your-writes -------------------------------------------------------------------------


class WriteGenerations:
    """Counters telling whether a write touched a path since a read began (read-your-writes).

    A write calls :meth:`bump` with the path prefixes it changes when it starts and again when it
    ends; a read notes :meth:`of` its path when it starts. If :meth:`of` has moved by the time the
    answer arrives, the answer may predate the write: it is neither stored nor shared with later
    readers. Prefixes follow :meth:`ResponseCache.invalidate`: ``/a/b`` covers ``/a/b`` and every
    path below it; ``/a/b?`` (a query mark) covers ``/a/b`` alone, any query.
    """

    def __init__(self) -> None:
        self._tick = 0
        self._below: dict[str, int] = {}
        self._exact: dict[str, int] = {}

    def bump(self, prefixes: Iterable[str]) -> None:
        """Mark every path under ``prefixes`` as changed now."""
        self._tick += 1
        for prefix in prefixes:
            marks = self._exact if "?" in prefix else self._below
            marks[_path_of(prefix)] = self._tick

    def of(self, path: str) -> int:
        """The last time a write touched ``path`` (any query); 0 if none ever did."""
        bare = _path_of(path)
        latest = max(self._exact.get(bare, 0), self._below.get("/", 0))
        end = bare.find("/", 1)
        while end != -1:
            latest = max(latest, self._below.get(bare[:end], 0))
            end = bare.find("/", end + 1)
        if bare != "/":
            latest = max(latest, self._below.get(bare, 0))
        return latest


# --- the cache --------------------------------------------------------------------------------


def _matching_tags(cache: Any, prefix: str) -> list[str]:
    """Every entry tag (path) equal to ``prefix`` or below it (``prefix/...``).

    A range query on diskcache's indexed ``tag`` column: ``prefix + "/"`` up to ``prefix + "0"``
    covers exactly the strings that start with ``prefix/`` ("0" follows "/" in byte order), so
    ``/marketplace/listings/123`` never reaches ``/marketplace/listings/1234``. diskcache has no
    public call to list tags, so this reads its (stable, documented-by-schema) ``Cache`` table.
    """
    if prefix == "/":
        rows = cache._sql("SELECT DISTINCT tag FROM Cache WHERE tag IS NOT NULL").fetchall()
    else:
        rows = cache._sql(
            "SELECT DISTINCT tag FROM Cache WHERE tag = ? OR (tag >= ? AND tag < ?)",
            (prefix, prefix + "/", prefix + "0"),
        ).fetchall()
    return [str(tag) for (tag,) in rows]


def _iter_answers(cache: Any) -> Iterator[CachedAnswer]:
    """Every readable answer in ``cache``, reading only the header of values stored in files."""
    for key in cache.iterkeys():
        value = cache.get(key, read=True)
        if value is None:
            continue  # removed or expired between listing and reading
        if isinstance(value, bytes):
            head = value[:_PREFIX_LEN]
        else:  # a file handle: the body is in its own file, read just the header
            with value:
                head = value.read(_PREFIX_LEN)
        answer = _decode(head)
        if answer is not None:
            yield answer


def _stats_of(cache: Any, directory: Path, namespace: str, now: float) -> CacheStats:
    fresh = stale = 0
    for answer in _iter_answers(cache):
        if answer.is_fresh(now):
            fresh += 1
        else:
            stale += 1
    return CacheStats(
        entries=fresh + stale,
        size_bytes=int(cache.volume()),
        directory=directory,
        namespace=namespace,
        fresh=fresh,
        stale=stale,
        label=_read_label(directory),
    )


def _open_diskcache(folder: Path, *, size_limit: int | None = None) -> Any:
    settings: dict[str, Any] = {"tag_index": True}
    if size_limit is not None:
        settings["size_limit"] = size_limit
    return diskcache.Cache(str(folder), **settings)


class ResponseCache:
    """The answers of one namespace, on disk, reached only through coroutines.

    ``get`` returns fresh and stale answers alike (the caller decides: a stale one is served when
    the network fails). ``put`` keeps an answer for its time-to-live plus a grace period, after
    which it is gone. Every diskcache call runs on this cache's own worker thread.
    """

    def __init__(
        self,
        directory: Path | None = None,
        *,
        namespace: str,
        clock: Callable[[], float] = time.time,
        size_limit: int = DEFAULT_SIZE_LIMIT,
        grace: float = DEFAULT_GRACE,
    ) -> None:
        if not _NAMESPACE_RE.fullmatch(namespace):
            raise ValueError(f"namespace must be 1-64 letters, digits, '-' or '_': {namespace!r}")
        if grace < 0:
            raise ValueError("grace must not be negative")
        base = default_cache_dir() if directory is None else Path(directory)
        self.directory = base / namespace
        self.namespace = namespace
        self._clock = clock
        self._size_limit = size_limit
        self._grace = grace
        # Only a few mkdir/chmod calls here; the database itself opens on the worker thread.
        # The app's own cache folder (…/discogs-tui/http) keeps its parent private too.
        own = directory is None or base == default_cache_dir()
        parents = (base.parent,) if own else ()
        _make_private_dir(self.directory, chmod_also=(*parents, base))
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="discogs-cache")
        self._cache: Any = None
        self._closed = False

    # The worker side: plain functions run on the worker thread.

    def _disk(self) -> Any:
        if self._cache is None:
            self._cache = _open_diskcache(self.directory, size_limit=self._size_limit)
        return self._cache

    def _get_sync(self, key: str) -> CachedAnswer | None:
        cache = self._disk()
        value = cache.get(key)
        if value is None:
            return None
        answer = _decode(value) if isinstance(value, bytes) else None
        if answer is None or self._clock() > answer.expires_at + self._grace:
            cache.delete(key)  # foreign format, or past its grace period by our clock
            return None
        return answer

    def _put_sync(self, key: str, body: bytes, status: int, ttl: float) -> None:
        now = self._clock()
        value = _encode(bytes(body), status, now, now + ttl)
        # diskcache's own expiry (real time) drops the entry once the grace period is over.
        self._disk().set(key, value, expire=ttl + self._grace, tag=_key_path(key))

    def _discard_sync(self, key: str) -> bool:
        return bool(self._disk().delete(key))

    def _describe_sync(self, about: dict[str, Any]) -> None:
        target = self.directory / _ABOUT
        spare = target.with_suffix(".tmp")
        # Only naming facts, no credential: written whole, then renamed into place.
        with contextlib.suppress(OSError):
            fd = os.open(spare, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(about, out)
            os.replace(spare, target)

    def _invalidate_sync(self, prefixes: tuple[str, ...]) -> int:
        cache = self._disk()
        removed = 0
        for prefix in prefixes:
            if prefix.endswith("?"):
                # "path?": that path with any query, nothing below it.
                removed += int(cache.evict(_path_of(prefix)))
                continue
            if "?" in prefix:
                removed += self._invalidate_query_prefix(cache, prefix)
                continue
            for tag in _matching_tags(cache, _path_of(prefix)):
                removed += int(cache.evict(tag))
        return removed

    @staticmethod
    def _invalidate_query_prefix(cache: Any, prefix: str) -> int:
        """Drop keys of one path whose ``path?query`` starts with ``prefix`` (rarely needed)."""
        path = _path_of(prefix)
        rows = cache._sql("SELECT key FROM Cache WHERE tag = ?", (path,)).fetchall()
        removed = 0
        for (key,) in rows:
            _, _, rest = str(key).partition(" ")
            if rest.startswith(prefix) and cache.delete(key):
                removed += 1
        return removed

    def _clear_sync(self) -> int:
        return int(self._disk().clear())

    def _stats_sync(self) -> CacheStats:
        return _stats_of(self._disk(), self.directory, self.namespace, self._clock())

    def _close_sync(self) -> None:
        if self._cache is not None:
            self._cache.close()
            self._cache = None

    async def _run(self, func: Callable[..., _T], *args: Any) -> _T:
        if self._closed:
            raise RuntimeError("the response cache is closed")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, partial(func, *args))

    # The loop side.

    async def get(self, key: str) -> CachedAnswer | None:
        """The stored answer for ``key``, fresh or stale, or ``None`` if there is none."""
        return await self._run(self._get_sync, key)

    async def open(self) -> None:
        """Open the database now, so an unusable folder shows at once.

        Raises whatever the disk raises: ``OSError`` (no permission, no space, a file in the
        way) or ``sqlite3.Error`` (a damaged or locked database).
        """
        await self._run(self._disk)

    async def discard(self, key: str) -> bool:
        """Drop the answer stored for ``key`` (one that could not be read); whether there was one."""
        return await self._run(self._discard_sync, key)

    def describe(self, base_url: str, user: str | None, *, signed_in: bool) -> None:
        """Record whose answers this namespace holds (server and username, never a credential).

        Written on the cache's worker thread without waiting; ``discogs-tui cache stats`` reads it.
        """
        about = {"server": server_name(base_url), "user": user, "signed_in": signed_in}
        if not self._closed:
            self._executor.submit(self._describe_sync, about)

    async def put(self, key: str, answer_body: bytes, *, status: int, ttl: float) -> None:
        """Store an answer, fresh for ``ttl`` seconds and kept stale for the grace period after."""
        if ttl < 0:
            raise ValueError("ttl must not be negative")
        if not 0 <= status <= 0xFFFF:
            raise ValueError(f"not an HTTP status: {status}")
        await self._run(self._put_sync, key, answer_body, status, ttl)

    async def invalidate(self, *path_prefixes: str) -> int:
        """Drop every answer whose path is one of ``path_prefixes`` or lies below one.

        Matching stops at path boundaries: ``/marketplace/listings/123`` drops that listing
        (any query) and ``/marketplace/listings/123/...``, never ``/marketplace/listings/1234``.
        A prefix ending in ``?`` drops that one path with any query and nothing below it
        (``/users/demo?`` is the profile, not the collection); a prefix with query text after
        the ``?`` matches the query text of that one path. Returns the count dropped.
        """
        if not path_prefixes:
            return 0
        return await self._run(self._invalidate_sync, path_prefixes)

    async def clear(self) -> int:
        """Drop every answer of this namespace; returns how many there were."""
        return await self._run(self._clear_sync)

    async def stats(self) -> CacheStats:
        """Entries, bytes on disk, and how many answers are fresh or stale now."""
        return await self._run(self._stats_sync)

    def close(self) -> None:
        """Close the database and stop the worker thread (waits for calls still running)."""
        if self._closed:
            return
        self._closed = True
        self._executor.submit(self._close_sync)
        self._executor.shutdown(wait=True)


# --- every namespace at once (the CLI) --------------------------------------------------------


def _namespace_dirs(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    return sorted(
        child
        for child in directory.iterdir()
        if child.is_dir() and _NAMESPACE_RE.fullmatch(child.name) and (child / "cache.db").is_file()
    )


def cache_stats_all(
    directory: Path | None = None, *, clock: Callable[[], float] = time.time
) -> list[CacheStats]:
    """Figures for every namespace under ``directory`` (default: :func:`default_cache_dir`).

    ``clock`` decides what is fresh; it must be the clock the answers were stored with. Each
    entry's ``label`` names the server and user the namespace belongs to.
    """
    base = default_cache_dir() if directory is None else Path(directory)
    now = clock()
    result = []
    for folder in _namespace_dirs(base):
        with _open_diskcache(folder) as cache:
            result.append(_stats_of(cache, folder, folder.name, now))
    return result


def clear_all(directory: Path | None = None) -> int:
    """Remove every namespace under ``directory``; returns how many answers they held.

    Nothing is left behind: the namespace folders go with their databases (and SQLite's
    ``-wal``/``-shm`` files), value files and ``about.json``. Raises ``OSError`` if a folder
    cannot be removed.
    """
    base = default_cache_dir() if directory is None else Path(directory)
    if not base.is_dir():
        return 0
    removed = 0
    for folder in sorted(base.iterdir()):
        if not (folder.is_dir() and _NAMESPACE_RE.fullmatch(folder.name)):
            continue
        if (folder / "cache.db").is_file():
            with _open_diskcache(folder) as cache:
                removed += int(cache.clear())
        shutil.rmtree(folder)
    return removed
