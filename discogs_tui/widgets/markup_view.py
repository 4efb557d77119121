"""Discogs markup rendered as styled text whose links can be followed by mouse or keyboard.

:class:`MarkupView` shows a :class:`LinkedText`: Discogs markup or HTML read by
:mod:`discogs_tui.widgets.discogs_markup` (re-exported here), built text, or a builder that
lays text out for the widget's width. When it has focus, ``down``/``j`` and
``up``/``k`` walk its links (and move on to the next or previous widget past the last or
first one), ``enter`` follows the selected link, and a click follows the clicked one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from discogs_tui.widgets.discogs_markup import discogs_page_target as discogs_page_target
from discogs_tui.widgets.discogs_markup import link_target as link_target
from discogs_tui.widgets.discogs_markup import parse_discogs_html as parse_discogs_html
from discogs_tui.widgets.discogs_markup import parse_discogs_markup as parse_discogs_markup
from discogs_tui.widgets.linked_text import LINK_STYLE as LINK_STYLE
from discogs_tui.widgets.linked_text import SELECTED_STYLE as SELECTED_STYLE
from discogs_tui.widgets.linked_text import Link as Link
from discogs_tui.widgets.linked_text import LinkedText as LinkedText
from discogs_tui.widgets.linked_text import wrap_linked as wrap_linked

Content = LinkedText | str | Callable[[int], LinkedText]
"""What a :class:`MarkupView` shows: Discogs markup, built text, or a builder for a width."""


class MarkupView(Widget, can_focus=True):
    """Read-only text with followable links (Discogs markup, or a built :class:`LinkedText`)."""

    DEFAULT_CSS = """
    MarkupView {
        height: auto;
        width: 1fr;
        link-style: none;
        link-style-hover: reverse;
        link-background-hover: $accent 30%;
    }
    MarkupView:focus {
        background: $boost;
    }
    MarkupView.-blank {
        display: none;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "next_link", "Next link", show=False, id="markup.next_link"),
        Binding("up,k", "previous_link", "Previous link", show=False, id="markup.previous_link"),
        Binding("enter", "follow_selected", "Open link", id="markup.follow"),
    ]

    selected: reactive[int | None] = reactive(None)
    """Index of the link chosen with the keyboard."""

    @dataclass
    class LinkFollowed(Message):
        """The user chose a link (by click or by enter)."""

        view: MarkupView
        link: Link

        @property
        def control(self) -> MarkupView:
            """The view whose link was followed."""
            return self.view

    def __init__(
        self,
        content: Content = "",
        *,
        empty: str = "",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """``content`` is Discogs markup (a str) or a built :class:`LinkedText`; ``empty`` shows when it is blank."""
        super().__init__(name=name, id=id, classes=classes)
        self.empty = empty
        self._builder: Callable[[int], LinkedText] | None = None
        self._built_width = 0
        self._height_checked = False
        """True once the content shown was checked against the height laid out for it."""
        self.linked = self._coerce(content)

    def _coerce(self, content: Content) -> LinkedText:
        if isinstance(content, LinkedText):
            self._builder = None
            return content
        if isinstance(content, str):
            self._builder = None
            return parse_discogs_markup(content)
        self._builder = content
        self._built_width = 0
        return content(max(self.content_size.width, 40) if self.is_mounted else 80)

    @property
    def links(self) -> list[Link]:
        """The links shown, in reading order."""
        return self.linked.links

    def allow_focus(self) -> bool:
        """Not while it only says there is nothing (``No credits.``): tab and j skip it."""
        if self.empty and not self.linked.plain and self._builder is None:
            return False
        return super().allow_focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``enter`` (Open link) is offered only where there is a link to open."""
        if action == "follow_selected":
            return bool(self.links)
        return True

    def update(self, content: Content) -> None:
        """Show new content: Discogs markup, a :class:`LinkedText`, or a builder for a width."""
        self.linked = self._coerce(content)
        # Textual caches content height by width: new content must be measured again.
        self.clear_cached_dimensions()
        self._height_checked = False
        # Nothing to say and no words for "nothing" (facts a page lacks): take no room.
        self.set_class(not (self.linked.plain or self.empty), "-blank")
        # Focused before the content arrived (a page still loading): select its first link.
        self.selected = 0 if self.has_focus and self.links else None
        self.refresh(layout=True)
        if self.is_mounted:
            self.refresh_bindings()  # "Open link" comes or goes with the links

    def render(self) -> Text:
        width = self.content_size.width
        if self._builder is not None and width and width != self._built_width:
            # Laid out for the width (aligned columns, hanging indents): rebuild on resize.
            self._built_width = width
            self.linked = self._builder(width)
        if not self.linked.plain and self.empty:
            return Text(self.empty, style="dim italic")
        selected = self.selected if self.has_focus else None
        text = self.linked.render(selected=selected)
        if not self._height_checked and width and self.styles.height is not None:
            self._height_checked = True
            # New content is laid out again (update asks for it), but that layout can be lost
            # when it lands while the page itself is being laid out: the widget then kept the
            # old content's height and cut the new text off (a 6-track list showed 1 row).
            lines = len(text.wrap(self.app.console, width))
            if self.styles.height.is_auto and lines != self.content_size.height:
                self.call_after_refresh(self.refresh, layout=True)
        return text

    def watch_selected(self, selected: int | None) -> None:
        self.refresh()
        if selected is not None and self.has_focus:
            self.call_after_refresh(self._show_selected)

    def on_focus(self, event: events.Focus) -> None:
        if self.links and self.selected is None:
            self.selected = 0
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def _link_line(self, index: int) -> int:
        """Roughly which line of the widget link ``index`` is on, counting soft wraps."""
        width = max(1, self.content_size.width)
        before = self.linked.plain[: self.links[index].start]
        paragraphs = before.split("\n")
        line = 0
        for paragraph in paragraphs[:-1]:
            line += max(1, -(-cell_len(paragraph) // width))
        return line + cell_len(paragraphs[-1]) // width

    def _show_selected(self) -> None:
        """Scroll the nearest scrolling ancestor so the selected link's line is visible."""
        if self.selected is None or not 0 <= self.selected < len(self.links):
            return
        line = self._link_line(self.selected)
        region = self.virtual_region
        region = Region(region.x, region.y + line, region.width, 1)
        container = self.parent
        while isinstance(container, Widget):
            if container.is_scrollable and container.allow_vertical_scroll:
                container.scroll_to_region(region, animate=False, immediate=True)
                return
            # Not scrolling here: express the region in the next container's coordinates.
            region = region.translate(container.virtual_region.offset)
            container = container.parent

    def action_next_link(self) -> None:
        """Select the next link, or move on to the next widget after the last one."""
        if self.links and (self.selected is None or self.selected < len(self.links) - 1):
            self.selected = 0 if self.selected is None else self.selected + 1
            return
        self.screen.focus_next()

    def action_previous_link(self) -> None:
        """Select the previous link, or move back to the previous widget before the first one."""
        if self.links and self.selected is not None and self.selected > 0:
            self.selected -= 1
            return
        previous = self.screen.focus_previous()
        if isinstance(previous, MarkupView) and previous.links:
            previous.selected = len(previous.links) - 1

    def action_follow_selected(self) -> None:
        """Follow the selected link."""
        if self.selected is not None and 0 <= self.selected < len(self.links):
            self.post_message(self.LinkFollowed(self, self.links[self.selected]))

    def action_follow_link(self, index: int) -> None:
        """Follow link ``index`` (the action behind a click)."""
        if 0 <= index < len(self.links):
            self.selected = index
            self.post_message(self.LinkFollowed(self, self.links[index]))
