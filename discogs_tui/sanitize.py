"""Terminal-safe text: the one sanitizer every string from outside passes before display.

Text from the Discogs API, a config file or the command line is data. Shown as it is, an
ESC starts a terminal escape sequence (``ESC ] 0 ; title BEL`` retitles the terminal, ``ESC [
2 J`` clears it), C1 controls are escapes on some terminals, and bidi embeddings, overrides
and isolates (U+202A to U+202E, U+2066 to U+2069) reorder what follows them. Rich strips
only BEL, BS, VT, FF and CR. :func:`safe` turns every such character into a visible
placeholder of one character and one terminal cell, so offsets (links, spans) and widths
measured afterwards stay right:

* C0 controls other than newline and tab become the Unicode Control Pictures
  (``\\x1b`` shows as ``␛``, ``\\x07`` as ``␇``), DEL becomes ``␡``;
* C1 controls (U+0080 to U+009F) and the bidi controls become ``�`` (U+FFFD).

:func:`safe_line` also folds newline and tab, for places one line long (a header, a table
cell, a title); :func:`safe_text` sanitizes a ``rich.text.Text`` keeping its styles. This
module imports neither Textual nor Rich at run time: the service layer may use it too.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.text import Text

CONTROL_PICTURE_BASE = 0x2400
"""U+2400 SYMBOL FOR NULL: C0 control ``n`` shows as ``chr(0x2400 + n)``."""
DELETE_PICTURE = "\u2421"
"""``␡``, shown for DEL (U+007F)."""
REPLACEMENT = "\ufffd"
"""``�``, shown for C1 controls and bidi embedding, override and isolate characters."""
NEWLINE_PICTURE = "\u2424"
"""``␤``, shown for a newline in one-line places."""

BIDI_CONTROLS = tuple(range(0x202A, 0x202F)) + tuple(range(0x2066, 0x206A))
"""LRE, RLE, PDF, LRO, RLO and LRI, RLI, FSI, PDI."""

_SAFE: dict[int, str] = {
    **{code: chr(CONTROL_PICTURE_BASE + code) for code in range(0x20) if code not in (0x09, 0x0A)},
    0x7F: DELETE_PICTURE,
    **{code: REPLACEMENT for code in range(0x80, 0xA0)},
    **{code: REPLACEMENT for code in BIDI_CONTROLS},
}
_SAFE_LINE: dict[int, str] = {**_SAFE, 0x0A: NEWLINE_PICTURE, 0x09: " "}


def safe(text: str) -> str:
    """``text`` with every terminal control shown as a visible placeholder; ``\\n`` and ``\\t`` kept.

    The result has as many characters as ``text`` (each is replaced by one character).
    """
    return text.translate(_SAFE)


def safe_line(text: str) -> str:
    """Like :func:`safe`, for one line: a newline shows as ``␤`` and a tab as a space."""
    return text.translate(_SAFE_LINE)


def is_safe(text: str) -> bool:
    """True when ``text`` holds no character :func:`safe` would replace."""
    return safe(text) == text


def safe_text(text: Text, *, one_line: bool = False) -> Text:
    """A copy of ``text`` with its characters made safe (:func:`safe`); spans stay in place."""
    plain = text.plain
    cleaned = safe_line(plain) if one_line else safe(plain)
    if cleaned == plain:
        return text
    copy = text.copy()
    copy.plain = cleaned
    return copy


class SafeLogFilter(logging.Filter):
    """A handler filter that sanitizes a record's message and traceback before it is written.

    The message is formatted (``msg % args``) first, so arguments from the API are covered.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite ``record`` in place; never drops it."""
        record.msg = safe(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = safe(record.exc_text)
        return True


_LOG_FILTER = SafeLogFilter()


def install_log_filter() -> None:
    """Sanitize every log line written by the root logger's handlers (and the last resort)."""
    handlers = [*logging.getLogger().handlers]
    if logging.lastResort is not None:
        handlers.append(logging.lastResort)
    for handler in handlers:
        if _LOG_FILTER not in handler.filters:
            handler.addFilter(_LOG_FILTER)
