"""The demo's links all lead somewhere: every link of every profile and notes field opens a page
the emulator has, read as the app reads it (raw markup and the html text format)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from discogs_tui.emulator.core import BASE
from discogs_tui.emulator.dataset import Dataset
from discogs_tui.emulator.markup import render_text_fields
from discogs_tui.navigation import Target
from discogs_tui.widgets.markup_view import LinkedText, parse_discogs_html, parse_discogs_markup

API = "http://127.0.0.1:5123"


def documents(dataset: Dataset) -> Iterator[tuple[str, dict[str, Any]]]:
    for kind, ids, get in (
        ("release", dataset.release_ids(), dataset.release),
        ("master", dataset.master_ids(), dataset.master),
        ("artist", dataset.artist_ids(), dataset.artist),
        ("label", dataset.label_ids(), dataset.label),
    ):
        for ident in ids:
            doc = get(ident)
            assert doc is not None
            if doc.get("profile") or doc.get("notes"):
                yield f"{kind} {ident}", doc


def exists(dataset: Dataset, target: Target) -> bool:
    getter = {
        "release": dataset.release,
        "master": dataset.master,
        "artist": dataset.artist,
        "label": dataset.label,
    }
    return target.id is not None and getter[target.kind](target.id) is not None


def check(dataset: Dataset, where: str, linked: LinkedText) -> int:
    """Every link opens a page the emulator has; returns how many were app pages."""
    pages = 0
    for link in linked.links:
        if link.target is None:
            continue  # a web address outside Discogs' database pages
        assert link.target.kind != "search", (where, link)  # a name nobody in the demo has
        assert exists(dataset, link.target), (where, link)
        pages += 1
    return pages


def test_every_markup_link_opens_a_page_the_demo_has(dataset: Dataset) -> None:
    pages = 0
    for where, doc in documents(dataset):
        for key in ("profile", "notes"):
            pages += check(dataset, f"{where} {key}", parse_discogs_markup(doc.get(key) or ""))
    assert pages > 100


def test_every_html_link_opens_a_page_the_demo_has_and_shows_its_name(dataset: Dataset) -> None:
    pages = 0
    for where, doc in documents(dataset):
        rendered = render_text_fields(
            {key: doc.get(key) or "" for key in ("profile", "notes")}, "html", dataset.resolve_name
        )
        for key, value in json.loads(json.dumps(rendered).replace(BASE, API)).items():
            linked = parse_discogs_html(value, api_base=API)
            pages += check(dataset, f"{where} {key}", linked)
            for link in linked.links:
                if link.target is not None:
                    assert link.label != f"{link.target.kind} {link.target.id}", (where, link)
    assert pages > 100
