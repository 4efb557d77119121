"""``[keymap]`` remaps: key names that do not parse and keys another binding uses are refused."""

from __future__ import annotations

import pytest
from tui_helpers import demo_app, notices

from discogs_tui.app import DiscogsApp
from discogs_tui.config import Settings
from discogs_tui.keymap import binding_scopes, check_keymap, normalize_key
from discogs_tui.screens.help import HelpScreen
from discogs_tui.screens.home import HomeScreen


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("f1", "f1"),
        ("?", "question_mark"),
        ("/", "slash"),
        ("ctrl+r", "ctrl+r"),
        (" alt+right ", "alt+right"),
        ("ctrl+shift+left", "ctrl+shift+left"),
        ("slash", "slash"),
        ("ctrl+/", "ctrl+slash"),
        ("x", "x"),
        ("+", "plus"),
    ],
)
def test_key_names_that_parse(text: str, key: str) -> None:
    assert normalize_key(text) == key


@pytest.mark.parametrize(
    "text", ["", "ctrl+", "f99", "héllo", "ctrl+ctrl+a", "hyperdrive+a", "esc", "\x1b"]
)
def test_key_names_that_do_not_parse(text: str) -> None:
    assert normalize_key(text) is None


def test_a_remap_onto_a_key_another_binding_uses_is_refused() -> None:
    accepted, problems = check_keymap({"back": "q", "help": "f1"}, binding_scopes(DiscogsApp))
    assert accepted == {"help": "f1"}
    assert len(problems) == 1 and "back" in problems[0] and "'q'" in problems[0]
    assert "quit" in problems[0]


def test_two_bindings_may_swap_keys() -> None:
    accepted, problems = check_keymap({"help": "q", "quit": "?"}, binding_scopes(DiscogsApp))
    assert problems == []
    assert accepted == {"help": "q", "quit": "question_mark"}


def test_a_page_key_may_not_take_a_key_of_its_own_page_or_an_app_priority_key() -> None:
    # On a page, ctrl+r reloads; ":" opens the command line before any page key is asked.
    accepted, problems = check_keymap(
        {"search.next_type": "ctrl+f", "search.advanced": ":"}, binding_scopes(DiscogsApp)
    )
    assert accepted == {}
    assert len(problems) == 2


async def test_refused_remaps_are_reported_once_each_and_the_defaults_stay() -> None:
    app = demo_app(settings=Settings(keymap={"back": "q", "help": "ctrl+", "forward": "f99"}))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        said = [message for message in notices(app) if "[keymap]" in message]
        assert len(said) == 3
        assert any("back" in message and "'q'" in message for message in said)
        assert any("help" in message and "'ctrl+'" in message for message in said)
        assert any("forward" in message and "'f99'" in message for message in said)
        await pilot.press("question_mark")  # help keeps its key
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("q")  # and q still quits
        await pilot.pause()
    assert app.return_code == 0


async def test_a_sound_remap_still_works() -> None:
    app = demo_app(settings=Settings(keymap={"help": "f1"}))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not [message for message in notices(app) if "[keymap]" in message]
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_words_that_name_a_key_follow_the_keymap() -> None:
    from textual.widgets import Collapsible

    from discogs_tui.navigation import Target

    app = demo_app(settings=Settings(keymap={"quit": "ctrl+x", "search.advanced": "f6"}))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.action_go_back()  # on the first page: the notice says how to quit
        await pilot.pause()
        said = [message for message in notices(app) if "first page" in message]
        assert said and "ctrl+x quits" in said[-1]
        app.navigate(Target("search"))
        for _ in range(3):
            await pilot.pause()
        advanced = app.screen.query_one("#search-advanced", Collapsible)
        assert advanced.title == "Advanced fields (f6)"
