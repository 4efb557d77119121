"""The emulator's database: the bundled CC0 dataset and the queries the database routes need.

The dataset is built by ``scripts/build_dataset.py`` from the Discogs data-dump samples and
ships as ``data/dataset.json.gz``. Documents are stored in the shape the real API serves them,
with ``resource_url`` and ``uri`` written against the :data:`~discogs_tui.emulator.core.BASE`
placeholder. A :class:`Dataset` is read-only: every method returns either a stored document,
which callers must not mutate (copy it first), or a freshly built one.
"""

from __future__ import annotations

import gzip
import json
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

from discogs_tui.emulator.core import BASE

Doc = dict[str, Any]

DATA_FILE = Path(__file__).with_name("data") / "dataset.json.gz"
"""The bundled dataset."""

SEARCH_TYPES = ("release", "master", "artist", "label")
ARTIST_RELEASE_SORTS = ("year", "title", "format")
VERSION_SORTS = ("released", "title", "format", "label", "catno", "country")
VERSION_FILTERS = ("format", "label", "released", "country")

# How Discogs abbreviates format descriptions in one-line format strings ("LP, Album, RE").
_ABBREVIATIONS = {
    "Compilation": "Comp",
    "Limited Edition": "Ltd",
    "Reissue": "RE",
    "Repress": "RP",
    "Remastered": "RM",
    "Test Pressing": "TP",
    "White Label": "W/Lbl",
    "Numbered": "Num",
    "Single Sided": "S/Sided",
    "Special Edition": "S/Edition",
    "Enhanced": "Enh",
    "Picture Disc": "Pic",
    "Copy Protected": "Copy Prot.",
    "Club Edition": "Club",
    "Deluxe Edition": "Dlx",
    "Partially Mixed": "P/Mixed",
    "Sampler": "Smplr",
    "Maxi-Single": "Maxi",
    "Mini-Album": "MiniAlbum",
    "Quadraphonic": "Quad",
    "Unofficial Release": "Unofficial",
    "Mispress": "Mispress",
}

# Search result order when relevance ties: the kinds a person most likely means first.
_TYPE_ORDER = {"artist": 0, "label": 1, "master": 2, "release": 3}


def fold(value: str) -> str:
    """Case- and accent-insensitive form of ``value`` ("Östermalm" → "ostermalm")."""
    if value.isascii():
        return value.lower()  # the common case, and much faster
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _compact(value: str) -> str:
    """``value`` folded, without spaces, dashes and dots (catalog numbers, barcodes)."""
    return re.sub(r"[\s\-.]", "", fold(value))


def display_name(name: str) -> str:
    """An artist or label name without its ``(2)`` disambiguation suffix."""
    return re.sub(r"\s+\(\d+\)$", "", name)


def credit_string(artists: Sequence[Mapping[str, Any]]) -> str:
    """The artist credit as Discogs prints it: ANVs starred, joins kept ("A* & B")."""
    out = ""
    for i, artist in enumerate(artists):
        anv = str(artist.get("anv") or "")
        out += f"{anv}*" if anv else display_name(str(artist.get("name", "")))
        join = str(artist.get("join") or "")
        if i < len(artists) - 1:
            out += f"{join or ','} " if join in ("", ",") else f" {join} "
    return out.strip() or "Unknown Artist"


def format_string(formats: Sequence[Mapping[str, Any]]) -> str:
    """The one-line format summary Discogs shows: ``2xVinyl, 12", 33 ⅓ RPM + CD, Album``."""
    parts = []
    for fmt in formats:
        qty = str(fmt.get("qty") or "1")
        name = str(fmt.get("name", ""))
        head = f"{qty}x{name}" if qty not in ("", "0", "1") else name
        words = [head] + [_ABBREVIATIONS.get(d, d) for d in fmt.get("descriptions", [])]
        if fmt.get("text"):
            words.append(str(fmt["text"]))
        parts.append(", ".join(w for w in words if w))
    return " + ".join(parts)


def _relative(url: str) -> str:
    """A ``BASE``-prefixed website URI as the path search results use (``/release/1-...``)."""
    return url[len(BASE) :] if url.startswith(BASE) else url


