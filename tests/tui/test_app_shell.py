"""The app shell: gauge, help, command line, palette, history, keys, errors, launch, clipboard."""

from __future__ import annotations

import contextlib
import webbrowser
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from rich.text import Text
from textual.command import CommandPalette
from textual.widgets import DataTable
from textual.worker import WorkerFailed, WorkerState
from tui_helpers import FailingTransport, demo_app, demo_client, notices

from discogs_tui import clipboard
from discogs_tui.api.errors import NotFoundError, ServerError
from discogs_tui.app import DiscogsApp, stylesheet_path
from discogs_tui.commands import palette_commands
from discogs_tui.config import Settings
from discogs_tui.launch import Session, build_session, resolve_identity
from discogs_tui.models import FetchInfo
from discogs_tui.navigation import PAGE_KINDS, Target
from discogs_tui.screens.base import PageScreen
from discogs_tui.screens.help import HelpScreen
from discogs_tui.screens.home import HomeScreen
from discogs_tui.widgets.command_line import (
    OFFERED,
    CommandError,
    CommandLine,
    parse_command,
)
from discogs_tui.widgets.rate_gauge import RateGauge, format_age, gauge_text, level_for

# -- the gauge, drawn from plain states ---------------------------------------------------


@dataclass(frozen=True)
class FakeState:
    limit: int = 60
    used: int = 0
    queued: int = 0
    throttled_until: float | None = None


def test_gauge_text_shows_used_of_limit_and_a_bar() -> None:
    text = gauge_text(FakeState(used=12), None, now=100.0).plain
    assert text.startswith("API 12/60 ")
    assert text.count("▰") == 2 and text.count("▱") == 8


def test_gauge_text_shows_queue_countdown_and_cache_age() -> None:
    state = FakeState(used=60, queued=3, throttled_until=111.2)
    text = gauge_text(state, FetchInfo(from_cache=True, age=3 * 3600 + 5), now=100.0).plain
    assert "queued 3" in text
    assert "throttled 12s" in text
    assert "cached 3h" in text
    stale = gauge_text(FakeState(), FetchInfo(from_cache=True, age=90, stale=True), now=0).plain
    assert "stale 1m" in stale and "cached" not in stale


def test_gauge_text_hides_a_countdown_that_has_run_out() -> None:
    assert "throttled" not in gauge_text(FakeState(throttled_until=99.0), None, now=100.0).plain


@pytest.mark.parametrize(
    ("used", "level"), [(0, "ok"), (47, "ok"), (48, "warning"), (56, "warning"), (57, "error")]
)
def test_gauge_levels(used: int, level: str) -> None:
    assert level_for(used, 60) == level


@pytest.mark.parametrize(
    ("seconds", "shown"), [(5, "5s"), (61, "1m"), (3 * 3600, "3h"), (2 * 86400 + 1, "2d")]
)
def test_format_age(seconds: float, shown: str) -> None:
    assert format_age(seconds) == shown


# -- the command line parser --------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "target"),
    [
        (":release 1", Target("release", id=1)),
        ("release 1", Target("release", id=1)),
        (":master  4 ", Target("master", id=4)),
        (":artist 2", Target("artist", id=2)),
        (":label 5", Target("label", id=5)),
        (":search the persuader", Target("search", query="the persuader")),
        (":collection", Target("collection")),
        (":user demo", Target("user", name="demo")),
        (":RELEASE 7", Target("release", id=7)),
    ],
)
def test_parse_command_targets(typed: str, target: Target) -> None:
    assert parse_command(typed).target == target


@pytest.mark.parametrize(
    ("typed", "action"), [(":q", "quit"), (":quit", "quit"), (":help", "help")]
)
def test_parse_command_actions(typed: str, action: str) -> None:
    assert parse_command(typed).action == action


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        (":release abc", "whole number"),
        (":release", "needs an id"),
        (":frobnicate", "Unknown command"),
        (":", "Type a command"),
    ],
)
def test_parse_command_errors(typed: str, words: str) -> None:
    with pytest.raises(CommandError, match=words):
        parse_command(typed)


