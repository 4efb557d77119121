"""Widgets shared by the screens, one per module."""

from __future__ import annotations

from discogs_tui.widgets.app_header import AppHeader
from discogs_tui.widgets.bulk_line import BulkLine
from discogs_tui.widgets.command_line import CommandLine
from discogs_tui.widgets.facts import facts_builder, facts_text
from discogs_tui.widgets.markup_view import Link, LinkedText, MarkupView, parse_discogs_markup
from discogs_tui.widgets.paged_table import Column, PagedTable
from discogs_tui.widgets.rate_gauge import RateGauge
from discogs_tui.widgets.tracklist import Tracklist

__all__ = [
    "AppHeader",
    "BulkLine",
    "Column",
    "CommandLine",
    "Link",
    "LinkedText",
    "MarkupView",
    "PagedTable",
    "RateGauge",
    "Tracklist",
    "facts_builder",
    "facts_text",
    "parse_discogs_markup",
]
