"""Keys that arrive together (a slow SSH link, an unbracketed paste, a macro) land in order.

A burst is sent the way a terminal driver sends it: every key posted to the app before
any is handled. A printable key typed into a text field is text, whatever it is bound to
elsewhere.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.keys import _character_to_key
from textual.pilot import Pilot
from textual.widgets import Input
from tui_helpers import demo_app, settle

from discogs_tui.navigation import Target
from discogs_tui.screens.database.search import SearchPage
from discogs_tui.widgets.command_line import CommandLine


def key_event(key: str) -> events.Key:
    """The event a terminal driver posts for ``key`` (a character or a key name)."""
    if len(key) == 1:
        name = key if key.isalnum() else _character_to_key(key)
        return events.Key(name, key)
    return events.Key(key, None)


async def burst(pilot: Pilot[Any], *keys: str) -> None:
    """Post every key at once, as a driver reading one chunk of input does, then settle."""
    app = pilot.app
    for key in keys:
        app.post_message(key_event(key))
    for _ in range(3):
        await pilot.pause()


async def test_a_slash_in_a_burst_typed_into_the_search_field_stays_in_place() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("search"))
        await settle(pilot, app)
        field = app.screen.query_one("#search-query", Input)
        assert app.focused is field
        await burst(pilot, *"AC/DC")
        assert field.value == "AC/DC"
        await burst(pilot, *":x")
        assert field.value == "AC/DC:x"
        assert not app.screen.query_one(CommandLine).is_open


async def test_a_slash_in_a_burst_typed_into_the_command_line_stays_in_place() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await burst(pilot, ":", *"search AC/DC:1")
        line = app.screen.query_one(CommandLine)
        assert line.is_open
        assert line.input.value == "search AC/DC:1"


async def test_slash_then_text_in_one_burst_opens_the_search_line_with_the_text() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await burst(pilot, *"/AC/DC")
        line = app.screen.query_one(CommandLine)
        assert line.is_open
        assert line.input.value == "search AC/DC"


async def test_a_burst_mixing_tab_and_text_fills_each_field_in_order() -> None:
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        app.navigate(Target("search"))
        await settle(pilot, app)
        page = app.screen
        assert isinstance(page, SearchPage)
        page.action_toggle_advanced()
        await settle(pilot, app)
        artist = page.query_one("#search-artist", Input)
        title = page.query_one("#search-title", Input)
        assert app.focused is artist
        await burst(pilot, "a", "b", "tab", "c", "d")
        assert (artist.value, title.value) == ("ab", "cd")
        assert app.focused is title


async def test_keys_a_text_field_types_are_not_offered_while_it_has_the_focus() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("search"))
        await settle(pilot, app)
        assert isinstance(app.focused, Input)
        offered = {
            active.binding.action
            for active in app.screen.active_bindings.values()
            if active.enabled
        }
        assert "search" not in offered and "command_line" not in offered
        assert "go_back" in offered
        await pilot.press("escape")
        await settle(pilot, app)
        offered = {
            active.binding.action
            for active in app.screen.active_bindings.values()
            if active.enabled
        }
        assert {"search", "command_line"} <= offered
