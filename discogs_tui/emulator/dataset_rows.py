"""The dataset's derived rows: an artist's, a label's and a master's release lists, and more.

The list shapes of https://www.discogs.com/developers/#page:database,artist-releases,
#page:database,label-releases and #page:database,master-release-versions, plus the
``basic_information`` of collection items and the ``release`` of marketplace listings.
Every row is freshly built.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote_plus

from discogs_tui.emulator.dataset_tables import Doc, Tables
from discogs_tui.emulator.dataset_text import (
    ABBREVIATIONS,
    credit_string,
    fold,
    format_string,
    unique,
)

ARTIST_RELEASE_SORTS = ("year", "title", "format")
VERSION_SORTS = ("released", "title", "format", "label", "catno", "country")
VERSION_FILTERS = ("format", "label", "released", "country")


class Rows(Tables):
    """The tables, with the rows the list endpoints serve built from them."""

    @staticmethod
    def _stats(release: Mapping[str, Any]) -> Doc:
        community = release.get("community", {})
        return {
            "community": {
                "in_wantlist": community.get("want", 0),
                "in_collection": community.get("have", 0),
            }
        }

    def _release_summary(self, release: Doc, role: str, trackinfo: str) -> Doc:
        """An artist-releases row for one release."""
        labels = release["labels"]
        row: Doc = {
            "id": release["id"],
            "status": release["status"],
            "type": "release",
            "format": format_string(release["formats"]),
            "label": labels[0]["name"] if labels else "",
            "title": release["title"],
            "resource_url": release["resource_url"],
            "role": role,
            "artist": credit_string(release["artists"]),
            "year": release["year"],
            "thumb": release["thumb"],
            "stats": self._stats(release),
        }
        if trackinfo:
            row["trackinfo"] = trackinfo
        return row

    def _master_summary(self, master: Doc, role: str) -> Doc:
        """An artist-releases row for one master."""
        main = self._releases[master["main_release"]]
        return {
            "id": master["id"],
            "title": master["title"],
            "type": "master",
            "main_release": master["main_release"],
            "artist": credit_string(master["artists"]),
            "role": role,
            "resource_url": master["resource_url"],
            "year": master["year"],
            "thumb": main["thumb"],
            "stats": self._master_stats(master["id"]),
        }

    def _master_stats(self, master_id: int) -> Doc:
        have = want = 0
        for release_id in self._master_rows.get(master_id, []):
            community = self._releases[release_id]["community"]
            have += community["have"]
            want += community["want"]
        return {"community": {"in_wantlist": want, "in_collection": have}}

    def artist_releases(
        self, artist_id: int, *, sort: str | None = None, sort_order: str | None = None
    ) -> list[Doc] | None:
        """The artist's masters and releases (``type``, ``role``), or ``None`` for no artist."""
        if artist_id not in self._artists:
            return None
        rows: list[Doc] = []
        for kind, ident, role, trackinfo in self._artist_rows.get(artist_id, []):
            if kind == "master":
                rows.append(self._master_summary(self._masters[ident], role))
            else:
                rows.append(self._release_summary(self._releases[ident], role, trackinfo))
        return sort_artist_releases(rows, sort or "year", sort_order or "asc")

    def label_releases(self, label_id: int) -> list[Doc] | None:
        """The releases that name the label (as label or company), or ``None`` for no label."""
        if label_id not in self._labels:
            return None
        rows = []
        for release_id in self._label_rows.get(label_id, []):
            release = self._releases[release_id]
            entries = [e for e in release["labels"] + release["companies"] if e["id"] == label_id]
            rows.append(
                {
                    "id": release_id,
                    "status": release["status"],
                    "format": format_string(release["formats"]),
                    "catno": entries[0]["catno"] if entries else "",
                    "thumb": release["thumb"],
                    "resource_url": release["resource_url"],
                    "title": release["title"],
                    "year": release["year"],
                    "artist": credit_string(release["artists"]),
                    "stats": self._stats(release),
                }
            )
        return rows

    def _version(self, release: Doc) -> Doc:
        """A master-versions row for one release."""
        labels = release["labels"]
        majors: list[str] = []
        descriptions: list[str] = []
        for fmt in release["formats"]:
            if fmt["name"] not in majors:
                majors.append(fmt["name"])
            descriptions += [d for d in fmt.get("descriptions", []) if d not in descriptions]
        return {
            "id": release["id"],
            "label": labels[0]["name"] if labels else "",
            "country": release["country"],
            "title": release["title"],
            "major_formats": majors,
            "format": ", ".join(ABBREVIATIONS.get(d, d) for d in descriptions),
            "catno": labels[0]["catno"] if labels else "",
            "released": str(release["year"]) if release["year"] else "",
            "status": release["status"],
            "resource_url": release["resource_url"],
            "thumb": release["thumb"],
            "stats": self._stats(release),
        }

    def master_versions(
        self,
        master_id: int,
        *,
        filters: Mapping[str, str] | None = None,
        sort: str | None = None,
        sort_order: str | None = None,
    ) -> list[Doc] | None:
        """The master's versions, filtered and sorted; ``None`` for no master."""
        if master_id not in self._masters:
            return None
        releases = [self._releases[i] for i in self._master_rows.get(master_id, [])]
        kept = [r for r in releases if _version_matches(r, filters or {})]
        return sort_versions([self._version(r) for r in kept], sort or "released", sort_order)

    def version_filters(self, master_id: int, applied: Mapping[str, str]) -> tuple[Doc, list[Doc]]:
        """The ``filters`` and ``filter_facets`` objects of a master-versions page."""
        releases = [self._releases[i] for i in self._master_rows.get(master_id, [])]
        counts: dict[str, Counter[str]] = {name: Counter() for name in VERSION_FILTERS}
        for release in releases:
            for name, values in _version_facets(release).items():
                counts[name].update(values)
        available = {
            name: dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))
            for name, counter in counts.items()
        }
        facets = [
            {
                "title": name.capitalize(),
                "id": name,
                "values": [
                    {"title": value, "value": quote_plus(value), "count": count}
                    for value, count in available[name].items()
                ],
                "allows_multiple_values": name != "released",
            }
            for name in VERSION_FILTERS
        ]
        filters = {
            "applied": {k: [v] for k, v in applied.items() if k in VERSION_FILTERS and v},
            "available": available,
        }
        return filters, facets

    def basic_information(self, release_id: int) -> Doc:
        """The ``basic_information`` of a collection or wantlist item for the release.

        Raises ``KeyError`` for an unknown release.
        """
        release = self._releases[release_id]
        master_id = release.get("master_id") or 0
        return {
            "id": release_id,
            "master_id": master_id,
            "master_url": release.get("master_url"),
            "resource_url": release["resource_url"],
            "thumb": release["thumb"],
            "cover_image": "",
            "title": release["title"],
            "year": release["year"],
            "formats": [dict(f) for f in release["formats"]],
            "labels": [dict(e) for e in release["labels"]],
            "artists": [dict(a) for a in release["artists"]],
            "genres": list(release["genres"]),
            "styles": list(release["styles"]),
        }

    def listing_release(self, release_id: int) -> Doc:
        """The ``release`` object of a marketplace listing for the release.

        Raises ``KeyError`` for an unknown release.
        """
        release = self._releases[release_id]
        artist = credit_string(release["artists"])
        fmt = format_string(release["formats"])
        labels = release["labels"]
        return {
            "id": release_id,
            "description": f"{artist} - {release['title']} ({fmt})",
            "title": release["title"],
            "artist": artist,
            "year": release["year"],
            "format": fmt,
            "label": ", ".join(e["name"] for e in labels),
            "catalog_number": ", ".join(e["catno"] for e in labels if e["catno"]),
            "resource_url": release["resource_url"],
            "thumbnail": release["thumb"],
            "images": [dict(i) for i in release["images"]],
            "stats": self._stats(release),
        }


