"""Copying a URL (OSC 52, so it works over SSH) and opening it in a browser when there is one."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import threading
import webbrowser
from collections.abc import Mapping
from pathlib import PurePath
from typing import Protocol

from discogs_tui.sanitize import safe


class _Copier(Protocol):
    def copy_to_clipboard(self, text: str) -> None: ...


def copy_text(app: _Copier, text: str) -> None:
    """Put ``text`` on the terminal's clipboard with an OSC 52 escape (Textual writes it).

    Terminal controls in ``text`` are made visible first: pasted, they would run as escapes.
    """
    app.copy_to_clipboard(safe(text))


CONSOLE_BROWSERS = frozenset({"lynx", "w3m", "links", "links2", "elinks", "www-browser", "browsh"})
"""Browsers that draw in the terminal: they would take over the screen the app draws on."""


def browser_variable_commands(env: Mapping[str, str]) -> list[list[str]]:
    """The commands ``BROWSER`` names, in order, each with ``%s`` where the URL goes.

    ``BROWSER`` holds one or more commands separated by ``os.pathsep`` (``:``), as
    Python's :mod:`webbrowser` reads it; a command without ``%s`` gets the URL appended.
    Console browsers and commands not found on ``PATH`` are left out.
    """
    commands: list[list[str]] = []
    for entry in env.get("BROWSER", "").split(os.pathsep):
        try:
            argv = shlex.split(entry)
        except ValueError:
            continue
        if not argv or PurePath(argv[0]).name in CONSOLE_BROWSERS:
            continue
        if shutil.which(argv[0], path=env.get("PATH", os.defpath)) is None:
            continue
        if not any("%s" in arg for arg in argv):
            argv.append("%s")
        commands.append(argv)
    return commands


def open_with_browser_variable(url: str, env: Mapping[str, str]) -> bool:
    """Start the first command of ``BROWSER`` that starts, detached from the terminal."""
    for argv in browser_variable_commands(env):
        try:
            process = subprocess.Popen(
                [arg.replace("%s", url) for arg in argv],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
                env=dict(env),
            )
        except OSError:
            continue
        # Reaped in the background: a browser's first window may run for hours.
        threading.Thread(target=process.wait, daemon=True).start()
        return True
    return False


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
    """Open ``url`` in a graphical browser; False when there is none (show the URL instead).

    The browser ``BROWSER`` names comes first, even without a display (over SSH it may be a
    script that opens the link on the user's own machine); else the desktop's own.
    """
    env = os.environ if env is None else env
    if env.get("BROWSER", "").strip():
        return open_with_browser_variable(url, env)
    browser = find_browser(env)
    if browser is None:
        return False
    try:
        return bool(browser.open(url, new=2))
    except (OSError, webbrowser.Error):
        return False
