"""Who is signed in: the check that runs after the first frame, and again when it may pass.

A check that found the server away (offline) or failed is repeated once any request is
answered, so the header moves from "user not checked" to the user's name by itself.
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Protocol

from textual import work
from textual.signal import Signal

from discogs_tui.shell import SIGN_IN_REFUSED, Mode
from discogs_tui.typing_order import OrderedTyping

if TYPE_CHECKING:
    from discogs_tui.api.client import DiscogsClient

CONNECTING = "connecting…"
"""What the header says while the sign-in check is on its way."""
UNCHECKED_NOTES = frozenset({"offline: user not checked", "user not checked"})
"""Sign-in notes that clear by themselves: the next answer from the server checks again."""


class SignIn(Protocol):
    """What a sign-in check found (:class:`discogs_tui.launch.Session` is one)."""

    mode: Mode
    username: str | None
    sign_in_note: str | None
    notices: list[tuple[str, str]]


class SignInChecks(OrderedTyping):
    """The app's sign-in checks (a part of :class:`discogs_tui.app.DiscogsApp`)."""

    mode: Mode
    username: str | None
    sign_in_note: str | None
    sign_in_changed: Signal[None]
    _sign_in: Callable[[], Awaitable[SignIn]] | None
    _signing_in: bool
    _thread_id: int

    @property
    def client(self) -> DiscogsClient:
        """The Discogs client (the app gives it)."""
        raise NotImplementedError

    def check_sign_in(self) -> None:
        """Ask who is signed in, in a worker; the header says "connecting…" meanwhile."""
        if self._sign_in is None or self._signing_in:
            return
        self._signing_in = True
        if self.mode == "OFFLINE":
            self.mode = "LIVE"
        self.sign_in_note = CONNECTING
        self.sign_in_changed.publish(None)
        self._run_sign_in(self._sign_in)

    @work(group="sign-in", exit_on_error=False)
    async def _run_sign_in(self, sign_in: Callable[[], Awaitable[SignIn]]) -> None:
        try:
            outcome = await sign_in()
        except Exception:
            self.sign_in_note = "user not checked"
            self.sign_in_changed.publish(None)
            raise
        finally:
            self._signing_in = False
        self.mode = outcome.mode
        self.username = outcome.username
        self.sign_in_note = outcome.sign_in_note
        self.sign_in_changed.publish(None)
        for message, severity in outcome.notices:
            self.notify(message, severity=severity, markup=False, timeout=10)  # type: ignore[arg-type]

    def _answered(self, status: int) -> None:
        """Client callback: an answer came, so a check that found the server away may pass now.

        A 401 to credentials means Discogs no longer accepts them (revoked): the header
        says so, and the pages' errors say how to sign in again."""
        if status == 401 and not self._signing_in and self.client.credentials.is_user:
            if self.sign_in_note != SIGN_IN_REFUSED:
                self.username = None
                self.sign_in_note = SIGN_IN_REFUSED
                if threading.get_ident() == self._thread_id:
                    self.sign_in_changed.publish(None)
                else:
                    self.call_from_thread(self.sign_in_changed.publish, None)
            return
        if status >= 400 or self._signing_in:
            return
        if self.mode != "OFFLINE" and self.sign_in_note not in UNCHECKED_NOTES:
            return
        if threading.get_ident() == self._thread_id:
            self.call_later(self.check_sign_in)
        else:
            self.call_from_thread(self.check_sign_in)
