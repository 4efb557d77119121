"""Discogs markup and Discogs HTML read into a :class:`LinkedText` (no UI here).

Discogs profiles and notes use a small markup of their own: ``[a=Name]`` and ``[a123]``
(artists), ``[r123]`` and ``[r=123]`` (releases), ``[m123]`` and ``[m=123]`` (masters),
``[l=Name]`` and ``[l123]`` (labels), ``[url=...]text[/url]``, ``[b]``, ``[i]`` and ``[u]``.
:func:`parse_discogs_markup` turns it into a :class:`LinkedText`: a ``rich.text.Text`` plus the
links in reading order. Anything that is not one of those tags stays literal, so API text can
never inject Rich or Textual markup.

Asked for with ``Accept: application/vnd.discogs.v2.html+json``, the same fields come as HTML
with the names already filled in (``<a href=".../artists/4450">Name</a>``);
:func:`parse_discogs_html` reads that small subset (links, line breaks, bold, italic,
underline) and shows every other character as written. A link to a Discogs page (an artist,
release, master or label) opens that page in the app, in both forms
(https://www.discogs.com/developers/#page:home,header:home-general-information).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import parse_qs, unquote_plus, urlsplit

from rich.style import Style

from discogs_tui.models.names import display_name
from discogs_tui.navigation import Kind, Target
from discogs_tui.sanitize import safe
from discogs_tui.widgets.linked_text import Link, LinkedText

_TAG = re.compile(
    r"\[(?:"
    r"(?P<close>/(?:b|i|u|url))"  # a closing tag
    r"|(?P<fmt>b|i|u)"  # bold, italic, underline
    r"|url(?:=(?P<url>[^\]]*))?"  # [url=...] or [url]
    r"|(?P<kind>[armlARML])(?:=(?P<name>[^\]]+)|(?P<id>\d+))"  # [a=Name], [r123], ...
    r")\]",
    re.IGNORECASE,
)

_KINDS: dict[str, Kind] = {"a": "artist", "r": "release", "m": "master", "l": "label"}
_FORMAT_STYLES = {"b": Style(bold=True), "i": Style(italic=True), "u": Style(underline=True)}


def link_target(kind: Kind, *, id: int | None = None, name: str | None = None) -> Target:
    """Where a database link goes: the page by id, or a search of that kind for the name."""
    if id is not None:
        return Target(kind=kind, id=id)
    return Target(kind="search", query=name or "", search_type=kind)


def _id_label(kind: Kind, number: int) -> str:
    """What an id-only link shows in raw markup: ``artist 123`` (the html format gives names)."""
    return f"{kind} {number}"


_PAGE_KINDS: dict[str, Kind] = {
    "artist": "artist",
    "artists": "artist",
    "release": "release",
    "releases": "release",
    "master": "master",
    "masters": "master",
    "label": "label",
    "labels": "label",
}
_ID_SEGMENT = re.compile(r"(\d+)(?:-.*)?")


def discogs_page_target(url: str, *, api_base: str | None = None) -> Target | None:
    """The app page a Discogs address shows, or ``None`` for any other address.

    Understands website addresses (``https://www.discogs.com/release/1-Title``,
    ``/Artist-Title/master/12``, ``/master/view/12``, ``/artist/Some+Name``), API addresses
    (``/artists/1``, ``/database/search?type=label&q=Name``) and relative ones, on discogs.com
    or on ``api_base`` (the server the client talks to). A name instead of an id searches for it.
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    own = urlsplit(api_base).hostname if api_base else None
    if parts.scheme not in ("", "http", "https"):
        return None
    if host and not (host == "discogs.com" or host.endswith(".discogs.com") or host == own):
        return None
    segments = [unquote_plus(segment) for segment in parts.path.split("/") if segment]
    if segments[-2:] == ["database", "search"]:
        query = parse_qs(parts.query)
        words = (query.get("q") or [""])[0].strip()
        wanted = (query.get("type") or [""])[0]
        if not words:
            return None
        return Target(kind="search", query=words, search_type=_PAGE_KINDS.get(wanted))
    for index, segment in enumerate(segments):
        kind = _PAGE_KINDS.get(segment.lower())
        if kind is None:
            continue
        rest = [item for item in segments[index + 1 :] if item.lower() != "view"]
        if not rest:
            return None
        found = _ID_SEGMENT.fullmatch(rest[0])
        if found:
            return Target(kind=kind, id=int(found.group(1)))
        if kind in ("artist", "label"):
            return link_target(kind, name=rest[0])
        return None
    return None


@dataclass
class _Open:
    tag: str
    start: int
    raw: str
    url: str | None = None


