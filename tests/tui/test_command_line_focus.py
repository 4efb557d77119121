"""Closing the ``:`` line gives the keys back to where the user was (found in a new-user check)."""

from __future__ import annotations

from textual.widgets import OptionList
from tui_helpers import demo_app, settle

from discogs_tui.navigation import Target
from discogs_tui.screens import LabelPage
from discogs_tui.widgets.command_line import CommandLine
from discogs_tui.widgets.paged_table import PagedTable


async def test_escape_from_the_command_line_returns_to_the_home_steps() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        steps = app.screen.query_one(OptionList)
        assert app.focused is steps
        await pilot.press("colon")
        await pilot.pause()
        assert app.screen.query_one(CommandLine).is_open
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is steps
        await pilot.press("down")  # the steps answer keys again
        await pilot.pause()
        assert steps.highlighted == 1


async def test_escape_from_the_command_line_returns_to_the_table_row() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("label", id=5))
        await settle(pilot, app)
        assert isinstance(app.screen, LabelPage)
        releases = app.screen.query_one("#label-releases", PagedTable)
        await pilot.press("j")
        await pilot.pause()
        assert app.focused is releases and releases.cursor_row == 1
        await pilot.press("colon", "r", "e")
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is releases
        await pilot.press("j")
        await pilot.pause()
        assert releases.cursor_row == 2


async def test_a_missing_release_typed_on_a_page_leaves_the_table_focused() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("label", id=5))
        await settle(pilot, app)
        page = app.screen
        releases = page.query_one("#label-releases", PagedTable)
        await pilot.press("colon", *"release 999999999", "enter")
        await settle(pilot, app)
        assert app.screen is page
        assert app.focused is releases