@dataclass
class _SearchEntry:
    """One searchable document: its folded fields and how to build its result."""

    kind: str
    ident: int
    title: str
    fields: dict[str, str]
    exact: dict[str, set[str]]
    build: Callable[[], Doc]
    result: Doc | None = field(default=None)


class Dataset:
    """The bundled database: releases, masters, artists, labels and their cross-links.

    Read-only and shared: :meth:`load` without a path returns one instance per process.
    """

    _shared: Dataset | None = None
    _shared_lock = threading.Lock()

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
        self._search_index: list[_SearchEntry] | None = None
        self._index_lock = threading.Lock()

    @classmethod
    def load(cls, path: Path | None = None) -> Dataset:
        """Load a dataset file (gzip'd JSON); the bundled one, shared, when ``path`` is None."""
        if path is not None:
            return cls(json.loads(gzip.decompress(path.read_bytes())))
        with cls._shared_lock:
            if cls._shared is None:
                cls._shared = cls(json.loads(gzip.decompress(DATA_FILE.read_bytes())))
            return cls._shared

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

    # --- derived shapes ---------------------------------------------------------------------

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
            "format": ", ".join(_ABBREVIATIONS.get(d, d) for d in descriptions),
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

    # --- search -----------------------------------------------------------------------------

    def search(self, params: Mapping[str, str]) -> list[Doc]:
        """Search results for ``q`` and the field parameters, best match first.

        Every word of a text parameter must occur in its field (case- and accent-
        insensitive); ``genre``, ``style``, ``country``, ``format`` and ``year`` (also a
        ``1990-1999`` range) must equal one of the document's values. Each result's top
        level and ``user_data`` are fresh dicts, safe to change; nested lists are shared.
        """
        wanted = {k: v.strip() for k, v in params.items() if isinstance(v, str) and v.strip()}
        kind = wanted.pop("type", "").casefold()
        query = wanted.pop("q", "")
        criteria = {k: v for k, v in wanted.items() if k in _TEXT_FIELDS or k in _EXACT_FIELDS}
        hits: list[tuple[int, int, int, _SearchEntry]] = []
        for entry in self._index():
            if kind in SEARCH_TYPES and entry.kind != kind:
                continue
            if query and not _words_in(query, entry.fields["q"]):
                continue
            if not all(_entry_matches(entry, k, v) for k, v in criteria.items()):
                continue
            hits.append(
                (-_relevance(query, entry.title), _TYPE_ORDER[entry.kind], entry.ident, entry)
            )
        hits.sort(key=lambda h: h[:3])
        out = []
        for *_, entry in hits:
            if entry.result is None:
                entry.result = entry.build()
            # A fresh top level and user_data, so a caller may fill in its user's flags.
            out.append({**entry.result, "user_data": dict(entry.result["user_data"])})
        return out

    def _index(self) -> list[_SearchEntry]:
        with self._index_lock:
            if self._search_index is None:
                self._search_index = self._build_index()
            return self._search_index

    def _build_index(self) -> list[_SearchEntry]:
        entries = [self._release_entry(r) for r in self._releases.values()]
        entries += [self._master_entry(m) for m in self._masters.values()]
        for artist in self._artists.values():
            names = [artist["name"], *artist.get("namevariations", [])]
            text = " ".join([*names, artist.get("realname", "")])
            entries.append(
                _SearchEntry(
                    "artist",
                    artist["id"],
                    artist["name"],
                    {
                        "q": fold(text),
                        "artist": fold(" ".join(names)),
                        "title": fold(artist["name"]),
                    },
                    {},
                    _named_result(artist, "artist"),
                )
            )
        for label in self._labels.values():
            entries.append(
                _SearchEntry(
                    "label",
                    label["id"],
                    label["name"],
                    {
                        "q": fold(label["name"]),
                        "label": fold(label["name"]),
                        "title": fold(label["name"]),
                    },
                    {},
                    _named_result(label, "label"),
                )
            )
        return entries

    def _release_fields(
        self, releases: Iterable[Doc]
    ) -> tuple[dict[str, str], dict[str, set[str]]]:
        """Folded text fields and exact-match value sets over one or more releases."""
        text: dict[str, list[str]] = {name: [] for name in _TEXT_FIELDS}
        exact: dict[str, set[str]] = {name: set() for name in _EXACT_FIELDS}
        for release in releases:
            artist_names = [a["name"] for a in release["artists"]]
            anvs = [a["anv"] for a in release["artists"] if a["anv"]]
            credits = [a["name"] for a in release["extraartists"]]
            credits += [a["anv"] for a in release["extraartists"] if a["anv"]]
            tracks = []
            for track in _walk_tracks(release["tracklist"]):
                tracks.append(track["title"])
                for credit in track.get("artists", []) + track.get("extraartists", []):
                    credits.append(credit["name"])
                    if credit["anv"]:
                        anvs.append(credit["anv"])
            credit = credit_string(release["artists"])
            text["artist"] += artist_names + anvs
            text["release_title"].append(release["title"])
            text["title"].append(f"{credit} - {release['title']}")
            text["title"].append(f"{' '.join(artist_names)} - {release['title']}")
            text["credit"] += credits + artist_names
            text["anv"] += anvs
            text["label"] += [e["name"] for e in release["labels"]]
            text["catno"] += [_compact(e["catno"]) for e in release["labels"]]
            text["barcode"] += [
                _compact(i["value"]) for i in release["identifiers"] if i["type"] == "Barcode"
            ]
            text["track"] += tracks
            text["submitter"].append(release["community"]["submitter"]["username"])
            text["contributor"] += [c["username"] for c in release["community"]["contributors"]]
            exact["genre"].update(fold(g) for g in release["genres"])
            exact["style"].update(fold(s) for s in release["styles"])
            exact["country"].add(fold(release["country"]))
            if release["year"]:
                exact["year"].add(str(release["year"]))
            for fmt in release["formats"]:
                exact["format"].add(fold(fmt["name"]))
                exact["format"].update(fold(d) for d in fmt.get("descriptions", []))
            text["q"] += [
                credit,
                *artist_names,
                *anvs,
                release["title"],
                *[e["name"] for e in release["labels"]],
                *[e["catno"] for e in release["labels"]],
                *[i["value"] for i in release["identifiers"] if i["type"] == "Barcode"],
                *tracks,
                *release["genres"],
                *release["styles"],
                release["country"],
            ]
        fields = {name: fold(" \n ".join(values)) for name, values in text.items()}
        fields["catno"] = " ".join(text["catno"])
        fields["barcode"] = " ".join(text["barcode"])
        return fields, exact

    def _release_entry(self, release: Doc) -> _SearchEntry:
        fields, exact = self._release_fields([release])
        title = f"{credit_string(release['artists'])} - {release['title']}"

        def build() -> Doc:
            labels = release["labels"]
            formats = release["formats"]
            fmt_words: list[str] = []
            for fmt in formats:
                fmt_words += [fmt["name"], *fmt.get("descriptions", [])]
            master_id = release.get("master_id") or 0
            return {
                "country": release["country"],
                "year": str(release["year"]) if release["year"] else "",
                "format": fmt_words,
                "label": _unique(e["name"] for e in labels + release["companies"]),
                "type": "release",
                "genre": list(release["genres"]),
                "style": list(release["styles"]),
                "id": release["id"],
                "barcode": [i["value"] for i in release["identifiers"] if i["type"] == "Barcode"],
                "user_data": {"in_wantlist": False, "in_collection": False},
                "master_id": master_id,
                "master_url": release.get("master_url"),
                "uri": _relative(release["uri"]),
                "catno": labels[0]["catno"] if labels else "",
                "title": title,
                "thumb": release["thumb"],
                "cover_image": "",
                "resource_url": release["resource_url"],
                "community": {
                    "want": release["community"]["want"],
                    "have": release["community"]["have"],
                },
                "format_quantity": release["format_quantity"],
                "formats": [dict(f) for f in formats],
            }

        return _SearchEntry("release", release["id"], title, fields, exact, build)

    def _master_entry(self, master: Doc) -> _SearchEntry:
        versions = [self._releases[i] for i in self._master_rows.get(master["id"], [])]
        fields, exact = self._release_fields(versions)
        title = f"{credit_string(master['artists'])} - {master['title']}"
        fields["title"] = fold(f"{fields['title']} \n {title}")
        fields["release_title"] = fold(f"{fields['release_title']} \n {master['title']}")
        fields["q"] = fold(f"{fields['q']} \n {title}")
        exact["genre"].update(fold(g) for g in master["genres"])
        exact["style"].update(fold(s) for s in master["styles"])
        if master["year"]:
            exact["year"].add(str(master["year"]))
        main = self._releases[master["main_release"]]

        def build() -> Doc:
            fmt_words: list[str] = []
            labels: list[str] = []
            have = want = 0
            for version in versions:
                for fmt in version["formats"]:
                    fmt_words += [fmt["name"], *fmt.get("descriptions", [])]
                labels += [e["name"] for e in version["labels"]]
                have += version["community"]["have"]
                want += version["community"]["want"]
            main_labels = main["labels"]
            return {
                "country": main["country"],
                "year": str(master["year"]) if master["year"] else "",
                "format": _unique(fmt_words),
                "label": _unique(labels),
                "type": "master",
                "genre": list(master["genres"]),
                "style": list(master["styles"]),
                "id": master["id"],
                "barcode": [i["value"] for i in main["identifiers"] if i["type"] == "Barcode"],
                "user_data": {"in_wantlist": False, "in_collection": False},
                "master_id": master["id"],
                "master_url": master["resource_url"],
                "uri": _relative(master["uri"]),
                "catno": main_labels[0]["catno"] if main_labels else "",
                "title": title,
                "thumb": main["thumb"],
                "cover_image": "",
                "resource_url": master["resource_url"],
                "community": {"want": want, "have": have},
            }

        return _SearchEntry("master", master["id"], title, fields, exact, build)


