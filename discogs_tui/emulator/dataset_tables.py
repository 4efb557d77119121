"""The dataset's tables: the stored documents by id and the cross-links between them.

The base of :class:`~discogs_tui.emulator.dataset.Dataset`. Documents are stored in the shape
the real API serves them (https://www.discogs.com/developers/#page:database); the methods here
return stored documents, which callers must not mutate (copy them first).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Doc = dict[str, Any]
"""A JSON object as the API serves it."""


class Tables:
    """Releases, masters, artists and labels by id, and which releases each one lists."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        """Index a dataset document as written by ``scripts/build_dataset.py``."""
        self._releases: dict[int, Doc] = {d["id"]: d for d in raw["releases"]}
        self._masters: dict[int, Doc] = {d["id"]: d for d in raw["masters"]}
        self._artists: dict[int, Doc] = {d["id"]: d for d in raw["artists"]}
        self._labels: dict[int, Doc] = {d["id"]: d for d in raw["labels"]}
        self._artist_rows: dict[int, list[list[Any]]] = {
            int(k): v for k, v in raw["artist_releases"].items()
        }
        self._label_rows: dict[int, list[int]] = {
            int(k): v for k, v in raw["label_releases"].items()
        }
        self._master_rows: dict[int, list[int]] = {
            int(k): v for k, v in raw["master_versions"].items()
        }

    # --- documents ------------------------------------------------------------------------

    def release(self, release_id: int) -> Doc | None:
        """The release document, or ``None``."""
        return self._releases.get(release_id)

    def master(self, master_id: int) -> Doc | None:
        """The master release document, or ``None``."""
        return self._masters.get(master_id)

    def artist(self, artist_id: int) -> Doc | None:
        """The artist document, or ``None``."""
        return self._artists.get(artist_id)

    def label(self, label_id: int) -> Doc | None:
        """The label document, or ``None``."""
        return self._labels.get(label_id)

    def release_ids(self) -> list[int]:
        """Every release id, ascending."""
        return sorted(self._releases)

    def master_ids(self) -> list[int]:
        """Every master id, ascending."""
        return sorted(self._masters)

    def artist_ids(self) -> list[int]:
        """Every artist id, ascending."""
        return sorted(self._artists)

    def label_ids(self) -> list[int]:
        """Every label id, ascending."""
        return sorted(self._labels)

    def statistics(self) -> dict[str, int]:
        """Document counts, for the service endpoint's ``statistics``."""
        return {
            "releases": len(self._releases),
            "artists": len(self._artists),
            "labels": len(self._labels),
        }

    def resolve_name(self, kind: str, ident: int) -> str | None:
        """The name or title behind a markup reference (``artist``, ``release``, ``master``, ``label``)."""
        table = {
            "artist": self._artists,
            "label": self._labels,
            "release": self._releases,
            "master": self._masters,
        }.get(kind)
        doc = table.get(ident) if table is not None else None
        if doc is None:
            return None
        return str(doc.get("name") or doc.get("title") or "") or None
