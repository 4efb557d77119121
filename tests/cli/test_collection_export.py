"""CSV export of a collection (tasks.collection_export) and ``discogs-tui collection export``."""

from __future__ import annotations

import asyncio
import csv
import io
import os
import re
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from discogs_tui.__main__ import main
from discogs_tui.api.client import DiscogsClient
from discogs_tui.config import cache_dir
from discogs_tui.emulator.app import Emulator
from discogs_tui.emulator.server import running_server
from discogs_tui.models.collection import CollectionItem, CustomField
from discogs_tui.tasks.collection import LoadProgress, load_all
from discogs_tui.tasks.collection_export import (
    BASE_COLUMNS,
    FREE_TEXT_NOTES,
    collection_rows,
    export_collection,
    spreadsheet_text,
    write_csv,
)

BASE = "http://localhost"


@pytest.fixture(scope="module")
def big() -> Emulator:
    """2,000 instances; a budget the many exports of this module never spend."""
    return Emulator(base_url=BASE, scale=2000, rate_limit=100_000)


@pytest.fixture
async def client(big: Emulator) -> AsyncIterator[DiscogsClient]:
    async with DiscogsClient(
        base_url=BASE, token="demo-token", transport=big.transport(offload=False)
    ) as client:
        yield client


def read_back(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "a byte order mark, so spreadsheets read UTF-8"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def item(**fields: object) -> CollectionItem:
    return CollectionItem.model_validate(fields)


# -- rows ----------------------------------------------------------------------------------


def test_a_row_reads_as_discogs_prints_it() -> None:
    one = item(
        id=7,
        instance_id=70,
        folder_id=3,
        rating=4,
        date_added="2024-02-01T10:00:00-08:00",
        basic_information={
            "id": 7,
            "title": "Night, Again",
            "year": 1999,
            "artists": [
                {"name": "Seidemann (2)", "join": "&"},
                {"name": "Tamara Jones", "anv": "Tamara"},
            ],
            "labels": [{"name": "Svek (3)", "catno": "SK 032"}, {"name": "Svek (3)", "catno": "SK 032"}],
            "formats": [{"name": "Vinyl", "qty": "2", "descriptions": ["LP", "Album"]}, {"name": "CD"}],
        },
        notes=[{"field_id": 1, "value": "Near Mint (NM or M-)"}, {"field_id": 2, "value": 'Line 1\n"quoted"'}],
    )  # fmt: skip
    fields = [CustomField(id=1, name="Media"), CustomField(id=2, name="Notes")]
    header, rows = collection_rows([one], folders={3: "Techno"}, fields=fields)
    assert header == [*BASE_COLUMNS, "Media", "Notes"]
    assert rows == [
        [
            "7",
            "Seidemann & Tamara*",
            "Night, Again",
            "Svek",
            "SK 032",
            "2\u00d7Vinyl, LP, Album; CD",
            "1999",
            "Techno",
            "4",
            "2024-02-01T10:00:00-08:00",
            "Near Mint (NM or M-)",
            'Line 1\n"quoted"',
        ]
    ]


def test_unknown_values_are_blank_and_an_unseen_folder_keeps_its_number() -> None:
    header, rows = collection_rows(
        [item(id=5, folder_id=9500004, notes="a note in the old shape")],
        folders={0: "All"},
        fields=[CustomField(id=1, name="Media")],
    )
    assert header[-1] == FREE_TEXT_NOTES
    assert rows == [["5", "", "", "", "", "", "", "9500004", "", "", "", "a note in the old shape"]]


def test_field_names_never_collide_with_the_columns() -> None:
    fields = [
        CustomField(id=1, name="Rating"),
        CustomField(id=2, name="Rating (custom field)"),
        CustomField(id=3, name=" "),
        CustomField(id=4, name="rating"),
    ]
    header, _ = collection_rows([], folders={}, fields=fields)
    extra = header[len(BASE_COLUMNS) :]
    assert extra == [
        "Rating (custom field)",
        "Rating (custom field) (custom field)",
        "Field 3",
        "rating (field 4)",
    ]
    assert len({h.casefold() for h in header}) == len(header)


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+44 20", "'+44 20"),
        ("-Worst Of-", "'-Worst Of-"),
        ("@home", "'@home"),
        ("\tTabbed", "'\tTabbed"),
        ("-5", "-5"),
        ("+1.5", "+1.5"),
        ("Plain", "Plain"),
        ("", ""),
    ],
)
def test_text_a_spreadsheet_would_run_is_kept_as_text(text: str, safe: str) -> None:
    assert spreadsheet_text(text) == safe


