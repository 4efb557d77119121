"""Writes that outlive the form that started them: run in the app's own worker group.

A part of :class:`discogs_tui.app.DiscogsApp`. A write is never ``exclusive`` (a second one
must not cut the first half-way) and never cancelled with its form; quitting while one is
on its way asks first, since its outcome would be unknown.
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

from textual.worker import Worker

from discogs_tui.typing_order import OrderedTyping


class WriteRunner(OrderedTyping):
    """The app's writes (a part of :class:`discogs_tui.app.DiscogsApp`)."""

    _quit_warned: bool = False
    """True once quitting during a save was warned about: the next quit leaves."""

    def run_write(self, work: Coroutine[Any, Any, None], *, name: str) -> Worker[None]:
        """Run a write in the app's ``writes`` group.

        Owned by the app, so closing the form that started it does not cancel it; never
        ``exclusive``, so a second write does not cut the first half-way.
        """
        self._quit_warned = False
        return self.run_worker(
            work, name=name, group="writes", exclusive=False, exit_on_error=False
        )

    def bulk_quit_warning(self) -> str | None:
        """What quitting would stop while a bulk edit runs (:mod:`discogs_tui.bulk_runs`)."""
        return None

    def saving(self) -> bool:
        """True while a write started with :meth:`run_write` has not had its answer."""
        return any(worker.group == "writes" and worker.is_running for worker in self.workers)

    async def action_quit(self) -> None:
        """Leave the app (see :meth:`quit_when_saved`)."""
        self.quit_when_saved()

    def quit_when_saved(self) -> None:
        """Leave the app; while a change is being saved or a bulk edit runs, the first try
        says so instead, since quitting cuts the write off and leaves its outcome unknown
        (a bulk edit's journal keeps it resumable)."""
        if self._quit_warned:
            self.exit(0)
            return
        if bulk := self.bulk_quit_warning():
            self._quit_warned = True
            self.notify(bulk, title="Bulk edit", severity="warning", markup=False, timeout=10)
            return
        if self.saving():
            self._quit_warned = True
            self.notify(
                "A change is still being saved: quitting now leaves it unconfirmed. "
                "Quit again to leave anyway.",
                title="Saving",
                severity="warning",
                markup=False,
            )
            return
        self.exit(0)