# --- module helpers -------------------------------------------------------------------------

_TEXT_FIELDS = (
    "q",
    "artist",
    "release_title",
    "title",
    "credit",
    "anv",
    "label",
    "catno",
    "barcode",
    "track",
    "submitter",
    "contributor",
)
_EXACT_FIELDS = ("genre", "style", "country", "year", "format")


def _unique(values: Iterable[str]) -> list[str]:
    out: list[str] = []
    for value in values:
        if value and value not in out:
            out.append(value)
    return out


def _walk_tracks(tracks: Iterable[Doc]) -> Iterable[Doc]:
    for track in tracks:
        yield track
        yield from _walk_tracks(track.get("sub_tracks", []))


def _words_in(query: str, haystack: str) -> bool:
    """True when every word of ``query`` occurs in the (folded) ``haystack``."""
    return all(word in haystack for word in fold(query).split())


def _entry_matches(entry: _SearchEntry, name: str, value: str) -> bool:
    """Whether ``entry`` satisfies the field parameter ``name=value``."""
    if name in ("catno", "barcode"):
        return _compact(value) in entry.fields.get(name, "\0")
    if name in entry.fields:
        return _words_in(value, entry.fields[name])
    values = entry.exact.get(name)
    if values is None:
        return False
    if name == "year":
        match = re.fullmatch(r"\s*(\d{4})\s*-\s*(\d{4})\s*", value)
        if match:
            low, high = int(match.group(1)), int(match.group(2))
            return any(low <= int(y) <= high for y in values)
    return fold(value) in values


