"""A hostile copy of the emulator's dataset: every text field ends in terminal controls and markup.

Used by the Pilot walk over every page (``test_sanitize.py``) and the tmux test
(``test_e2e_hostile.py``). The documents stay valid (ids, types, URLs and dates untouched),
so every page still loads, with hostile words wherever the API sends text.
"""

from __future__ import annotations

import gzip
import json
from functools import cache
from typing import Any

from discogs_tui.emulator.dataset import DATA_FILE, Dataset

HOSTILE = "\x1b]0;PWNED\x07\x1b[2J[red]x[/red] [@click=app.quit]y[/] \u202eevil\u0085 名前🎵"
"""Retitles the terminal, clears it, opens markup, reverses the text, a C1 NEL, CJK, emoji."""

FORBIDDEN = {chr(code) for code in range(0x20) if code not in (0x09, 0x0A)}
FORBIDDEN |= {"\x7f", *(chr(code) for code in range(0x80, 0xA0))}
FORBIDDEN |= {chr(code) for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
"""Characters that must never reach the screen as they are."""

_KEEP = {
    "resource_url",
    "uri",
    "uri150",
    "master_url",
    "thumb",
    "cover_image",
    "type",
    "type_",
    "status",
    "data_quality",
    "date_added",
    "date_changed",
    "released",
    "entity_type",
    "qty",
    "username",
}
"""Fields the app reads as codes, addresses or dates, not words: left as they are."""


def _poison(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _poison(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_poison(item, key) for item in value]
    if isinstance(value, str) and key not in _KEEP:
        return value + HOSTILE
    return value


@cache
def hostile_raw() -> dict[str, Any]:
    """The bundled dataset document with :data:`HOSTILE` after every text field."""
    raw: dict[str, Any] = json.loads(gzip.decompress(DATA_FILE.read_bytes()))
    for kind in ("releases", "masters", "artists", "labels"):
        raw[kind] = [_poison(doc) for doc in raw[kind]]
    return raw


def hostile_dataset() -> Dataset:
    """A fresh :class:`Dataset` over :func:`hostile_raw`."""
    return Dataset(hostile_raw())


def forbidden_in(text: str) -> set[str]:
    """The forbidden characters ``text`` holds."""
    return FORBIDDEN & set(text)
