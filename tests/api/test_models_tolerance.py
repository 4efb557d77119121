"""The models read answers that drift from the documentation, and pages keep their good rows.

Plain tests pin each drift seen in real answers; a property test (hypothesis) mutates the
recorded responses of tests/fixtures/responses field by field and checks that parsing never
raises and that a page keeps every row the mutation did not touch.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import sys
from collections.abc import Iterator
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from test_models_fixtures import CASES, Case, read_body
from test_models_fixtures import FIXTURES as FIXTURES_ROOT

from discogs_tui.models import (
    Artist,
    CollectionItem,
    CustomFieldList,
    FolderList,
    Listing,
    ListingStatus,
    Master,
    Message,
    Page,
    Pagination,
    PriceSuggestions,
    Profile,
    Release,
    SearchResult,
    Submissions,
    UserList,
    Want,
    parse_page,
)

# -- each drift seen in real answers --------------------------------------------------------


def test_a_search_rows_format_sent_as_one_string_is_a_one_item_list() -> None:
    row = SearchResult.model_validate({"id": 1, "format": "Vinyl", "label": "Harvest"})
    assert row.format == ["Vinyl"] and row.label == ["Harvest"]
    assert SearchResult.model_validate({"id": 1, "genre": ""}).genre == []


def test_a_lone_object_where_a_list_belongs_is_a_one_item_list() -> None:
    release = Release.model_validate(
        {"id": 1, "formats": {"name": "CD", "qty": "1"}, "genres": "Rock"}
    )
    assert [fmt.name for fmt in release.formats] == ["CD"] and release.genres == ["Rock"]
    message = Message.model_validate({"message": "bad", "detail": {"msg": "too long"}})
    assert isinstance(message.detail, list) and message.detail[0].msg == "too long"


def test_nulls_inside_lists_are_dropped() -> None:
    release = Release.model_validate(
        {"id": 1, "genres": ["Rock", None], "images": [None, {"uri": "u"}], "tracklist": [None]}
    )
    assert release.genres == ["Rock"]
    assert [image.uri for image in release.images] == ["u"]
    assert release.tracklist == []
    assert Artist.model_validate({"members": [None, "A Name"]}).members[0].name == "A Name"


def test_numbers_sent_as_strings_read_as_numbers_and_blank_ones_as_absent() -> None:
    release = Release.model_validate(
        {"id": "7", "year": "1999", "lowest_price": "12.50", "num_for_sale": ""}
    )
    assert (release.id, release.year, release.lowest_price) == (7, 1999, 12.5)
    assert release.num_for_sale is None
    listing = Listing.model_validate({"price": {"value": "3.5"}, "weight": " "})
    assert listing.price.value == 3.5 and listing.weight is None
    assert Pagination.model_validate({"page": "2", "pages": "3", "items": ""}).items == 0


def test_numbers_where_text_belongs_read_as_text() -> None:
    release = Release.model_validate({"title": 1984, "genres": ["Rock", 2]})
    assert release.title == "1984" and release.genres == ["Rock", "2"]


def test_a_one_item_list_where_one_value_belongs_is_that_value() -> None:
    release = Release.model_validate(
        {"id": [5], "title": ["Stockholm"], "community": [{"have": 3}], "year": []}
    )
    assert (release.id, release.title, release.year) == (5, "Stockholm", None)
    assert release.community is not None and release.community.have == 3
    listing = Listing.model_validate({"status": ["Sold"]})
    assert listing.status is ListingStatus.SOLD
    # Several texts join, as Discogs shows them.
    assert Release.model_validate({"country": ["UK", "Europe"]}).country == "UK, Europe"


def test_null_objects_take_their_defaults_in_every_model() -> None:
    page = parse_page(
        {"pagination": {"page": 1, "urls": None}, "results": [{"id": 1, "community": None}]},
        "results",
        SearchResult,
    )
    assert page.pagination.urls.next is None and page.items[0].community is None
    assert parse_page({"pagination": None, "wants": []}, "wants", Want).pagination.page == 1
    listing = Listing.model_validate({"price": None, "seller": None, "release": None})
    assert listing.price.value is None and listing.seller.username == ""
    assert Message.model_validate({"message": None}).message == ""


def test_collection_notes_in_the_older_shapes() -> None:
    """Current ``[{field_id, value}]``, a mapping of field id to value, plain text, one object."""
    current = CollectionItem.model_validate({"notes": [{"field_id": 3, "value": "VG+"}]})
    mapping = CollectionItem.model_validate({"notes": {"3": "VG+", "4": "shelf 2"}})
    text = CollectionItem.model_validate({"notes": "bought in Leeds"})
    single = CollectionItem.model_validate({"notes": {"field_id": 3, "value": 5}})
    assert [(n.field_id, n.value) for n in current.notes] == [(3, "VG+")]
    assert [(n.field_id, n.value) for n in mapping.notes] == [(3, "VG+"), (4, "shelf 2")]
    assert [(n.field_id, n.value) for n in text.notes] == [(None, "bought in Leeds")]
    assert [(n.field_id, n.value) for n in single.notes] == [(3, "5")]
    assert CollectionItem.model_validate({"notes": ""}).notes == []
    assert CollectionItem.model_validate({"notes": [None, {}]}).notes == []


def test_unknown_enum_values_are_still_kept() -> None:
    assert Listing.model_validate({"status": ["On Hold"]}).status == "On Hold"
    assert Profile.model_validate({"curr_abbr": "PLN"}).curr_abbr == "PLN"


def test_price_suggestions_skip_null_grades() -> None:
    suggestions = PriceSuggestions.model_validate(
        {"Mint (M)": None, "Good (G)": [{"currency": "USD", "value": "2"}]}
    )
    assert set(suggestions.prices) == {"Good (G)"}
    assert suggestions.prices["Good (G)"].value == 2.0


# -- pages are read row by row --------------------------------------------------------------


def test_a_page_drops_and_counts_rows_it_cannot_read_and_keeps_the_rest() -> None:
    page = parse_page(
        {
            "pagination": {"page": 1, "pages": 1, "items": 5},
            "results": [
                {"id": 1, "title": "Good"},
                None,
                "a bare string",
                {"id": "not a number", "title": "Bad id"},
                {"id": 2, "title": "Also good", "format": "CD"},
            ],
        },
        "results",
        SearchResult,
    )
    assert [row.title for row in page.items] == ["Good", "Also good"]
    assert page.dropped == 3


def test_a_page_of_good_rows_drops_none_and_a_lone_row_is_a_page_of_one() -> None:
    page = parse_page({"releases": [{"id": 1}, {"id": 2}]}, "releases", CollectionItem)
    assert page.dropped == 0 and len(page.items) == 2
    lone = parse_page({"wants": {"id": 9}}, "wants", Want)
    assert [want.id for want in lone.items] == [9] and lone.dropped == 0


def test_a_page_validated_directly_reads_rows_one_by_one_too() -> None:
    page = Page[Master].model_validate({"items": [{"id": 1}, {"id": {"no": 1}}]})
    assert [master.id for master in page.items] == [1] and page.dropped == 1


def test_every_list_answer_read_as_rows_counts_what_it_dropped() -> None:
    folders = FolderList.model_validate({"folders": [{"id": 0, "name": "All"}, {"id": "x"}]})
    assert [folder.name for folder in folders.folders] == ["All"] and folders.dropped == 1
    fields = CustomFieldList.model_validate({"fields": [{"id": 1}, None, 5]})
    assert len(fields.fields) == 1 and fields.dropped == 2
    entries = UserList.model_validate({"id": 3, "items": [{"id": 1}, {"id": "?"}]})
    assert len(entries.items) == 1 and entries.dropped == 1
    submissions = Submissions.model_validate(
        {"submissions": {"artists": [{"id": 1}, {"id": "?"}], "releases": [None, {"id": 2}]}}
    )
    assert len(submissions.artists) == 1 and len(submissions.releases) == 1
    assert submissions.dropped == 2


# -- recorded responses, mutated field by field --------------------------------------------

Path = tuple[str | int, ...]


def walk(value: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    """Every (path, value) below ``value`` (the root itself excluded)."""
    if isinstance(value, dict):
        items: Iterator[tuple[str | int, Any]] = iter(value.items())
    elif isinstance(value, list):
        items = iter(enumerate(value))
    else:
        return
    for key, child in items:
        yield (*path, key), child
        yield from walk(child, (*path, key))


def mutations(value: Any, in_dict: bool) -> list[str]:
    """The mutations that make sense for ``value``."""
    found = ["null"]
    if in_dict:
        found.append("missing")
    if isinstance(value, list):
        found.append("scalar for list")
    else:
        found.append("list for scalar")
    if isinstance(value, int | float) and not isinstance(value, bool):
        found.append("string for number")
    return found


def mutate(body: Any, path: Path, mutation: str) -> Any:
    """A deep copy of ``body`` with the value at ``path`` changed by ``mutation``."""
    changed = copy.deepcopy(body)
    parent = changed
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    value = parent[last]
    if mutation == "missing":
        del parent[last]
    elif mutation == "null":
        parent[last] = None
    elif mutation == "scalar for list":
        parent[last] = value[0] if value else ""
    elif mutation == "list for scalar":
        parent[last] = [value]
    else:
        parent[last] = str(value)
    return changed


def parse_body(case: Case, body: Any) -> BaseModel:
    if case.key is not None:
        return parse_page(body, case.key, case.model)
    return case.model.model_validate(body)


FIXTURES = [(case, read_body(case.path)[1]) for case in CASES]
FIXTURES = [(case, body) for case, body in FIXTURES if isinstance(body, dict) and body]


@st.composite
def mutated_fixture(draw: st.DrawFn) -> tuple[Case, Any, Path, str, Any]:
    case, body = draw(st.sampled_from(FIXTURES))
    paths = list(walk(body))
    path, value = draw(st.sampled_from(paths))
    parent = body
    for key in path[:-1]:
        parent = parent[key]
    mutation = draw(st.sampled_from(mutations(value, isinstance(parent, dict))))
    return case, body, path, mutation, mutate(body, path, mutation)


@settings(
    max_examples=250,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(mutated_fixture())
def test_a_mutated_recorded_response_still_parses_and_keeps_its_good_rows(
    drawn: tuple[Case, Any, Path, str, Any],
) -> None:
    case, body, path, mutation, changed = drawn
    parsed = parse_body(case, changed)
    if case.key is None:
        assert type(parsed) is case.model
        return
    assert isinstance(parsed, Page)
    original = parse_page(body, case.key, case.model)
    assert original.dropped == 0
    rows = body[case.key]
    if path[0] != case.key:
        # Outside the rows: every row survives as it was.
        assert parsed.items == original.items and parsed.dropped == 0
        return
    if len(path) == 1:
        return  # the list itself was changed: nothing to compare row by row
    touched = path[1]
    assert isinstance(touched, int)
    assert parsed.dropped <= 1
    kept = list(parsed.items)
    if parsed.dropped == 0 and not (mutation == "missing" and len(path) == 2):
        # The touched row is still there, at its place.
        assert len(kept) == len(rows)
        del kept[touched]
    assert kept == [row for index, row in enumerate(original.items) if index != touched]


def test_the_reference_check_counts_a_dropped_row_as_a_failure() -> None:
    """scripts/check_reference_responses.py must not pass a page just because it left rows out."""
    script = FIXTURES_ROOT.parent.parent.parent / "scripts" / "check_reference_responses.py"
    spec = importlib.util.spec_from_file_location("check_reference_responses", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    name = "buntine-discogs/valid_search_results.json"
    good = json.dumps({"results": [{"id": 1}]})
    bad = json.dumps({"results": [{"id": 1}, {"id": "one"}]})
    assert module.check(module.Body(name, name, None, good)).verdict == "ok"
    outcome = module.check(module.Body(name, name, None, bad))
    assert outcome.verdict == "FAILED" and outcome.detail == "1 row(s) could not be read"