# -- journeys -----------------------------------------------------------------------------


def gauge_of(app: DiscogsApp) -> str:
    return app.screen.query_one(RateGauge).render().plain


async def test_starts_on_home_with_header_and_gauge() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert gauge_of(app).startswith("API 0/60")
        header = app.screen.query_one("AppHeader").render()
        assert isinstance(header, Text)
        assert "demo" in header.plain and "DEMO" in header.plain


async def test_gauge_counts_a_request() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        before = gauge_of(app)
        await app.client.get_artist(1)
        await pilot.pause()
        assert before.startswith("API 0/60")
        assert gauge_of(app).startswith("API 1/60")


async def test_gauge_shows_the_page_fetch_info() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        page = app.page
        assert page is not None
        page.set_fetch_info(FetchInfo(from_cache=True, age=7200))
        await pilot.pause()
        assert "cached 2h" in gauge_of(app)


async def test_gauge_ticks_down_a_throttle_on_the_app_clock() -> None:
    now = [1000.0]
    app = demo_app(clock=lambda: now[0])
    async with app.run_test(size=(80, 24)) as pilot:
        gauge = app.screen.query_one(RateGauge)
        gauge.update_gauge(FakeState(used=60, throttled_until=1012.0), None, now[0])
        await pilot.pause()
        assert "throttled 12s" in gauge.render().plain
        assert gauge.has_class("-throttled") and gauge.has_class("-error")


async def test_question_mark_lists_every_binding_and_escape_closes() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        ids = {row.binding_id for row in app.screen.rows}
        assert {"help", "back", "forward", "search", "command_line", "copy_url"} <= ids
        assert {"open_browser", "quit", "palette"} <= ids
        table = app.screen.query_one(DataTable)
        sections = {row.section for row in app.screen.rows}
        commands = len(OFFERED) + 1  # the commands offered today follow, under their own heading
        assert table.row_count == len(app.screen.rows) + len(sections) + commands
        assert str(table.get_row_at(0)[0]) == "Everywhere"
        assert app.screen.query(RateGauge), "the gauge shows on the help screen too"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_help_lists_the_current_pages_own_bindings() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        sections = {row.section for row in app.screen.rows}
        assert sections == {"Everywhere", "Moving around"}
        await pilot.press("escape")
        await type_command(pilot, "artist 1")
        await pilot.pause()
        app.screen.set_focus(None)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert app.screen.rows[0].section == "This page"
        assert app.screen.rows[-1].section in ("Everywhere", "Moving around")


async def type_command(pilot: object, text: str) -> None:
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    await pilot.press("colon")
    await pilot.pause()
    await pilot.press(*text)
    await pilot.press("enter")
    await pilot.pause()


async def test_command_line_opens_a_release_and_escape_returns_forward_reopens() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        home = app.screen
        await type_command(pilot, "release 1")
        page = app.page
        assert page is not None and page.target == Target("release", id=1)
        assert not home.query_one(CommandLine).is_open
        app.screen.set_focus(None)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is home, "back shows the very same home screen"
        await pilot.press("right_square_bracket")
        await pilot.pause()
        page = app.page
        assert page is not None and page.target == Target("release", id=1)


async def test_bad_command_says_why_and_keeps_the_text() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await type_command(pilot, "release abc")
        line = app.screen.query_one(CommandLine)
        assert line.is_open
        assert line.input.value == "release abc"
        assert any("whole number" in message for message in notices(app))
        assert isinstance(app.screen, HomeScreen)


async def test_command_line_completes_with_tab_and_escape_closes_it() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("colon", "r", "e", "l")
        await pilot.pause()
        await pilot.press("tab")
        line = app.screen.query_one(CommandLine)
        assert line.input.value == "release "
        await pilot.press("escape")
        await pilot.pause()
        assert not line.is_open
        assert isinstance(app.screen, HomeScreen), "escape closed the line, not the page"


