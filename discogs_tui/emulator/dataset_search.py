"""The dataset's search index: https://www.discogs.com/developers/#page:database,search.

Built on the first search (building it takes a noticeable moment, so it is not done at
start-up) and shared by every search after. Result documents are built once per entry and
handed out as fresh top-level copies.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from discogs_tui.emulator.dataset_tables import Doc
from discogs_tui.emulator.dataset_text import compact, credit_string, fold, relative, unique

SEARCH_TYPES = ("release", "master", "artist", "label")

# Search result order when relevance ties: the kinds a person most likely means first.
_TYPE_ORDER = {"artist": 0, "label": 1, "master": 2, "release": 3}


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


class SearchIndex:
    """The searchable entries of every release, master, artist and label."""

    def __init__(
        self,
        releases: Mapping[int, Doc],
        masters: Mapping[int, Doc],
        artists: Mapping[int, Doc],
        labels: Mapping[int, Doc],
        master_rows: Mapping[int, list[int]],
    ) -> None:
        """Index the documents by id and each master's version ids (the index is built lazily)."""
        self._releases = releases
        self._masters = masters
        self._artists = artists
        self._labels = labels
        self._master_rows = master_rows
        self._search_index: list[_SearchEntry] | None = None
        self._index_lock = threading.Lock()

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
            text["catno"] += [compact(e["catno"]) for e in release["labels"]]
            text["barcode"] += [
                compact(i["value"]) for i in release["identifiers"] if i["type"] == "Barcode"
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
            return {
                **_database_result(
                    "release",
                    release,
                    release,
                    formats=fmt_words,
                    labels=unique(e["name"] for e in labels + release["companies"]),
                    master_id=release.get("master_id") or 0,
                    master_url=release.get("master_url"),
                    title=title,
                    want=release["community"]["want"],
                    have=release["community"]["have"],
                ),
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
            return _database_result(
                "master",
                master,
                main,
                formats=unique(fmt_words),
                labels=unique(labels),
                master_id=master["id"],
                master_url=master["resource_url"],
                title=title,
                want=want,
                have=have,
            )

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
        return compact(value) in entry.fields.get(name, "\0")
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


def _database_result(
    kind: str,
    doc: Doc,
    main: Doc,
    *,
    formats: list[str],
    labels: list[str],
    master_id: int,
    master_url: str | None,
    title: str,
    want: int,
    have: int,
) -> Doc:
    """A release or master search result: ``doc`` itself, ``main`` its (main) release."""
    main_labels = main["labels"]
    return {
        "country": main["country"],
        "year": str(doc["year"]) if doc["year"] else "",
        "format": formats,
        "label": labels,
        "type": kind,
        "genre": list(doc["genres"]),
        "style": list(doc["styles"]),
        "id": doc["id"],
        "barcode": [i["value"] for i in main["identifiers"] if i["type"] == "Barcode"],
        "user_data": {"in_wantlist": False, "in_collection": False},
        "master_id": master_id,
        "master_url": master_url,
        "uri": relative(doc["uri"]),
        "catno": main_labels[0]["catno"] if main_labels else "",
        "title": title,
        "thumb": main["thumb"],
        "cover_image": "",
        "resource_url": doc["resource_url"],
        "community": {"want": want, "have": have},
    }


def _named_result(doc: Doc, kind: str) -> Callable[[], Doc]:
    """The builder of an artist or label search result."""

    def build() -> Doc:
        return {
            "id": doc["id"],
            "type": kind,
            "user_data": {"in_wantlist": False, "in_collection": False},
            "master_id": None,
            "master_url": None,
            "uri": relative(doc["uri"]),
            "title": doc["name"],
            "thumb": "",
            "cover_image": "",
            "resource_url": doc["resource_url"],
        }

    return build