def _relevance(query: str, title: str) -> int:
    """How well ``title`` answers ``query``: 3 equal, 2 prefix, 1 contains, 0 elsewhere."""
    if not query:
        return 0
    q, t = fold(query), fold(title)
    name = t.split(" - ", 1)[-1]
    if q in (t, name):
        return 3
    if t.startswith(q) or name.startswith(q):
        return 2
    return 1 if _words_in(query, t) else 0


def _named_result(doc: Doc, kind: str) -> Callable[[], Doc]:
    """The builder of an artist or label search result."""

    def build() -> Doc:
        return {
            "id": doc["id"],
            "type": kind,
            "user_data": {"in_wantlist": False, "in_collection": False},
            "master_id": None,
            "master_url": None,
            "uri": _relative(doc["uri"]),
            "title": doc["name"],
            "thumb": "",
            "cover_image": "",
            "resource_url": doc["resource_url"],
        }

    return build


def _version_facets(release: Doc) -> dict[str, list[str]]:
    """The filter values one version contributes (format names and descriptions, labels...)."""
    formats: list[str] = []
    for fmt in release["formats"]:
        formats += [fmt["name"], *fmt.get("descriptions", [])]
    return {
        "format": _unique(formats),
        "label": _unique(e["name"] for e in release["labels"]),
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