def parse_discogs_markup(source: str) -> LinkedText:
    """Turn Discogs markup into a :class:`LinkedText`; every other character stays literal.

    Formatting tags left open run to the end; a closing tag with nothing to close shows as
    written. ``[url]...[/url]`` without an address links to the text inside it.
    """
    source = safe(source)
    out = LinkedText()
    text = out.text
    stack: list[_Open] = []
    position = 0
    for match in _TAG.finditer(source):
        text.append(source[position : match.start()])
        position = match.end()
        raw = match.group(0)
        if match.group("close"):
            tag = match.group("close")[1:].lower()
            opened = next((item for item in reversed(stack) if item.tag == tag), None)
            if opened is None:
                text.append(raw)
                continue
            stack.remove(opened)
            _close(out, opened, len(text))
        elif match.group("fmt"):
            stack.append(_Open(match.group("fmt").lower(), len(text), raw))
        elif match.group("kind"):
            kind = _KINDS[match.group("kind").lower()]
            given = match.group("name")
            if kind in ("release", "master") and given is not None and given.strip().isdigit():
                # Releases and masters have no name form: [r=123] and [m=123] are ids.
                given = None
            if given is None:
                number = int(match.group("id") or match.group("name"))
                out.append_link(_id_label(kind, number), target=link_target(kind, id=number))
            else:
                name = given.strip()
                shown = display_name(name) if kind in ("artist", "label") else name
                out.append_link(shown, target=link_target(kind, name=name))
        else:
            stack.append(_Open("url", len(text), raw, url=(match.group("url") or "").strip()))
    text.append(source[position:])
    for opened in reversed(stack):
        _close(out, opened, len(text))
    out.links.sort(key=lambda link: link.start)
    return out


def _close(out: LinkedText, opened: _Open, end: int) -> None:
    """Apply a finished formatting tag or url span."""
    if opened.tag == "url":
        inner = out.text.plain[opened.start : end]
        url = opened.url or inner.strip()
        if not inner:
            # [url=x][/url]: show the address itself.
            out.text.append(url)
            end = len(out.text)
            inner = url
        if end > opened.start and url:
            out.links.append(Link(inner, discogs_page_target(url), url, opened.start, end))
        return
    if end > opened.start:
        out.text.stylize(_FORMAT_STYLES[opened.tag], opened.start, end)


_HTML_STYLES = {
    "b": _FORMAT_STYLES["b"],
    "strong": _FORMAT_STYLES["b"],
    "i": _FORMAT_STYLES["i"],
    "em": _FORMAT_STYLES["i"],
    "u": _FORMAT_STYLES["u"],
    "s": Style(strike=True),
}


class _HtmlReader(HTMLParser):
    """Builds a :class:`LinkedText` from the HTML Discogs sends for profiles and notes."""

    def __init__(self, api_base: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.api_base = api_base
        self.out = LinkedText()
        self.open: list[tuple[str, int, str | None]] = []
        self.after_break = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self._break()
        elif tag == "a":
            href = next((value for name, value in attrs if name == "href"), None)
            self.open.append(("a", len(self.out.text), (href or "").strip()))
        elif tag in _HTML_STYLES:
            self.open.append((tag, len(self.out.text), None))
        else:
            self._literal(self.get_starttag_text() or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self._break()
        else:
            self._literal(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        opened = next((item for item in reversed(self.open) if item[0] == tag), None)
        if opened is None:
            self._literal(f"</{tag}>")
            return
        self.open.remove(opened)
        self._close(*opened)

    def handle_data(self, data: str) -> None:
        if self.after_break:
            # The break is the <br>; the newline written after it is only source layout.
            data = re.sub(r"^\r?\n", "", data)
        self.after_break = False
        self.out.text.append(re.sub(r"\r?\n", " ", data))

    def handle_comment(self, data: str) -> None:
        self._literal(f"<!--{data}-->")

    def _literal(self, raw: str) -> None:
        self.after_break = False
        self.out.text.append(raw)

    def _break(self) -> None:
        self.out.text.append("\n")
        self.after_break = True

    def _close(self, tag: str, start: int, href: str | None) -> None:
        end = len(self.out.text)
        if tag != "a":
            if end > start:
                self.out.text.stylize(_HTML_STYLES[tag], start, end)
            return
        if not href:
            return
        if end == start:
            self.out.text.append(href)
            end = len(self.out.text)
        target = discogs_page_target(href, api_base=self.api_base)
        label = self.out.text.plain[start:end]
        if target is not None and target.kind in ("artist", "label") and start == end - len(label):
            # An artist or label named with its (2) number: shown as discogs.com shows it.
            shown = display_name(label)
            if shown and shown != label and label.startswith(shown):
                self.out.text.right_crop(len(label) - len(shown))
                end = len(self.out.text)
                label = shown
        url = href if href.startswith(("http://", "https://")) else None
        if target is None and url is None and href.startswith("/"):
            url = "https://www.discogs.com" + href
        if target is not None or url is not None:
            self.out.links.append(Link(label, target, url, start, end))

    def finish(self) -> LinkedText:
        self.close()
        for opened in reversed(self.open):
            self._close(*opened)
        self.open.clear()
        self.out.links.sort(key=lambda link: link.start)
        return self.out


def parse_discogs_html(source: str, *, api_base: str | None = None) -> LinkedText:
    """Turn a profile or notes field sent as HTML into a :class:`LinkedText`.

    ``<a href>`` becomes a link (to the app's page for Discogs addresses, see
    :func:`discogs_page_target`), ``<br>`` a line break, ``<b>``/``<strong>``, ``<i>``/``<em>``,
    ``<u>`` and ``<s>`` styles; entities are decoded; any other tag shows as written. Nothing
    is ever read as Rich markup.
    """
    reader = _HtmlReader(api_base)
    reader.feed(source)
    return reader.finish()


# -- the widget ------------------------------------------------------------------------------
