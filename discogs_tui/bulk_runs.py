"""Bulk listing edits in the background: one at a time, journaled, shown below every page.

A part of :class:`discogs_tui.app.DiscogsApp`. :meth:`BulkRunner.start_bulk_edit` writes the
plan's journal (:mod:`discogs_tui.tasks.journal`) and applies it with
:func:`~discogs_tui.tasks.bulk_apply.apply_journal` in an app-owned worker: never exclusive,
never cancelled by a page or form closing; one ``POST`` per listing
(https://www.discogs.com/developers/#page:marketplace,header:marketplace-listing). The line above the rate gauge
(:class:`~discogs_tui.widgets.bulk_line.BulkLine`) counts it down; ``ctrl+k`` (or the palette)
stops it after the request in flight. The pages it changes read their data again once, when
it ends, not after every edit (each reload would spend the budget the edits need).

Once the user is known (at start, after a sign-in), a bulk edit this account left unfinished
on this server is offered to be resumed or discarded.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from textual.signal import Signal
from textual.timer import Timer

from discogs_tui.bulk_status import (
    PACE_OVER,
    end_notice,
    recent_pace,
    seconds_left,
)
from discogs_tui.sanitize import safe_line
from discogs_tui.screens.base import PageScreen
from discogs_tui.screens.bulk_interrupted import Choice, InterruptedBulkEdit
from discogs_tui.screens.database.database_page import key_in_words
from discogs_tui.shell import Mode, PaletteCommand
from discogs_tui.tasks.bulk_apply import ApplyReport, BulkProgress, apply_journal
from discogs_tui.tasks.journal import Journal, JournalError, discard, pending_for
from discogs_tui.typing_order import OrderedTyping
from discogs_tui.widgets.bulk_line import BulkLine, BulkLineState

if TYPE_CHECKING:
    from discogs_tui.api.client import DiscogsClient
    from discogs_tui.tasks.bulk_plan import Plan

_BULK_WRITES: ContextVar[bool] = ContextVar("bulk_writes", default=False)
"""True in the bulk edit's worker: the pages its writes change reload once, at the end."""


@dataclass
class BulkRun:
    """A bulk edit being applied: its open journal, where it stands, the changes held back."""

    journal: Journal
    client: DiscogsClient
    progress: BulkProgress
    at: float
    """When ``progress`` came (the app's clock), for the countdown between answers."""
    estimate: float | None = None
    """Seconds left when ``progress`` came (:func:`seconds_left`)."""
    intervals: deque[float] = field(default_factory=lambda: deque(maxlen=PACE_OVER))
    """Seconds each of the last edits took, settled to settled."""
    settled: int = 0
    """Edits settled so far, the last of them at ``settled_at`` (the app's clock)."""
    settled_at: float = 0.0
    cancel: asyncio.Event = field(default_factory=asyncio.Event)
    held: set[str] = field(default_factory=set)
    """Paths the edits changed: the pages showing them reload when the run ends."""
    why: str = ""
    """Why the app stopped it (the sign-in changed); empty when the user cancelled."""


