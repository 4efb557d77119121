"""DiscogsApp: the screens, global keys, history, theme, palette and rate gauge. No HTTP here.

The client is built by :mod:`discogs_tui.launch` and handed in; pages reach it through
``app.client``. Every page is a :class:`~discogs_tui.screens.base.PageScreen` pushed on the
screen stack, so going back pops it and the previous page shows at once as it was left.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar
from urllib.parse import quote

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.signal import Signal
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer
from textual.worker import Worker, WorkerState

from discogs_tui.accounts import Accounts
from discogs_tui.api.errors import NotFoundError
from discogs_tui.bulk_runs import BulkRunner
from discogs_tui.commands import DiscogsCommands
from discogs_tui.config import ConfigError, Settings, save_setting
from discogs_tui.error_words import error_notice
from discogs_tui.history import PageHistory as PageHistory
from discogs_tui.history import has_rows as has_rows
from discogs_tui.keymap import (
    APP_BINDINGS,
    binding_scopes,
    check_keymap,
    help_rows,
    known_binding_ids,
)
from discogs_tui.links import LinkActions
from discogs_tui.navigation import Kind, Target
from discogs_tui.safe_terminal import SafeTerminal
from discogs_tui.sanitize import install_log_filter
from discogs_tui.screens.base import PageScreen, path_changed
from discogs_tui.screens.database.database_page import key_in_words
from discogs_tui.screens.help import HelpRow, HelpScreen
from discogs_tui.screens.home import HomeScreen
from discogs_tui.shell import Mode as Mode
from discogs_tui.sign_in import CONNECTING as CONNECTING
from discogs_tui.sign_in import SignIn, SignInChecks
from discogs_tui.widgets.app_header import AppHeader
from discogs_tui.widgets.bulk_line import BulkLine
from discogs_tui.widgets.command_line import CommandError, CommandLine, parse_command
from discogs_tui.widgets.rate_gauge import RateGauge
from discogs_tui.writes import WriteRunner

if TYPE_CHECKING:
    from discogs_tui.api.client import DiscogsClient
    from discogs_tui.api.ratelimit import RateState
    from discogs_tui.connector import Connector


def stylesheet_path(package_dir: Path | None = None) -> Path:
    """``app.tcss``: inside the package in a wheel, else in the repository's ``styles/``."""
    package_dir = package_dir or Path(__file__).parent
    packaged = package_dir / "styles" / "app.tcss"
    if packaged.exists():
        return packaged
    return package_dir.parent / "styles" / "app.tcss"


