"""The discogs-tui command line: --version, --help, cache, bad settings, no terminal, emulator --state."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from discogs_tui import __version__
from discogs_tui.__main__ import main
from discogs_tui.api.client import DiscogsClient
from discogs_tui.config import Settings, cache_dir
from discogs_tui.emulator.app import Emulator


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out.strip() == f"discogs-tui {__version__}"


def test_help_says_how_to_start(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for words in ("--demo", "--token", "--base-url", "emulator", "cache stats"):
        assert words in out


async def test_cache_stats_and_clear(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cache", "stats"]) == 0
    assert "empty" in capsys.readouterr().out
    emulator = Emulator(base_url="http://localhost")
    async with DiscogsClient(
        base_url="http://localhost",
        token="demo-token",
        transport=emulator.transport(),
        cache=cache_dir(),
    ) as client:
        await client.get_release(1)
        await client.get_artist(1)
    folder = cache_dir()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(folder.parent.stat().st_mode) == 0o700, "…/discogs-tui too"
    assert main(["cache", "stats"]) == 0
    out = capsys.readouterr().out
    assert str(folder) in out
    row = next(line for line in out.splitlines() if "KiB" in line.split())
    assert row.split()[1] == "2"
    assert row.endswith("localhost as demo") or row.endswith("http://localhost, signed in")
    assert "demo-token" not in out
    assert main(["cache", "clear"]) == 0
    assert "Removed 2 cached answers" in capsys.readouterr().out
    assert main(["cache", "stats"]) == 0


def test_broken_config_is_a_clear_message(capsys: pytest.CaptureFixture[str]) -> None:
    from discogs_tui.config import config_path

    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("this is = = not toml")
    assert main([]) == 2
    err = capsys.readouterr().err
    assert "not valid TOML" in err and str(path) in err


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("127.0.0.1:8765", "--base-url 127.0.0.1:8765 has no scheme: use http://127.0.0.1:8765"),
        ("api.discogs.com", "has no scheme: use https://api.discogs.com"),
        (
            "http://127.0.0.1:99999",
            "has a bad port '99999': a port is a whole number from 1 to 65535",
        ),
        ("http://127.0.0.1:abc", "has a bad port 'abc'"),
        ("http://127.0.0.1:0", "has a bad port '0'"),
        ("not a url", "--base-url 'not a url' is not a URL"),
        ("ftp://127.0.0.1", "has the scheme ftp://: use http:// or https://"),
        ("http://:8765", "has no host"),
    ],
)
def test_a_bad_base_url_is_one_line_saying_what_is_wrong(
    url: str, says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--base-url", url]) == 2
    err = capsys.readouterr().err
    assert says in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_a_bad_base_url_from_the_environment_or_the_file_names_where_it_came_from(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from discogs_tui.config import config_path

    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('base_url = "localhost:8765"\n')
    assert main([]) == 2
    err = capsys.readouterr().err
    assert f"base_url localhost:8765 in {path} has no scheme: use http://localhost:8765" in err
    monkeypatch.setenv("DISCOGS_BASE_URL", "http://localhost:123456")
    assert main([]) == 2
    assert "DISCOGS_BASE_URL http://localhost:123456 has a bad port" in capsys.readouterr().err


def test_a_password_in_the_base_url_is_never_echoed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--base-url", "http://me:hunter2secret@127.0.0.1:8765"]) == 2
    err = capsys.readouterr().err
    assert "hunter2secret" not in err and "user name or password" in err


def test_demo_wins_over_base_url_and_token_and_says_so(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import discogs_tui.__main__ as cli
    import discogs_tui.launch

    launched: list[tuple[bool, list[str], str]] = []

    def fake_launch(settings: Settings, *, demo: bool, notices: Sequence[str] = ()) -> int:
        launched.append((demo, list(notices), settings.base_url))
        return 0

    monkeypatch.setattr(cli, "terminal_problem", lambda: None)
    monkeypatch.setattr(discogs_tui.launch, "launch", fake_launch)
    assert main(["--demo", "--base-url", "http://127.0.0.1:8765"]) == 0
    err = capsys.readouterr().err
    assert "--base-url is ignored with --demo" in err
    [(demo, notices, _)] = launched
    assert demo and notices == [err.strip().removeprefix("discogs-tui: ")]
    launched.clear()
    assert main(["--demo", "--token", "abc123", "--base-url", "http://127.0.0.1:8765"]) == 0
    err = capsys.readouterr().err
    assert "--token and --base-url are ignored with --demo" in err and "abc123" not in err
    launched.clear()
    assert main(["--demo"]) == 0
    assert capsys.readouterr().err == "" and launched[0][1] == []


async def test_demo_notices_reach_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    from discogs_tui import launch as launching
    from discogs_tui.app import DiscogsApp

    shown: list[list[tuple[str, str]]] = []

    async def run_async(self: DiscogsApp) -> None:
        shown.append(list(self._notices))

    monkeypatch.setattr(DiscogsApp, "run_async", run_async)
    code = await launching.run(Settings(), demo=True, notices=["--base-url is ignored with --demo"])
    assert code == 0
    assert shown == [[("--base-url is ignored with --demo", "warning")]]


def console_script() -> list[str]:
    """``discogs-tui`` as installed beside the running Python, else ``python -m discogs_tui``."""
    beside = Path(sys.executable).parent / "discogs-tui"
    return [str(beside)] if beside.exists() else [sys.executable, "-m", "discogs_tui"]


def test_without_a_terminal_the_app_exits_at_once_with_a_message(tmp_path: Path) -> None:
    done = subprocess.run(
        [*console_script(), "--demo"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "discogs-tui needs a terminal: standard input is not one. "
        "Start it from a terminal (not a pipe, file or cron job)."
    )
    # Commands that need no terminal still work without one.
    stats = subprocess.run(
        [*console_script(), "cache", "stats"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    assert stats.returncode == 0 and "cache" in stats.stdout


@pytest.mark.parametrize("case", ["folder", "missing folder", "under a file"])
def test_emulator_refuses_a_state_file_it_cannot_write(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "plain").write_text("x")
    state = {
        "folder": tmp_path,
        "missing folder": tmp_path / "nowhere" / "state.json",
        "under a file": tmp_path / "plain" / "state.json",
    }[case]
    assert main(["emulator", "--port", "0", "--state", str(state)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --state ") and "refusing to start" in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "nowhere").exists(), "nothing is created on the way"


def test_a_writable_state_file_passes_the_check(tmp_path: Path) -> None:
    from discogs_tui.emulator.server import state_file_problem

    folder = tmp_path / "emulator"
    folder.mkdir()
    assert state_file_problem(folder / "state.json") is None
    assert list(folder.iterdir()) == [], "the probe file is removed"


def test_help_and_the_unknown_command_message_offer_only_pages_that_exist() -> None:
    from discogs_tui.screens import PAGES
    from discogs_tui.screens.help import HelpScreen
    from discogs_tui.widgets.command_line import COMPLETIONS, CommandError, parse_command

    with pytest.raises(CommandError) as caught:
        parse_command(":frobnicate")
    listed = str(caught.value).split("Commands: ")[1].rstrip(".").split(", ")
    shown = [command.split()[0][1:] for command, _ in HelpScreen.command_rows()]
    offered = [name.strip() for name in COMPLETIONS]
    for names in (listed, offered, shown):
        assert set(names) - {"help", "quit"} <= set(PAGES), names
    assert {"release", "search", "help", "quit"} <= set(listed)
    from discogs_tui.navigation import PAGE_KINDS

    later = {kind.name for kind in PAGE_KINDS if not kind.offered}
    assert not any(command.split()[0][1:] in later for command, _ in HelpScreen.command_rows())


def test_package_description_claims_only_what_exists() -> None:
    import tomllib

    pyproject = Path(__file__).parents[2] / "pyproject.toml"
    from discogs_tui.screens import PAGES

    description = tomllib.loads(pyproject.read_text())["project"]["description"]
    # Each area the description names has its page.
    for words, kind in (
        ("collection", "collection"),
        ("wantlist", "wantlist"),
        ("listings", "inventory"),
        ("orders", "orders"),
    ):
        assert words in description and kind in PAGES
