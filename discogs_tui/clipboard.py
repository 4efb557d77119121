"""Copying a URL (OSC 52, so it works over SSH) and opening it in a browser when there is one."""

from __future__ import annotations

import os
import sys
import webbrowser
from collections.abc import Mapping
from typing import Protocol

from discogs_tui.sanitize import safe


class _Copier(Protocol):
    def copy_to_clipboard(self, text: str) -> None: ...


def copy_text(app: _Copier, text: str) -> None:
    """Put ``text`` on the terminal's clipboard with an OSC 52 escape (Textual writes it).

    Terminal controls in ``text`` are made visible first: pasted, they would run as escapes.
    """
    app.copy_to_clipboard(safe(text))


def has_display(env: Mapping[str, str] | None = None, platform: str | None = None) -> bool:
    """True when a graphical browser could show a page: macOS, Windows, or X11/Wayland."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if platform == "darwin" or platform.startswith("win"):
        # Over SSH the browser would open on the remote machine's screen, not the user's.
        return not env.get("SSH_CONNECTION")
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def find_browser(env: Mapping[str, str] | None = None) -> webbrowser.BaseBrowser | None:
    """A graphical browser to open pages in, or None.

    Console browsers (lynx, w3m, links, elinks) are refused: they would take over the
    terminal the app is drawing on.
    """
    if not has_display(env):
        return None
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return None
    if type(browser) is webbrowser.GenericBrowser:
        return None
    if isinstance(browser, webbrowser.UnixBrowser) and not browser.background:
        return None
    return browser


def open_in_browser(url: str, *, env: Mapping[str, str] | None = None) -> bool:
    """Open ``url`` in a graphical browser; False when there is none (show the URL instead)."""
    browser = find_browser(env)
    if browser is None:
        return False
    try:
        return bool(browser.open(url, new=2))
    except (OSError, webbrowser.Error):
        return False
