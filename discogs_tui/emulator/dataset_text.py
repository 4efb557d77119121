"""How Discogs prints names, credits and formats, and the folded forms the dataset matches on.

The text helpers shared by the dataset's rows (:mod:`discogs_tui.emulator.dataset_rows`) and
its search index (:mod:`discogs_tui.emulator.dataset_search`); see
https://www.discogs.com/developers/#page:database for the shapes they appear in.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from discogs_tui.emulator.core import BASE

# How Discogs abbreviates format descriptions in one-line format strings ("LP, Album, RE").
ABBREVIATIONS = {
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


def fold(value: str) -> str:
    """Case- and accent-insensitive form of ``value`` ("Östermalm" → "ostermalm")."""
    if value.isascii():
        return value.lower()  # the common case, and much faster
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def compact(value: str) -> str:
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
        words = [head] + [ABBREVIATIONS.get(d, d) for d in fmt.get("descriptions", [])]
        if fmt.get("text"):
            words.append(str(fmt["text"]))
        parts.append(", ".join(w for w in words if w))
    return " + ".join(parts)


def relative(url: str) -> str:
    """A ``BASE``-prefixed website URI as the path search results use (``/release/1-...``)."""
    return url[len(BASE) :] if url.startswith(BASE) else url


def unique(values: Iterable[str]) -> list[str]:
    """The non-empty ``values`` in first-seen order, each once."""
    out: list[str] = []
    for value in values:
        if value and value not in out:
            out.append(value)
    return out
