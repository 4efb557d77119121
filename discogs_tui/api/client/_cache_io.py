"""The client's side of the disk cache: every cache call goes through here.

The disk cache only ever saves requests: when it fails (a file where its folder should be,
no permission, disk full, a damaged database) the client says so once, in ``cache_problem``
and the log, and carries on without it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from discogs_tui.api.auth import Credentials
from discogs_tui.api.cache import CachedAnswer, ResponseCache
from discogs_tui.api.client._shared import _Answer

log = logging.getLogger("discogs_tui.api.client")


class CacheIO:
    """Reads and writes of the disk cache that never fail a request."""

    base_url: str
    credentials: Credentials
    cache: ResponseCache | None
    cache_problem: str | None
    _dead_caches: list[ResponseCache]
    _username_hint: str | None

    def _give_up_cache(self, folder: Path, exc: BaseException) -> None:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        if self.cache is not None:
            self._dead_caches.append(self.cache)
            self.cache = None
        if self.cache_problem is None:
            self.cache_problem = (
                f"The disk cache at {folder} cannot be used ({reason}): "
                "carrying on without it, so pages load from Discogs each time."
            )
            log.warning("%s", self.cache_problem)
            log.debug("disk cache failure", exc_info=exc)

    def _cache_failed(self, exc: BaseException) -> None:
        if self.cache is not None:
            self._give_up_cache(self.cache.directory.parent, exc)

    def _describe_cache(self) -> None:
        if self.cache is not None:
            self.cache.describe(
                self.base_url, self._username_hint, signed_in=self.credentials.is_user
            )

    async def check_cache(self) -> str | None:
        """Open the disk cache now; the words for the user if it cannot be used, else ``None``."""
        if self.cache is not None:
            try:
                await self.cache.open()
            except Exception as exc:
                self._cache_failed(exc)
        return self.cache_problem

    async def _cache_get(self, key: str) -> CachedAnswer | None:
        if self.cache is None:
            return None
        try:
            return await self.cache.get(key)
        except Exception as exc:
            self._cache_failed(exc)
            return None

    async def _cache_put(self, key: str, answer: _Answer, ttl: float) -> None:
        if self.cache is None:
            return
        try:
            await self.cache.put(key, answer.body, status=answer.status, ttl=ttl)
        except Exception as exc:
            self._cache_failed(exc)

    async def _cache_discard(self, key: str) -> None:
        if self.cache is None:
            return
        try:
            await self.cache.discard(key)
        except Exception as exc:
            self._cache_failed(exc)

    async def _cache_invalidate(self, paths: Sequence[str]) -> None:
        if self.cache is None:
            return
        try:
            await self.cache.invalidate(*paths)
        except Exception as exc:
            self._cache_failed(exc)