# --- module helpers -------------------------------------------------------------------------


def _version_facets(release: Doc) -> dict[str, list[str]]:
    """The filter values one version contributes (format names and descriptions, labels...)."""
    formats: list[str] = []
    for fmt in release["formats"]:
        formats += [fmt["name"], *fmt.get("descriptions", [])]
    return {
        "format": unique(formats),
        "label": unique(e["name"] for e in release["labels"]),
        "country": [release["country"]] if release["country"] else [],
        "released": [str(release["year"])] if release["year"] else [],
    }


def _version_matches(release: Doc, filters: Mapping[str, str]) -> bool:
    """Whether a release passes the master-versions filters (case-insensitive)."""
    facets = _version_facets(release)
    for name in VERSION_FILTERS:
        wanted = filters.get(name)
        if wanted and fold(wanted) not in {fold(v) for v in facets[name]}:
            return False
    return True


def _sort_key(value: Any) -> tuple[int, Any]:
    """A key that orders numbers numerically, strings case-insensitively, blanks last."""
    if value in (None, "", 0):
        return (1, "")
    if isinstance(value, int):
        return (0, value)
    return (0, fold(str(value)))


def sort_artist_releases(rows: list[Doc], sort: str, sort_order: str | None) -> list[Doc]:
    """Sort artist-releases rows by ``year``, ``title`` or ``format`` (``asc``/``desc``).

    An unknown sort key falls back to ``year``; ties keep id order.
    """
    key = sort if sort in ARTIST_RELEASE_SORTS else "year"
    ordered = sorted(rows, key=lambda r: r["id"])
    ordered.sort(key=lambda r: _sort_key(r.get(key, "")), reverse=sort_order == "desc")
    return ordered


def sort_versions(rows: list[Doc], sort: str, sort_order: str | None) -> list[Doc]:
    """Sort master-versions rows by one of :data:`VERSION_SORTS` (``asc``/``desc``).

    ``format`` sorts on the major format then the descriptions; an unknown key falls back
    to ``released``; ties keep id order.
    """
    key = sort if sort in VERSION_SORTS else "released"

    def value(row: Doc) -> Any:
        if key == "format":
            return " ".join(row["major_formats"]) + " " + row["format"]
        return row.get(key, "")

    ordered = sorted(rows, key=lambda r: r["id"])
    ordered.sort(key=lambda r: _sort_key(value(r)), reverse=sort_order == "desc")
    return ordered
