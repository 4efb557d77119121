"""The one form every edit goes through: typed fields, checks before sending, a save that
is never cut half-way, and the server's objections shown beside what was typed.

A caller builds a :class:`FormScreen` with its :class:`FormField` list and a ``save``
coroutine, and pushes it with a callback (or awaits ``push_screen_wait`` in a worker);
the form dismisses with what ``save`` returned, or ``None`` when left without saving.

The save runs in the app's ``writes`` worker group (:meth:`DiscogsApp.run_write`), so
closing the form (escape) while it is on its way neither cancels nor hides it: the
outcome is told in a notification. A 400/422 puts the server's messages beside the
fields they name (else above the keys line) and keeps every typed value. A write whose
answer was lost is settled by reading back (``settle``), never by sending it again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar, Generic, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static, TextArea

from discogs_tui.api.errors import (
    AuthError,
    DiscogsError,
    OutcomeUnknownError,
    ValidationError,
    clean_text,
)
from discogs_tui.error_words import error_message
from discogs_tui.shell import RunsWrites

R = TypeVar("R")

MESSAGE_LENGTH = 200
"""How many characters of a server message a form line keeps."""


@dataclass(frozen=True)
class FormField:
    """One field of a form.

    ``name`` is the API's body key (``rating``): the server's objections naming it are shown
    under it. ``parse`` turns the typed text into the value sent, or raises ``ValueError``
    whose words are shown under the field (nothing is sent then). With ``choices``
    (``(words shown, value)`` pairs, e.g. from an enum), the field is a drop-down list; with
    ``multiline`` it is a text area (enter starts a new line, the save key saves).
    """

    name: str
    label: str
    parse: Callable[[str], Any] = str
    value: str = ""
    placeholder: str = ""
    choices: Sequence[tuple[str, str]] = field(default_factory=tuple)
    multiline: bool = False
    """A text area (a message, comments) instead of a one-line field: enter adds a line."""
    secret: bool = False
    """Masked as typed (a token, a consumer secret): never shown on screen."""


def choices_of(enum: type[StrEnum]) -> list[tuple[str, str]]:
    """``(words, value)`` pairs for every member of a string ``enum`` (``MediaCondition``),
    in its order: a field's choices come from the API's vocabulary, never typed by hand."""
    return [(str(member.value), str(member.value)) for member in enum]


def _words(error: BaseException) -> str:
    text = error.args[0] if error.args else ""
    return clean_text(str(text), MESSAGE_LENGTH) or "Not a valid value."


class FormScreen(ModalScreen[R | None], Generic[R]):
    """A modal form: fields, an error line under each, a status line and a save.

    ``save(values)`` gets each field's parsed value by name and writes it; what it returns
    is the form's result. ``settle(values)`` reads back after a lost answer: the result
    when the server has the change, ``None`` when it does not.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="form.save", tooltip="Send the form to Discogs"),
        Binding("escape", "cancel", "Cancel", id="form.cancel", tooltip="Close without saving"),
        # The app's back key (backspace outside a text field) closes the form the same way.
        Binding(
            "backspace",
            "cancel",
            "Cancel",
            show=False,
            id="form.cancel_back",
            tooltip="Close without saving (outside a text field)",
        ),
    ]

    COMPACT: ClassVar[bool] = False
    """One-line fields without borders (a form of many fields that must fit 80x24)."""

    def __init__(
        self,
        title: str,
        fields: Sequence[FormField],
        save: Callable[[Mapping[str, Any]], Awaitable[R]],
        *,
        settle: Callable[[Mapping[str, Any]], Awaitable[R | None]] | None = None,
        saved: str | Callable[[R], str] = "Saved",
    ) -> None:
        """``saved`` is the notice shown when the save succeeded (``"Rating saved"``), or
        makes it from the result."""
        super().__init__()
        self.form_title = title
        self.fields = list(fields)
        self._save = save
        self._settle = settle
        self._saved = saved
        self.saving = False
        """True while a save is on its way (a second enter sends nothing)."""
        self.closed = False
        """True once the form was left: the outcome of a save still under way is notified."""
        self._focus_before: Widget | None = None
        """The field that had the focus when the save started (disabling takes it away)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="form-dialog", classes="form-dialog"):
            yield Static(Text(self.form_title), classes="form-title")
            for item in self.fields:
                yield from self.compose_field(item)
            yield Static(id="form-status", classes="form-status")
            save_key = self.app.get_key_display(self._binding("form.save"))
            cancel_key = self.app.get_key_display(self._binding("form.cancel"))
            # In a text area enter adds a line: only the save key saves.
            saves = (
                save_key if any(item.multiline for item in self.fields) else f"enter or {save_key}"
            )
            yield Static(Text(f"{saves} saves · {cancel_key} cancels"), classes="form-keys")

    def compose_field(self, item: FormField) -> ComposeResult:
        """One field: its label, its input and the line for its error."""
        yield Label(Text(item.label), classes="form-label")
        yield self.field_widget(item)
        yield Static(id=f"error-{item.name}", classes="form-error")

    def field_widget(self, item: FormField) -> Widget:
        """The input of ``item``: a drop-down list, a text area or a one-line field."""
        if item.choices:
            return Select(
                [(Text(words), value) for words, value in item.choices],
                value=item.value if item.value else Select.NULL,
                id=f"field-{item.name}",
                classes="form-field",
                compact=self.COMPACT,
            )
        if item.multiline:
            return TextArea(
                item.value,
                id=f"field-{item.name}",
                classes="form-field form-textarea -multiline",
                soft_wrap=True,
                show_line_numbers=False,
                compact=self.COMPACT,
            )
        return Input(
            value=item.value,
            placeholder=item.placeholder,
            password=item.secret,
            id=f"field-{item.name}",
            classes="form-field",
            compact=self.COMPACT,
        )

    def _binding(self, binding_id: str) -> Binding:
        for active in self.active_bindings.values():
            if active.binding.id == binding_id:
                return active.binding
        return next(b for b in Binding.make_bindings(self.BINDINGS) if b.id == binding_id)

    # -- values --------------------------------------------------------------------------

    def typed(self) -> dict[str, str]:
        """What is in each field now, by name (as typed, not parsed)."""
        out: dict[str, str] = {}
        for item in self.fields:
            widget = self.query_one(f"#field-{item.name}")
            if isinstance(widget, Select):
                out[item.name] = "" if widget.is_blank() else str(widget.value)
            elif isinstance(widget, Input):
                out[item.name] = widget.value
            elif isinstance(widget, TextArea):
                out[item.name] = widget.text
        return out

    def checked(self) -> dict[str, Any] | None:
        """The parsed values by name; ``None`` after showing every field's problem beside it
        and putting the cursor in the first field that did not parse."""
        values, problems = self.parsed()
        if not problems:
            return values
        self.show_problems(problems)
        first = next(item for item in self.fields if item.name in problems)
        self.set_focus(self.query_one(f"#field-{first.name}"))
        return None

    def parsed(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The parsed values by name, and the problem of each field that did not parse."""
        values: dict[str, Any] = {}
        problems: dict[str, str] = {}
        for item in self.fields:
            text = self.typed()[item.name]
            try:
                values[item.name] = item.parse(text)
            except ValueError as exc:
                problems[item.name] = _words(exc)
        return values, problems

    # -- lines ---------------------------------------------------------------------------

    def show_problems(self, problems: Mapping[str, str], *, general: str = "") -> None:
        """Put each problem under its field, clear the others, and ``general`` above the keys."""
        for item in self.fields:
            line = self.query_one(f"#error-{item.name}", Static)
            words = problems.get(item.name, "")
            line.update(Text(words))
            line.set_class(bool(words), "-shown")
        self.set_status(general, error=bool(general))

    def set_status(self, words: str, *, error: bool = False) -> None:
        """The line under the fields: "Saving…", or what went wrong with the form as a whole."""
        status = self.query_one("#form-status", Static)
        status.update(Text(words))
        status.set_class(bool(words), "-shown")
        status.set_class(error, "-error")

    def _lock(self, saving: bool) -> None:
        if saving:
            self._focus_before = self.focused
        self.saving = saving
        for item in self.fields:
            self.query_one(f"#field-{item.name}").disabled = saving
        if not saving and self.focused is None and self._focus_before is not None:
            # A disabled field loses the focus: give it back, so typing goes on at once.
            self.set_focus(self._focus_before)

    # -- saving --------------------------------------------------------------------------

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        """Check every field; when all are right, send them in the app's write worker."""
        if self.saving:
            return
        values = self.checked()
        if values is None:
            return
        self.show_problems({})
        self.set_status("Saving…")
        self._lock(True)
        run = self._run_save(values)
        if isinstance(self.app, RunsWrites):
            self.app.run_write(run, name=self.form_title)
        else:  # an app of its own (a test harness): still an app worker, never exclusive
            self.app.run_worker(run, group="writes", exclusive=False, exit_on_error=False)

    def action_cancel(self) -> None:
        """Close the form; a save on its way goes on, and its outcome is notified."""
        if self.saving:
            self.app.notify(
                f"{self.form_title}: still saving. You will be told when Discogs answers.",
                markup=False,
            )
        self.closed = True
        self.dismiss(None)

    def on_unmount(self) -> None:
        # Gone however it went (cancel, the app's back key): outcomes are notified from now.
        self.closed = True

    async def _run_save(self, values: dict[str, Any]) -> None:
        try:
            result = await self._save(values)
        except ValidationError as error:
            self._rejected(error)
            return
        except OutcomeUnknownError as error:
            await self._settle_lost(values, error)
            return
        except AuthError as error:
            # Refused credentials (revoked) or none: say how to sign in, not only the 401.
            client = getattr(self.app, "client", None)
            signed_in = client is not None and client.credentials.is_user
            self._failed(error_message(error, "", signed_in=signed_in))
            return
        except DiscogsError as error:
            self._failed(error.message)
            return
        except Exception:
            # A bug: the app's worker handler reports it; the form must not stay "Saving…".
            if not self.closed:
                self._lock(False)
                self.set_status("Not saved: something went wrong (see the notice).", error=True)
            raise
        self._succeeded(result)

    async def _settle_lost(self, values: dict[str, Any], error: OutcomeUnknownError) -> None:
        """The answer was lost: read back whether the change was made, never send it again."""
        if self._settle is None:
            self._failed(f"{error.message} It may or may not have been saved.", unknown=True)
            return
        if not self.closed:
            self.set_status("The answer was lost: checking whether it was saved…")
        try:
            result = await self._settle(values)
        except DiscogsError as again:
            self._failed(
                f"The answer was lost and reading it back failed ({again.message}): "
                "it may or may not have been saved. Check before trying again.",
                unknown=True,
            )
            return
        if result is None:
            self._failed("The answer was lost and Discogs does not have the change: not saved.")
            return
        self._succeeded(result)

    def _rejected(self, error: ValidationError) -> None:
        """The server's objections beside the fields they name; everything typed stays."""
        by_field: dict[str, str] = {}
        general: list[str] = []
        names = {item.name for item in self.fields}
        details = error.detail if isinstance(error.detail, list) else []
        for entry in details:
            if isinstance(entry, dict) and "msg" in entry:
                where = [str(part) for part in entry.get("loc", []) or []]
                named = next((part for part in reversed(where) if part in names), None)
                words = clean_text(str(entry["msg"]), MESSAGE_LENGTH)
                if named is not None:
                    by_field[named] = f"{by_field[named]} {words}" if named in by_field else words
                    continue
                general.append(words)
        if not details:
            general.extend(clean_text(m, MESSAGE_LENGTH) for m in error.detail_messages())
        message = clean_text(error.message, MESSAGE_LENGTH)
        if not by_field or general:
            general.insert(0, message)
        if len(self.fields) == 1 and not by_field:
            # One field: whatever the server objects to is about it.
            by_field[self.fields[0].name] = " ".join(general)
            general = []
        if self.closed:
            self.app.notify(
                f"{self.form_title}: not saved. {' '.join([*by_field.values(), *general])}",
                title=error.title,
                severity="error",
                markup=False,
                timeout=10,
            )
            return
        self._lock(False)
        self.show_problems(by_field, general=" ".join(general))
        first = next((item for item in self.fields if item.name in by_field), None)
        if first is None and self.fields:
            first = self.fields[0]
        if first is not None:
            self.set_focus(self.query_one(f"#field-{first.name}"))

    def _failed(self, words: str, *, unknown: bool = False) -> None:
        """Saving failed for a reason that is not about a field: say it, keep what was typed."""
        words = clean_text(words, MESSAGE_LENGTH * 2)
        if self.closed:
            self.app.notify(
                f"{self.form_title}: {words}",
                title="Change not confirmed" if unknown else "Not saved",
                severity="error",
                markup=False,
                timeout=10,
            )
            return
        self._lock(False)
        self.set_status(words, error=True)

    def _succeeded(self, result: R) -> None:
        words = self._saved if isinstance(self._saved, str) else self._saved(result)
        self.app.notify(clean_text(words, MESSAGE_LENGTH), markup=False)
        if not self.closed:
            self.closed = True
            self.dismiss(result)
