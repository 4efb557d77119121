"""Terminal-safe text: the sanitizer, and every page walked with hostile API, config and CLI text."""

from __future__ import annotations

import logging

import pytest
from hostile_data import HOSTILE, forbidden_in, hostile_dataset
from rich.text import Text
from tui_helpers import BASE_URL, demo_client, notices, settle

from discogs_tui.api.errors import DiscogsError, ValidationError
from discogs_tui.app import DiscogsApp
from discogs_tui.config import Settings
from discogs_tui.emulator.app import Emulator
from discogs_tui.navigation import Target
from discogs_tui.sanitize import SafeLogFilter, is_safe, safe, safe_line, safe_text
from discogs_tui.widgets.markup_view import parse_discogs_markup
from discogs_tui.widgets.paged_table import cell

# -- the sanitizer ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b]0;PWNED\x07", "\u241b]0;PWNED\u2407"),
        ("a\x00b\x1fc", "a\u2400b\u241fc"),
        ("del\x7f", "del\u2421"),
        ("nel\x85 csi\x9b", "nel\ufffd csi\ufffd"),
        ("\u202eevil\u202c \u2066iso\u2069", "\ufffdevil\ufffd \ufffdiso\ufffd"),
        ("line\nnext\ttab", "line\nnext\ttab"),
        ("名前🎵 é ß", "名前🎵 é ß"),
    ],
)
def test_safe_shows_every_control_as_one_visible_character(raw: str, shown: str) -> None:
    assert safe(raw) == shown
    assert len(safe(raw)) == len(raw)


def test_every_forbidden_character_is_replaced_and_nothing_else() -> None:
    forbidden = [c for c in map(chr, range(0x20)) if c not in "\t\n"]
    forbidden += ["\x7f", *map(chr, range(0x80, 0xA0))]
    forbidden += [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
    for char in forbidden:
        assert safe(char) != char and safe(char).isprintable(), repr(char)
    allowed = "".join(map(chr, range(0x20, 0x7F))) + "\u00a0\u200e\u2028名🎵"
    assert safe(allowed) == allowed and is_safe(allowed)


def test_safe_line_folds_newline_and_tab() -> None:
    assert safe_line("a\nb\tc\x1b") == "a\u2424b c\u241b"


def test_safe_text_keeps_styles_in_place() -> None:
    text = Text("ab\x1bcd")
    text.stylize("bold", 3, 5)
    cleaned = safe_text(text)
    assert cleaned.plain == "ab\u241bcd" and cleaned.spans == text.spans


def test_error_text_from_the_server_is_safe() -> None:
    error = DiscogsError("bad \x1b[2J thing")
    assert error.message == "bad \u241b[2J thing" and str(error) == error.message
    invalid = ValidationError(
        "nope", status=422, detail=[{"loc": ["x"], "msg": "\x1b]0;t\x07"}], method="POST", path="/"
    )
    assert all(is_safe(message) for message in invalid.detail_messages())


def test_log_lines_are_safe() -> None:
    record = logging.LogRecord("t", logging.ERROR, __file__, 1, "got %s", (HOSTILE,), None)
    try:
        raise ValueError(HOSTILE)
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    SafeLogFilter().filter(record)
    written = logging.Formatter().format(record)
    assert "PWNED" in written and not forbidden_in(written)


def test_discogs_markup_and_table_cells_are_safe() -> None:
    linked = parse_discogs_markup(f"[a=Bad\x1bName] {HOSTILE}")
    assert not forbidden_in(linked.render().plain)
    assert [link.target.query for link in linked.links if link.target] == ["Bad\u241bName"]
    assert not forbidden_in(cell(HOSTILE + "\n2").plain)
    assert "\n" not in cell("a\nb").plain


# -- every page with hostile text -------------------------------------------------------------


def screen_text(app: DiscogsApp) -> str:
    """What the screen shows now, one line a row (toasts and overlays included)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def terminal_output(app: DiscogsApp) -> str:
    """What Textual would write to the terminal to draw the whole screen."""
    return app.screen._compositor.render_full_update().render_segments(app.console)


def check_screen(app: DiscogsApp, where: str, *, api_text: bool = True) -> str:
    text = screen_text(app)
    assert not forbidden_in(text), f"{where}: {forbidden_in(text)!r}\n{text}"
    output = terminal_output(app)
    assert "\x1b]" not in output and "\x1b[2J" not in output and "\x07" not in output, where
    header = text.splitlines()[0]
    assert "DEMO" in header and "demo" in header, f"{where}: header lost:\n{header}"
    if api_text:
        assert "[red]x[/red]" in text, f"{where}: markup not literal\n{text}"
    return text


async def test_every_page_shows_hostile_text_safely_and_literally() -> None:
    emulator = Emulator(dataset=hostile_dataset(), base_url=BASE_URL, rate_limit=10**6)
    settings = Settings(theme="nope" + HOSTILE, keymap={"bad\x1b]0;x\x07": "f5"})
    app = DiscogsApp(
        demo_client(transport=emulator.transport()),
        mode="DEMO",
        username="demo",
        settings=settings,
        notices=[("From the command line: " + HOSTILE, "warning")],
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        home = check_screen(app, "home", api_text=False)
        assert any("PWNED" in message for message in notices(app)), home
        assert all(not forbidden_in(message) for message in notices(app))
        app.clear_notifications()
        for target in (
            Target("release", id=1),
            Target("master", id=1660109),
            Target("artist", id=1),
            Target("label", id=5),
            Target("search", query="Persuader"),
        ):
            app.navigate(target)
            await settle(pilot, app)
            check_screen(app, target.describe())
        await pilot.press("question_mark")
        await settle(pilot, app)
        check_screen(app, "help", api_text=False)
        await pilot.press("escape", "ctrl+p")
        await settle(pilot, app)
        check_screen(app, "palette", api_text=False)
        await pilot.press("escape")
        # A name link whose words are hostile opens a search with them in the query field.
        app.navigate(Target("search", query=HOSTILE))
        await settle(pilot, app)
        check_screen(app, "search for hostile words", api_text=False)
        app.notify(HOSTILE, title=HOSTILE, markup=False)
        await pilot.press("y")
        await settle(pilot, app)
        check_screen(app, "notices")
        assert app.is_running
        app.copy_to_clipboard(HOSTILE)
        assert app.clipboard == safe(HOSTILE)


async def test_a_hostile_key_in_the_keymap_shows_safely_in_footer_and_help() -> None:
    """A key name that does not parse is refused; the notice saying so names it safely."""
    settings = Settings(keymap={"help": "f1,\x1b]0;PWNED\x07"})
    app = DiscogsApp(demo_client(), mode="DEMO", username="demo", settings=settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        told = " ".join(notices(app))
        assert "PWNED" in told
        assert not forbidden_in(told)
        await pilot.press("question_mark")  # the remap was refused: ? still opens help
        await settle(pilot, app)
        assert type(app.screen).__name__ == "HelpScreen"
        check_screen(app, "help after a hostile key", api_text=False)