def test_formula_guard_covers_every_text_column_and_can_be_turned_off() -> None:
    evil = "=1+1"
    one = item(
        id=1,
        folder_id=2,
        basic_information={
            "title": evil,
            "artists": [{"name": evil}],
            "labels": [{"name": evil, "catno": evil}],
            "formats": [{"name": evil}],
        },
        notes=[{"field_id": 1, "value": evil}, {"value": evil}],
    )
    fields = [CustomField(id=1, name="Media")]
    _, rows = collection_rows([one], folders={2: evil}, fields=fields)
    guarded = {i for i, cell in enumerate(rows[0]) if cell == "'" + evil}
    assert guarded == {1, 2, 3, 4, 5, 7, 10, 11}
    _, raw = collection_rows([one], folders={2: evil}, fields=fields, spreadsheet_safe=False)
    assert [raw[0][i] for i in sorted(guarded)] == [evil] * len(guarded)


def test_a_failed_write_keeps_the_old_file_and_leaves_no_part(tmp_path: Path) -> None:
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    target = tmp_path / "c.csv"
    target.write_text("old")
    os.chmod(target, 0o640)

    def rows() -> Iterator[list[str]]:
        yield ["1"]
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        write_csv(target, ["Release ID"], rows())
    assert target.read_text() == "old"
    assert list(tmp_path.iterdir()) == [target]
    write_csv(target, ["Release ID"], [["1"]])
    assert target.stat().st_mode & 0o777 == 0o640, "a replaced file keeps its mode"
    fresh = tmp_path / "new.csv"
    write_csv(fresh, ["Release ID"], [])
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~current_umask()


def current_umask() -> int:
    value = os.umask(0)
    os.umask(value)
    return value


# -- the export ----------------------------------------------------------------------------


async def test_export_round_trip_matches_the_api(client: DiscogsClient, tmp_path: Path) -> None:
    path = tmp_path / "collection.csv"
    steps: list[LoadProgress] = []
    result = await export_collection(client, "demo", path, on_progress=steps.append)
    assert result.items == 2000 and not result.cancelled
    assert result.requests == 22, "folders, fields and 20 pages of 100"
    assert steps[-1].loaded == 2000 and steps[-1].requests == 22
    rows = read_back(path)
    assert list(rows[0]) == [*BASE_COLUMNS, "Media", "Notes"] == result.columns
    assert len(rows) == 2000
    folders = {f.id: f.name for f in (await client.get_collection_folders("demo")).folders}
    page = await client.get_collection_items_by_folder("demo", 0, page=7)
    by_instance = {(r["Release ID"], r["Date added"]): r for r in rows}
    for api in page.items:
        row = by_instance[(str(api.id), api.date_added)]
        assert row["Title"] == api.basic_information.title
        assert row["Folder"] == folders[api.folder_id or 0]
        assert row["Rating"] == (str(api.rating) if api.rating else "")
        media = next((n.value for n in api.notes if n.field_id == 1), "")
        assert row["Media"] == media
    assert sum(1 for r in rows if r["Media"]) > 500 and sum(1 for r in rows if r["Notes"]) > 400


async def test_a_second_export_from_the_cache_costs_no_request(
    big: Emulator, tmp_path: Path
) -> None:
    async with DiscogsClient(
        base_url=BASE,
        token="demo-token",
        transport=big.transport(offload=False),
        cache=tmp_path / "cache",
    ) as client:
        first = await export_collection(client, "demo", tmp_path / "a.csv")
        second = await export_collection(client, "demo", tmp_path / "b.csv")
    assert (first.requests, second.requests) == (22, 0)
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


async def test_items_already_loaded_are_not_read_again(
    client: DiscogsClient, tmp_path: Path
) -> None:
    loaded = await load_all(client, "demo")
    result = await export_collection(client, "demo", tmp_path / "c.csv", loaded=loaded)
    assert result.requests == 2 and result.items == 2000, "only folders and fields"
    partial = await load_all(client, "demo", cancel=_set())
    again = await export_collection(client, "demo", tmp_path / "d.csv", loaded=partial)
    assert again.requests == 22, "a cancelled walk is not the whole folder"


def _set() -> asyncio.Event:
    event = asyncio.Event()
    event.set()
    return event


