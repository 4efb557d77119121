"""How the app makes its Discogs client: for the API root of the settings with given
credentials (signed in, or anonymous), or on the in-process emulator for the demo.

The app holds one client and swaps it whole when the user signs in, tries the demo or
browses anonymously, so the disk cache of one identity never holds another's answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx

from discogs_tui.api.auth import Credentials
from discogs_tui.api.client import DiscogsClient
from discogs_tui.config import Settings, cache_dir

DEMO_BASE_URL = "http://localhost"
DEMO_TOKEN = "demo-token"


def demo_client() -> DiscogsClient:
    """A client signed in as ``demo`` on a new in-process emulator (no network)."""
    from discogs_tui.emulator.app import Emulator

    emulator = Emulator(base_url=DEMO_BASE_URL)
    return DiscogsClient(base_url=DEMO_BASE_URL, token=DEMO_TOKEN, transport=emulator.transport())


def stored_credentials(settings: Settings) -> Credentials:
    """The credentials ``settings`` hold for their API root (a token, or an OAuth sign-in)."""
    return Credentials(
        token=settings.secret("token"),
        consumer_key=settings.consumer_key,
        consumer_secret=settings.secret("consumer_secret"),
        oauth_token=settings.secret("oauth_token"),
        oauth_token_secret=settings.secret("oauth_token_secret"),
    )


@dataclass
class Connector:
    """Makes the clients the app swaps to (see the module's words)."""

    settings: Settings
    transport: httpx.AsyncBaseTransport | None = None
    """Where requests go (tests: the emulator); the network when ``None``."""
    config_file: Path | None = None
    """Where a sign-in is stored; ``config.toml`` when ``None``."""

    @property
    def base_url(self) -> str:
        """The API root signing in talks to."""
        return self.settings.base_url

    def client(self, credentials: Credentials, *, cache: bool = True) -> DiscogsClient:
        """A client for the API root with ``credentials`` (none: anonymous); without the disk
        cache when ``cache`` is false (a journal reading listings back needs fresh answers)."""
        return DiscogsClient(
            base_url=self.base_url,
            token=credentials.token,
            consumer_key=credentials.consumer_key,
            consumer_secret=credentials.consumer_secret,
            oauth_token=credentials.oauth_token,
            oauth_token_secret=credentials.oauth_token_secret,
            transport=self.transport,
            cache=cache_dir() if cache and self.settings.cache else None,
        )

    def demo(self) -> DiscogsClient:
        """A client on the in-process emulator with its sample data, signed in as ``demo``."""
        return demo_client()
