"""The emulator's database: the bundled CC0 dataset and the queries the database routes need.

The dataset is built by ``scripts/build_dataset.py`` from the Discogs data-dump samples and
ships as ``data/dataset.json.gz``. Documents are stored in the shape the real API serves them
(https://www.discogs.com/developers/#page:database), with ``resource_url`` and ``uri`` written
against the :data:`~discogs_tui.emulator.core.BASE` placeholder. A :class:`Dataset` is
read-only: every method returns either a stored document, which callers must not mutate (copy
it first), or a freshly built one.

The work is split by concern: :mod:`~discogs_tui.emulator.dataset_tables` (documents by id),
:mod:`~discogs_tui.emulator.dataset_rows` (artist, label and master release lists),
:mod:`~discogs_tui.emulator.dataset_search` (the search index) and
:mod:`~discogs_tui.emulator.dataset_text` (names, credits, formats). Their public names are
importable from here too.
"""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from discogs_tui.emulator.dataset_rows import (
    ARTIST_RELEASE_SORTS,
    VERSION_FILTERS,
    VERSION_SORTS,
    Rows,
    sort_artist_releases,
    sort_versions,
)
from discogs_tui.emulator.dataset_search import SEARCH_TYPES, SearchIndex
from discogs_tui.emulator.dataset_tables import Doc
from discogs_tui.emulator.dataset_text import credit_string, display_name, fold, format_string

__all__ = [
    "ARTIST_RELEASE_SORTS",
    "DATA_FILE",
    "SEARCH_TYPES",
    "VERSION_FILTERS",
    "VERSION_SORTS",
    "Dataset",
    "Doc",
    "credit_string",
    "display_name",
    "fold",
    "format_string",
    "sort_artist_releases",
    "sort_versions",
]

DATA_FILE = Path(__file__).with_name("data") / "dataset.json.gz"
"""The bundled dataset."""


class Dataset(Rows):
    """The bundled database: releases, masters, artists, labels and their cross-links.

    Read-only and shared: :meth:`load` without a path returns one instance per process.
    """

    _shared: Dataset | None = None
    _shared_lock = threading.Lock()

    def __init__(self, raw: Mapping[str, Any]) -> None:
        """Index a dataset document as written by ``scripts/build_dataset.py``; search lazily."""
        super().__init__(raw)
        self._search = SearchIndex(
            self._releases, self._masters, self._artists, self._labels, self._master_rows
        )

    @classmethod
    def load(cls, path: Path | None = None) -> Dataset:
        """Load a dataset file (gzip'd JSON); the bundled one, shared, when ``path`` is None."""
        if path is not None:
            return cls(json.loads(gzip.decompress(path.read_bytes())))
        with cls._shared_lock:
            if cls._shared is None:
                cls._shared = cls(json.loads(gzip.decompress(DATA_FILE.read_bytes())))
            return cls._shared

    def search(self, params: Mapping[str, str]) -> list[Doc]:
        """Search results for ``q`` and the field parameters, best match first.

        As :meth:`~discogs_tui.emulator.dataset_search.SearchIndex.search`.
        """
        return self._search.search(params)