def test_every_kind_of_the_registry_has_its_page_now() -> None:
    """No command says "coming in a later version" any more: each kind opens a screen."""
    from discogs_tui.screens import PAGES

    assert [kind.name for kind in PAGE_KINDS if not kind.offered] == []
    assert {kind.name for kind in PAGE_KINDS} <= set(PAGES) | {"home"}


async def test_q_types_in_a_text_field_and_quits_elsewhere() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("colon", "q")
        await pilot.pause()
        line = app.screen.query_one(CommandLine)
        assert line.input.value == "q"
        assert app.is_running
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
    assert not app.is_running


async def test_colon_q_quits() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await type_command(pilot, "q")
    assert app.return_code == 0


async def test_palette_offers_actions_by_name() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        names = [command.name for command in palette_commands(app)]
        for name in ("Search", "Open release by id", "Copy URL", "Open in browser", "Back"):
            assert name in names
        for name in ("Forward", "Help", "Quit", "Theme..."):
            assert name in names
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Help")
        await settle(app, pilot)  # the palette's search for "Help" has listed its hits
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_palette_open_release_by_id_prefills_the_command_line() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        run = next(c.run for c in palette_commands(app) if c.name == "Open release by id")
        run()
        await pilot.pause()
        line = app.screen.query_one(CommandLine)
        assert line.is_open and line.input.value == "release "
        assert app.focused is line.input


