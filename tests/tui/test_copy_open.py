"""``y`` copies what the last notice offered, ``o`` opens with the browser the user named."""

from __future__ import annotations

import asyncio
import stat
from pathlib import Path

import pytest
from tui_helpers import demo_app, notices, settle

from discogs_tui import clipboard
from discogs_tui.navigation import Target

LINK = "https://example.com/the-band?x=1"


def no_desktop(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.platform", "linux")


def recording_browser(folder: Path) -> tuple[Path, Path]:
    """A ``BROWSER`` script that writes the address it is given to a file."""
    record = folder / "opened.txt"
    script = folder / "fake-browser"
    script.write_text(
        f'#!/bin/sh\nprintf "%s" "$1" > "{record}.part" && mv "{record}.part" "{record}"\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script, record


async def wait_for_file(path: Path) -> str:
    for _ in range(200):
        if await asyncio.to_thread(path.exists):
            return await asyncio.to_thread(path.read_text)
        await asyncio.sleep(0.05)
    raise AssertionError(f"{path} was never written")


async def test_y_after_no_browser_copies_the_offered_link_not_the_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    no_desktop(monkeypatch)
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("artist", id=1))
        await settle(pilot, app)
        app.open_url(LINK)
        await settle(pilot, app)
        offer = [message for message in notices(app) if "No browser" in message]
        assert offer and LINK in offer[-1] and "y copies it" in offer[-1]
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard == LINK
        await pilot.press("y")  # still the link while its notice is up
        await pilot.pause()
        assert app.clipboard == LINK
        # Another page: the offer is over, y copies the page's own address.
        app.navigate(Target("release", id=1))
        await settle(pilot, app)
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard == "https://www.discogs.com/release/1"


async def test_back_ends_the_offer_too(monkeypatch: pytest.MonkeyPatch) -> None:
    no_desktop(monkeypatch)
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("artist", id=1))
        await settle(pilot, app)
        app.navigate(Target("release", id=1))
        await settle(pilot, app)
        app.open_url(LINK)
        await settle(pilot, app)
        app.action_go_back()
        await settle(pilot, app)
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard == "https://www.discogs.com/artist/1"


async def test_o_opens_the_page_with_the_browser_named_by_BROWSER(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    no_desktop(monkeypatch)
    script, record = recording_browser(tmp_path)
    monkeypatch.setenv("BROWSER", str(script))
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("artist", id=1))
        await settle(pilot, app)
        await pilot.press("o")
        await settle(pilot, app)
        assert await wait_for_file(record) == "https://www.discogs.com/artist/1"
        assert any("Opened" in message for message in notices(app))
        assert not any("No browser" in message for message in notices(app))


def test_browser_commands_take_percent_s_and_skip_console_and_missing_ones(
    tmp_path: Path,
) -> None:
    script, _record = recording_browser(tmp_path)
    env = {"PATH": "/usr/bin:/bin", "BROWSER": f"w3m:no-such-browser-here:{script} --new %s"}
    assert clipboard.browser_variable_commands(env) == [[str(script), "--new", "%s"]]
    assert clipboard.browser_variable_commands({"BROWSER": "lynx"}) == []
    assert not clipboard.open_in_browser(LINK, env={"BROWSER": "lynx", "DISPLAY": ":0"})


async def test_open_in_browser_passes_the_url_as_one_argument(tmp_path: Path) -> None:
    script, record = recording_browser(tmp_path)
    tricky = "https://example.com/a b;$(touch x)&c=1"
    assert clipboard.open_in_browser(tricky, env={"BROWSER": str(script), "PATH": "/usr/bin:/bin"})
    assert await wait_for_file(record) == tricky
