"""Names as discogs.com prints them, and the API's vocabulary in words.

Discogs keeps artist and label names unique by adding a number: ``Seidemann (2)``. The
website never shows that number, only the name. A credit may use a name variation (ANV),
the name as printed on the release; discogs.com shows it with an asterisk (``Tamara*``) and
links it to the artist. Credits join artists with their ``join`` text (``&``, ``Feat.``).
See https://www.discogs.com/developers/#page:database,header:database-release (``anv``,
``join`` of a release's ``artists``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from discogs_tui.models.database import ArtistCredit, Format

ANV_MARK = "*"
"""What follows a name variation, as on discogs.com."""

_SUFFIX = re.compile(r"\s+\(\d+\)$")
# A suffix inside a credit string: followed by the end, a space (the join) or a comma.
_INNER_SUFFIX = re.compile(r"\s+\(\d+\)(?=$|[\s,])")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def display_name(name: str) -> str:
    """``Seidemann (2)`` → ``Seidemann``: an artist or label name without its number."""
    return _SUFFIX.sub("", name.strip())


def credit_name(credit: ArtistCredit) -> str:
    """The name a credit shows: ``ANV*`` when it uses a variation, else the display name."""
    if credit.anv.strip():
        return credit.anv.strip() + ANV_MARK
    return display_name(credit.name)


def join_text(join: str) -> str:
    """What goes between two credited artists: ``", "`` for a comma or nothing, else `` & ``."""
    join = join.strip()
    if not join or join == ",":
        return ", "
    return f" {join} "


def credit_text(credits: Sequence[ArtistCredit]) -> str:
    """Credited artists as one line, ``A* & B Feat. C`` (what a heading's link texts read)."""
    out = ""
    for index, credit in enumerate(credits):
        out += credit_name(credit)
        if index < len(credits) - 1:
            out += join_text(credit.join)
    return out


def names_in_credit(text: str) -> str:
    """A credit string the API built (``Kenny Dope (2) & Foo (3)``) without the numbers."""
    return _INNER_SUFFIX.sub("", text)


def result_title(kind: str, title: str) -> str:
    """A search result's title as shown: names without numbers.

    Artist and label results are a name; release and master results read ``Artist - Title``,
    whose artist part loses its numbers while the title stays as written.
    """
    if kind in ("artist", "label"):
        return display_name(title)
    artists, dash, rest = title.partition(" - ")
    if not dash:
        return title
    return names_in_credit(artists) + dash + rest


def in_words(value: str) -> str:
    """An API word as people write it: ``TrackAppearance`` → ``Track appearance``, ``master`` → ``Master``.

    Words already spaced (``DJ Mix``) stay as written; only the first letter is raised.
    """
    words: list[str] = []
    for token in value.replace("_", " ").split():
        first, *joined = _CAMEL.split(token)
        words += [first, *(part.lower() for part in joined)]
    if not words:
        return ""
    words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words)


def format_text(formats: Sequence[Format]) -> str:
    """Formats as discogs.com prints them: ``Vinyl, LP, Album``, ``2\u00d7Vinyl, 12"; CD, Album``."""
    parts = []
    for item in formats:
        qty = f"{item.qty}\u00d7" if item.qty and item.qty != "1" else ""
        words = [qty + item.name, *item.descriptions]
        if item.text:
            words.append(item.text)
        parts.append(", ".join(word for word in words if word))
    return "; ".join(part for part in parts if part)