class BulkRunner(OrderedTyping):
    """The app's bulk edits (a part of :class:`discogs_tui.app.DiscogsApp`)."""

    username: str | None
    mode: Mode
    sign_in_changed: Signal[None]
    _clock: Callable[[], float]
    _forward: list[PageScreen]
    _quit_warned: bool
    bulk_running: bool = False
    """True while a bulk edit is being applied (a plain flag, set as one starts and ends)."""
    _bulk: BulkRun | None = None
    _bulk_pending: Path | None = None
    """An unfinished journal of this account on this server, offered in the palette."""
    _bulk_checked: tuple[str, str] | None = None
    """The server and user whose unfinished journals were looked for last."""
    _bulk_timer: Timer | None = None

    @property
    def client(self) -> DiscogsClient:
        """The Discogs client (the app gives it)."""
        raise NotImplementedError

    def key_display(self, binding_id: str) -> str:
        """How the key of ``binding_id`` is shown (the app gives it)."""
        raise NotImplementedError

    def _data_changed(self, changed: tuple[str, ...]) -> None:
        raise NotImplementedError

    # -- starting ------------------------------------------------------------------------

    def _refuse(self, message: str) -> bool:
        self.notify(message, title="Bulk edit", severity="warning", markup=False, timeout=10)
        return False

    def start_bulk_edit(self, plan: Plan, *, source: str) -> bool:
        """Journal ``plan``'s edits and apply them in the background; False, after saying why,
        when it cannot start: a bulk edit runs, nothing to send, not signed in, an unfinished
        one of this account waits, or the journal cannot be written."""
        if self._bulk is not None:
            return self._refuse("A bulk edit is running: wait for it to end, or cancel it first.")
        if not plan.edits:
            return self._refuse("Nothing to send: no listing would change.")
        user = self.username
        if not user or not self.client.credentials.is_user:
            return self._refuse("Sign in first: a bulk edit changes your own listings.")
        server = self.client.base_url
        try:
            mine, _others = pending_for(server, user)
        except OSError as exc:
            mine = []
            self.log.warning(f"bulk edit journals unreadable: {exc}")
        if mine:
            self._bulk_pending = mine[0].path
            palette = key_in_words(self.key_display("palette"))
            return self._refuse(
                f"A bulk edit was interrupted ({safe_line(mine[0].describe())}): resume or "
                f"discard it first ({palette} → Resume bulk edit, or Discard interrupted bulk edit)."
            )
        try:
            journal = Journal.create(server=server, user=user, source=source, edits=plan.edits)
        except (OSError, JournalError) as exc:
            words = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            return self._refuse(
                f"The bulk edit's journal cannot be written ({words}); nothing was sent."
            )
        self._run_journal(journal)
        return True

    def _run_journal(self, journal: Journal) -> None:
        state = journal.state
        progress = BulkProgress(
            total=len(state.edits),
            done=state.done,
            failed=0,
            conflicts=0,
            left=state.left,
            current=None,
            seconds_left=None,
        )
        run = BulkRun(journal, self.client, progress, self._clock())
        run.settled, run.settled_at = progress.total - progress.left, run.at
        run.estimate = seconds_left(progress.left, self.client.rate_state, run.at, recent_pace(()))
        self._bulk = run
        self.bulk_running = True
        self._bulk_pending = None
        self._quit_warned = False
        self._bulk_timer = self.set_interval(1.0, self._draw_bulk_lines)
        self._draw_bulk_lines()
        self.run_worker(
            self._apply(run),
            name="bulk edit",
            group="bulk-edit",
            exclusive=False,
            exit_on_error=False,
        )

    async def _apply(self, run: BulkRun) -> None:
        _BULK_WRITES.set(True)
        report: ApplyReport | None = None
        why = ""
        try:
            report = await apply_journal(
                run.client,
                run.journal,
                on_progress=lambda step: self._progressed(run, step),
                cancel=run.cancel,
            )
        except OSError as exc:
            why = f"the journal cannot be written: {exc.strerror or exc}"
        except Exception as exc:  # whatever the engine did not expect: said, resumable
            why = str(exc) or type(exc).__name__
        finally:
            run.journal.close()
            if self._bulk is run:
                self._bulk = None
                self.bulk_running = False
            if self._bulk_timer is not None:
                self._bulk_timer.stop()
                self._bulk_timer = None
        self._ended(run, report, run.why or why)

    def _progressed(self, run: BulkRun, step: BulkProgress) -> None:
        now = self._clock()
        settled = step.total - step.left
        if settled > run.settled:
            run.intervals.append((now - run.settled_at) / (settled - run.settled))
            run.settled, run.settled_at = settled, now
        run.progress, run.at = step, now
        pace = recent_pace(run.intervals)
        run.estimate = seconds_left(step.left, run.client.rate_state, now, pace)
        if step.waiting is not None:  # an edit cut off in flight is read back after a wait
            run.estimate += step.waiting
        self._draw_bulk_lines()

    def _ended(self, run: BulkRun, report: ApplyReport | None, why: str) -> None:
        state = run.journal.state
        if state.left and run.client is self.client:
            self._bulk_pending = run.journal.path
        palette = key_in_words(self.key_display("palette"))
        message, severity = end_notice(report, state, why, palette=palette)
        self.notify(message, title="Bulk edit", severity=severity, markup=False, timeout=30)
        self._draw_bulk_lines()
        if run.held and run.client is self.client:
            self._data_changed(tuple(sorted(run.held)))

    def hold_bulk_changes(self, changed: tuple[str, ...]) -> bool:
        """Client change callback: True (and the paths kept for the end of the run) when the
        running bulk edit made the change, so pages do not reload after every edit."""
        run = self._bulk
        if run is None or not _BULK_WRITES.get():
            return False
        run.held.update(changed)
        return True

    # -- the line below every page -------------------------------------------------------

    def bulk_line_state(self) -> BulkLineState | None:
        """What the bulk-edit line shows now (``None`` while no bulk edit runs)."""
        run = self._bulk
        if run is None:
            return None
        step = run.progress
        now = self._clock()
        budget = run.client.rate_state
        seconds = None
        if budget.throttled_until is not None and budget.throttled_until > now:
            # Held back since the last answer: the wait is known to the second.
            seconds = seconds_left(step.left, budget, now, recent_pace(run.intervals))
        elif run.estimate is not None:
            seconds = max(0.0, run.estimate - (now - run.at))
        return BulkLineState(
            settled=step.total - step.left,
            total=step.total,
            failed=step.failed,
            conflicts=step.conflicts,
            seconds_left=seconds,
            cancelling=run.cancel.is_set(),
            cancel_key=key_in_words(self.key_display("bulk.cancel")),
        )

    def _draw_bulk_lines(self) -> None:
        state = self.bulk_line_state()
        screens = [*self.screen_stack, *self._forward]
        for screen in screens:
            for line in screen.query(BulkLine):
                line.show(state)

    # -- cancel, quit --------------------------------------------------------------------

    def action_cancel_bulk_edit(self) -> None:
        """Stop the running bulk edit after the request in flight (resumable later)."""
        run = self._bulk
        if run is None:
            self.notify("No bulk edit is running.", title="Bulk edit", markup=False)
            return
        run.cancel.set()
        self._draw_bulk_lines()

    def bulk_quit_warning(self) -> str | None:
        """What quitting now would stop, while a bulk edit runs."""
        run = self._bulk
        if run is None:
            return None
        step = run.progress
        return (
            f"A bulk edit is running ({step.total - step.left} of {step.total} done): quitting "
            "stops it; it can be resumed at the next start. Quit again to leave."
        )

    # -- interrupted at the last run -------------------------------------------------------

    def on_mount(self) -> None:
        self.sign_in_changed.subscribe(self, self._identity_changed)
        self.call_after_refresh(self._identity_changed, None)

    def _identity_changed(self, _: object) -> None:
        """The user or client changed: a bulk edit of the old client stops; this account's
        unfinished ones are looked for."""
        run = self._bulk
        if run is not None and run.client is not self.client and not run.cancel.is_set():
            run.why = "the sign-in changed"
            run.cancel.set()
        user = self.username
        if not user or not self.client.credentials.is_user or self.mode == "OFFLINE":
            return
        identity = (self.client.base_url, user)
        if identity != self._bulk_checked:
            self._bulk_checked = identity
            self._bulk_pending = None
            self.run_worker(
                self._look_for_interrupted(*identity), group="bulk-check", exit_on_error=False
            )

    async def _look_for_interrupted(self, server: str, user: str) -> None:
        try:
            mine, others = await asyncio.to_thread(pending_for, server, user)
        except OSError:
            return
        if not mine or self._bulk_checked != (server, user):
            return
        self._bulk_pending = mine[0].path
        if self._bulk is not None:
            return  # the palette offers it once the run (of the account before) ends
        prompt = InterruptedBulkEdit(mine[0].describe(), elsewhere=others + len(mine) - 1)
        self.push_screen(prompt, self._chosen)

    def _chosen(self, choice: Choice | None) -> None:
        if choice == "resume":
            self.resume_bulk_edit()
        elif choice == "discard":
            self.discard_bulk_edit()

    def _pending_journal(self) -> Path | None:
        path = self._bulk_pending
        if path is not None and not path.exists():
            path = self._bulk_pending = None
        return path

    def resume_bulk_edit(self) -> None:
        """Finish this account's interrupted bulk edit, with the same progress and cancel."""
        if self._bulk is not None:
            self._refuse("A bulk edit is running already.")
            return
        path = self._pending_journal()
        if path is None:
            self._refuse("No interrupted bulk edit of yours is waiting on this server.")
            return
        try:
            journal = Journal.open(path)
        except JournalError as exc:
            self._refuse(str(exc))
            return
        state = journal.state
        if (state.server, state.user) != (self.client.base_url, self.username):
            journal.close()
            self._refuse(
                safe_line(
                    f"That bulk edit is {state.user}'s on {state.server}: sign in as them there."
                )
            )
            return
        self._run_journal(journal)

    def discard_bulk_edit(self) -> None:
        """Give up this account's interrupted bulk edit; its journal stays, as ``*.discarded``."""
        path = self._pending_journal()
        if path is None or self._bulk is not None:
            self._refuse("No interrupted bulk edit of yours is waiting on this server.")
            return
        try:
            kept = discard(path)
        except (JournalError, OSError) as exc:
            self._refuse(str(exc))
            return
        self._bulk_pending = None
        self.notify(
            f"Discarded the interrupted bulk edit; its journal is kept as {safe_line(str(kept))}.",
            title="Bulk edit",
            markup=False,
            timeout=10,
        )

    def bulk_palette_commands(self) -> list[PaletteCommand]:
        """Cancel while one runs; resume or discard while an interrupted one waits."""
        if self._bulk is not None:
            key = key_in_words(self.key_display("bulk.cancel"))
            return [
                PaletteCommand(
                    "Cancel bulk edit",
                    f"Stop the running bulk edit after the request in flight ({key})",
                    self.action_cancel_bulk_edit,
                )
            ]
        if self._bulk_pending is None:
            return []
        return [
            PaletteCommand(
                "Resume bulk edit", "Finish the interrupted bulk edit", self.resume_bulk_edit
            ),
            PaletteCommand(
                "Discard interrupted bulk edit",
                "Give it up (its journal is kept as .discarded)",
                self.discard_bulk_edit,
            ),
        ]
