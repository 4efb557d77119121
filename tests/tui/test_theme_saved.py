"""A theme chosen with the palette is saved to ``config.toml`` for the next start."""

from __future__ import annotations

import stat
import tomllib
from pathlib import Path

import pytest
from tui_helpers import demo_app, settle

from discogs_tui.config import Settings, config_path, load_settings, save_setting


async def choose_theme(theme: str) -> None:
    app = demo_app(settings=load_settings())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.search_themes()  # the palette's "Theme..." entry
        await pilot.pause()
        await pilot.press(*theme)
        await settle(pilot, app)  # the palette's search for the theme has listed its hits
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert app.theme == theme


async def test_a_theme_chosen_in_the_palette_is_saved_and_used_next_time() -> None:
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text('currency = "EUR"\n\n[keymap]\nhelp = "f1"\n')
    await choose_theme("nord")
    saved = tomllib.loads(path.read_text())
    assert saved == {"currency": "EUR", "theme": "nord", "keymap": {"help": "f1"}}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = demo_app(settings=load_settings())
    async with again.run_test(size=(80, 24)):
        assert again.theme == "nord"


async def test_saving_the_theme_writes_no_token_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DISCOGS_TOKEN", "from-the-environment")
    await choose_theme("nord")
    text = config_path().read_text()
    assert "from-the-environment" not in text
    assert tomllib.loads(text) == {"theme": "nord"}


async def test_the_theme_given_at_start_is_not_written() -> None:
    app = demo_app(settings=Settings(theme="nord"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
    assert not config_path().exists()


def test_a_file_that_is_not_toml_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("theme = [broken\n")
    from discogs_tui.config import ConfigError

    with pytest.raises(ConfigError):
        save_setting("theme", "nord", path)
    assert path.read_text() == "theme = [broken\n"