class DiscogsApp(
    SignInChecks, PageHistory, BulkRunner, WriteRunner, LinkActions, SafeTerminal, Accounts
):
    """The discogs-tui application."""

    TITLE = "discogs-tui"
    CSS_PATH = stylesheet_path()
    COMMANDS: ClassVar[set[type[DiscogsCommands] | Callable[[], type[DiscogsCommands]]]] = {  # type: ignore[assignment]
        DiscogsCommands
    }
    BINDINGS: ClassVar[list[BindingType]] = APP_BINDINGS

    def __init__(
        self,
        client: DiscogsClient,
        *,
        mode: Mode,
        username: str | None,
        settings: Settings,
        sign_in_note: str | None = None,
        notices: Iterable[tuple[str, str]] = (),
        clock: Callable[[], float] = time.monotonic,
        sign_in: Callable[[], Awaitable[SignIn]] | None = None,
        connector: Connector | None = None,
        welcome: bool = False,
    ) -> None:
        """``notices`` are ``(message, severity)`` pairs shown once the app is up.

        ``sign_in`` asks the server who is signed in; it runs in a worker after the first
        frame, and again after an offline or failed check once any request is answered.

        ``sign_in_note`` says why ``username`` is unknown although a token was given
        (``"offline: user not checked"``, ``"token rejected"``); the header shows it.

        ``clock`` must be the governor's clock: the throttling countdown is measured on it.

        ``connector`` makes the clients the app swaps to when the user signs in, tries the
        demo or browses anonymously (from ``settings`` when ``None``). ``welcome`` opens the
        welcome page over the home page at start (a first run: no sign-in for the server).
        """
        super().__init__()
        self._client = client
        self.mode: Mode = mode
        self.username = username
        self.sign_in_note = sign_in_note
        self.settings = settings
        self._clock = clock
        self._notices = list(notices)
        self._cache_problem_told = False
        self._forward: list[PageScreen] = []
        self._quit_warned = False
        """Pages left with back, newest last; kept alive (installed) so forward restores them."""
        self._unsubscribe: Callable[[], None] | None = None
        self._ticker: Timer | None = None
        self._thread_id = threading.get_ident()
        self._offered: tuple[str, float] | None = None
        """The link the last "No browser here" notice offered to copy, and when (monotonic)."""
        self._bad_theme: str | None = None
        self._sign_in = sign_in
        self._connector = connector
        self.welcome = welcome
        """True until the welcome page was shown once (the first run's)."""
        self._signing_in = False
        self.sign_in_changed: Signal[None] = Signal(self, "sign-in-changed")
        """Published when the user, the sign-in note or the mode changes (headers redraw)."""
        self._account_currency: str | None = None
        try:
            self.theme = settings.theme
        except Exception:
            self._bad_theme = settings.theme
        self._keymap_problems: list[str] = []
        self._user_keymap: dict[str, str] = {}
        """The remaps of ``[keymap]`` in use: key names that parse, keys no other binding has."""
        if settings.keymap:
            self._user_keymap, self._keymap_problems = check_keymap(
                settings.keymap, binding_scopes(type(self))
            )
            self.set_keymap(self._user_keymap)

    # -- the service ---------------------------------------------------------------------

    @property
    def client(self) -> DiscogsClient:
        """The Discogs client every page uses."""
        return self._client

    @property
    def who(self) -> str:
        """Who is browsing, in a few words: the user's name, or why it is not known."""
        if self.username:
            return self.username
        if not self.client.credentials.is_user:
            return "not signed in"
        return self.sign_in_note or "token not checked yet"

    # -- screens -------------------------------------------------------------------------

    def get_default_screen(self) -> Screen[None]:
        """The start page, at the bottom of the history."""
        return HomeScreen()

    def on_mount(self) -> None:
        install_log_filter()
        self._thread_id = threading.get_ident()
        self._unsubscribe = self.client.governor.subscribe(self._rate_changed)
        self.client.response_listeners.append(self._answered)
        self.client.change_listeners.append(self._data_changed)
        if self._sign_in is not None:
            self.call_after_refresh(self.check_sign_in)
        self._ticker = self.set_interval(1.0, self.refresh_gauge, pause=True)
        self.watch(self, "theme", self._theme_chosen, init=False)
        if self._bad_theme is not None:
            self.notify(
                f"There is no theme called {self._bad_theme!r}; using {self.theme}. "
                "ctrl+p → Theme lists them.",
                title="Settings",
                severity="warning",
                markup=False,
            )
        unknown = sorted(set(self.settings.keymap) - known_binding_ids())
        if unknown:
            self.notify(
                f"config.toml [keymap] names no key called {', '.join(unknown)}; ? lists every id.",
                title="Settings",
                severity="warning",
                markup=False,
            )
        for problem in self._keymap_problems:
            self.notify(
                f"config.toml [keymap]: {problem}",
                title="Settings",
                severity="warning",
                markup=False,
                timeout=10,
            )
        for message, severity in self._notices:
            self.notify(message, severity=severity, markup=False, timeout=10)  # type: ignore[arg-type]
        self.refresh_gauge()
        self._check_size(self.size.width, self.size.height)

    def on_resize(self, event: events.Resize) -> None:
        # ``self.size`` is still the old size here: Textual's own handler runs after this one.
        self._check_size(event.size.width, event.size.height)

    def _check_size(self, width: int, height: int) -> None:
        """Below a usable size, say so instead of drawing the page (it leaves by itself)."""
        from discogs_tui.screens.too_small import TooSmallScreen, too_small

        if too_small(width, height) and not any(
            isinstance(screen, TooSmallScreen) for screen in self.screen_stack
        ):
            self.push_screen(TooSmallScreen())

    def _theme_chosen(self, theme: str) -> None:
        """A theme picked in the palette (ctrl+p → Theme) is kept for the next start."""
        if theme != self.settings.theme:
            self.settings.theme = theme
            self._save_theme(theme)

    @work(thread=True, exit_on_error=False, group="settings")
    def _save_theme(self, theme: str) -> None:
        # A thread: the write ends with an fsync, which must not freeze the screen.
        try:
            save_setting("theme", theme)
        except (ConfigError, OSError) as exc:
            words = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.notify(
                f"The theme is not saved: {words}",
                title="Settings",
                severity="warning",
                markup=False,
            )

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._answered in self.client.response_listeners:
            self.client.response_listeners.remove(self._answered)
        if self._data_changed in self.client.change_listeners:
            self.client.change_listeners.remove(self._data_changed)

    def compose_chrome_top(self) -> ComposeResult:
        """The line above every page: app name, page, signed-in user and mode."""
        yield AppHeader()

    def compose_chrome_bottom(self) -> ComposeResult:
        """The lines below every page: a running bulk edit, the ``:`` command line, the rate
        gauge and the footer."""
        yield BulkLine()
        yield CommandLine()
        yield RateGauge()
        yield Footer()

    def _data_changed(self, changed: tuple[str, ...]) -> None:
        """Client callback after a write: pages showing ``changed`` data read it again.

        The page in view (also under a form) reloads at once; pages back or forward in the
        history reload when they come back. A running bulk edit's changes wait for its end.
        """
        if self.hold_bulk_changes(changed):
            return
        me = self.username
        if me and path_changed(f"/users/{quote(me, safe='')}", changed):
            # The profile changed (its currency perhaps): asked again when next needed.
            self._account_currency = None
        top = self.top_page
        for page in self.history_pages():
            if page.shows_data(changed):
                page.data_changed(now=page is top)

    def action_help(self) -> None:
        """Show every key: the global ones and the current page's."""
        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        self.push_screen(HelpScreen(self.help_rows()))

    def action_command_line(self, text: str = "") -> None:
        """Open the ``:`` command line, with ``text`` already typed."""
        lines = self.screen.query(CommandLine)
        if lines:
            lines.first().open(text)

    def action_collection(self) -> None:
        """Open the signed-in user's collection (its folders)."""
        self.open_kind("collection")

    def open_kind(self, kind: Kind) -> None:
        """Open the signed-in user's page of ``kind`` (``collection``), as ``:kind`` does."""
        self.navigate(Target(kind))

    def action_inventory(self) -> None:
        """Open the signed-in seller's marketplace inventory."""
        self.navigate(Target("inventory"))

    def action_orders(self) -> None:
        """Open the signed-in seller's marketplace orders."""
        self.navigate(Target("orders"))

    def action_search(self) -> None:
        """Search: focus the query on the search page; elsewhere, a ``search`` command line.

        Elsewhere the line opens at once in this screen, so ``/persuader`` typed fast (or
        pasted) loses no key while the search page is still being built; enter opens it.
        """
        page = self.page
        if page is not None and page.target.kind == "search":
            fields = page.query("#search-query")
            if fields:
                self.screen.set_focus(fields.first())
            return
        self.action_command_line("search ")

    def current_url(self) -> str | None:
        """The discogs.com address of the page shown, if it has one."""
        for screen in reversed(self.screen_stack):
            if isinstance(screen, PageScreen):
                return screen.web_url()
        return None

    # -- the command line ----------------------------------------------------------------

    @on(CommandLine.Submitted)
    def _run_command(self, event: CommandLine.Submitted) -> None:
        try:
            command = parse_command(event.value)
        except CommandError as exc:
            # The typed text stays so the user can fix it.
            self.notify(str(exc), title="Command", severity="warning", markup=False)
            return
        event.command_line.close()
        if command.action == "quit":
            self.quit_when_saved()
        elif command.action == "help":
            self.action_help()
        elif command.target is not None:
            self.navigate(command.target)

    # -- errors --------------------------------------------------------------------------

    def show_error(
        self, error: BaseException, *, where: str = "", page: Screen[None] | None = None
    ) -> None:
        """Tell the user about ``error`` in a notification; never raises.

        ``where`` names what was being fetched (``"release 123"``). A 404 for a page that
        has nothing to show yet closes that page, leaving the user where they were.
        """
        title, message, severity = error_notice(
            error,
            where,
            signed_in=self.client.credentials.is_user,
            palette=key_in_words(self.key_display("palette")),
        )
        self.notify(message, title=title, severity=severity, markup=False, timeout=8)
        if isinstance(error, NotFoundError):
            self._leave_missing_page(where, page)

    def _leave_missing_page(self, where: str, page: Screen[None] | None) -> None:
        top = self.page
        if top is None or len(self.screen_stack) <= 1 or top.fetch_info is not None:
            return
        if page is top or (page is None and where and top.target.describe() == where):
            self.pop_screen()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The app's own workers: report what they failed at."""
        self.report_worker_failure(event.worker)

    def report_worker_failure(self, worker: Worker[object]) -> None:
        """Show the error of a failed worker (pages call this from their own handler)."""
        if worker.state != WorkerState.ERROR or worker.error is None:
            return
        node = worker.node
        page: PageScreen | None = None
        if isinstance(node, PageScreen):
            page = node
        elif isinstance(node, Widget) and isinstance(node.screen, PageScreen):
            page = node.screen
        where = page.target.describe() if page is not None else ""
        self.show_error(worker.error, where=where, page=page)

    # -- the rate gauge ------------------------------------------------------------------

    def _rate_changed(self, state: RateState) -> None:
        """Governor callback: redraw soon, from the app's own thread."""
        if threading.get_ident() == self._thread_id:
            self.call_later(self.refresh_gauge)
        else:
            self.call_from_thread(self.refresh_gauge)

    def refresh_gauge(self) -> None:
        """Redraw the gauge of the screen shown from the governor's state and the page's fetch."""
        state = self.client.governor.state
        now = self._clock()
        page = self.page
        fetch = page.fetch_info if page is not None else None
        try:
            gauges = list(self.screen.query(RateGauge))
        except Exception:
            gauges = []
        for gauge in gauges:
            gauge.update_gauge(state, fetch, now)
        self._tell_cache_problem()
        # Tick every second while a countdown runs or the window still holds requests
        # (they leave it as time passes); idle otherwise.
        ticking = state.used > 0 or (
            state.throttled_until is not None and state.throttled_until > now
        )
        if self._ticker is not None:
            if ticking:
                self._ticker.resume()
            else:
                self._ticker.pause()

    def _tell_cache_problem(self) -> None:
        """Say once that the disk cache was given up (at start or when the disk filled up)."""
        problem = self.client.cache_problem
        if problem is not None and not self._cache_problem_told:
            self._cache_problem_told = True
            self.notify(problem, title="Disk cache", severity="warning", markup=False, timeout=10)

    # -- help ----------------------------------------------------------------------------

    def key_display(self, binding_id: str) -> str:
        """How the key of ``binding_id`` is shown, with the user's keymap applied."""
        for binding in self._global_bindings():
            if binding.id == binding_id:
                return self.get_key_display(binding)
        return binding_id

    def help_rows(self) -> list[HelpRow]:
        """Every binding that applies on the current screen, global ones last."""
        return help_rows(self, self._global_bindings())

    def _global_bindings(self) -> Iterator[Binding]:
        keymap = self._user_keymap
        for binding in Binding.make_bindings(self.BINDINGS):
            if binding.id is not None and binding.id in keymap:
                for key in keymap[binding.id].split(","):
                    yield replace(binding, key=key.strip())
            else:
                yield binding
        yield Binding(
            self.COMMAND_PALETTE_BINDING,
            "command_palette",
            "Command palette",
            id="palette",
            tooltip="Find any action by name",
        )
        yield Binding("ctrl+q", "quit", "Quit (even in text fields)", id="app.quit")
