"""End to end: hostile API text in a real terminal (tmux, 80x24) neither retitles nor clears it.

The emulator serves a dataset whose every text field ends in an OSC title sequence, a clear
screen, markup, a bidi override and a C1 control (:mod:`hostile_data`), over loopback; the
installed ``discogs-tui`` browses it with ``--base-url``.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile_data import hostile_dataset
from test_e2e_tmux import Terminal, shell_quote

from discogs_tui.emulator.app import Emulator
from discogs_tui.emulator.server import running_server

PANE_TITLE = "hostile-e2e-title"


@pytest.fixture
def hostile_terminal(tmp_path: Path) -> Iterator[Terminal]:
    tmux = shutil.which("tmux")
    if tmux is None:
        pytest.fail("tmux is not installed: install it (apt-get install tmux) to run this test.")
    command = shutil.which("discogs-tui")
    if command is None:
        pytest.fail("The discogs-tui command is not installed: run 'pip install -e .' first.")
    emulator = Emulator(dataset=hostile_dataset())
    with running_server(emulator) as base_url:
        name = f"discogs-hostile-{uuid.uuid4().hex[:8]}"
        exit_file = tmp_path / "exit-status"
        env_vars = {
            key: os.environ[key]
            for key in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "HOME")
            if key in os.environ
        }
        exports = " ".join(f"{key}={shell_quote(value)}" for key, value in env_vars.items())
        script = (
            f"env {exports} TERM=xterm-256color DISCOGS_TOKEN=demo-token "
            f"{shell_quote(command)} --base-url {shell_quote(base_url)}; "
            f"echo $? > {shell_quote(str(exit_file))}"
        )
        term = Terminal(tmux, f"{name}-server", name, exit_file)
        term.start(script)
        try:
            term.run("select-pane", "-t", name, "-T", PANE_TITLE)
            yield term
        finally:
            term.close()


def pane_title(terminal: Terminal) -> str:
    return terminal.run("display-message", "-p", "-t", terminal.name, "#{pane_title}").strip()


def test_a_hostile_release_title_leaves_the_terminal_title_and_header_alone(
    hostile_terminal: Terminal,
) -> None:
    terminal = hostile_terminal
    terminal.wait_for(lambda s: "LIVE" in s and "Pick a first step" in s, "the home page")
    assert pane_title(terminal) == PANE_TITLE
    terminal.keys(":release 1", literal=True)
    terminal.keys("Enter")
    release = terminal.wait_for(
        lambda s: "Stockholm" in s and "Marketplace" in s and "[red]x[/red]" in s,
        "release 1 with its hostile words",
    )
    assert pane_title(terminal) == PANE_TITLE, "the release title retitled the terminal"
    header = release.splitlines()[0]
    assert "discogs-tui" in header and "demo" in header and "LIVE" in header, release
    assert "\u241b]0;PWNED\u2407" in release, "the escape shows as a visible placeholder"
    assert "API " in release.splitlines()[-2], "the gauge is still in its place"
    terminal.keys("q")
    assert terminal.exit_status() == 0
