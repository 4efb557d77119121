"""The bundled dataset: release 1, link integrity, cross-links, search and the markup helpers."""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from discogs_tui.emulator.core import BASE
from discogs_tui.emulator.dataset import DATA_FILE, Dataset, format_string
from discogs_tui.emulator.markup import (
    accept_format,
    render_text_fields,
    to_html,
    to_plaintext,
)


def walk_links(value: Any) -> Iterator[str]:
    """Every ``resource_url``-like string under ``value`` that points into the emulator."""
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str) and item.startswith(BASE + "/") and key != "uri":
                yield item
            else:
                yield from walk_links(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk_links(item)


def resolves(dataset: Dataset, url: str) -> bool:
    """Whether a ``BASE/<kind>/<id>[/...]`` URL names an existing document."""
    parts = url[len(BASE) + 1 :].split("/")
    if parts[0] == "users":
        return parts[1] == "demo"  # user pages belong to the state: only the demo user
    kind, ident = parts[0], int(parts[1])
    getter = {
        "releases": dataset.release,
        "masters": dataset.master,
        "artists": dataset.artist,
        "labels": dataset.label,
    }.get(kind)
    assert getter is not None, url
    return getter(ident) is not None


def test_load_is_shared_and_explicit_path_works(dataset: Dataset, tmp_path: Path) -> None:
    assert Dataset.load() is dataset
    release = dataset.release(1)
    raw = {
        "releases": [release],
        "masters": [],
        "artists": [],
        "labels": [],
        "artist_releases": {},
        "label_releases": {},
        "master_versions": {},
    }
    small = tmp_path / "small.json.gz"
    small.write_bytes(gzip.compress(json.dumps(raw).encode(), compresslevel=1))
    other = Dataset.load(small)
    assert other is not dataset
    assert other.release_ids() == [1]
    assert other.release(1) == release


def test_bundled_file_is_small() -> None:
    assert DATA_FILE.stat().st_size < 4_000_000


def test_release_one_is_stockholm(dataset: Dataset) -> None:
    release = dataset.release(1)
    assert release is not None
    assert release["title"] == "Stockholm"
    assert [a["name"] for a in release["artists"]] == ["The Persuader"]
    assert release["year"] == 1999 and isinstance(release["year"], int)
    assert release["released"] == "1999-03-00"
    assert release["released_formatted"] == "Mar 1999"
    assert release["formats"][0]["qty"] == "2"
    assert release["labels"][0]["name"] == "Svek"
    assert release["labels"][0]["catno"] == "SK032"
    assert release["labels"][0]["entity_type_name"] == "Label"
    assert [t["title"] for t in release["tracklist"]][:2] == ["Östermalm", "Vasastaden"]
    assert all(t["type_"] == "track" for t in release["tracklist"])
    assert release["resource_url"] == f"{BASE}/releases/1"
    assert release["uri"] == f"{BASE}/release/1-The-Persuader-Stockholm"
    assert release["master_url"] == f"{BASE}/masters/{release['master_id']}"
    assert release["community"]["rating"]["count"] >= 1
    assert 1.0 <= release["community"]["rating"]["average"] <= 5.0
    assert dataset.release(999_999_999) is None


def load_builder() -> Any:
    """The dataset build script as a module (it is a script, not part of the package)."""
    path = Path(__file__).resolve().parents[2] / "scripts" / "build_dataset.py"
    spec = importlib.util.spec_from_file_location("build_dataset", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_community_numbers_are_derived_from_the_id(dataset: Dataset) -> None:
    builder = load_builder()
    for release_id in dataset.release_ids()[:50]:
        release = dataset.release(release_id)
        assert release is not None
        have, want, count, average = builder.community_numbers(release_id)
        assert release["community"]["have"] == have
        assert release["community"]["want"] == want
        assert release["community"]["rating"] == {"count": count, "average": average}
    assert builder.community_numbers(7) == builder.community_numbers(7)
    haves = {builder.community_numbers(i)[0] for i in range(1, 51)}
    assert len(haves) > 10  # varies with the id, not one constant


def test_builder_helpers() -> None:
    builder = load_builder()
    assert builder.released_formatted("1999-03-00") == "Mar 1999"
    assert builder.released_formatted("1999-03-05") == "05 Mar 1999"
    assert builder.released_formatted("1999") == "1999"
    assert builder.released_formatted("") == ""
    assert builder.slug("The Persuader", "Stockholm") == "The-Persuader-Stockholm"
    assert builder.sort_name("The Persuader") == "Persuader, The"
    credits = [
        {"name": "A (2)", "anv": "", "join": "&"},
        {"name": "B", "anv": "Bee", "join": ""},
    ]
    assert builder.credit_string(credits) == "A & Bee"


def test_tracklist_kinds(dataset: Dataset) -> None:
    kinds = set()
    for release_id in dataset.release_ids():
        release = dataset.release(release_id)
        assert release is not None
        for track in release["tracklist"]:
            kinds.add(track["type_"])
            if track["type_"] == "index":
                assert track["sub_tracks"]
    assert kinds == {"track", "heading", "index"}


def test_every_link_resolves(dataset: Dataset) -> None:
    checked = 0
    for table in (
        dataset.release_ids(),
        dataset.master_ids(),
        dataset.artist_ids(),
        dataset.label_ids(),
    ):
        assert table
    docs: list[Any] = [dataset.release(i) for i in dataset.release_ids()]
    docs += [dataset.master(i) for i in dataset.master_ids()]
    docs += [dataset.artist(i) for i in dataset.artist_ids()]
    docs += [dataset.label(i) for i in dataset.label_ids()]
    for doc in docs:
        for url in walk_links(doc):
            assert resolves(dataset, url), url
            checked += 1
    assert checked > 20_000


_MARKUP_ID = re.compile(r"\[(?P<kind>[armlARML])=?(?P<id>\d+)\]")
_MARKUP_NAME = re.compile(r"\[(?P<kind>[alAL])=(?P<name>[^\]]*[^\d\]][^\]]*)\]")
_DISCOGS_URL = re.compile(
    r"\[url=https?://(?:www\.)?discogs\.com/(?P<kind>artist|release|master|label)/(?P<id>\d+)\]",
    re.IGNORECASE,
)


def text_fields(dataset: Dataset) -> Iterator[tuple[str, str]]:
    """(where, text) of every profile and notes field of the dataset."""
    for kind, ids, get in (
        ("release", dataset.release_ids(), dataset.release),
        ("master", dataset.master_ids(), dataset.master),
        ("artist", dataset.artist_ids(), dataset.artist),
        ("label", dataset.label_ids(), dataset.label),
    ):
        for ident in ids:
            doc = get(ident) or {}
            for key in ("profile", "notes"):
                if doc.get(key):
                    yield f"{kind} {ident} {key}", doc[key]


def test_every_link_inside_profiles_and_notes_resolves(dataset: Dataset) -> None:
    kinds = {"a": "artist", "r": "release", "m": "master", "l": "label"}
    checked = 0
    for where, text in text_fields(dataset):
        for match in _MARKUP_ID.finditer(text):
            kind = kinds[match.group("kind").lower()]
            assert dataset.resolve_name(kind, int(match.group("id"))), (where, match.group(0))
            checked += 1
        # Name links were turned into id links, or into plain names when nobody has the name.
        assert not _MARKUP_NAME.search(text), (where, _MARKUP_NAME.search(text))
        for match in _DISCOGS_URL.finditer(text):
            assert dataset.resolve_name(match.group("kind").lower(), int(match.group("id"))), where
            checked += 1
    assert checked > 100


def test_release_master_links_and_main_release(dataset: Dataset) -> None:
    for master_id in dataset.master_ids():
        master = dataset.master(master_id)
        assert master is not None
        versions = dataset.master_versions(master_id)
        assert versions
        ids = {v["id"] for v in versions}
        assert master["main_release"] in ids
        assert master["most_recent_release"] in ids
        for release_id in ids:
            assert dataset.release(release_id)["master_id"] == master_id  # type: ignore[index]
    linked = {dataset.release(i).get("master_id") for i in dataset.release_ids()}  # type: ignore[union-attr]
    assert linked - {None} == set(dataset.master_ids())


def test_artist_releases_match_the_releases(dataset: Dataset) -> None:
    rows = dataset.artist_releases(1)
    assert rows is not None
    stockholm = [r for r in rows if r["type"] == "master" and r["main_release"] == 1]
    assert stockholm and stockholm[0]["role"] == "Main"
    # Every release naming artist 239 as an extra artist shows up in its list.
    rows_239 = dataset.artist_releases(239) or []
    expected = {
        i
        for i in dataset.release_ids()
        if any(a["id"] == 239 for a in dataset.release(i)["extraartists"])  # type: ignore[index]
    }
    found = {r["id"] for r in rows_239 if r["type"] == "release"}
    assert expected and expected <= found
    roles = {
        r["role"] for i in dataset.artist_ids()[:3000] for r in dataset.artist_releases(i) or []
    }
    assert {"Main", "TrackAppearance", "Appearance", "Remix"} <= roles
    assert dataset.artist_releases(999_999_999) is None


def test_artist_release_sorts(dataset: Dataset) -> None:
    by_year = dataset.artist_releases(1, sort="year") or []
    years = [r["year"] for r in by_year]
    assert years == sorted(years) and len(set(years)) > 1
    desc = dataset.artist_releases(1, sort="year", sort_order="desc") or []
    assert [r["year"] for r in desc] == sorted(years, reverse=True)
    titles = [r["title"].casefold() for r in dataset.artist_releases(1, sort="title") or []]
    assert titles == sorted(titles)


def test_label_releases_match_the_releases(dataset: Dataset) -> None:
    rows = dataset.label_releases(5) or []
    expected = {
        i
        for i in dataset.release_ids()
        if any(e["id"] == 5 for e in dataset.release(i)["labels"])  # type: ignore[index]
    }
    assert expected and expected <= {r["id"] for r in rows}
    assert next(r for r in rows if r["id"] == 1)["catno"] == "SK032"
    assert dataset.label_releases(999_999_999) is None


def test_labels_parent_and_sublabels_agree(dataset: Dataset) -> None:
    pairs = 0
    for label_id in dataset.label_ids():
        label = dataset.label(label_id)
        assert label is not None
        parent = label.get("parent_label")
        if parent:
            parent_doc = dataset.label(parent["id"])
            assert parent_doc is not None
            assert label_id in {s["id"] for s in parent_doc["sublabels"]}
            pairs += 1
    assert pairs > 10


def test_master_versions_filters_and_sorts(dataset: Dataset) -> None:
    master_id = max(dataset.master_ids(), key=lambda m: len(dataset.master_versions(m) or []))
    versions = dataset.master_versions(master_id) or []
    assert len(versions) >= 3
    countries = [v["country"] for v in dataset.master_versions(master_id, sort="country") or []]
    assert countries == sorted(countries, key=str.casefold)
    country = versions[0]["country"]
    only = dataset.master_versions(master_id, filters={"country": country.upper()}) or []
    assert only and all(v["country"] == country for v in only)
    filters, facets = dataset.version_filters(master_id, {"country": country})
    assert filters["applied"] == {"country": [country]}
    assert sum(filters["available"]["country"].values()) == len(versions)
    assert [f["id"] for f in facets] == ["format", "label", "released", "country"]


def test_basic_information_and_listing_release(dataset: Dataset) -> None:
    info = dataset.basic_information(1)
    assert info["title"] == "Stockholm" and info["year"] == 1999
    assert info["artists"][0]["name"] == "The Persuader"
    assert info["formats"][0]["qty"] == "2"
    listing = dataset.listing_release(1)
    assert listing["description"] == 'The Persuader - Stockholm (2xVinyl, 12", 33 ⅓ RPM)'
    assert listing["catalog_number"] == "SK032"
    assert listing["resource_url"] == f"{BASE}/releases/1"
    with pytest.raises(KeyError):
        dataset.basic_information(999_999_999)


def test_format_string() -> None:
    formats = [
        {"name": "Vinyl", "qty": "2", "descriptions": ["LP", "Compilation", "Reissue"]},
        {"name": "CD", "qty": "1", "descriptions": ["Album"], "text": "Gold"},
    ]
    assert format_string(formats) == "2xVinyl, LP, Comp, RE + CD, Album, Gold"


# --- search ---------------------------------------------------------------------------------


def ids(results: list[dict[str, Any]], kind: str = "release") -> set[int]:
    """The ids of the results of one type."""
    return {r["id"] for r in results if r["type"] == kind}


def test_search_q_finds_all_kinds(dataset: Dataset) -> None:
    results = dataset.search({"q": "persuader"})
    assert results[0]["type"] == "artist" and results[0]["id"] == 1
    assert 1 in ids(dataset.search({"q": "Stockholm persuader"}))
    assert dataset.release(1)["master_id"] in ids(results, "master")  # type: ignore[index]
    assert dataset.search({"q": "zzzqqq-no-such-thing"}) == []


def test_search_result_shape(dataset: Dataset) -> None:
    result = next(r for r in dataset.search({"q": "stockholm", "type": "release"}) if r["id"] == 1)
    assert result["title"] == "The Persuader - Stockholm"
    assert result["year"] == "1999"
    assert result["format"][:1] == ["Vinyl"]
    assert result["label"][0] == "Svek"
    assert result["genre"] == ["Electronic"] and result["style"] == ["Deep House"]
    assert result["user_data"] == {"in_wantlist": False, "in_collection": False}
    assert set(result["community"]) == {"have", "want"}
    assert result["uri"] == "/release/1-The-Persuader-Stockholm"
    assert result["resource_url"] == f"{BASE}/releases/1"
    assert result["catno"] == "SK032"
    assert "thumb" in result and "cover_image" in result
    # Results are fresh: changing one does not leak into the next search.
    result["user_data"]["in_collection"] = True
    again = next(r for r in dataset.search({"q": "stockholm", "type": "release"}) if r["id"] == 1)
    assert again["user_data"]["in_collection"] is False


def test_search_type_filter(dataset: Dataset) -> None:
    for kind in ("release", "master", "artist", "label"):
        results = dataset.search({"q": "the", "type": kind})
        assert results and {r["type"] for r in results} == {kind}


@pytest.mark.parametrize(
    ("params", "expect_release_1"),
    [
        ({"artist": "persuader"}, True),
        ({"release_title": "STOCKHOLM"}, True),
        ({"title": "The Persuader - Stockholm"}, True),
        ({"credit": "Jesper Dahlbäck"}, True),
        ({"credit": "jesper dahlback"}, True),
        ({"label": "svek"}, True),
        ({"genre": "electronic"}, True),
        ({"style": "deep house"}, True),
        ({"country": "sweden"}, True),
        ({"year": "1999"}, True),
        ({"year": "1995-2000"}, True),
        ({"format": "vinyl"}, True),
        ({"catno": "SK 032"}, True),
        ({"track": "Östermalm"}, True),
        ({"track": "ostermalm"}, True),
        ({"year": "1998"}, False),
        ({"country": "US"}, False),
        ({"label": "no such label"}, False),
        ({"genre": "Electronic", "style": "Techno"}, False),
    ],
)
def test_search_fields(dataset: Dataset, params: dict[str, str], expect_release_1: bool) -> None:
    results = dataset.search({**params, "type": "release"})
    assert (1 in ids(results)) is expect_release_1
    assert all(r["type"] == "release" for r in results)


def test_search_field_params_narrow(dataset: Dataset) -> None:
    electronic = ids(dataset.search({"genre": "Electronic", "type": "release"}))
    deep = ids(dataset.search({"genre": "Electronic", "style": "Deep House", "type": "release"}))
    assert deep and deep < electronic
    for release_id in deep:
        release = dataset.release(release_id)
        assert release is not None and "Deep House" in release["styles"]


def test_search_barcode_and_anv(dataset: Dataset) -> None:
    release = next(
        r
        for r in (dataset.release(i) for i in dataset.release_ids())
        if r and any(x["type"] == "Barcode" for x in r["identifiers"])
    )
    barcode = next(x["value"] for x in release["identifiers"] if x["type"] == "Barcode")
    assert release["id"] in ids(dataset.search({"barcode": barcode}))
    credited = next(
        r
        for r in (dataset.release(i) for i in dataset.release_ids())
        if r and any(a["anv"] for a in r["artists"])
    )
    anv = next(a["anv"] for a in credited["artists"] if a["anv"])
    assert credited["id"] in ids(dataset.search({"anv": anv}))


def test_search_artist_and_label_params_reach_those_types(dataset: Dataset) -> None:
    assert 1 in ids(dataset.search({"artist": "The Persuader", "type": "artist"}), "artist")
    assert 5 in ids(dataset.search({"label": "Svek", "type": "label"}), "label")


# --- markup ---------------------------------------------------------------------------------


NAMES = {("artist", 1): "The Persuader", ("release", 1): "Stockholm", ("artist", 2): "Foo (2)"}


def resolve(kind: str, ident: int) -> str | None:
    """A tiny resolver for the markup tests."""
    return NAMES.get((kind, ident))


def test_plaintext() -> None:
    text = "[a=Carl Craig]'s [b]label[/b]: [a1], [a2] on [r1]; [m9] [url=http://x.test]site[/url]"
    assert (
        to_plaintext(text, resolve)
        == "Carl Craig's label: The Persuader, Foo on Stockholm; [m9] site"
    )
    assert to_plaintext("[l=Svek (2)] [i]x[/i] [u]y[/u]") == "Svek x y"
    assert to_plaintext("[url]http://x.test[/url]") == "http://x.test"


def test_html() -> None:
    out = to_html("[b]A & B[/b] <x> [a1]\r\nnext [url=http://x.test/?a=1&b=2]go[/url]", resolve)
    assert "<strong>A &amp; B</strong>" in out
    assert "&lt;x&gt;" in out
    assert f'<a href="{BASE}/artists/1">The Persuader</a>' in out
    assert "<br />" in out
    assert '<a href="http://x.test/?a=1&amp;b=2">go</a>' in out
    assert to_html("[i]x[/i]") == "<em>x</em>"


def test_render_text_fields_rewrites_profile_and_notes_only() -> None:
    doc = {
        "profile": "[b]P[/b]",
        "title": "[b]T[/b]",
        "nested": [{"notes": "[a1]", "other": "[a1]"}],
    }
    plain = render_text_fields(doc, "plaintext", resolve)
    assert plain == {
        "profile": "P",
        "title": "[b]T[/b]",
        "nested": [{"notes": "The Persuader", "other": "[a1]"}],
    }
    assert doc["profile"] == "[b]P[/b]"  # the input is untouched
    assert render_text_fields(doc, "html", resolve)["profile"] == "<strong>P</strong>"
    assert render_text_fields(doc, "discogs", resolve) == doc


def test_accept_format() -> None:
    assert accept_format("application/vnd.discogs.v2.plaintext+json") == "plaintext"
    assert accept_format("application/vnd.discogs.v2.html+json") == "html"
    assert accept_format("application/json") == "discogs"
    assert accept_format(None) == "discogs"


def test_dataset_resolver_names(dataset: Dataset) -> None:
    assert dataset.resolve_name("artist", 1) == "The Persuader"
    assert dataset.resolve_name("release", 1) == "Stockholm"
    assert dataset.resolve_name("label", 5) == "Svek"
    assert dataset.resolve_name("artist", 999_999_999) is None
    assert dataset.resolve_name("planet", 1) is None
