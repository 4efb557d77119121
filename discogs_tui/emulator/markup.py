"""Discogs text markup (``[a=Name]``, ``[r123]``, ``[b]..[/b]``, ``[url=..]..[/url]``).

Profiles and notes are stored in Discogs markup. A client asks for another rendering with
``Accept: application/vnd.discogs.v2.{html|plaintext|discogs}+json``; the emulator then
rewrites those fields with :func:`render_text_fields`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote_plus

from discogs_tui.emulator.core import BASE

Resolver = Callable[[str, int], "str | None"]
"""Looks up the name of an ``artist``/``label``/``release``/``master`` by id, or ``None``."""

TEXT_FIELDS = ("profile", "notes")
"""The fields whose markup the Accept formats rewrite."""

FORMATS = ("discogs", "plaintext", "html")

_KINDS = {"a": "artist", "l": "label", "r": "release", "m": "master"}
_API_PATHS = {"artist": "artists", "label": "labels", "release": "releases", "master": "masters"}

# One pattern for every tag: entity links by id or name, [url], and the style pairs.
_TAG = re.compile(
    r"\[(?P<kind>[alrm])(?:=(?P<name>[^\]]+)|(?P<id>\d+))\]"
    r"|\[url=(?P<href>[^\]]+)\](?P<label>.*?)\[/url\]"
    r"|\[url\](?P<bare>.*?)\[/url\]"
    r"|\[(?P<close>/?)(?P<style>[bius])\]",
    re.IGNORECASE | re.DOTALL,
)

_STYLE_TAGS = {"b": "strong", "i": "em", "u": "u", "s": "s"}


def _strip_suffix(name: str) -> str:
    """``Seidemann (2)`` → ``Seidemann``: Discogs hides the disambiguation number."""
    return re.sub(r"\s+\(\d+\)$", "", name)


def _entity(match: re.Match[str], resolve: Resolver | None) -> tuple[str, str, str]:
    """(kind, display text, link) of an entity tag; the raw tag text when unresolvable."""
    kind = _KINDS[match.group("kind").lower()]
    name = match.group("name")
    if kind in ("release", "master") and name is not None and name.strip().isdigit():
        # Releases and masters have no name form: [r=123] and [m=123] are ids.
        name = None
    if name is not None:
        name = name.strip()
        target = f"{BASE}/database/search?type={kind}&q={quote_plus(name)}"
        return kind, _strip_suffix(name), target
    ident = int(match.group("id") or match.group("name"))
    found = resolve(kind, ident) if resolve is not None else None
    link = f"{BASE}/{_API_PATHS[kind]}/{ident}"
    if found is None:
        return kind, match.group(0), link
    return kind, _strip_suffix(found) if kind in ("artist", "label") else found, link


def to_plaintext(text: str, resolve: Resolver | None = None) -> str:
    """The text without markup: entity tags become names, ``[url]`` its label, styles vanish."""

    def replace(match: re.Match[str]) -> str:
        if match.group("kind"):
            return _entity(match, resolve)[1]
        if match.group("href") is not None:
            return match.group("label") or match.group("href")
        if match.group("bare") is not None:
            return str(match.group("bare"))
        return ""

    return _TAG.sub(replace, text)


def to_html(text: str, resolve: Resolver | None = None) -> str:
    """The text as HTML: escaped, links as ``<a href>``, styles as tags, line breaks as ``<br />``."""
    out: list[str] = []
    last = 0
    for match in _TAG.finditer(text):
        out.append(html.escape(text[last : match.start()], quote=False))
        last = match.end()
        if match.group("kind"):
            _, shown, link = _entity(match, resolve)
            out.append(f'<a href="{html.escape(link)}">{html.escape(shown, quote=False)}</a>')
        elif match.group("href") is not None:
            href = match.group("href").strip()
            shown = match.group("label") or href
            out.append(f'<a href="{html.escape(href)}">{html.escape(shown, quote=False)}</a>')
        elif match.group("bare") is not None:
            href = str(match.group("bare")).strip()
            out.append(f'<a href="{html.escape(href)}">{html.escape(href, quote=False)}</a>')
        else:
            tag = _STYLE_TAGS[match.group("style").lower()]
            out.append(f"</{tag}>" if match.group("close") else f"<{tag}>")
    out.append(html.escape(text[last:], quote=False))
    rendered = "".join(out)
    return re.sub(r"\r?\n", "<br />\n", rendered.replace("\r\n", "\n"))


def render_text_fields(doc: Any, fmt: str, resolve: Resolver | None = None) -> Any:
    """A copy of ``doc`` with every ``profile`` and ``notes`` string rendered as ``fmt``.

    ``fmt`` is ``discogs`` (markup kept raw; ``doc`` returned as is), ``plaintext`` or
    ``html``; anything else counts as ``discogs``. Nested dicts and lists are walked; the
    input is never changed.
    """
    if fmt == "plaintext":
        convert: Callable[[str, Resolver | None], str] = to_plaintext
    elif fmt == "html":
        convert = to_html
    else:
        return doc

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                key: convert(item, resolve)
                if key in TEXT_FIELDS and isinstance(item, str)
                else walk(item)
                for key, item in value.items()
            }
        if isinstance(value, list):
            return [walk(item) for item in value]
        return value

    return walk(doc)


def accept_format(accept: str | None) -> str:
    """The text format an ``Accept`` header asks for: ``discogs`` unless html/plaintext."""
    match = re.search(r"application/vnd\.discogs\.v2\.(html|plaintext|discogs)\+json", accept or "")
    return match.group(1) if match else "discogs"
