"""The user's ``[keymap]``: key names checked, and remaps that would take another key refused.

Textual takes any string as a key and, when a remap lands on a key another binding of the
same widget uses, quietly drops that other binding: ``back = "q"`` would leave no way to
quit. :func:`check_keymap` keeps only the remaps that are sound and says what is wrong
with the others, in words for a notice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from string import printable
from typing import Any

from textual.app import App
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.keys import Keys, _character_to_key, key_to_character

import discogs_tui.screens  # noqa: F401  (binding_scopes sees every page class and its widgets)
from discogs_tui.screens.help import HelpRow

MODIFIERS = ("ctrl", "alt", "shift", "meta", "super", "hyper")
"""The modifiers a key name may start with, joined by ``+`` (``ctrl+shift+left``)."""

_NAMED = frozenset(
    key.value for key in Keys if "+" not in key.value and not key.value.startswith("<")
)
_CHARACTER_NAMES = frozenset(_character_to_key(char) for char in printable if char.isprintable())


APP_BINDINGS: list[BindingType] = [
    Binding("question_mark", "help", "Help", id="help", tooltip="Every key and command"),
    # A priority binding: the app sees ":" before the focused widget does, so the keys
    # typed right after it (fast typing, a paste) already go to the command line.
    Binding(
        "colon",
        "command_line",
        "Command",
        id="command_line",
        priority=True,
        tooltip="Type a command (release 1, help)",
    ),
    Binding(
        "slash",
        "search",
        "Search",
        id="search",
        priority=True,
        tooltip="Search (or go to the search query)",
    ),
    Binding(
        "escape,backspace",
        "go_back",
        "Back",
        id="back",
        tooltip="Back to the previous page as it was",
    ),
    Binding(
        "right_square_bracket,alt+right",
        "go_forward",
        "Forward",
        show=False,
        id="forward",
        tooltip="Go forward again after going back",
    ),
    Binding(
        "y",
        "copy_url",
        "Copy URL",
        show=False,
        id="copy_url",
        tooltip="Copy this page's discogs.com address",
    ),
    Binding(
        "o",
        "open_browser",
        "Open in browser",
        show=False,
        id="open_browser",
        tooltip="Open on discogs.com, or show the URL",
    ),
    Binding(
        "c", "collection", "Collection", show=False, id="collection", tooltip="Your collection"
    ),
    Binding("q", "quit", "Quit", id="quit"),
    Binding("I", "inventory", "Inventory", show=False, id="inventory", tooltip="Your inventory"),
    Binding("O", "orders", "Orders", show=False, id="orders", tooltip="Your orders"),
    Binding(
        "ctrl+k",
        "cancel_bulk_edit",
        "Cancel bulk edit",
        show=False,
        id="bulk.cancel",
        tooltip="Cancel the running bulk edit",
    ),
]
"""The keys that work on every page, by id (``[keymap]`` in config.toml remaps them)."""


def normalize_key(text: str) -> str | None:
    """The key name Textual uses for ``text`` (``?`` → ``question_mark``), or None.

    Accepted: a printable character, a key name (``escape``, ``f1`` … ``f24``, ``pageup``,
    ``slash``), each optionally after modifiers: ``ctrl+r``, ``alt+right``.
    """
    text = text.strip()
    if not text:
        return None
    if len(text) == 1:
        return _character_to_key(text) if text.isprintable() else None
    *modifiers, base = text.split("+")
    if len(set(modifiers)) != len(modifiers) or any(m not in MODIFIERS for m in modifiers):
        return None
    if len(base) == 1:
        if not base.isprintable() or base == " ":
            return None
        base = _character_to_key(base)
    elif base not in _NAMED and base not in _CHARACTER_NAMES:
        # Other names of characters (``a_grave``); ``esc`` names a control character the
        # terminal never sends under that name.
        character = key_to_character(base)
        if character is None or not character.isprintable():
            return None
    return "+".join([*modifiers, base])


def binding_scopes(app_class: type[DOMNode]) -> list[list[Binding]]:
    """The bindings of each widget and screen class, one list per class, as merged by Textual.

    Every list also holds the app's priority bindings (they act before any widget's) and
    the command palette's key.
    """
    everywhere = [
        binding
        for bindings in app_class._merge_bindings().key_to_bindings.values()
        for binding in bindings
        if binding.priority
    ]
    palette = getattr(app_class, "COMMAND_PALETTE_BINDING", "ctrl+p")
    everywhere.append(Binding(palette, "command_palette", "palette", priority=True))
    scopes: list[list[Binding]] = []
    pending: list[type[DOMNode]] = [DOMNode]
    seen: set[type[DOMNode]] = set()
    while pending:
        cls = pending.pop()
        if cls in seen:
            continue
        seen.add(cls)
        pending.extend(cls.__subclasses__())
        own = [
            binding
            for bindings in cls._merge_bindings().key_to_bindings.values()
            for binding in bindings
        ]
        if any(binding.id for binding in own):
            scopes.append([*own, *everywhere])
    return scopes


def _keys_in_scope(binding: Binding, accepted: Mapping[str, str]) -> list[str]:
    if binding.id is not None and binding.id in accepted:
        return accepted[binding.id].split(",")
    return [key.strip() for key in binding.key.split(",")]


def _clashes(
    scopes: Sequence[Sequence[Binding]], accepted: Mapping[str, str]
) -> dict[str, tuple[str, Binding]]:
    """Remapped ids whose keys another binding of the same scope uses: ``id → (key, other)``."""
    found: dict[str, tuple[str, Binding]] = {}
    for scope in scopes:
        owners: dict[str, list[Binding]] = {}
        for binding in scope:
            for key in _keys_in_scope(binding, accepted):
                owners.setdefault(key, []).append(binding)
        for key, bindings in owners.items():
            for binding in bindings:
                ident = binding.id
                if ident is None or ident not in accepted or ident in found:
                    continue
                others = [other for other in bindings if other.action != binding.action]
                if others:
                    found[ident] = (key, others[0])
    return found


def check_keymap(
    keymap: Mapping[str, str], scopes: Iterable[Sequence[Binding]]
) -> tuple[dict[str, str], list[str]]:
    """Split ``keymap`` (binding id → keys, comma separated) into the sound remaps and problems.

    A remap is refused when one of its keys is not a key name, or when another binding of a
    class that has the remapped one (or an app-wide priority binding) already uses the key;
    the other binding keeps it. Returns ``(accepted, problems)``: the accepted remaps with
    Textual's key names, and one sentence per refused remap naming its id and keys.
    """
    accepted: dict[str, str] = {}
    problems: list[str] = []
    for ident, text in keymap.items():
        parts = text.split(",")
        keys = [normalize_key(part) for part in parts]
        bad = [part.strip() for part, key in zip(parts, keys, strict=True) if key is None]
        if bad:
            problems.append(f"{ident} = {text!r} is ignored: {bad[0]!r} is not a key name.")
            continue
        accepted[ident] = ",".join(key for key in keys if key is not None)
    scopes = [list(scope) for scope in scopes]
    while clashes := _clashes(scopes, accepted):
        for ident, (key, other) in clashes.items():
            what = other.description or other.action
            if other.id:
                what += f" (id {other.id})"
            problems.append(
                f"{ident} = {keymap[ident]!r} is ignored: {key} is already taken by {what}."
            )
            del accepted[ident]
    return accepted, problems


def known_binding_ids() -> set[str]:
    """Every binding id of every widget and screen class loaded, for checking the keymap."""
    ids: set[str] = set()
    pending: list[type[DOMNode]] = [DOMNode]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        for binding in cls.__dict__.get("BINDINGS", []):
            if isinstance(binding, Binding) and binding.id:
                ids.add(binding.id)
    return ids


def help_rows(app: App[Any], global_bindings: Iterable[Binding]) -> list[HelpRow]:
    """Every binding that applies on ``app``'s current screen, then ``global_bindings``.

    Keys of one binding are joined on one row; widget keys without an id (cursor
    movement) come last, under "Moving around": they cannot be remapped.
    """
    rows: list[HelpRow] = []
    grouped: dict[tuple[str, str], tuple[list[str], Binding]] = {}
    for _key, active in app.screen.active_bindings.items():
        if active.node is app or not active.binding.description:
            continue
        ident = active.binding.id or active.binding.action
        entry = grouped.setdefault(("This page", ident), ([], active.binding))
        display = app.get_key_display(active.binding)
        if display not in entry[0]:
            entry[0].append(display)
    for binding in global_bindings:
        ident = binding.id or binding.action
        entry = grouped.setdefault(("Everywhere", ident), ([], binding))
        display = app.get_key_display(binding)
        if display not in entry[0]:
            entry[0].append(display)
    for (section, _ident), (keys, binding) in grouped.items():
        # Widget keys without an id (cursor movement, ...) cannot be remapped: listed last.
        where = section if binding.id else "Moving around"
        words = binding.tooltip or binding.description
        rows.append(HelpRow(where, " ".join(keys), words, binding.id or ""))
    order = {"This page": 0, "Everywhere": 1, "Moving around": 2}
    rows.sort(key=lambda row: order[row.section])
    return rows
