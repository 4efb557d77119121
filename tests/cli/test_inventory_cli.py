"""``discogs-tui inventory export|apply|resume`` against the emulator on loopback."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import httpx
import pytest

from discogs_tui.__main__ import main
from discogs_tui.emulator.app import Emulator
from discogs_tui.emulator.core import EmuRequest
from discogs_tui.emulator.faults import Faults
from discogs_tui.emulator.server import running_server
from discogs_tui.tasks.inventory_csv import CSV_COLUMNS
from discogs_tui.tasks.journal import journal_dir, pending_journals

ROOT = Path(__file__).resolve().parents[2]


class Served:
    """An emulator on loopback that counts the listing edits it answers."""

    def __init__(self, emulator: Emulator, url: str) -> None:
        self.emulator = emulator
        self.url = url
        self.writes: Counter[int] = Counter()
        handle = emulator.handle

        def counting(request: EmuRequest, *args: object) -> object:
            answer = handle(request, *args)  # type: ignore[arg-type]
            if request.method == "POST" and request.path.startswith("/marketplace/listings/"):
                self.writes[int(request.path.rsplit("/", 1)[1])] += 1
            return answer

        emulator.handle = counting  # type: ignore[method-assign,assignment]

    def cli(self, *args: str) -> int:
        return main(["--base-url", self.url, "--token", "demo-token", "inventory", *args])

    def prices(self) -> dict[int, float]:
        return {i: x.price for i, x in self.emulator.state.listings.items()}


@pytest.fixture
def served() -> Iterator[Served]:
    emulator = Emulator()
    with running_server(emulator) as url:
        yield Served(emulator, url)


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def raise_prices(rows: list[dict[str, str]], count: int) -> list[int]:
    """Raise the first ``count`` For Sale prices by 10 % (to the cent); their listing ids."""
    raised: list[int] = []
    for r in rows:
        if r["status"] == "For Sale" and len(raised) < count:
            new = (Decimal(r["price"]) * Decimal("1.1")).quantize(Decimal("0.01"), ROUND_HALF_UP)
            r["price"] = str(new)
            raised.append(int(r["listing_id"]))
    return raised


def test_export_by_pages_and_by_export_job_agree_and_say_which(
    served: Served, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert served.cli("export", "-o", str(tmp_path / "pages.csv")) == 0
    assert "read page by page, 2 requests" in capsys.readouterr().out
    assert served.cli("export", "--job", "-o", str(tmp_path / "job.csv")) == 0
    assert "read with the export job" in capsys.readouterr().out
    pages, job = read_rows(tmp_path / "pages.csv"), read_rows(tmp_path / "job.csv")
    assert list(pages[0]) == list(CSV_COLUMNS)
    assert len(pages) == len(served.emulator.state.inventory("demo")) == 200
    key = lambda r: r["listing_id"]  # noqa: E731
    assert sorted(pages, key=key) == sorted(job, key=key)
    assert {r["status"] for r in pages} == {"For Sale", "Draft", "Expired", "Sold"}


def test_round_trip_changes_nothing_and_dry_run_sends_nothing(
    served: Served, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "inv.csv"
    assert served.cli("export", "-o", str(path)) == 0
    before = served.prices()
    assert served.cli("apply", str(path), "--yes") == 0
    assert "Nothing to change." in capsys.readouterr().out
    rows = read_rows(path)
    raised = raise_prices(rows, 3)
    write_rows(path, rows)
    assert served.cli("apply", str(path), "--dry-run") == 0
    out = capsys.readouterr().out
    assert "3 edits" in out and "3 requests" in out and "Dry run: nothing was sent." in out
    assert f"edit {raised[0]} " in out
    assert served.writes == Counter() and served.prices() == before
    # Without --yes and no terminal to ask on, nothing is sent either.
    assert served.cli("apply", str(path)) == 1
    assert "add --yes" in capsys.readouterr().err
    assert served.writes == Counter()
    assert served.cli("apply", str(path), "--yes") == 0
    assert served.writes == Counter(dict.fromkeys(raised, 1))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"listing_id": "123"}, "line 2, column listing_id: listing 123 is not in your inventory"),
        ({"colour": "red"}, "column 'colour' is unknown"),
        ({"price": "9.999"}, "column price: '9.999' is not a positive number with at most 2"),
        ({"condition": "Nice"}, "column condition: 'Nice' is not a media grade"),
    ],
)
def test_bad_input_is_named_and_changes_nothing(
    served: Served,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    change: dict[str, str],
    message: str,
) -> None:
    path = tmp_path / "inv.csv"
    assert served.cli("export", "-o", str(path)) == 0
    rows = read_rows(path)
    raise_prices(rows, 5)  # good edits on other rows are not sent either
    first = next(r for r in rows if r["status"] == "For Sale")
    first |= change
    if "colour" in change:
        for r in rows:
            r.setdefault("colour", "")
    write_rows(path, rows)
    capsys.readouterr()
    assert served.cli("apply", str(path), "--yes") == 2
    err = capsys.readouterr().err
    assert "cannot be applied; nothing was changed" in err and message in err
    assert served.writes == Counter()
    assert pending_journals() == []


def test_a_pending_journal_blocks_a_new_apply_until_resumed_or_discarded(
    served: Served, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert served.cli("resume") == 0
    assert "No bulk edit is waiting" in capsys.readouterr().out
    folder = journal_dir()
    folder.mkdir(parents=True)
    header: dict[str, object] = {"type": "header", "server": served.url, "user": "demo"}
    header |= {"source": "bulk edit", "created": "2026-01-01T00:00:00+00:00", "edits": []}
    (folder / "old.jsonl").write_text(json.dumps(header) + "\n")
    path = tmp_path / "inv.csv"
    assert served.cli("export", "-o", str(path)) == 0
    rows = read_rows(path)
    raise_prices(rows, 1)
    write_rows(path, rows)
    assert served.cli("apply", str(path), "--yes") == 1
    assert "inventory resume" in capsys.readouterr().err
    assert served.writes == Counter()
    assert served.cli("resume", "--discard") == 0
    assert "Discarded" in capsys.readouterr().out
    assert served.cli("apply", str(path), "--yes") == 0


def _outcomes_done(folder: Path) -> int:
    done = 0
    for path in folder.glob("*.jsonl"):
        for line in path.read_text().splitlines():
            if '"result": "done"' in line:
                done += 1
    return done


def test_kill_9_mid_apply_then_resume_leaves_every_listing_at_plus_10_percent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's check: a loopback emulator answering in 0.25 s, 40 For Sale prices raised
    by 10 % in the exported CSV, ``apply --yes`` killed with SIGKILL mid-run, ``resume``."""
    emulator = Emulator(faults=Faults(latency=0.25), state_file=tmp_path / "emu.json")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with running_server(emulator) as url:
        served = Served(emulator, url)
        csv_path = tmp_path / "inv.csv"
        assert served.cli("export", "-o", str(csv_path)) == 0
        before = {r["listing_id"]: r for r in read_rows(csv_path)}
        rows = read_rows(csv_path)
        raised = raise_prices(rows, 40)
        write_rows(csv_path, rows)
        me = [sys.executable, "-m", "discogs_tui", "--base-url", url, "--token", "demo-token"]
        apply = subprocess.Popen(
            [*me, "inventory", "apply", str(csv_path), "--yes"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while _outcomes_done(journal_dir()) < 3 and time.monotonic() < deadline:
            assert apply.poll() is None, "apply ended before it could be killed"
            time.sleep(0.02)
        os.kill(apply.pid, signal.SIGKILL)
        apply.wait(timeout=10)
        assert len(pending_journals()) == 1
        assert 3 <= sum(served.writes.values()) < 40
        capsys.readouterr()
        assert served.cli("resume") == 0
        assert "40 of 40 edits done" in capsys.readouterr().out
        assert pending_journals() == []
        assert served.writes == Counter(dict.fromkeys(raised, 1)), "each edit sent once"
        # Another client reads the inventory: the 40 at exactly +10 %, nothing else changed.
        want = {row["listing_id"]: row for row in rows}
        with httpx.Client(
            base_url=url, headers={"Authorization": "Discogs token=seller2-token"}
        ) as other:
            seen = []
            for page in (1, 2):
                params = {"per_page": 100, "page": page}
                seen.extend(other.get("/users/demo/inventory", params=params).json()["listings"])
        assert len(seen) == sum(r["status"] == "For Sale" for r in rows)
        for listing in seen:
            row = want[str(listing["id"])]
            assert f"{listing['price']['value']:.2f}" == row["price"]
            assert listing["comments"] == row["comments"]
            assert listing["condition"] == row["condition"]
        # Listings other sellers cannot see (Draft, Expired, Sold) are untouched too.
        for listing_id, record in emulator.state.listings.items():
            if record.seller == "demo":
                assert f"{record.price:.2f}" == want[str(listing_id)]["price"]
                assert record.status == want[str(listing_id)]["status"]
        assert sum(row["price"] != before[row["listing_id"]]["price"] for row in rows) == 40


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_polite_signal_stops_apply_between_two_edits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], signum: int
) -> None:
    emulator = Emulator(faults=Faults(latency=0.1))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with running_server(emulator) as url:
        served = Served(emulator, url)
        csv_path = tmp_path / "inv.csv"
        assert served.cli("export", "-o", str(csv_path)) == 0
        rows = read_rows(csv_path)
        raised = raise_prices(rows, 12)
        write_rows(csv_path, rows)
        me = [sys.executable, "-m", "discogs_tui", "--base-url", url, "--token", "demo-token"]
        apply = subprocess.Popen(
            [*me, "inventory", "apply", str(csv_path), "--yes"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 30
        while _outcomes_done(journal_dir()) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        apply.send_signal(signum)
        _, err = apply.communicate(timeout=20)
        assert apply.returncode == 1, err
        assert "stopping after the request in flight" in err
        (path,) = pending_journals()
        last = json.loads(path.read_text().splitlines()[-1])
        assert last["type"] == "outcome", "the edit in flight was finished and recorded"
        emulator.faults = Faults()  # the latency let the signal land mid-run; resume needs none
        assert served.cli("resume") == 0
        assert served.writes == Counter(dict.fromkeys(raised, 1))


def test_building_the_command_line_loads_neither_the_client_nor_the_tasks() -> None:
    """The app's start pays nothing for the inventory commands: their parser is light and
    the client, models and tasks load only when one of them runs (a second's worth of imports
    before the first frame made the tmux key test drop the first key typed)."""
    code = (
        "import sys; from discogs_tui.__main__ import build_parser; build_parser(); "
        "print(sorted(m for m in sys.modules if m.startswith(('discogs_tui.api', "
        "'discogs_tui.tasks', 'discogs_tui.models', 'httpx'))))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
