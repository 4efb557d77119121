"""Shared fixtures: every test gets its own config, cache and data folders."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from discogs_tui.emulator.dataset import Dataset


def pytest_addoption(parser: pytest.Parser, pluginmanager: pytest.PytestPluginManager) -> None:
    """Without pytest-xdist (not installed, or ``-p no:xdist``) the suite runs in one process.

    pyproject's ``addopts`` ask xdist for a worker per core; these stand-ins take its options
    and ignore them, so a plain ``pytest`` still works where the ``test`` extra is not installed.
    """
    if pluginmanager.has_plugin("xdist"):
        return
    group = parser.getgroup("xdist", "xdist stand-ins (pytest-xdist is not loaded)")
    group.addoption("--numprocesses", dest="numprocesses", default=None)
    group.addoption("--maxprocesses", dest="maxprocesses", default=None)
    group.addoption("--dist", dest="dist", default="no")


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point XDG folders into the test's own tmp folder and drop credentials from the env."""
    home = tmp_path / "home"
    for name, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
    ):
        folder = home / sub
        folder.mkdir(parents=True)
        monkeypatch.setenv(name, str(folder))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("DISCOGS_TOKEN", raising=False)
    yield home


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    """The bundled CC0 dataset, loaded once for the whole run (it is read-only)."""
    return Dataset.load()


def _no_blink(widget: Input | TextArea) -> None:
    """A blink tick that leaves the cursor as it is."""


@pytest.fixture(autouse=True)
def steady_cursor(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """In snapshot tests a text cursor stays as focusing its field showed it.

    A focused field's cursor blinks every half second, so a picture taken a little later (a
    busy machine, tests run side by side) showed it hidden and no longer matched. Only the
    blink tick is stopped: focus, typing and ``cursor_blink = False`` act as they do.
    """
    if "snap_compare" in request.fixturenames:
        monkeypatch.setattr(Input, "_toggle_cursor", _no_blink)
        monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", _no_blink)


@pytest.fixture(autouse=True)
def no_in_flight_grace(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bulk edit whose answer was lost is read back at once in tests.

    The app and the CLI wait :data:`~discogs_tui.tasks.bulk_apply.IN_FLIGHT_GRACE` seconds
    after such an edit's request before reading it back (the request may still reach
    Discogs); tests that lose answers on purpose would each wait that long. The test of the
    wait itself sets it again.
    """
    monkeypatch.setattr("discogs_tui.tasks.bulk_apply.IN_FLIGHT_GRACE", 0.0)
