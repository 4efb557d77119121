"""Terminal cells, not characters: wide titles, narrow terminals, and a terminal too small."""

from __future__ import annotations

from typing import Any

import pytest
from rich.cells import cell_len
from test_pages import DocumentTransport
from test_sanitize import screen_text, settle
from tui_helpers import demo_app

from discogs_tui.navigation import Target
from discogs_tui.screens import ArtistPage, LabelPage, MasterPage, SearchPage
from discogs_tui.widgets.paged_table import Column, PagedTable

WIDE_TITLE = "東京の夜明けと名前のない歌🎵🎶" * 4
WIDE_USER = "名前ユーザー"


async def test_a_cjk_and_emoji_title_keeps_the_user_and_mode_in_the_header() -> None:
    release = {"id": 515151, "title": WIDE_TITLE, "artists": [{"id": 1, "name": "歌手🎤"}]}
    app = demo_app(transport=DocumentTransport({"/releases/515151": release}), username=WIDE_USER)
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("release", id=515151))
        await settle(pilot, app)
        header = screen_text(app).splitlines()[0]
        assert header.rstrip().endswith(f"{WIDE_USER}  DEMO"), header
        assert "東京の夜明け" in header and "…" in header
        assert cell_len(header) == 80


def table_columns(app: Any) -> dict[str, int]:
    table = app.screen.query_one(PagedTable)
    return {str(key.value): column.width for key, column in table.columns.items()}


@pytest.mark.parametrize(
    ("target", "page"),
    [
        (Target("search", query="Persuader"), SearchPage),
        (Target("master", id=1660109), MasterPage),
        (Target("artist", id=1), ArtistPage),
        (Target("label", id=5), LabelPage),
    ],
)
async def test_in_a_narrow_terminal_titles_keep_their_share_and_tables_fit(
    target: Target, page: type
) -> None:
    app = demo_app()
    async with app.run_test(size=(44, 20)) as pilot:
        app.navigate(target)
        await settle(pilot, app)
        assert isinstance(app.screen, page)
        table = app.screen.query_one(PagedTable)
        widths = table_columns(app)
        # No sideways scrolling: every column is in sight.
        assert table.virtual_size.width <= table.scrollable_content_region.width, widths
        flex = [spec.key for spec in table._column_specs if spec.flex]
        short = {spec.key: spec.width for spec in table._column_specs if not spec.flex}
        # The short columns gave way; the titles and names keep at least half the room.
        assert sum(widths[key] for key in short) < sum(short.values()), widths
        assert 2 * sum(widths[key] for key in flex) >= sum(widths.values()), widths
        assert widths["title"] >= 6, widths
        header = screen_text(app).splitlines()[0]
        assert "demo" in header and "DEMO" in header


def test_short_columns_keep_their_width_when_there_is_room() -> None:
    table: PagedTable[Any] = PagedTable(
        [
            Column("Type", "type", 7),
            Column("Title", "title", 5, flex=True),
            Column("Country", "country", 8),
        ],
        lambda item: [],
    )
    roomy = table.column_widths(80)
    assert roomy["type"] == 7 and roomy["country"] == 8 and sum(roomy.values()) + 6 == 80
    narrow = table.column_widths(30)
    assert narrow["type"] < 7 and narrow["title"] >= 12 and sum(narrow.values()) + 6 <= 30


async def test_a_terminal_too_small_says_so_and_the_page_comes_back() -> None:
    app = demo_app()
    async with app.run_test(size=(30, 8)) as pilot:
        await settle(pilot, app)
        text = screen_text(app)
        assert "Terminal too small (30x8)" in " ".join(text.split()), text
        assert "needs at least 40x10" in " ".join(text.split()), text
        await pilot.press("escape", "question_mark")
        await settle(pilot, app)
        assert "Terminal too small" in " ".join(screen_text(app).split())
        await pilot.resize_terminal(36, 12)
        await settle(pilot, app)
        assert "Terminal too small (36x12)" in " ".join(screen_text(app).split())
        await pilot.resize_terminal(60, 20)
        await settle(pilot, app)
        text = screen_text(app)
        assert "too small" not in text and "Browse Discogs" in text, text
        assert app.screen.__class__.__name__ == "HomeScreen"
        await pilot.resize_terminal(39, 20)
        await settle(pilot, app)
        assert "Terminal too small (39x20)" in " ".join(screen_text(app).split())


async def test_at_60x20_every_page_keeps_its_header_and_its_tables_fit() -> None:
    app = demo_app(username=WIDE_USER)
    async with app.run_test(size=(60, 20)) as pilot:
        for target in (
            Target("release", id=1),
            Target("search", query="Persuader"),
            Target("master", id=1660109),
            Target("artist", id=1),
            Target("label", id=5),
        ):
            app.navigate(target)
            await settle(pilot, app)
            header = screen_text(app).splitlines()[0]
            assert header.rstrip().endswith(f"{WIDE_USER}  DEMO"), (target, header)
            for table in app.screen.query(PagedTable):
                assert table.virtual_size.width <= table.scrollable_content_region.width, target
