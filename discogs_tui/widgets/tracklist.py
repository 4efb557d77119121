"""A release's or master's tracklist: positions, headings, titles, durations and per-track credits.

Each track is one row (``position  title ... duration``; long titles wrap under the title
column), followed by its credits (``Remix: Name``), whose names are links. Index tracks
show their sub-tracks indented. It is a :class:`MarkupView`, so ``down``/``up`` walk the
credited names and ``enter`` opens one.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from discogs_tui.models import ArtistCredit, Track
from discogs_tui.models.names import credit_name, join_text
from discogs_tui.navigation import Target
from discogs_tui.sanitize import safe_line
from discogs_tui.widgets.markup_view import LinkedText, MarkupView

MIN_TITLE_WIDTH = 12


def artist_links(credits: Sequence[ArtistCredit], *, joined: bool = True) -> LinkedText:
    """Credited artists as links, joined the way the release prints them (``A* & B Feat. C``).

    Names lose their ``(2)`` number; a name variation shows with an asterisk and still
    opens the artist it names.
    """
    out = LinkedText()
    for index, credit in enumerate(credits):
        name = credit_name(credit) or "?"
        if credit.id:
            out.append_link(name, target=Target(kind="artist", id=credit.id))
        else:
            out.append(name)
        if index < len(credits) - 1:
            out.append(join_text(credit.join if joined else ","))
    return out


def credited_title(credits: Sequence[ArtistCredit], title: str) -> LinkedText:
    """A page heading: the credited artists as links, a dash, the title in bold."""
    heading = LinkedText()
    heading.append_linked(artist_links(credits))
    if credits:
        heading.append(" \u2013 ")
    heading.append(title, style="bold")
    return heading


def credit_lines(credits: Sequence[ArtistCredit]) -> list[LinkedText]:
    """Credits grouped by role: ``Producer: A, B`` (with ``[tracks]`` when given)."""
    grouped: dict[str, list[ArtistCredit]] = {}
    for credit in credits:
        role = credit.role or "Credit"
        if credit.tracks:
            role = f"{role} ({credit.tracks})"
        grouped.setdefault(role, []).append(credit)
    lines = []
    for role, people in grouped.items():
        line = LinkedText().append(f"{role}: ", style="dim")
        line.append_linked(artist_links(people, joined=False))
        lines.append(line)
    return lines


class Tracklist(MarkupView):
    """The tracklist of a release or master, laid out to the widget's width."""

    DEFAULT_CSS = """
    Tracklist {
        height: auto;
        max-width: 100;
    }
    """

    def __init__(
        self,
        tracks: Sequence[Track] = (),
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """``tracks`` as the API sends them (headings and index tracks included)."""
        super().__init__(empty="No tracklist.", name=name, id=id, classes=classes)
        self.set_tracks(tracks)

    def set_tracks(self, tracks: Sequence[Track]) -> None:
        """Show ``tracks``."""
        self.tracks: list[Track] = list(tracks)
        kept = self.tracks
        self.update(lambda width: self.build(kept, width))

    @staticmethod
    def build(tracks: Sequence[Track], width: int, *, console: Console | None = None) -> LinkedText:
        """Lay ``tracks`` out for ``width`` cells."""
        console = console or Console(width=max(width, 20), color_system=None)
        flat: list[tuple[Track, int]] = []
        for track in tracks:
            flat.append((track, 0))
            flat.extend((sub, 1) for sub in track.sub_tracks)
        # Made safe before measuring: a placeholder takes a cell where a control took none.
        pos_width = max([cell_len(safe_line(track.position)) for track, _ in flat] + [2])
        dur_width = max([cell_len(safe_line(track.duration)) for track, _ in flat] + [0])
        out = LinkedText()
        for index, (track, depth) in enumerate(flat):
            if index:
                out.append("\n")
            indent = "  " * depth
            position, duration = safe_line(track.position), safe_line(track.duration)
            if track.type_ == "heading":
                out.append(indent + safe_line(track.title), style="bold underline")
                continue
            prefix = indent + position + " " * (pos_width - cell_len(position)) + "  "
            title = Text(safe_line(track.title))
            if track.type_ == "index":
                title.stylize("italic")
            if track.artists:
                names = artist_links(track.artists)
                lead = LinkedText().append_linked(names).append(" \u2013 ")
            else:
                lead = None
            title_width = max(
                MIN_TITLE_WIDTH,
                width - cell_len(prefix) - (dur_width + 2 if dur_width else 0),
            )
            head = cell_len(lead.plain) if lead else 0
            # Wrap the title after the track artists so the durations line up.
            lines = Text.assemble(" " * head, title).wrap(console, title_width)
            for line_no, line in enumerate(lines):
                if line_no:
                    out.append("\n" + " " * cell_len(prefix))
                else:
                    out.append(prefix, style="dim")
                line.rstrip()
                if line_no == 0 and lead is not None:
                    out.append_linked(lead)
                    line = line[head:]
                    used = head + cell_len(line.plain)
                else:
                    used = cell_len(line.plain)
                out.append(line)
                if line_no == 0 and duration:
                    pad = max(1, title_width - used + 2 + dur_width - cell_len(duration))
                    out.append(" " * pad + duration)
            for credit in credit_lines(track.extraartists):
                out.append("\n" + " " * cell_len(prefix) + "  ")
                out.append_linked(credit)
        return out
