"""Links out: copy the discogs.com address of a page (``y``), open it in a browser (``o``).

Where no graphical browser runs (SSH, a console), the address is shown instead and the
copy key copies it for as long as the notice stays.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from textual import work

from discogs_tui.clipboard import copy_text, open_in_browser
from discogs_tui.typing_order import OrderedTyping

OFFER_SECONDS = 15.0
"""How long ``y`` copies a link the "No browser here" notice offered (the notice's own time)."""


class LinkActions(OrderedTyping):
    """The app's link actions (a part of :class:`discogs_tui.app.DiscogsApp`)."""

    _offered: tuple[str, float] | None = None
    """The link the last "No browser here" notice offered to copy, and when (monotonic)."""

    def key_display(self, binding_id: str) -> str:
        """How the key of ``binding_id`` is shown (the app gives it)."""
        raise NotImplementedError

    def current_url(self) -> str | None:
        """The discogs.com address of what is shown (the app gives it)."""
        raise NotImplementedError

    def action_copy_url(self) -> None:
        """Copy the discogs.com address of what is shown (OSC 52: works over SSH).

        Right after a "No browser here" notice, the link it offered is copied instead.
        """
        offered, self._offered = self._offered, None
        if offered is not None and time.monotonic() - offered[1] <= OFFER_SECONDS:
            url: str | None = offered[0]
            self._offered = offered
        else:
            url = self.current_url()
        if url is None:
            self.notify("Nothing here has a discogs.com address to copy.", severity="warning")
            return
        copy_text(self, url)
        self.notify(f"Copied {url}", markup=False)

    def action_open_browser(self) -> None:
        """Open the discogs.com address of what is shown in a browser, or show it."""
        url = self.current_url()
        if url is None:
            self.notify("Nothing here has a discogs.com address to open.", severity="warning")
            return
        self.open_url(url)

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        """Open any ``url`` in a graphical browser when there is one; otherwise show it.

        Replaces Textual's version, which could start a console browser over the app.
        Only http and https addresses open: a link in API text could name any scheme.
        """
        if urlsplit(url).scheme.lower() not in ("http", "https"):
            self.notify(
                f"Not opening {url}: only http and https links open.",
                severity="warning",
                markup=False,
            )
            return
        self._open_url(url)

    @work(thread=True, exit_on_error=False, group="browser")
    def _open_url(self, url: str) -> None:
        # A thread: starting a browser can take a moment and must not freeze the screen.
        if open_in_browser(url):
            self.notify(f"Opened {url}", markup=False)
        else:
            self.call_from_thread(self._offer_link, url)

    def _offer_link(self, url: str) -> None:
        """Show ``url`` that could not be opened and let the copy key copy it for a while."""
        self._offered = (url, time.monotonic())
        key = self.key_display("copy_url")
        self.notify(
            f"No browser here. The address is {url} ({key} copies it).",
            markup=False,
            timeout=OFFER_SECONDS,
        )
