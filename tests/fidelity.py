"""Structural comparison of recorded Discogs answers with the emulator's answers.

Two JSON documents have the same structure when every key of the recorded one is present in
the emulator's, with a value of the same JSON type (numbers are one type; ``null`` on either
side matches anything, as Discogs sends ``null`` for many absent values). Lists compare by
their first elements. Values are never compared.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures" / "responses"


def json_type(value: Any) -> str:
    """The JSON type name of a parsed value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def structure_diff(expected: Any, actual: Any, where: str = "$") -> list[str]:
    """Where ``actual`` lacks a key of ``expected`` or holds another type; empty when alike."""
    kind_e, kind_a = json_type(expected), json_type(actual)
    if "null" in (kind_e, kind_a):
        return []
    if kind_e != kind_a:
        return [f"{where}: {kind_e} expected, {kind_a} found"]
    problems: list[str] = []
    if kind_e == "object":
        for key, value in expected.items():
            if key not in actual:
                problems.append(f"{where}.{key}: missing")
            else:
                problems.extend(structure_diff(value, actual[key], f"{where}.{key}"))
    elif kind_e == "array" and expected and actual:
        problems.extend(
            structure_diff(expected[0], _counterpart(expected[0], actual), f"{where}[0]")
        )
    return problems


def _counterpart(item: Any, candidates: list[Any]) -> Any:
    """The element of ``candidates`` to compare ``item`` with: one of the same ``type`` if any.

    Lists such as custom fields (dropdown / textarea) or search results (release / artist)
    mix shapes; an item is compared with one of its own kind.
    """
    if isinstance(item, dict) and "type" in item:
        for candidate in candidates:
            if isinstance(candidate, dict) and candidate.get("type") == item["type"]:
                return candidate
    return candidates[0]


def php_body(name: str) -> Any:
    """The JSON body of a raw HTTP response recorded by php-discogs-api."""
    raw = (FIXTURES / "php-discogs-api" / name).read_text(encoding="utf-8")
    _, _, body = raw.replace("\r\n", "\n").partition("\n\n")
    return json.loads(body)


def buntine_body(name: str) -> Any:
    """A JSON body recorded by buntine/discogs."""
    return json.loads((FIXTURES / "buntine-discogs" / name).read_text(encoding="utf-8"))


def recorded_exchanges(name: str) -> list[dict[str, Any]]:
    """The request/response exchanges of a DiscogsApiClient recording (2026, live API)."""
    data = json.loads((FIXTURES / "DiscogsApiClient" / name).read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data
