"""Aligned ``Label: value`` lines whose values may hold links (a release's label, format, ...)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from rich.cells import cell_len

from discogs_tui.models.names import display_name
from discogs_tui.navigation import Kind, Target
from discogs_tui.widgets.markup_view import LinkedText, wrap_linked

Fact = tuple[str, LinkedText | str]
"""A fact: its name and its value (plain text is shown literally)."""


def facts_text(rows: Iterable[Fact], *, width: int | None = None) -> LinkedText:
    """``rows`` as aligned lines; rows with an empty value are left out.

    With ``width``, long values wrap with a hanging indent under the value column.
    """
    kept = [
        (name, value if isinstance(value, LinkedText) else LinkedText().append(value))
        for name, value in rows
        if (value.plain if isinstance(value, LinkedText) else value)
    ]
    label_width = max((cell_len(name) for name, _ in kept), default=0)
    out = LinkedText()
    for index, (name, value) in enumerate(kept):
        if index:
            out.append("\n")
        out.append(name + " " * (label_width - cell_len(name) + 2), style="dim")
        # A multi-line value continues under the value column.
        indent = label_width + 2
        if width is not None:
            out.append_linked(wrap_linked(value, max(width, indent + 10), indent=indent))
        elif "\n" in value.plain:
            out.append_linked(_indent(value, indent))
        else:
            out.append_linked(value)
    return out


def _indent(value: LinkedText, by: int) -> LinkedText:
    """``value`` with every line after the first indented by ``by`` spaces."""
    out = LinkedText()
    pad = " " * by
    for index, line in enumerate(value.text.split("\n", allow_blank=True)):
        if index:
            out.append("\n" + pad)
        start = sum(len(part) + 1 for part in value.plain.split("\n")[:index])
        piece = LinkedText(line)
        piece.links = [
            type(link)(link.label, link.target, link.url, link.start - start, link.end - start)
            for link in value.links
            if start <= link.start < start + len(line) + 1
        ]
        out.append_linked(piece)
    return out


def facts_builder(rows: Sequence[Fact]) -> Callable[[int], LinkedText]:
    """A :class:`MarkupView` builder laying ``rows`` out for the view's width."""
    kept = list(rows)
    return lambda width: facts_text(kept, width=width)


def links_to(
    kind: Kind, refs: Sequence[tuple[int | None, str]], *, separator: str = ", "
) -> LinkedText:
    """Names as links to their ``kind`` page (a name without an id is a search for it).

    Artist and label names show without their ``(2)`` number; the link keeps the id.
    """
    out = LinkedText()
    for index, (ident, name) in enumerate(refs):
        if index:
            out.append(separator)
        target = Target(kind=kind, id=ident) if ident else Target(kind="search", query=name)
        shown = display_name(name) if kind in ("artist", "label") else name
        out.append_link(shown or f"{kind} {ident}", target=target)
    return out


def url_links(urls: Sequence[str], *, separator: str = "\n") -> LinkedText:
    """Web addresses as links, one a line."""
    out = LinkedText()
    for index, url in enumerate(u for u in urls if u.strip()):
        if index:
            out.append(separator)
        out.append_link(url.strip(), url=url.strip())
    return out


def plain_list(values: Sequence[str], separator: str = ", ") -> str:
    """Non-empty values joined."""
    return separator.join(value for value in values if value)
