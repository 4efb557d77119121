"""What pages and widgets use of the app: a small typed protocol, so none of them imports it.

:class:`discogs_tui.app.DiscogsApp` is the one :class:`Shell`; pages reach it as
``PageScreen.discogs_app`` and the header and palette through ``self.app``.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.screen import Screen
    from textual.signal import Signal
    from textual.worker import Worker

    from discogs_tui.api.client import DiscogsClient
    from discogs_tui.config import Settings
    from discogs_tui.connector import Connector
    from discogs_tui.navigation import Target
    from discogs_tui.tasks.bulk_plan import Plan


@dataclass(frozen=True)
class PaletteCommand:
    """One palette entry (ctrl+p): its name, a line of help, and what it does."""

    name: str
    help: str
    run: Callable[[], object]


class OffersCommands(Protocol):
    """A page that adds its own palette entries (shown only while it is the page)."""

    def palette_commands(self) -> list[PaletteCommand]:
        """The page's own entries, listed first."""
        ...


Mode = Literal["LIVE", "DEMO", "OFFLINE"]
"""Where the data comes from: discogs.com, the demo emulator, or the cache alone."""

SIGN_IN_REFUSED = "sign-in refused"
"""The sign-in note once Discogs answers 401 to credentials it accepted before (revoked)."""


class Shell(Protocol):
    """The app as pages and widgets see it."""

    mode: Mode
    username: str | None
    sign_in_note: str | None
    settings: Settings
    sign_in_changed: Signal[None]
    """Published when the user, the sign-in note or the mode changes."""
    title: str
    sub_title: str
    no_color: bool
    """True when the user asked for no colours (``NO_COLOR``): badges use weight and reverse."""
    welcome: bool
    """True until the first run's welcome page was shown."""

    @property
    def connector(self) -> Connector:
        """What makes a new client (signing in, the demo, anonymous browsing)."""
        ...

    def use_client(self, client: DiscogsClient, *, mode: Mode, username: str | None) -> None:
        """Browse with ``client`` from now on; every page goes, the home page shows."""

    def action_sign_in(self) -> None:
        """Open the sign-in choices."""

    @property
    def client(self) -> DiscogsClient:
        """The Discogs client every page uses."""
        ...

    @property
    def who(self) -> str:
        """Who is browsing, in a few words."""
        ...

    def navigate(self, target: Target) -> None:
        """Open ``target`` as a new page."""

    def key_display(self, binding_id: str) -> str:
        """How the key of a global binding is shown, the user's keymap applied."""
        ...

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        """Open an http(s) address in a browser, or show it."""

    def show_error(
        self, error: BaseException, *, where: str = "", page: Screen[None] | None = None
    ) -> None:
        """Tell the user about ``error``; a 404 for ``page`` closes it."""

    def report_worker_failure(self, worker: Worker[object]) -> None:
        """Show the error of a failed worker."""

    def refresh_gauge(self) -> None:
        """Redraw the rate gauge for the page shown."""

    def compose_chrome_top(self) -> ComposeResult:
        """The line above every page."""
        ...

    def compose_chrome_bottom(self) -> ComposeResult:
        """The lines below every page."""
        ...

    def action_search(self) -> None:
        """Search: focus the query, or open a ``search`` command line."""

    def action_command_line(self, text: str = "") -> None:
        """Open the ``:`` command line with ``text`` typed."""

    def action_help(self) -> None:
        """Show every key and command."""

    def action_command_palette(self) -> None:
        """Open the command palette."""

    def exit(self, result: Any = None, return_code: int = 0, message: Any = None) -> None:
        """Leave the app."""

    def quit_when_saved(self) -> None:
        """Leave the app, after a warning while a change is still being saved."""

    async def account_currency(self) -> str:
        """The signed-in account's currency code (``"USD"`` when unknown)."""
        ...

    def run_write(self, work: Coroutine[Any, Any, None], *, name: str) -> Worker[None]:
        """Run a write in the app's own worker group: never cancelled with the form."""
        ...

    def start_bulk_edit(self, plan: Plan, *, source: str) -> bool:
        """Journal ``plan``'s edits and apply them in the background (progress shown below
        every page, cancellable, the app usable meanwhile). ``source`` names it in the
        journal (``"bulk edit"``). False, after saying why, when it cannot start (another
        bulk edit is running, nothing to send, the journal cannot be written)."""
        ...

    @property
    def bulk_running(self) -> bool:
        """True while a bulk edit is being applied."""
        ...


@runtime_checkable
class RunsWrites(Protocol):
    """An app that runs writes in its own worker group (:meth:`Shell.run_write`)."""

    def run_write(self, work: Coroutine[Any, Any, None], *, name: str) -> Worker[None]:
        """Run ``work`` so that closing the form that started it does not cancel it."""
        ...


@runtime_checkable
class ShowsTarget(Protocol):
    """A screen showing a :class:`~discogs_tui.navigation.Target` (every page does)."""

    target: Target
