"""A local Discogs-compatible server with a bundled CC0 dataset. Never imports textual.

``Emulator(base_url=...)`` answers requests; ``.transport()`` plugs it into httpx in-process,
and ``discogs-tui emulator`` serves it over HTTP on 127.0.0.1.
"""

from __future__ import annotations

from discogs_tui.emulator.app import Emulator
from discogs_tui.emulator.faults import Faults

__all__ = ["Emulator", "Faults"]
