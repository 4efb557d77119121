"""The command palette (ctrl+p): every action of the app under a plain-words name."""

from __future__ import annotations

from functools import partial
from typing import Protocol, runtime_checkable

from textual.command import DiscoveryHit, Hit, Hits, Provider

from discogs_tui.navigation import PAGE_KINDS, Kind
from discogs_tui.shell import OffersCommands, PaletteCommand

__all__ = ["DiscogsCommands", "PaletteCommand", "PaletteHost", "palette_commands"]


@runtime_checkable
class PaletteHost(Protocol):
    """What the palette runs: the app's actions (:class:`discogs_tui.app.DiscogsApp`)."""

    def action_search(self) -> None: ...
    def action_command_line(self, text: str = "") -> None: ...
    def action_copy_url(self) -> None: ...
    def action_open_browser(self) -> None: ...
    def action_go_back(self) -> None: ...
    def action_go_forward(self) -> None: ...
    def action_help(self) -> None: ...
    def open_kind(self, kind: Kind) -> None: ...
    def action_inventory(self) -> None: ...
    def action_orders(self) -> None: ...
    def action_sign_in(self) -> None: ...
    def search_themes(self) -> None: ...
    def quit_when_saved(self) -> None: ...
    @property
    def top_page(self) -> OffersCommands | None: ...
    def exit(self, result: object = None, return_code: int = 0, message: object = None) -> None: ...


@runtime_checkable
class RunsBulkEdits(Protocol):
    """An app that runs bulk edits: cancel, resume and discard entries while they apply."""

    def bulk_palette_commands(self) -> list[PaletteCommand]: ...


def palette_commands(app: PaletteHost) -> list[PaletteCommand]:
    """Every action the palette offers, in the order it lists them: the page's own first."""
    line = app.action_command_line
    page = app.top_page
    own = page.palette_commands() if page is not None else []
    by_id = [
        PaletteCommand(f"Open {kind.name} by id", kind.palette_help, partial(line, f"{kind.name} "))
        for kind in PAGE_KINDS
        if kind.palette_help is not None and kind.palette_name is None and kind.offered
    ]
    own_pages = [
        PaletteCommand(
            kind.palette_name, kind.palette_help or "", partial(app.open_kind, kind.name)
        )
        for kind in PAGE_KINDS
        if kind.palette_name is not None and kind.offered
    ]
    bulk = app.bulk_palette_commands() if isinstance(app, RunsBulkEdits) else []
    return [
        *own,
        *bulk,
        PaletteCommand("Search", "Search the Discogs database", app.action_search),
        *by_id,
        *own_pages,
        PaletteCommand("Your inventory", "Your marketplace listings (I)", app.action_inventory),
        PaletteCommand("Your orders", "Your marketplace orders (O)", app.action_orders),
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
        app = self.app
        return palette_commands(app) if isinstance(app, PaletteHost) else []

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
