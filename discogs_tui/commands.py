"""The command palette (ctrl+p): every action of the app under a plain-words name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from discogs_tui.app import DiscogsApp


@dataclass(frozen=True)
class PaletteCommand:
    """One palette entry: its name, a line of help, and what it does."""

    name: str
    help: str
    run: Callable[[], object]


def palette_commands(app: DiscogsApp) -> list[PaletteCommand]:
    """Every action the palette offers, in the order it lists them: the page's own first."""
    line = app.action_command_line
    page = app.top_page
    own = page.palette_commands() if page is not None else []
    return [
        *own,
        PaletteCommand("Search", "Search the Discogs database", app.action_search),
        PaletteCommand(
            "Open release by id", "Type a release id (:release ID)", partial(line, "release ")
        ),
        PaletteCommand(
            "Open artist by id", "Type an artist id (:artist ID)", partial(line, "artist ")
        ),
        PaletteCommand(
            "Open master by id", "Type a master release id (:master ID)", partial(line, "master ")
        ),
        PaletteCommand("Open label by id", "Type a label id (:label ID)", partial(line, "label ")),
        PaletteCommand("Command line", "Type a : command", line),
        PaletteCommand(
            "Copy URL", "Copy the discogs.com address of this page", app.action_copy_url
        ),
        PaletteCommand("Open in browser", "Open this page on discogs.com", app.action_open_browser),
        PaletteCommand("Back", "Go back to the previous page", app.action_go_back),
        PaletteCommand("Forward", "Open again the page you went back from", app.action_go_forward),
        PaletteCommand(
            "Sign in",
            "A personal access token, OAuth, the demo, or browsing anonymously",
            app.action_sign_in,
        ),
        PaletteCommand("Help", "Every key and command", app.action_help),
        PaletteCommand("Theme...", "Change the colour theme", app.search_themes),
        PaletteCommand("Quit", "Leave discogs-tui", app.quit_when_saved),
    ]


class DiscogsCommands(Provider):
    """Offers :func:`palette_commands`, fuzzy-matched on their names."""

    def _commands(self) -> list[PaletteCommand]:
        from discogs_tui.app import DiscogsApp

        app = self.app
        return palette_commands(app) if isinstance(app, DiscogsApp) else []

    async def discover(self) -> Hits:
        """Everything, when nothing is typed yet."""
        for command in self._commands():
            yield DiscoveryHit(command.name, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        """The commands whose names match ``query``."""
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.name)
            if score > 0:
                yield Hit(score, matcher.highlight(command.name), command.run, help=command.help)
