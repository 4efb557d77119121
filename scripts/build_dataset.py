"""Build the emulator's bundled dataset from the CC0 Discogs data-dump samples.

Reads the dump samples (releases, masters, artists, labels as XML), shapes them like the
documents the real API v2.0 serves, computes the cross-links (an artist's releases, a
label's releases, a master's versions) and synthesizes every artist, label and master a
release links to but the samples lack, so that no link in the demo leads to a 404.

Writes ``discogs_tui/emulator/data/dataset.json.gz``. The output is deterministic: the same
samples always give the same bytes.

Usage::

    python scripts/build_dataset.py [--samples DIR] [--out FILE]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from discogs_tui.emulator.core import BASE  # noqa: E402

DEFAULT_SAMPLES = Path("/work/shared/discogs-api/dump-samples")
DEFAULT_OUT = ROOT / "discogs_tui" / "emulator" / "data" / "dataset.json.gz"
FORMAT_VERSION = 1

Doc = dict[str, Any]

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Grams per unit of a format, for a plausible estimated_weight (the dumps do not carry it).
FORMAT_WEIGHTS = {"Vinyl": 230, "CD": 85, "CDr": 85, "Cassette": 60, "DVD": 90, "Box Set": 300}


# --- reading the XML ---------------------------------------------------------------------------


def iter_records(path: Path, tag: str) -> Iterator[ET.Element]:
    """Every top-level ``<tag>`` element of a dump file (plain or gzip'd XML)."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as handle:
        data = handle.read()
    root = ET.parse(io.BytesIO(data)).getroot()
    # Direct children only: a label's <sublabels> also hold <label> elements.
    yield from (child for child in root if child.tag == tag)


def text(elem: ET.Element | None, name: str | None = None) -> str:
    """The stripped text of ``elem`` (or of its child ``name``); empty when missing."""
    if elem is not None and name is not None:
        elem = elem.find(name)
    if elem is None or elem.text is None:
        return ""
    return elem.text.strip()


def raw_text(elem: ET.Element | None, name: str) -> str:
    """The text of child ``name`` as written (profiles and notes keep their line breaks)."""
    child = elem.find(name) if elem is not None else None
    if child is None or child.text is None:
        return ""
    return child.text


def texts(elem: ET.Element, path: str) -> list[str]:
    """The texts of every element at ``path`` under ``elem``, blanks dropped."""
    return [t for t in (text(e) for e in elem.findall(path)) if t]


def to_int(value: str | None) -> int | None:
    """``value`` as an int, or ``None``."""
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


# --- small shared helpers ----------------------------------------------------------------------


def slug(*parts: str) -> str:
    """The URL slug Discogs puts after an id: words joined by dashes."""
    words = re.sub(r"[^\w]+", "-", " ".join(parts), flags=re.UNICODE).strip("-_")
    return words or "Untitled"


def display_name(name: str) -> str:
    """An artist or label name without the ``(2)`` disambiguation suffix."""
    return re.sub(r"\s+\(\d+\)$", "", name)


def credit_string(artists: list[Doc]) -> str:
    """The artist credit of a release as Discogs prints it ("A & B", "Various")."""
    out = ""
    for i, artist in enumerate(artists):
        name = artist["anv"] or display_name(artist["name"])
        out += name
        join = artist["join"]
        if i < len(artists) - 1:
            if not join or join == ",":
                out += (join or ",") + " "
            else:
                out += f" {join} "
    return out.strip() or "Unknown Artist"


def sort_name(name: str) -> str:
    """``The Persuader`` → ``Persuader, The``: the artists_sort convention."""
    if name.startswith("The "):
        return f"{name[4:]}, The"
    return name


def digest(kind: str, ident: int) -> int:
    """A stable pseudo-random number for one document (same input, same number)."""
    return int.from_bytes(hashlib.sha256(f"{kind}:{ident}".encode()).digest()[:8], "big")


def community_numbers(release_id: int) -> tuple[int, int, int, float]:
    """Deterministic (have, want, rating count, rating average) for a release."""
    h = digest("community", release_id)
    have = 5 + h % 1500
    want = 3 + (h >> 12) % 1200
    count = 1 + (h >> 24) % max(2, have // 5)
    average = round(2.5 + ((h >> 40) % 250) / 100, 2)
    return have, want, count, average


def image_list(elem: ET.Element) -> list[Doc]:
    """The ``images`` of a record: sizes and types as dumped, URIs blank as in the dumps."""
    out = []
    for image in elem.findall("images/image"):
        out.append(
            {
                "type": image.get("type", "secondary"),
                "uri": "",
                "resource_url": "",
                "uri150": "",
                "width": to_int(image.get("width")) or 600,
                "height": to_int(image.get("height")) or 600,
            }
        )
    return out


def video_list(elem: ET.Element) -> list[Doc]:
    """The ``videos`` of a release or master in API shape."""
    return [
        {
            "uri": video.get("src", ""),
            "title": text(video, "title"),
            "description": text(video, "description"),
            "duration": to_int(video.get("duration")) or 0,
            "embed": video.get("embed", "true") == "true",
        }
        for video in elem.findall("videos/video")
    ]


def artist_credits(elem: ET.Element | None, path: str) -> list[Doc]:
    """Artist credits (``artists`` or ``extraartists``) with ids and resource URLs."""
    if elem is None:
        return []
    out = []
    for artist in elem.findall(path):
        ident = to_int(text(artist, "id"))
        if ident is None:
            continue
        out.append(
            {
                "name": text(artist, "name"),
                "anv": text(artist, "anv"),
                "join": text(artist, "join"),
                "role": text(artist, "role"),
                "tracks": text(artist, "tracks"),
                "id": ident,
                "resource_url": f"{BASE}/artists/{ident}",
            }
        )
    return out


def released_formatted(released: str) -> str:
    """``1999-03-00`` → ``Mar 1999``; ``1999-03-05`` → ``05 Mar 1999``; ``1999`` → ``1999``."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", released)
    if not match:
        return released
    year, month, day = match.groups()
    if not month or month == "00" or not 1 <= int(month) <= 12:
        return year
    if not day or day == "00":
        return f"{MONTHS[int(month) - 1]} {year}"
    return f"{day} {MONTHS[int(month) - 1]} {year}"


def timestamp(kind: str, ident: int, start: date, span_days: int) -> str:
    """A deterministic ISO timestamp between ``start`` and ``start + span_days``."""
    h = digest(kind, ident)
    day = start + timedelta(days=h % span_days)
    seconds = (h >> 20) % 86400
    return (
        f"{day.isoformat()}T{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}-07:00"
    )


# --- releases ----------------------------------------------------------------------------------


def parse_track(track: ET.Element) -> Doc:
    """One tracklist entry: ``track``, ``heading`` or ``index`` (a track with sub-tracks)."""
    position = text(track, "position")
    duration = text(track, "duration")
    subs = [parse_track(sub) for sub in track.findall("sub_tracks/track")]
    if subs:
        kind = "index"
    elif not position and not duration:
        kind = "heading"
    else:
        kind = "track"
    doc: Doc = {"position": position, "type_": kind, "title": text(track, "title")}
    artists = artist_credits(track, "artists/artist")
    if artists:
        doc["artists"] = artists
    extra = artist_credits(track, "extraartists/artist")
    if extra:
        doc["extraartists"] = extra
    doc["duration"] = duration
    if subs:
        doc["sub_tracks"] = subs
    return doc


def parse_release(elem: ET.Element) -> tuple[Doc, bool]:
    """A release document in API shape, and whether the dump marks it as its master's main."""
    ident = int(elem.get("id", "0"))
    artists = artist_credits(elem, "artists/artist")
    title = text(elem, "title")
    labels = []
    for label in elem.findall("labels/label"):
        label_id = to_int(label.get("id"))
        if label_id is None:
            continue
        labels.append(
            {
                "name": label.get("name", ""),
                "catno": label.get("catno", ""),
                "entity_type": "1",
                "entity_type_name": "Label",
                "id": label_id,
                "resource_url": f"{BASE}/labels/{label_id}",
            }
        )
    companies = []
    for company in elem.findall("companies/company"):
        company_id = to_int(text(company, "id"))
        if company_id is None:
            continue
        companies.append(
            {
                "name": text(company, "name"),
                "catno": text(company, "catno"),
                "entity_type": text(company, "entity_type"),
                "entity_type_name": text(company, "entity_type_name"),
                "id": company_id,
                "resource_url": f"{BASE}/labels/{company_id}",
            }
        )
    formats = []
    for fmt in elem.findall("formats/format"):
        entry: Doc = {
            "name": fmt.get("name", ""),
            "qty": fmt.get("qty", "1") or "1",
            "descriptions": texts(fmt, "descriptions/description"),
        }
        if fmt.get("text"):
            entry["text"] = fmt.get("text")
        formats.append(entry)
    released = text(elem, "released")
    year = to_int(released[:4]) or 0
    master_elem = elem.find("master_id")
    master_id = to_int(text(master_elem))
    is_main = master_elem is not None and master_elem.get("is_main_release") == "true"
    identifiers = []
    for identifier in elem.findall("identifiers/identifier"):
        entry = {"type": identifier.get("type", ""), "value": identifier.get("value", "")}
        if identifier.get("description"):
            entry["description"] = identifier.get("description")
        identifiers.append(entry)
    have, want, count, average = community_numbers(ident)
    submitter = {"username": "demo", "resource_url": f"{BASE}/users/demo"}
    data_quality = text(elem, "data_quality") or "Needs Vote"
    credit = credit_string(artists)
    weight = 0
    for entry in formats:
        weight += FORMAT_WEIGHTS.get(entry["name"], 100) * (to_int(entry["qty"]) or 1)
    doc: Doc = {
        "id": ident,
        "status": elem.get("status", "Accepted"),
        "year": year,
        "resource_url": f"{BASE}/releases/{ident}",
        "uri": f"{BASE}/release/{ident}-{slug(credit, title)}",
        "artists": artists,
        "artists_sort": sort_name(credit),
        "labels": labels,
        "series": [],
        "companies": companies,
        "formats": formats,
        "data_quality": data_quality,
        "community": {
            "have": have,
            "want": want,
            "rating": {"count": count, "average": average},
            "submitter": submitter,
            "contributors": [submitter],
            "data_quality": data_quality,
            "status": elem.get("status", "Accepted"),
        },
        "format_quantity": sum(to_int(f["qty"]) or 1 for f in formats),
        "date_added": timestamp("added", ident, date(2000, 9, 1), 3650),
        "date_changed": timestamp("changed", ident, date(2015, 1, 1), 1800),
        "num_for_sale": 0,
        "lowest_price": None,
        "master_id": master_id,
        "master_url": f"{BASE}/masters/{master_id}" if master_id else None,
        "title": title,
        "country": text(elem, "country"),
        "released": released,
        "notes": raw_text(elem, "notes"),
        "released_formatted": released_formatted(released),
        "identifiers": identifiers,
        "videos": video_list(elem),
        "genres": texts(elem, "genres/genre"),
        "styles": texts(elem, "styles/style"),
        "tracklist": [parse_track(t) for t in elem.findall("tracklist/track")],
        "extraartists": artist_credits(elem, "extraartists/artist"),
        "images": image_list(elem),
        "thumb": "",
        "estimated_weight": weight,
        "blocked_from_sale": False,
        "is_offensive": False,
    }
    if not master_id:
        del doc["master_id"], doc["master_url"]
    return doc, is_main


# --- masters -----------------------------------------------------------------------------------


def master_links(ident: int) -> Doc:
    """The URL fields every master document carries."""
    return {
        "resource_url": f"{BASE}/masters/{ident}",
        "versions_url": f"{BASE}/masters/{ident}/versions",
    }


def build_master(
    ident: int, versions: list[Doc], main_id: int | None, sample: ET.Element | None
) -> Doc:
    """A master document: from the sample if present, else synthesized from its versions."""
    by_id = {v["id"]: v for v in versions}
    if main_id not in by_id:
        dated = [v for v in versions if v["year"]] or versions
        main_id = min(dated, key=lambda v: (v["year"], v["id"]))["id"]
    main = by_id[main_id]
    recent = max(versions, key=lambda v: (v["year"], v["id"]))
    genres: list[str] = []
    styles: list[str] = []
    videos: list[Doc] = []
    for version in [main, *[v for v in versions if v is not main]]:
        genres += [g for g in version["genres"] if g not in genres]
        styles += [s for s in version["styles"] if s not in styles]
        videos += [v for v in version["videos"] if v["uri"] not in {x["uri"] for x in videos}]
    years = [v["year"] for v in versions if v["year"]]
    title = main["title"]
    artists = [{k: a[k] for k in a} for a in main["artists"]]
    data_quality = "Correct"
    notes = ""
    images = main["images"]
    if sample is not None:
        title = text(sample, "title") or title
        artists = artist_credits(sample, "artists/artist") or artists
        genres = texts(sample, "genres/genre") or genres
        styles = texts(sample, "styles/style") or styles
        sample_year = to_int(text(sample, "year"))
        if sample_year:
            years = [sample_year]
        videos = video_list(sample) or videos
        data_quality = text(sample, "data_quality") or data_quality
        notes = raw_text(sample, "notes")
        images = image_list(sample) or images
    doc: Doc = {
        "id": ident,
        "main_release": main["id"],
        "most_recent_release": recent["id"],
        **master_links(ident),
        "uri": f"{BASE}/master/{ident}-{slug(credit_string(artists), title)}",
        "main_release_url": f"{BASE}/releases/{main['id']}",
        "most_recent_release_url": f"{BASE}/releases/{recent['id']}",
        "num_for_sale": 0,
        "lowest_price": None,
        "images": images,
        "genres": genres,
        "styles": styles,
        "year": min(years) if years else 0,
        "tracklist": main["tracklist"],
        "artists": artists,
        "title": title,
        "data_quality": data_quality,
        "videos": videos,
    }
    if notes:
        doc["notes"] = notes
    return doc


# --- artists and labels ------------------------------------------------------------------------


def artist_refs(elem: ET.Element, path: str) -> list[Doc]:
    """``<name id="..">Name</name>`` lists (aliases, groups, members) as API references."""
    out = []
    for name in elem.findall(path):
        ident = to_int(name.get("id"))
        if ident is None:
            continue
        out.append({"id": ident, "name": text(name), "resource_url": f"{BASE}/artists/{ident}"})
    return out


def artist_links(ident: int, name: str) -> Doc:
    """The URL fields every artist document carries."""
    return {
        "resource_url": f"{BASE}/artists/{ident}",
        "uri": f"{BASE}/artist/{ident}-{slug(display_name(name))}",
        "releases_url": f"{BASE}/artists/{ident}/releases",
    }


def parse_artist(elem: ET.Element) -> Doc:
    """An artist document from the artists sample."""
    ident = int(text(elem, "id"))
    name = text(elem, "name")
    doc: Doc = {"name": name, "id": ident, **artist_links(ident, name)}
    doc["images"] = image_list(elem)
    realname = text(elem, "realname")
    if realname:
        doc["realname"] = realname
    doc["profile"] = raw_text(elem, "profile")
    urls = texts(elem, "urls/url")
    if urls:
        doc["urls"] = urls
    variations = texts(elem, "namevariations/name")
    if variations:
        doc["namevariations"] = variations
    aliases = artist_refs(elem, "aliases/name")
    if aliases:
        doc["aliases"] = aliases
    members = [{**m, "active": True} for m in artist_refs(elem, "members/name")]
    if members:
        doc["members"] = members
    groups = [{**g, "active": True} for g in artist_refs(elem, "groups/name")]
    if groups:
        doc["groups"] = groups
    doc["data_quality"] = text(elem, "data_quality") or "Needs Vote"
    return doc


def stub_artist(ident: int, name: str) -> Doc:
    """An artist the samples lack, synthesized from the name the links give it."""
    return {
        "name": name,
        "id": ident,
        **artist_links(ident, name),
        "images": [],
        "profile": "",
        "data_quality": "Needs Vote",
    }


def label_links(ident: int, name: str) -> Doc:
    """The URL fields every label document carries."""
    return {
        "resource_url": f"{BASE}/labels/{ident}",
        "uri": f"{BASE}/label/{ident}-{slug(display_name(name))}",
        "releases_url": f"{BASE}/labels/{ident}/releases",
    }


def parse_label(elem: ET.Element) -> tuple[Doc, tuple[int, str] | None]:
    """A label document from the labels sample, and its parent label reference if any."""
    ident = int(text(elem, "id"))
    name = text(elem, "name")
    doc: Doc = {"name": name, "id": ident, **label_links(ident, name)}
    doc["images"] = image_list(elem)
    doc["contact_info"] = raw_text(elem, "contactinfo")
    doc["profile"] = raw_text(elem, "profile")
    doc["data_quality"] = text(elem, "data_quality") or "Needs Vote"
    doc["urls"] = texts(elem, "urls/url")
    doc["sublabels"] = []
    parent = elem.find("parentLabel")
    parent_ref = None
    if parent is not None and to_int(parent.get("id")) is not None:
        parent_ref = (int(parent.get("id", "0")), text(parent))
    return doc, parent_ref


def stub_label(ident: int, name: str) -> Doc:
    """A label (or company) the samples lack, synthesized from the name releases give it."""
    return {
        "name": name,
        "id": ident,
        **label_links(ident, name),
        "images": [],
        "contact_info": "",
        "profile": "",
        "data_quality": "Needs Vote",
        "urls": [],
        "sublabels": [],
    }


# --- cross-links -------------------------------------------------------------------------------


def artist_role(role: str) -> str:
    """The artist-releases ``role`` of an extra-artist credit (Remix, Producer, Appearance)."""
    if "Remix" in role:
        return "Remix"
    if "Producer" in role:
        return "Producer"
    return "Appearance"


def artist_release_index(releases: list[Doc]) -> dict[int, list[list[Any]]]:
    """For each artist id: ``[type, id, role, trackinfo]`` rows, one per master or release.

    Main credits group under the release's master (``type: master``) when it has one;
    track artists are ``TrackAppearance``; extra artists are Remix/Producer/Appearance.
    """
    rows: dict[int, list[list[Any]]] = defaultdict(list)
    seen: set[tuple[int, str, int]] = set()

    def add(artist_id: int, kind: str, ident: int, role: str, trackinfo: str = "") -> None:
        key = (artist_id, kind, ident)
        if key in seen:
            return
        seen.add(key)
        rows[artist_id].append([kind, ident, role, trackinfo])

    for release in releases:
        unofficial = any("Unofficial Release" in f["descriptions"] for f in release["formats"])
        for artist in release["artists"]:
            if release.get("master_id") and not unofficial:
                add(artist["id"], "master", release["master_id"], "Main")
            else:
                add(
                    artist["id"],
                    "release",
                    release["id"],
                    "UnofficialRelease" if unofficial else "Main",
                )
        for artist in release["extraartists"]:
            add(artist["id"], "release", release["id"], artist_role(artist["role"]))
        for track in walk_tracks(release["tracklist"]):
            for artist in track.get("artists", []):
                add(artist["id"], "release", release["id"], "TrackAppearance", track["title"])
            for artist in track.get("extraartists", []):
                add(
                    artist["id"],
                    "release",
                    release["id"],
                    artist_role(artist["role"]),
                    track["title"],
                )
    return rows


def walk_tracks(tracks: Iterable[Doc]) -> Iterator[Doc]:
    """Every track and sub-track of a tracklist."""
    for track in tracks:
        yield track
        yield from walk_tracks(track.get("sub_tracks", []))


def release_artist_links(release: Doc) -> Iterator[Doc]:
    """Every artist credit anywhere in a release."""
    yield from release["artists"]
    yield from release["extraartists"]
    for track in walk_tracks(release["tracklist"]):
        yield from track.get("artists", [])
        yield from track.get("extraartists", [])


# --- links inside profiles and notes -----------------------------------------------------------

_KIND_OF_TAG = {"a": "artist", "l": "label", "r": "release", "m": "master"}
_KIND_OF_PATH = {
    "artist": "artist",
    "artists": "artist",
    "label": "label",
    "labels": "label",
    "release": "release",
    "releases": "release",
    "master": "master",
    "masters": "master",
}
_ENTITY_TAG = re.compile(r"\[(?P<kind>[armlARML])(?:=(?P<name>[^\]\[]+)|(?P<id>\d+))\]")
_URL_TAG = re.compile(
    r"\[url=(?P<href>[^\]]*)\](?P<label>.*?)\[/url\]|\[url\](?P<bare>.*?)\[/url\]",
    re.IGNORECASE | re.DOTALL,
)


class LinkFixer:
    """Keeps every link of the bundled text pointing at a document the dataset holds.

    The samples are a slice of Discogs: a profile may link to an artist, label, release or
    master the slice lacks, and the samples give no name for it. Such a link becomes plain
    text (the name when the markup gives one, else ``label 541``), so the demo has no dead
    links. A name link (``[a=Name]``, ``/artist/Name``) to a name the dataset holds becomes a
    link by id; an address of a Discogs page is kept when its id is in the dataset.
    """

    def __init__(self, ids: dict[str, set[int]], names: dict[str, dict[str, int]]) -> None:
        self.ids = ids
        self.names = names
        self.unlinked = 0

    def _by_name(self, kind: str, name: str) -> int | None:
        table = self.names.get(kind, {})
        return table.get(name) or table.get(name.casefold())

    def fix(self, text: str) -> str:
        """``text`` with every link to a missing document made plain."""
        text = _URL_TAG.sub(self._url, text)
        return _ENTITY_TAG.sub(self._entity, text)

    def _entity(self, match: re.Match[str]) -> str:
        kind = _KIND_OF_TAG[match.group("kind").lower()]
        name = match.group("name")
        ident: int | None
        if name is not None and not (kind in ("release", "master") and name.strip().isdigit()):
            name = name.strip()
            ident = self._by_name(kind, name) if kind in ("artist", "label") else None
            if ident is None:
                self.unlinked += 1
                return display_name(name)
            return f"[{match.group('kind').lower()}{ident}]"
        ident = int(match.group("id") or str(name).strip())
        if ident in self.ids[kind]:
            return match.group(0)
        self.unlinked += 1
        return f"{kind} {ident}"

    def _url(self, match: re.Match[str]) -> str:
        href = match.group("href") if match.group("href") is not None else match.group("bare")
        label = match.group("label") if match.group("href") is not None else match.group("bare")
        page = self._page(href.strip())
        if page is None:
            return match.group(0)
        kind, ident = page
        if ident is not None and ident in self.ids[kind]:
            return f"[url=https://www.discogs.com/{kind}/{ident}]{label or href.strip()}[/url]"
        self.unlinked += 1
        return label or href.strip()

    @staticmethod
    def _kind_and_key(href: str) -> tuple[str, str] | None:
        found = re.match(r"(?i)^(?:https?://(?:[\w-]+\.)*discogs\.com)?(/[^?#]*)", href)
        if not found:
            return None
        segments = [unquote_plus(part) for part in found.group(1).split("/") if part]
        for index, segment in enumerate(segments):
            kind = _KIND_OF_PATH.get(segment.lower())
            if kind is None:
                continue
            rest = [part for part in segments[index + 1 :] if part.lower() != "view"]
            return (kind, rest[0]) if rest else None
        return None

    def _page(self, href: str) -> tuple[str, int | None] | None:
        """(kind, id) of a Discogs page address; the id is ``None`` when it is unknown here."""
        if not re.match(r"(?i)^(?:https?://(?:[\w-]+\.)*discogs\.com)?/", href):
            return None
        found = self._kind_and_key(href)
        if found is None:
            return None
        kind, key = found
        number = re.fullmatch(r"(\d+)(?:-.*)?", key)
        if number:
            return kind, int(number.group(1))
        if kind in ("artist", "label"):
            return kind, self._by_name(kind, key)
        return kind, None


def name_table(docs: Iterable[Doc]) -> dict[str, int]:
    """Name → id, exact and case-folded (the lowest id wins a tie, for determinism)."""
    table: dict[str, int] = {}
    for doc in sorted(docs, key=lambda d: d["id"]):
        for key in (doc["name"], doc["name"].casefold()):
            table.setdefault(key, doc["id"])
    return table


def fix_text_links(
    releases: list[Doc], masters: list[Doc], artists: list[Doc], labels: list[Doc]
) -> int:
    """Make every link in profiles and notes lead to a document of the dataset; returns how
    many links became plain text."""
    fixer = LinkFixer(
        {
            "release": {d["id"] for d in releases},
            "master": {d["id"] for d in masters},
            "artist": {d["id"] for d in artists},
            "label": {d["id"] for d in labels},
        },
        {"artist": name_table(artists), "label": name_table(labels)},
    )
    for doc in [*releases, *masters, *artists, *labels]:
        for key in ("profile", "notes"):
            if isinstance(doc.get(key), str) and doc[key]:
                doc[key] = fixer.fix(doc[key])
    return fixer.unlinked


# --- the whole build ---------------------------------------------------------------------------


def sample_paths(samples: Path, kind: str) -> list[Path]:
    """The dump files for ``kind``: the 2020 xml2db sample first, then the small extras."""
    paths = [samples / "discogs-xml2db" / "tests" / "samples" / f"discogs_20200806_{kind}.xml.gz"]
    extra = samples / "data-discogs" / "data_samples" / f"{kind}.xml"
    if extra.exists():
        paths.append(extra)
    return [p for p in paths if p.exists()]


def most_common(names: Counter[str]) -> str:
    """The most frequent name (ties broken alphabetically, for determinism)."""
    return min(names.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def build(samples: Path) -> Doc:
    """Convert the samples into the dataset document."""
    # Releases: the first file wins for an id both files hold.
    releases: dict[int, Doc] = {}
    main_flags: dict[int, int] = {}
    for path in sample_paths(samples, "releases"):
        for elem in iter_records(path, "release"):
            doc, is_main = parse_release(elem)
            if doc["id"] in releases:
                continue
            releases[doc["id"]] = doc
            if is_main and doc.get("master_id"):
                main_flags.setdefault(doc["master_id"], doc["id"])
    release_list = [releases[k] for k in sorted(releases)]

    # Masters: only those a release names (a sample master elsewhere would link to releases
    # the dataset lacks), taken from the sample where present.
    master_samples: dict[int, ET.Element] = {}
    for path in sample_paths(samples, "masters"):
        for elem in iter_records(path, "master"):
            master_samples.setdefault(int(elem.get("id", "0")), elem)
    versions: dict[int, list[Doc]] = defaultdict(list)
    for release in release_list:
        if release.get("master_id"):
            versions[release["master_id"]].append(release)
    masters = {
        ident: build_master(
            ident, versions[ident], main_flags.get(ident), master_samples.get(ident)
        )
        for ident in sorted(versions)
    }

    # Artists: the whole sample, plus stubs for every id a release or an artist links to.
    artists: dict[int, Doc] = {}
    for path in sample_paths(samples, "artists"):
        for elem in iter_records(path, "artist"):
            doc = parse_artist(elem)
            artists.setdefault(doc["id"], doc)
    artist_names: dict[int, Counter[str]] = defaultdict(Counter)
    for release in release_list:
        for credit in release_artist_links(release):
            artist_names[credit["id"]][credit["name"]] += 1
    for master in masters.values():
        for credit in master["artists"]:
            artist_names[credit["id"]][credit["name"]] += 1
    for artist in list(artists.values()):
        for key in ("aliases", "members", "groups"):
            for ref in artist.get(key, []):
                artist_names[ref["id"]][ref["name"]] += 1
    for ident, names in artist_names.items():
        if ident not in artists:
            artists[ident] = stub_artist(ident, most_common(names))

    # Labels: the whole sample, plus stubs for labels, companies and parents named elsewhere.
    labels: dict[int, Doc] = {}
    parents: dict[int, tuple[int, str]] = {}
    for path in sample_paths(samples, "labels"):
        for elem in iter_records(path, "label"):
            doc, parent = parse_label(elem)
            if doc["id"] in labels:
                continue
            labels[doc["id"]] = doc
            if parent is not None:
                parents[doc["id"]] = parent
    label_names: dict[int, Counter[str]] = defaultdict(Counter)
    label_index: dict[int, list[int]] = defaultdict(list)
    for release in release_list:
        for entry in release["labels"] + release["companies"]:
            label_names[entry["id"]][entry["name"]] += 1
            if release["id"] not in label_index[entry["id"]]:
                label_index[entry["id"]].append(release["id"])
    for parent_id, parent_name in parents.values():
        label_names[parent_id][parent_name] += 1
    for ident, names in label_names.items():
        if ident not in labels:
            labels[ident] = stub_label(ident, most_common(names))
    for child_id in sorted(parents):
        parent_id, _ = parents[child_id]
        parent_doc = labels[parent_id]
        labels[child_id]["parent_label"] = {
            "id": parent_id,
            "name": parent_doc["name"],
            "resource_url": f"{BASE}/labels/{parent_id}",
        }
        parent_doc["sublabels"].append(
            {
                "id": child_id,
                "name": labels[child_id]["name"],
                "resource_url": f"{BASE}/labels/{child_id}",
            }
        )

    artist_index = artist_release_index(release_list)
    fix_text_links(
        release_list, list(masters.values()), list(artists.values()), list(labels.values())
    )
    return {
        "format_version": FORMAT_VERSION,
        "source": "Discogs data dump samples 2020-08-06 (CC0), converted by scripts/build_dataset.py",
        "releases": release_list,
        "masters": [masters[k] for k in sorted(masters)],
        "artists": [artists[k] for k in sorted(artists)],
        "labels": [labels[k] for k in sorted(labels)],
        "artist_releases": {str(k): artist_index[k] for k in sorted(artist_index)},
        "label_releases": {str(k): label_index[k] for k in sorted(label_index)},
        "master_versions": {str(k): [v["id"] for v in versions[k]] for k in sorted(versions)},
    }


def write(dataset: Doc, out: Path) -> int:
    """Write ``dataset`` as deterministic gzip'd JSON; return the compressed size."""
    payload = json.dumps(dataset, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    buffer = io.BytesIO()
    # mtime=0 and no file name keep the bytes identical across builds.
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9, mtime=0, filename="") as gz:
        gz.write(payload)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(buffer.getvalue())
    return len(buffer.getvalue())


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--samples", type=Path, default=DEFAULT_SAMPLES)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    dataset = build(args.samples)
    size = write(dataset, args.out)
    print(
        f"{args.out}: {size} bytes; {len(dataset['releases'])} releases, "
        f"{len(dataset['masters'])} masters, {len(dataset['artists'])} artists, "
        f"{len(dataset['labels'])} labels"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
