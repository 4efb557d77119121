"""The page registry is the one place a kind of page is declared, and the layers point one way."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import get_args

import pytest

from discogs_tui.commands import palette_commands
from discogs_tui.navigation import PAGE_KINDS, Kind, Target
from discogs_tui.screens import PAGES
from discogs_tui.screens.help import HelpScreen
from discogs_tui.widgets.command_line import COMPLETIONS, CommandError, parse_command

ROOT = Path(__file__).resolve().parents[2]


def test_every_kind_with_a_command_is_in_the_registry_once() -> None:
    names = [kind.name for kind in PAGE_KINDS]
    assert len(names) == len(set(names))
    assert set(get_args(Kind)) - {"home"} == set(names)


def test_a_kind_has_a_screen_exactly_when_the_registry_offers_it() -> None:
    offered = {kind.name for kind in PAGE_KINDS if kind.offered}
    assert set(PAGES) == offered


@pytest.mark.parametrize("kind", PAGE_KINDS, ids=lambda kind: kind.name)
def test_the_command_line_and_help_follow_each_row(kind: object) -> None:
    from discogs_tui.navigation import PageKind

    assert isinstance(kind, PageKind)
    shown = {command for command, _ in HelpScreen.command_rows()}
    completes = [name.strip() for name in COMPLETIONS]
    argument = {"id": "1", "query": "x", "name": "demo", "optional name": ""}[kind.argument]
    target = parse_command(f"{kind.name} {argument}").target
    assert target is not None and target.kind == kind.name
    assert (f":{kind.help.partition('  ')[0]}" in shown) is kind.offered
    assert (kind.name in completes) is kind.offered
    with pytest.raises(CommandError) as caught:
        parse_command(":nosuchcommand")
    listed = str(caught.value).split("Commands: ")[1].rstrip(".").split(", ")
    assert (kind.name in listed) is kind.offered


class _Actions:
    """Stands in for the app: records what the palette entries run."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def action_command_line(self, text: str = "") -> None:
        self.lines.append(text)

    def action_search(self) -> None: ...
    def action_copy_url(self) -> None: ...
    def action_open_browser(self) -> None: ...
    def action_go_back(self) -> None: ...
    def action_go_forward(self) -> None: ...
    def action_help(self) -> None: ...
    def open_kind(self, kind: str) -> None: ...
    def search_themes(self) -> None: ...
    def quit_when_saved(self) -> None: ...
    def exit(self, result: object = None, return_code: int = 0, message: object = None) -> None: ...

    top_page = None


def test_the_palette_opens_every_kind_that_takes_an_id() -> None:
    host = _Actions()
    by_id = [c for c in palette_commands(host) if c.name.endswith(" by id")]
    for command in by_id:
        command.run()
    id_kinds = [kind.name for kind in PAGE_KINDS if kind.argument == "id" and kind.offered]
    assert host.lines == [f"{name} " for name in id_kinds]
    assert [c.name for c in by_id] == [f"Open {name} by id" for name in id_kinds]


def test_web_urls_follow_the_registry() -> None:
    for kind in PAGE_KINDS:
        if kind.argument == "id":
            url = Target(kind.name, id=7).web_url()
            assert url == f"https://www.discogs.com/{kind.name}/7"


@pytest.mark.parametrize(
    ("module", "must_not_load"),
    [
        ("discogs_tui.widgets", ("discogs_tui.screens", "discogs_tui.app")),
        ("discogs_tui.screens", ("discogs_tui.app", "discogs_tui.commands")),
        ("discogs_tui.commands", ("discogs_tui.app",)),
    ],
)
def test_lower_layers_load_without_the_ones_above(module: str, must_not_load: tuple[str]) -> None:
    code = (
        f"import sys, {module}\nprint(','.join(m for m in {must_not_load!r} if m in sys.modules))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert found.stdout.strip() == ""


def test_the_import_contracts_hold() -> None:
    lint = Path(sys.executable).parent / "lint-imports"
    if not lint.exists():
        pytest.fail("import-linter is a development dependency: pip install import-linter")
    done = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout
    assert "Layers point one way" in done.stdout
