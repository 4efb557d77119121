"""Text whose spans are links: :class:`LinkedText` (a ``rich.text.Text`` plus its links in
reading order), the :class:`Link` spans, and :func:`wrap_linked` that word-wraps it keeping
the links. :mod:`discogs_tui.widgets.markup_view` builds and shows it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rich.console import Console
from rich.style import Style
from rich.text import Text

from discogs_tui.navigation import Target
from discogs_tui.sanitize import safe, safe_text

LINK_STYLE = Style(underline=True, bold=True)
"""How a link looks (colour comes from the widget's CSS)."""

SELECTED_STYLE = Style(reverse=True)
"""How the link chosen with the keyboard looks while the view has focus."""


@dataclass(frozen=True)
class Link:
    """A followable span of a :class:`LinkedText`: a page of the app, or a web address."""

    label: str
    """The text the link shows."""
    target: Target | None = None
    """The page it opens; ``None`` for a web link."""
    url: str | None = None
    """The web address of a ``[url=...]`` link."""
    start: int = 0
    """Offset of the link's first character in the text."""
    end: int = 0
    """Offset just past the link's last character."""


@dataclass
class LinkedText:
    """Styled text and the links inside it, in reading order."""

    text: Text = field(default_factory=Text)
    links: list[Link] = field(default_factory=list)

    @property
    def plain(self) -> str:
        """The text without styles."""
        return self.text.plain

    def append(self, value: str | Text, style: str | Style | None = None) -> LinkedText:
        """Add literal text (never parsed as markup; terminal controls shown as placeholders)."""
        if isinstance(value, Text):
            self.text.append_text(safe_text(value))
        else:
            self.text.append(safe(value), style=style)
        return self

    def append_link(
        self,
        label: str,
        *,
        target: Target | None = None,
        url: str | None = None,
        style: str | Style | None = None,
    ) -> LinkedText:
        """Add a link showing ``label`` that opens ``target`` (or ``url``)."""
        start = len(self.text)
        self.text.append(safe(label), style=style)
        end = len(self.text)
        if end > start:
            self.links.append(Link(label, target, url, start, end))
        return self

    def append_linked(self, other: LinkedText) -> LinkedText:
        """Add another linked text, keeping its links."""
        offset = len(self.text)
        self.text.append_text(safe_text(other.text))
        for link in other.links:
            self.links.append(
                Link(link.label, link.target, link.url, link.start + offset, link.end + offset)
            )
        return self

    def append_joined(
        self, parts: Iterable[LinkedText], separator: str = ", ", *, style: str | None = None
    ) -> LinkedText:
        """Add ``parts`` separated by ``separator``."""
        for index, part in enumerate(parts):
            if index:
                self.append(separator, style=style)
            self.append_linked(part)
        return self

    def render(self, *, selected: int | None = None) -> Text:
        """The text with link styles and click actions applied; ``selected`` is highlighted."""
        # The last line of defence: whatever built the text, no control reaches the terminal.
        text = safe_text(self.text.copy())
        for index, link in enumerate(self.links):
            meta_style = LINK_STYLE + Style(meta={"@click": f"follow_link({index})"})
            text.stylize(meta_style, link.start, link.end)
            if index == selected:
                text.stylize(SELECTED_STYLE, link.start, link.end)
        return text


def wrap_linked(
    linked: LinkedText, width: int, *, indent: int = 0, console: Console | None = None
) -> LinkedText:
    """``linked`` word-wrapped to ``width`` cells, continuation lines indented by ``indent``.

    Links keep working: each link's span is tagged before wrapping and found again after.
    """
    console = console or Console(width=max(width, 1), color_system=None)
    tagged = linked.text.copy()
    for index, link in enumerate(linked.links):
        tagged.stylize(Style(meta={_LINK_META: index}), link.start, link.end)
    lines = tagged.wrap(console, max(1, width - indent), overflow="fold")
    out = Text()
    for number, line in enumerate(lines):
        if number:
            out.append("\n" + " " * indent)
        line.rstrip()
        out.append_text(line)
    bounds: dict[int, tuple[int, int]] = {}
    for span in out.spans:
        style = span.style
        if isinstance(style, Style) and style.meta and _LINK_META in style.meta:
            index = style.meta[_LINK_META]
            start, end = bounds.get(index, (span.start, span.end))
            bounds[index] = (min(start, span.start), max(end, span.end))
    # Drop the tags again so they never reach the screen.
    out.spans[:] = [
        span
        for span in out.spans
        if not (isinstance(span.style, Style) and span.style.meta and _LINK_META in span.style.meta)
    ]
    links = [
        Link(link.label, link.target, link.url, *bounds[index])
        for index, link in enumerate(linked.links)
        if index in bounds
    ]
    return LinkedText(out, links)


_LINK_META = "discogs_link"
