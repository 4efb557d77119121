"""End to end: keys sent to a real terminal in one go (tmux ``send-keys``) land in order.

Each test runs ``discogs-tui --demo`` at 80x24 in a tmux server of its own, so the app sees
this test's environment (its XDG folders, its ``PYTHONPATH``) and no other tmux session.
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_e2e_tmux import Terminal, shell_quote


@pytest.fixture
def own_terminal(tmp_path: Path) -> Iterator[Terminal]:
    tmux = shutil.which("tmux")
    if tmux is None:
        pytest.fail("tmux is not installed: install it (apt-get install tmux) to run this test.")
    command = shutil.which("discogs-tui")
    if command is None:
        pytest.fail("The discogs-tui command is not installed: run 'pip install -e .' first.")
    socket = f"discogs-keys-{uuid.uuid4().hex[:8]}"
    exit_file = tmp_path / "exit-status"
    names = ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "HOME")
    env_vars = {key: os.environ[key] for key in (*names, "PYTHONPATH") if key in os.environ}
    exports = " ".join(f"{key}={shell_quote(value)}" for key, value in env_vars.items())
    script = (
        f"env {exports} TERM=xterm-256color {shell_quote(command)} --demo; "
        f"echo $? > {shell_quote(str(exit_file))}"
    )
    term = Terminal(tmux, socket, "keys", exit_file)
    term.start(script)
    try:
        yield term
    finally:
        term.close()


def test_slashes_and_colons_sent_in_one_go_stay_where_they_were_typed(
    own_terminal: Terminal,
) -> None:
    term = own_terminal
    # Typed once the app has settled (the sign-in check answered): keys sent while the first
    # frame is still being set up belong to a different test (start-up), not to this one.
    term.wait_for(
        lambda s: "Pick a first step" in s and "connecting" not in s and "demo" in s,
        "the home page, signed in",
    )
    # "/" opens the search line; the slash and colon after it are text in that line.
    term.keys("/AC/DC:live", literal=True)
    term.wait_for(lambda s: ":search AC/DC:live" in s, "the search line with the text in order")
    term.keys("Enter")
    term.wait_for(lambda s: 'search "AC/DC:live"' in s, "the search page for AC/DC:live")
    # In the search field itself, every key of a burst is text, in order.
    term.keys("/")
    term.keys("C-u")
    term.wait_for(lambda s: "Search Discogs (enter runs it)" in s, "the field, emptied")
    term.keys("AC/DC", literal=True)
    term.wait_for(
        lambda s: re.search(r"^\s*AC/DC\s", s, re.MULTILINE) is not None,
        "AC/DC in the search field",
    )
    term.keys("C-q")
    assert term.exit_status() == 0


def test_a_burst_with_tab_fills_each_field_in_turn(own_terminal: Terminal) -> None:
    term = own_terminal
    # Typed once the app has settled (the sign-in check answered): keys sent while the first
    # frame is still being set up belong to a different test (start-up), not to this one.
    term.wait_for(
        lambda s: "Pick a first step" in s and "connecting" not in s and "demo" in s,
        "the home page, signed in",
    )
    term.keys(":search", literal=True)
    term.keys("Enter")
    term.wait_for(lambda s: "Search Discogs" in s, "an empty search page")
    term.keys("C-f")
    term.wait_for(lambda s: "catno" in s, "the advanced fields")
    term.keys("a", "b", "Tab", "c", "d")  # one send-keys: the keys arrive together
    screen = term.wait_for(lambda s: re.search(r"\bab\b.*\bcd\b", s) is not None, "ab then cd")
    assert "abcd" not in screen
    term.keys("C-q")
    assert term.exit_status() == 0
