"""Widgets shared by the screens, one per module."""

from __future__ import annotations

from discogs_tui.widgets.app_header import AppHeader
from discogs_tui.widgets.command_line import CommandLine
from discogs_tui.widgets.rate_gauge import RateGauge

__all__ = ["AppHeader", "CommandLine", "RateGauge"]
