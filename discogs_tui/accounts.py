"""Whose Discogs the app browses: switching clients (signing in, the demo, anonymous) and
the account's currency.

A part of :class:`discogs_tui.app.DiscogsApp`; the sign-in pages call :meth:`use_client`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from textual.signal import Signal

from discogs_tui.api.errors import DiscogsError
from discogs_tui.screens.base import PageScreen
from discogs_tui.shell import Mode
from discogs_tui.sign_in import SignIn
from discogs_tui.typing_order import OrderedTyping

if TYPE_CHECKING:
    from discogs_tui.api.client import DiscogsClient
    from discogs_tui.api.ratelimit import RateState
    from discogs_tui.config import Settings
    from discogs_tui.connector import Connector


class Accounts(OrderedTyping):
    """The client the app holds and the identity behind it (the app gives the rest)."""

    _client: DiscogsClient
    _connector: Connector | None
    settings: Settings
    mode: Mode
    username: str | None
    sign_in_note: str | None
    sign_in_changed: Signal[None]
    _sign_in: Callable[[], Awaitable[SignIn]] | None
    _unsubscribe: Callable[[], None] | None
    _account_currency: str | None
    _cache_problem_told: bool
    _offered: tuple[str, float] | None
    _forward: list[PageScreen]

    def _answered(self, status: int) -> None:
        raise NotImplementedError

    def _rate_changed(self, state: RateState) -> None:
        raise NotImplementedError

    def _data_changed(self, changed: tuple[str, ...]) -> None:
        raise NotImplementedError

    def _release(self, page: PageScreen) -> None:
        raise NotImplementedError

    def refresh_gauge(self) -> None:
        raise NotImplementedError

    @property
    def connector(self) -> Connector:
        """What makes a new client (signing in, the demo, anonymous browsing)."""
        if self._connector is None:
            from discogs_tui.connector import Connector

            self._connector = Connector(self.settings)
        return self._connector

    def use_client(
        self,
        client: DiscogsClient,
        *,
        mode: Mode,
        username: str | None,
        sign_in: Callable[[], Awaitable[SignIn]] | None = None,
    ) -> None:
        """Browse with ``client`` from now on (signed in, the demo, or anonymous).

        Pages show what the old identity could see, so every page goes and the home page
        is shown; the old client is closed in a worker. The header and the gauge follow
        the new client (60 requests a minute signed in, 25 anonymous).
        """
        old = self._client
        if self._unsubscribe is not None:
            self._unsubscribe()
        if self._answered in old.response_listeners:
            old.response_listeners.remove(self._answered)
        if self._data_changed in old.change_listeners:
            old.change_listeners.remove(self._data_changed)
        self._client = client
        self._unsubscribe = client.governor.subscribe(self._rate_changed)
        client.response_listeners.append(self._answered)
        client.change_listeners.append(self._data_changed)
        client.set_username(username)
        self.mode = mode
        self.username = username
        self.sign_in_note = None
        self._sign_in = sign_in
        self._account_currency = None
        self._cache_problem_told = False
        self._offered = None
        forward, self._forward = self._forward, []
        while len(self.screen_stack) > 1:
            self.pop_screen()
        for page in forward:
            self._release(page)
        self.sign_in_changed.publish(None)
        self.refresh_gauge()
        if old is not client:
            self.run_worker(old.aclose(), group="closing", exit_on_error=False)

    def action_sign_in(self) -> None:
        """Open the sign-in choices: the demo, a token, OAuth, or anonymous browsing."""
        from discogs_tui.screens.account.welcome import WelcomeScreen

        if not isinstance(self.screen, WelcomeScreen):
            self.push_screen(WelcomeScreen())

    async def account_currency(self) -> str:
        """The signed-in account's currency (its profile's ``curr_abbr``), else ``"USD"``.

        Asked once a session; Discogs gives anonymous callers USD
        (https://www.discogs.com/developers/#page:marketplace,header:marketplace-release-statistics).
        """
        if self._account_currency is None:
            currency = "USD"
            if self.username:
                try:
                    profile = await self._client.get_user_profile(self.username)
                except DiscogsError:
                    return currency  # asked again next time; the price still names USD
                currency = str(profile.curr_abbr or "USD")
            self._account_currency = currency
        return self._account_currency