async def test_a_cancelled_export_writes_nothing(client: DiscogsClient, tmp_path: Path) -> None:
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    path = tmp_path / "c.csv"
    path.write_text("before")
    cancel = asyncio.Event()

    def progress(step: LoadProgress) -> None:
        if step.pages == 2:
            cancel.set()

    result = await export_collection(client, "demo", path, on_progress=progress, cancel=cancel)
    assert result.cancelled and result.requests == 4
    assert path.read_text() == "before"
    assert list(tmp_path.iterdir()) == [path]


# -- the command line ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    emulator = Emulator(scale=2000, rate_limit=100_000, anonymous_rate_limit=100_000)
    with running_server(emulator) as url:
        yield url


def test_cli_exports_over_loopback_with_progress_and_a_summary(
    server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mine.csv"
    argv = ["--base-url", server, "--token", "demo-token", "collection", "export", "-o", str(path)]
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert "Exporting 2,000 items of your collection: at most 20 requests, about" in err
    assert "Loaded 100 of 2,000 items (1 request)" in err
    assert "Loaded 2,000 of 2,000 items (20 requests)" in err
    assert out.strip().startswith(f"Wrote 2,000 items to {path} (12 columns) with 23 requests")
    assert len(read_back(path)) == 2000
    assert cache_dir().is_dir()
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert "with 1 request in" in out, "only who is signed in is asked again"
    assert "(0 requests)" in err
    assert "demo-token" not in out + err


def test_cli_one_folder_of_a_public_collection_without_sign_in(
    server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "theirs.csv"
    base = ["--base-url", server, "--no-cache", "collection", "export", "-o", str(path)]
    assert main([*base, "--user", "demo", "--raw"]) == 0
    rows = read_back(path)
    assert len(rows) == 2000 and "Notes" not in rows[0], "private fields stay private"
    assert main([*base, "--user", "demo", "--folder", "1"]) == 2
    assert "demo has no folder 1 that we may see; folders: 0 All." in capsys.readouterr().err


@pytest.mark.parametrize(
    ("before", "after", "status", "says"),
    [
        ([], [], 2, "exporting your collection needs sign-in"),
        ([], ["--user", "privateuser"], 1, "The collection of privateuser is not public"),
        (
            ["--token", "demo-token"],
            ["--user", "privateuser"],
            1,
            "The collection of privateuser is private",
        ),
        (["--token", "demo-token"], ["--folder", "42"], 2, "demo has no folder 42"),
        (["--token", "not-a-token"], [], 1, "did not accept the token: "),
        (["--token", "not-a-token"], ["--user", "demo"], 1, "did not accept the token: "),
    ],
)
def test_cli_says_why_it_cannot_export(
    server: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    before: list[str],
    after: list[str],
    status: int,
    says: str,
) -> None:
    path = tmp_path / "c.csv"
    argv = ["--base-url", server, *before, "collection", "export", "-o", str(path), *after]
    assert main(argv) == status
    out, err = capsys.readouterr()
    assert says in err and "Traceback" not in err and not out
    assert not path.exists()


def test_cli_checks_the_file_name_before_any_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--base-url", "http://127.0.0.1:9", "--token", "t", "collection", "export", "-o"]
    assert main([*base, str(tmp_path / "missing" / "c.csv")]) == 2
    assert "the folder" in capsys.readouterr().err
    assert main([*base, str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_cli_draws_a_progress_bar_on_a_terminal(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    screen = _Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    path = tmp_path / "c.csv"
    argv = ["--base-url", server, "--token", "demo-token", "--no-cache"]
    assert main([*argv, "collection", "export", "-o", str(path)]) == 0
    drawn = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.getvalue())
    assert "Loading" in drawn and "2000/2000 items, 20 requests" in drawn
    assert "Loaded 100 of" not in drawn, "no plain lines on a terminal"


def test_cli_offline_is_one_plain_sentence(tmp_path: Path) -> None:
    # In a child process: pytest's own log handlers would hide what Python prints by default.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    for extra in (["--token", "demo-token"], []):
        argv = ["--base-url", f"http://127.0.0.1:{port}", *extra, "collection", "export"]
        argv += ["-o", str(tmp_path / "c.csv"), "--user", "demo"]
        done = subprocess.run(
            [sys.executable, "-m", "discogs_tui", *argv],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 1
        assert done.stderr.count("\n") == 1, done.stderr
        assert f"Could not connect to 127.0.0.1:{port}" in done.stderr
        assert "ConnectError" not in done.stderr and "GET /" not in done.stderr