async def test_copy_url_uses_osc52_and_open_shows_the_url_without_a_browser(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("y")
        await pilot.pause()
        assert any("Nothing here" in message for message in notices(app))
        await type_command(pilot, "artist 1")
        app.screen.set_focus(None)
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard == "https://www.discogs.com/artist/1"
        await pilot.press("o")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any(
            "No browser" in message and "https://www.discogs.com/artist/1" in message
            for message in notices(app)
        )


async def test_only_web_links_open(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr("discogs_tui.links.open_in_browser", lambda url: opened.append(url) or True)
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        for url in ("file:///etc/passwd", "javascript:alert(1)", "ssh://host"):
            app.open_url(url)
        app.open_url("https://www.discogs.com/release/1")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert opened == ["https://www.discogs.com/release/1"]
    assert sum("only http and https" in message for message in notices(app)) == 3


async def test_network_failure_becomes_a_notice_and_the_app_keeps_answering() -> None:
    transport = FailingTransport()
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        page = app.page
        assert page is not None

        async def load() -> None:
            await app.client.get_release(1)

        worker = page.run_worker(load(), exit_on_error=False)
        with contextlib.suppress(WorkerFailed):
            await worker.wait()
        await pilot.pause()
        assert worker.state == WorkerState.ERROR
        assert transport.calls >= 1
        assert any("Could not connect" in message for message in notices(app))
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def settle(app: DiscogsApp, pilot: object) -> None:
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    for _ in range(3):
        await pilot.pause()
        with contextlib.suppress(WorkerFailed):
            await app.workers.wait_for_complete()
    await pilot.pause()


async def test_release_1_shows_stockholm_and_counts_on_the_gauge() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await type_command(pilot, "release 1")
        await settle(app, pilot)
        header = app.screen.query_one("AppHeader").render()
        assert isinstance(header, Text) and "Stockholm" in header.plain
        assert not gauge_of(app).startswith("API 0/60")


async def test_a_missing_release_page_closes_with_a_plain_message() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await type_command(pilot, "release 99999999")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "Release 99999999 not found." in notices(app)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen), "the app still answers"


async def test_a_release_that_is_not_found_leaves_the_user_where_they_were() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        page = PageScreen(Target("release", id=987654321))
        await app.push_screen(page)
        error = NotFoundError("Release not found.", status=404, path="/releases/987654321")
        page.report_error(error)
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "Release 987654321 not found." in notices(app)


async def test_errors_read_plainly() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.show_error(NotFoundError("x", status=404, path="/artists/5"))
        app.show_error(ServerError("The server broke [b]badly[/b].", status=500), where="label 3")
        app.show_error(ValueError("boom"), where="release 2")
        await pilot.pause()
        shown = notices(app)
        assert "Artist 5 not found." in shown
        assert "The server broke [b]badly[/b]. (while loading label 3)" in shown
        assert "ValueError while loading release 2: boom" in shown
        assert isinstance(app.screen, HomeScreen)


async def test_keys_remap_by_binding_id() -> None:
    app = demo_app(settings=Settings(keymap={"help": "f1"}))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert any(row.keys == "f1" for row in app.screen.rows if row.binding_id == "help")


async def test_an_unknown_keymap_id_is_reported_and_known_ones_are_not() -> None:
    app = demo_app(settings=Settings(keymap={"serch": "ctrl+f", "artist.sort": "o"}))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        said = [message for message in notices(app) if "[keymap]" in message]
        assert len(said) == 1
        assert "serch" in said[0] and "artist.sort" not in said[0]


async def test_theme_comes_from_settings_and_a_bad_one_is_reported() -> None:
    app = demo_app(settings=Settings(theme="nord"))
    async with app.run_test(size=(80, 24)):
        assert app.theme == "nord"
    bad = demo_app(settings=Settings(theme="no-such-theme"))
    async with bad.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert bad.theme == "textual-dark"
        assert any("no-such-theme" in message for message in notices(bad))


async def test_every_page_has_the_chrome() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        for command in ("release 1", "artist 1", "master 1", "label 1", "search x"):
            await type_command(pilot, command)
            await pilot.pause()
            assert isinstance(app.screen, PageScreen)
            assert app.screen.query(RateGauge), command
            assert app.screen.query("Footer"), command
            app.screen.set_focus(None)


# -- launch -------------------------------------------------------------------------------


async def test_demo_session_signs_in_as_demo() -> None:
    session = build_session(Settings(), demo=True)
    try:
        assert session.mode == "DEMO"
        await resolve_identity(session)
        assert session.username == "demo"
        assert session.notices == []
    finally:
        await session.client.aclose()


async def test_anonymous_live_session_has_no_cache_when_off_and_no_notice() -> None:
    session = build_session(Settings(cache=False), demo=False)
    try:
        assert session.mode == "LIVE" and not session.signed_in
        assert session.client.cache is None
        # The welcome page says what browsing anonymously means (tests/test_welcome.py).
        assert session.notices == []
    finally:
        await session.client.aclose()


async def test_wrong_token_and_no_network_start_anyway_with_a_notice() -> None:
    wrong = Session(demo_client(), "LIVE", signed_in=True)
    wrong.client.credentials = type(wrong.client.credentials)(token="wrong-token")
    offline = Session(demo_client(transport=FailingTransport()), "LIVE", signed_in=True)
    try:
        await resolve_identity(wrong)
        assert wrong.username is None and wrong.mode == "LIVE"
        assert any("did not accept" in message for message, _ in wrong.notices)
        assert wrong.sign_in_note == "token rejected"
        # Browsing anonymously, as the notice says: the refused token is no longer sent.
        assert not wrong.client.credentials.is_user
        assert (await wrong.client.get_release(1)).title == "Stockholm"
        await resolve_identity(offline)
        assert offline.mode == "OFFLINE"
        assert offline.sign_in_note is not None and "offline" in offline.sign_in_note
        assert any("cannot be reached" in message for message, _ in offline.notices)
        assert all("wrong-token" not in message for message, _ in wrong.notices)
    finally:
        await wrong.client.aclose()
        await offline.client.aclose()


def test_stylesheet_is_found_in_the_repository_and_in_a_wheel(tmp_path: Path) -> None:
    path = stylesheet_path()
    assert path.name == "app.tcss" and path.exists()
    # A wheel ships styles/ inside the package (hatch force-include); that copy wins.
    package = tmp_path / "site-packages" / "discogs_tui"
    (package / "styles").mkdir(parents=True)
    (package / "styles" / "app.tcss").write_text("Screen {}\n", encoding="utf-8")
    assert stylesheet_path(package) == package / "styles" / "app.tcss"
    assert (
        stylesheet_path(tmp_path / "repo" / "discogs_tui")
        == tmp_path / "repo" / "styles" / "app.tcss"
    )


# -- browser detection ---------------------------------------------------------------------


@pytest.fixture
def fake_browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[webbrowser.BaseBrowser]]:
    chosen: list[webbrowser.BaseBrowser] = []

    def get(using: str | None = None) -> webbrowser.BaseBrowser:
        if not chosen:
            raise webbrowser.Error("no browser")
        return chosen[0]

    monkeypatch.setattr(webbrowser, "get", get)
    yield chosen


