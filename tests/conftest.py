"""Shared fixtures: every test gets its own config, cache and data folders."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from discogs_tui.emulator.dataset import Dataset


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
