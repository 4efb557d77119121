"""Text reaching the terminal from the app itself: notices, the clipboard, key names.

A part of :class:`discogs_tui.app.DiscogsApp`: each passes the one sanitizer
(:mod:`discogs_tui.sanitize`) before Textual writes it, so API text, the config's keymap or
a pasted value can never drive the terminal.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.notifications import SeverityLevel

from discogs_tui.sanitize import safe, safe_line
from discogs_tui.typing_order import OrderedTyping


class SafeTerminal(OrderedTyping):
    """Notices, clipboard and key names, made terminal-safe."""

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Textual's notification, with terminal controls in ``message`` and ``title`` made visible.

        Every notice passes here (``Widget.notify`` calls it too). Pass ``markup=False`` for
        any message holding text from outside: sanitizing removes controls, not markup.
        """
        super().notify(
            safe(message), title=safe_line(title), severity=severity, timeout=timeout, markup=markup
        )

    def copy_to_clipboard(self, text: str) -> None:
        """Copy ``text`` with OSC 52, controls made visible: a paste must not run escapes."""
        super().copy_to_clipboard(safe(text))

    def get_key_display(self, binding: Binding) -> str:
        """How a key is shown (footer, help): the keymap in the config is outside text."""
        return safe_line(super().get_key_display(binding))