def test_no_display_means_no_browser(
    fake_browser: list[webbrowser.BaseBrowser], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.platform", "linux")
    fake_browser.append(webbrowser.BackgroundBrowser("firefox"))
    assert clipboard.find_browser({}) is None
    assert clipboard.find_browser({"DISPLAY": ":0"}) is fake_browser[0]


def test_console_browsers_are_refused(fake_browser: list[webbrowser.BaseBrowser]) -> None:
    fake_browser.append(webbrowser.GenericBrowser("lynx"))
    assert clipboard.find_browser({"DISPLAY": ":0"}) is None


def test_a_graphical_browser_is_used(fake_browser: list[webbrowser.BaseBrowser]) -> None:
    gui = webbrowser.BackgroundBrowser("firefox")
    fake_browser.append(gui)
    assert clipboard.find_browser({"DISPLAY": ":0"}) is gui


def test_has_display_rules() -> None:
    assert not clipboard.has_display({}, "linux")
    assert clipboard.has_display({"WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert clipboard.has_display({}, "darwin")
    assert not clipboard.has_display({"SSH_CONNECTION": "1 2 3 4"}, "darwin")


# -- snapshots ----------------------------------------------------------------------------


def test_snapshot_home(snap_compare: object) -> None:
    assert snap_compare(demo_app(), terminal_size=(80, 24))  # type: ignore[operator]


def test_snapshot_help(snap_compare: object) -> None:
    assert snap_compare(demo_app(), press=["question_mark"], terminal_size=(80, 24))  # type: ignore[operator]


def test_snapshot_command_line_open(snap_compare: object) -> None:
    assert snap_compare(  # type: ignore[operator]
        demo_app(), press=["colon", "r", "e", "l"], terminal_size=(80, 24)
    )


async def test_gauge_follows_the_governor_to_the_limit_queue_and_countdown() -> None:
    import asyncio

    from discogs_tui.api.client import DiscogsClient
    from discogs_tui.api.ratelimit import RateGovernor
    from discogs_tui.emulator.app import Emulator

    now = [1000.0]
    governor = RateGovernor(limit=2, clock=lambda: now[0])
    emulator = Emulator(base_url="http://localhost", rate_limit=2)
    client = DiscogsClient(
        base_url="http://localhost",
        token="demo-token",
        transport=emulator.transport(),
        governor=governor,
    )
    app = DiscogsApp(
        client, mode="DEMO", username="demo", settings=Settings(), clock=lambda: now[0]
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await client.get_artist(1)
        await pilot.pause()
        assert gauge_of(app).startswith("API 1/2 ")
        await client.get_artist(2)
        waiting = asyncio.create_task(client.get_label(5))
        await pilot.pause()
        text = gauge_of(app)
        gauge = app.screen.query_one(RateGauge)
        assert text.startswith("API 2/2 ") and "queued 1" in text
        assert "throttled 61s" in text  # the window (60 s) plus the governor's margin
        assert gauge.has_class("-error") and gauge.has_class("-throttled")
        now[0] += 30
        app.refresh_gauge()
        assert "throttled 31s" in gauge_of(app)
        waiting.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await waiting
        now[0] += 31
        app.refresh_gauge()
        await pilot.pause()
        assert "throttled" not in gauge_of(app)
        assert not gauge.has_class("-throttled")
    await client.aclose()


async def test_keys_arriving_in_one_burst_after_colon_all_reach_the_command_line() -> None:
    """A paste, or tmux send-keys, delivers every key before the app draws again."""
    from textual import events
    from textual.keys import _character_to_key

    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        for character in ":release 1":
            app.post_message(events.Key(_character_to_key(character), character))
        await pilot.pause()
        line = app.screen.query_one(CommandLine)
        assert line.is_open and line.input.value == "release 1"
        for character in "/x":
            app.post_message(events.Key(_character_to_key(character), character))
        await pilot.pause()
        assert line.input.value == "release 1/x", "in a text field / is text"


@pytest.mark.parametrize(
    ("username", "note", "token", "shown"),
    [
        ("demo", None, "demo-token", "demo"),
        (None, "offline: user not checked", "demo-token", "offline: user not checked"),
        (None, "token rejected", "demo-token", "token rejected"),
        (None, None, "demo-token", "token not checked yet"),
        (None, None, None, "not signed in"),
    ],
)
async def test_header_says_who_is_browsing_or_why_it_is_not_known(
    username: str | None, note: str | None, token: str | None, shown: str
) -> None:
    app = demo_app(username=username, sign_in_note=note, mode="OFFLINE")
    if token is None:
        app.client.credentials = type(app.client.credentials)()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        header = app.screen.query_one("AppHeader").render()
        assert isinstance(header, Text)
        assert header.plain.rstrip().endswith(f"{shown}  OFFLINE")
        assert "user unknown" not in header.plain


async def test_a_sign_in_error_while_anonymous_says_how_to_add_a_token() -> None:
    from discogs_tui.api.errors import AuthError

    app = demo_app(username=None)
    app.client.credentials = type(app.client.credentials)()
    async with app.run_test(size=(80, 24)) as pilot:
        error = AuthError("You must authenticate to access this resource.", status=401)
        app.show_error(error, where='results for "Persuader"')
        await pilot.pause()
        (message,) = notices(app)
        assert message.startswith('Loading results for "Persuader" needs a Discogs sign-in.')
        assert "--token" in message and "DISCOGS_TOKEN" in message


async def test_home_names_the_server_given_with_base_url() -> None:
    app = DiscogsApp(demo_client(), mode="LIVE", username="demo", settings=Settings(), notices=())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        intro = app.screen.query_one("#home-intro").render()
        assert "browsing http://localhost." in str(intro)
        assert "api.discogs.com" not in str(intro)


async def test_forward_brings_back_the_same_page_with_its_cursor_and_no_request() -> None:
    from tui_helpers import shared_emulator

    from discogs_tui.widgets.paged_table import PagedTable

    class Counting(httpx.AsyncBaseTransport):
        def __init__(self) -> None:
            self.inner = shared_emulator().transport()
            self.count = 0

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            self.count += 1
            return await self.inner.handle_async_request(request)

    transport = Counting()
    app = demo_app(transport=transport)
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("artist", id=1))
        for _ in range(4):
            await pilot.pause()
            await app.workers.wait_for_complete()
        artist = app.screen
        table = artist.query_one(PagedTable)
        table.focus()
        await pilot.press("j", "j")
        row = table.cursor_row
        assert row == 2
        requests = transport.count
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert app.screen is artist, "forward restores the very page that was left"
        assert artist.query_one(PagedTable).cursor_row == row
        assert transport.count == requests, "and asks Discogs for nothing again"
        # A new page drops what forward kept: it can no longer be reached.
        await pilot.press("escape")
        await pilot.pause()
        app.navigate(Target("release", id=1))
        await pilot.pause()
        assert not app.is_screen_installed(artist)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert any("Nothing to go forward to" in message for message in notices(app))
