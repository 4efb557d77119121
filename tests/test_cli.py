"""The discogs-tui command line: --version, --help, cache stats and clear."""

from __future__ import annotations

import stat

import pytest

from discogs_tui import __version__
from discogs_tui.__main__ import main
from discogs_tui.api.client import DiscogsClient
from discogs_tui.config import cache_dir
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
