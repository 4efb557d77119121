"""End to end: the installed ``discogs-tui --demo`` in a real terminal (tmux, 80x24).

Without tmux the test is skipped with a one-line reason. The ``discogs-tui`` command is
looked for beside the running Python first (``venv/bin/pytest`` and ``venv/bin/python -m
pytest`` work without activating the venv), then on ``PATH``; when it is missing the test
fails and says how to install it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

WAIT_LIMIT = 30.0
"""Generous upper bound for the screen to show something; the tests poll, never sleep-assert."""
POLL = 0.05


class Terminal:
    """A tmux session running one command at 80x24, read with ``capture-pane``.

    Each terminal has a tmux server (socket) of its own: tests running side by side (pytest
    workers, other runs on the machine) never share a server, so one ending it cannot take
    another's session with it.
    """

    def __init__(self, tmux: str, socket: str, name: str, exit_file: Path) -> None:
        self.tmux = tmux
        self.socket = socket
        self.name = name
        self.exit_file = exit_file

    def run(self, *args: str) -> str:
        done = subprocess.run(
            [self.tmux, "-L", self.socket, *args],
            check=True,
            capture_output=True,
            text=True,
            timeout=10,
        )
        return done.stdout

    def start(self, script: str) -> None:
        """Start ``sh -c script`` in a new 80x24 session on this terminal's own server."""
        self.run("new-session", "-d", "-s", self.name, "-x", "80", "-y", "24", "sh", "-c", script)

    def close(self) -> None:
        """End the session and its server (quietly: the app may have ended it already)."""
        subprocess.run(
            [self.tmux, "-L", self.socket, "kill-server"], capture_output=True, timeout=10
        )

    def screen(self) -> str:
        """The text on screen now."""
        return self.run("capture-pane", "-p", "-t", self.name)

    def keys(self, *keys: str, literal: bool = False) -> None:
        """Send keys (tmux key names, or text when ``literal``)."""
        self.run("send-keys", "-t", self.name, *(["-l"] if literal else []), *keys)

    def wait_for(self, check: Callable[[str], bool], what: str) -> str:
        """Poll the screen until ``check`` holds; fail with the last screen after the limit."""
        deadline = time.monotonic() + WAIT_LIMIT
        text = ""
        while time.monotonic() < deadline:
            text = self.screen()
            if check(text):
                return text
            time.sleep(POLL)
        pytest.fail(f"Timed out waiting for {what}. The screen was:\n{text}")

    def exit_status(self) -> int:
        """Wait for the app to end; its exit status."""
        deadline = time.monotonic() + WAIT_LIMIT
        while time.monotonic() < deadline:
            if self.exit_file.exists() and self.exit_file.read_text().strip():
                return int(self.exit_file.read_text().strip())
            time.sleep(POLL)
        pytest.fail(f"discogs-tui did not exit. The screen was:\n{self.screen()}")


def installed_command() -> str | None:
    """``discogs-tui`` beside the running Python (its venv), else on ``PATH``."""
    beside = Path(sys.executable).parent / "discogs-tui"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("discogs-tui")


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    tmux = shutil.which("tmux")
    if tmux is None:
        pytest.skip("tmux is not installed: install it (apt-get install tmux) to run this test")
    command = installed_command()
    if command is None:
        pytest.fail(
            "The discogs-tui command is not installed: run 'pip install -e .' "
            "(or install the wheel) first."
        )
    name = f"discogs-e2e-{uuid.uuid4().hex[:8]}"
    # The app runs inside tmux with the test's isolated XDG folders; its exit status is
    # written to a file (the screen is cleared when the app leaves the alternate screen).
    exit_file = tmp_path / "exit-status"
    env_vars = {
        key: os.environ[key]
        for key in (
            "XDG_CONFIG_HOME",
            "XDG_CACHE_HOME",
            "XDG_DATA_HOME",
            "XDG_STATE_HOME",
            "HOME",
            "PYTHONPATH",
        )
        if key in os.environ
    }
    exports = " ".join(f"{key}={shell_quote(value)}" for key, value in env_vars.items())
    script = f"env {exports} TERM=xterm-256color {shell_quote(command)} --demo; echo $? > {shell_quote(str(exit_file))}"
    term = Terminal(tmux, f"{name}-server", name, exit_file)
    term.start(script)
    try:
        yield term
    finally:
        term.close()


def shell_quote(value: str) -> str:
    return "'" + value.replace("'", "'\"'\"'") + "'"


def test_demo_release_journey_in_a_real_terminal(terminal: Terminal) -> None:
    home = terminal.wait_for(
        lambda s: "Signed in as demo" in s and re.search(r"API 1/60 ", s) is not None,
        "the home page, signed in",
    )
    assert "discogs-tui" in home and "demo  DEMO" in home
    # The sign-in check, made once the app shows, is the one request made so far.
    assert re.search(r"API 1/60 ", home), home

    # Typed in one go, as a fast typist or a paste does: no key may be lost while the
    # command line opens.
    terminal.keys(":release 1", literal=True)
    terminal.keys("Enter")
    release = terminal.wait_for(lambda s: "Stockholm" in s and "Östermalm" in s, "release 1")
    assert "API " in release.splitlines()[-2], "the gauge shows on the release page"

    terminal.keys("Escape")
    terminal.wait_for(lambda s: "Browse Discogs from the keyboard" in s, "the home page again")

    terminal.keys("/Persuader", literal=True)
    terminal.keys("Enter")
    terminal.wait_for(
        lambda s: re.search(r"Artist\s+The Persuader", s) is not None,
        "the artist among the results",
    )

    terminal.keys("?")
    terminal.wait_for(lambda s: "Keys and commands" in s and "Id (for keymap)" in s, "help")
    terminal.keys("Escape")
    terminal.wait_for(
        lambda s: re.search(r"Artist\s+The Persuader", s) is not None, "the results again"
    )

    terminal.keys("q")
    assert terminal.exit_status() == 0
