"""Looks: readable without colour, one scrollbar on help, prices that name their currency."""

from __future__ import annotations

from typing import Any

import pytest
from rich.style import Style
from test_sanitize import screen_text, settle
from textual.color import Color
from tui_helpers import demo_app

from discogs_tui.app import DiscogsApp
from discogs_tui.config import Settings
from discogs_tui.money import for_sale_text, format_price
from discogs_tui.navigation import Target
from discogs_tui.widgets.rate_gauge import RateGauge

MIN_CONTRAST = 3.0
"""Text must stand out from its background at least this much (WCAG ratio)."""


def contrast(style: Style) -> float | None:
    """The WCAG contrast ratio of a segment's text on its background, if both are set."""
    if style.color is None or style.bgcolor is None:
        return None

    def luminance(color: Color) -> float:
        def channel(value: int) -> float:
            v = value / 255
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)

    low, high = sorted(luminance(Color.from_rich_color(c)) for c in (style.color, style.bgcolor))
    return (high + 0.05) / (low + 0.05)


def faint_words(app: DiscogsApp) -> list[tuple[int, str, float]]:
    """Every piece of text on screen (letters or digits) that barely stands out."""
    faint = []
    for row, strip in enumerate(app.screen._compositor.render_strips()):
        for segment in strip:
            if segment.style is None or not any(c.isalnum() for c in segment.text):
                continue
            ratio = contrast(segment.style)
            if ratio is not None and ratio < MIN_CONTRAST:
                faint.append((row, segment.text.strip(), round(ratio, 2)))
    return faint


class Budget:
    """A rate state with ``used`` of 60 spent."""

    def __init__(self, used: int) -> None:
        self.limit, self.used, self.queued, self.throttled_until = 60, used, 0, None


@pytest.mark.parametrize("mode", ["DEMO", "LIVE", "OFFLINE"])
async def test_with_no_color_every_badge_and_state_stays_readable(
    monkeypatch: pytest.MonkeyPatch, mode: Any
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = demo_app(mode=mode)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.no_color
        await settle(pilot, app)
        for used in (10, 50, 59):  # ok, warning, error
            app.screen.query_one(RateGauge).update_gauge(Budget(used), None, 0.0)
            await pilot.pause()
            assert not faint_words(app), (mode, used, faint_words(app))
        for target in (
            Target("release", id=1),
            Target("artist", id=1),
            Target("search", query="Persuader"),
            Target("master", id=1660109),
        ):
            app.navigate(target)
            await settle(pilot, app)
            assert not faint_words(app), (target, faint_words(app))
        app.notify("A warning", title="Settings", severity="warning")
        app.notify("An error", title="Rejected", severity="error")
        await pilot.pause()
        await pilot.press("question_mark")
        await settle(pilot, app)
        assert not faint_words(app), ("help", faint_words(app))


async def test_with_no_color_the_gauge_states_differ_by_more_than_colour(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        gauge = app.screen.query_one(RateGauge)
        looks = []
        for used in (10, 50, 59):
            gauge.update_gauge(Budget(used), None, 0.0)
            await pilot.pause()
            style = gauge.rich_style
            looks.append((bool(style.bold), bool(style.reverse)))
        assert len(set(looks)) == 3, looks


async def test_help_has_one_scrollbar_and_its_cursor_reaches_the_commands() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("release", id=1))
        await settle(pilot, app)
        await pilot.press("question_mark")
        await settle(pilot, app)
        vertical = [w for w in app.screen.query("*") if w.show_vertical_scrollbar]
        horizontal = [w for w in app.screen.query("*") if w.show_horizontal_scrollbar]
        assert len(vertical) == 1 and not horizontal, (vertical, horizontal)
        assert ":quit" not in screen_text(app)
        await pilot.press("ctrl+end")
        await pilot.pause()
        text = screen_text(app)
        assert ":quit" in text and "leave discogs-tui" in text, text


@pytest.mark.parametrize(
    ("value", "currency", "shown"),
    [
        (34.91, "EUR", "\u20ac34.91"),
        (1234.5, "USD", "$1,234.50"),
        (12.0, "GBP", "\u00a312.00"),
        (3491.0, "JPY", "\u00a53,491"),
        (34.91, "CHF", "CHF 34.91"),
        (34.91, "SEK", "SEK 34.91"),
        (34.91, "cad", "CA$34.91"),
        (34.91, None, "34.91"),
        (1.0, "X\x1b]0;t\x07", "X\u241b]0;T\u2407 1.00"),
    ],
)
def test_format_price_names_the_currency(value: float, currency: str | None, shown: str) -> None:
    assert format_price(value, currency) == shown


def test_for_sale_text() -> None:
    assert for_sale_text(1, 34.91, "EUR") == "1 for sale from \u20ac34.91"
    assert for_sale_text(1234, None, "EUR") == "1,234 for sale"
    assert for_sale_text(0, None, "EUR") == "none for sale"
    assert for_sale_text(None, None, "EUR") == ""


@pytest.mark.parametrize(
    ("configured", "shown"), [(None, "1 for sale from $34.91"), ("EUR", "for sale from \u20ac")]
)
async def test_the_release_price_names_its_currency(configured: str | None, shown: str) -> None:
    app = demo_app(settings=Settings(currency=configured))
    async with app.run_test(size=(80, 24)) as pilot:
        app.navigate(Target("release", id=1))
        await settle(pilot, app)
        assert shown in screen_text(app)
