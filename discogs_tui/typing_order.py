"""Keys land in the order they were sent, and a printable key in a text field is text.

A terminal hands the app many keys at once when they arrive together: a slow SSH link, a
paste the terminal does not bracket, a macro, ``tmux send-keys``. Textual forwards each key
to the focused widget's queue as soon as it arrives, so a key that changes the focus (tab,
enter, ``:``) acts before the keys sent ahead of it have been typed, and the keys after it
still go to the old field: ``ab<tab>cd`` fills one field with ``abcd``. Textual also runs
priority bindings first, at once, and it cannot tell that some keys are printable (``/``,
``+``, ``-``, ``@``, ``\\``, ``_``), so ``AC/DC`` typed fast into a field became ``/ACDC``.

:class:`OrderedTyping` is mixed into the app: it hands keys (and pastes) to the focused
widget one at a time, each once the one before has been handled by the widget and every
container it bubbled through; and a key the focused widget types as text skips the
app's bindings.
"""

from __future__ import annotations

from collections import deque
from functools import partial
from string import printable

from textual import events
from textual.app import App
from textual.dom import DOMNode
from textual.keys import _character_to_key, key_to_character
from textual.message_pump import MessagePump
from textual.timer import Timer

KEY_PATIENCE = 2.0
"""Seconds a key may take to be handled before the next one goes anyway (a widget removed
while handling it never reports back). Generous: on a busy machine a key that opens a page
can take over half a second, and the keys behind it must still wait their turn."""


_CHARACTERS = {_character_to_key(char): char for char in printable if char.isprintable()}
"""Key names of the printable ASCII characters (Textual cannot name ``/`` back from ``slash``)."""


def character_of(key: str) -> str | None:
    """The character a key name types (``slash`` → ``/``), or None (``ctrl+r``, ``escape``)."""
    return _CHARACTERS.get(key) or key_to_character(key)


def types_as_text(node: DOMNode | None, event: events.Key) -> bool:
    """True when ``node`` (a text field) takes ``event`` as a character it types."""
    if node is None or event.character is None or not event.character.isprintable():
        return False
    return node.check_consume_key(event.key, event.character)


class OrderedTyping(App[int]):
    """An app that handles the keys of a burst one after the other, in order."""

    def __init__(self) -> None:
        super().__init__()
        self._typed: deque[events.Key | events.Paste] = deque()
        """Keys and pastes waiting for the one in hand to be handled."""
        self._in_hand: object | None = None
        """A token for the key being handled, or None when the next may go at once."""
        self._patience: Timer | None = None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """An app key the focused field would type as text is not offered (it types)."""
        focused = self.focused
        if focused is not None:
            bindings = self._bindings.copy()
            bindings.apply_keymap(self._keymap)
            keys = [
                key
                for key, bound in bindings.key_to_bindings.items()
                if any(binding.action == action for binding in bound)
            ]
            if keys and all(
                (char := character_of(key)) is not None and focused.check_consume_key(key, char)
                for key in keys
            ):
                return False
        return super().check_action(action, parameters)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            self._typed.append(event)
            if self._in_hand is None:
                await self._hand_on()
            return
        await super().on_event(event)

    async def _hand_on(self) -> None:
        """Handle waiting keys until one goes to a widget; that one is then followed."""
        while self._typed and self._in_hand is None:
            event = self._typed.popleft()
            target = self.focused or self.screen
            if isinstance(event, events.Key) and types_as_text(self.focused, event):
                # Text: the app's keys (even priority ones) are not asked.
                self.app_focus = True
                target._forward_event(event)
            else:
                await super().on_event(event)
            if event.is_forwarded:
                token = object()
                self._in_hand = token
                self._patience = self.set_timer(KEY_PATIENCE, partial(self._handled, token))
                # A check queued behind the key on its widget moves up, behind the key,
                # through every container it may bubble to, and reaches the app last.
                if not target.call_later(self._passed, target, token):
                    self.call_later(self._handled, token)

    def _passed(self, node: MessagePump, token: object) -> None:
        """``node`` has handled the key of ``token``: follow it to ``node``'s parent."""
        parent = node._parent
        if parent is None or parent is self or not parent.call_later(self._passed, parent, token):
            self.call_later(self._handled, token)

    async def _handled(self, token: object) -> None:
        """The key of ``token`` has been handled (or took too long): the next one goes."""
        if self._in_hand is token:
            self._in_hand = None
            if self._patience is not None:
                self._patience.stop()
                self._patience = None
            await self._hand_on()
