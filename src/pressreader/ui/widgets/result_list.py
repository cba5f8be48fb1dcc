"""The result list: a Line API ScrollView that draws only the rows on screen.

OptionList and DataTable measure every row when rows are added (seconds for
100k hits), so the list keeps the hits as a tuple and renders a row only when
it scrolls into view, with an LRU cache of rendered rows (as Toolong does for
log files).  Setting a new result costs nothing per row.

A row is one line when the list is wide (``date  source  title  chips``) and
two lines when it is narrow (title, then ``date · source`` and the chips).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from pressreader.model import Hit, Theme
from pressreader.ui.messages import HitHighlighted, HitSelected
from pressreader.ui.widgets import rendering

#: From this many columns a row fits on one line.
ONE_LINE_WIDTH = 90
DATE_WIDTH = 10
SOURCE_WIDTH = 16


class ResultList(ScrollView, can_focus=True):
    """A virtual list of search hits with a cursor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Open"),
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("home,g", "first", "First", show=False),
        Binding("end,G", "last", "Last", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "result-list--cursor",
        "result-list--date",
        "result-list--source",
        "result-list--title",
    }

    cursor: reactive[int] = reactive(-1, always_update=True, init=False)
    """Index of the highlighted hit, -1 when the list is empty."""

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._hits: tuple[Hit, ...] = ()
        self._themes: Mapping[str, Theme] = {}
        self._rows: LRUCache[tuple[int, int, int, bool], list[Strip]] = LRUCache(1024)

    # -- data ---------------------------------------------------------------

    @property
    def hits(self) -> tuple[Hit, ...]:
        return self._hits

    @property
    def highlighted_hit(self) -> Hit | None:
        return self._hits[self.cursor] if 0 <= self.cursor < len(self._hits) else None

    def set_hits(self, hits: Sequence[Hit], themes: Mapping[str, Theme], *, keep: str | None = None) -> None:
        """Show ``hits`` (cheap for any number of them).

        The cursor goes to the hit whose id is ``keep`` when it is among them (a
        new sort order keeps the article being read), else to the first.
        """
        self._hits = tuple(hits)
        self._themes = themes
        self._rows.clear()
        self._update_virtual_size()
        self.scroll_to(0, 0, animate=False, immediate=True)
        start = next((i for i, hit in enumerate(self._hits) if hit.id == keep), 0) if keep else 0
        self.cursor = start if self._hits else -1
        self.refresh()

    def row_text(self, index: int) -> str:
        """The plain text of row ``index`` as drawn at the current width (for tests)."""
        return "\n".join(strip.text for strip in self._render_row(index, self._content_width()))

    # -- geometry -----------------------------------------------------------

    @property
    def row_height(self) -> int:
        return 1 if self.size.width >= ONE_LINE_WIDTH else 2

    def _content_width(self) -> int:
        return max(self.scrollable_content_region.width, 1)

    def _update_virtual_size(self) -> None:
        self.virtual_size = Size(self._content_width(), len(self._hits) * self.row_height)

    def on_resize(self, event: events.Resize) -> None:
        self._rows.clear()
        self._update_virtual_size()
        self._scroll_cursor_visible()

    def notify_style_update(self) -> None:
        # Focus, hover and theme changes all restyle the cursor and the chips.
        self._rows.clear()
        super().notify_style_update()

    # -- cursor -------------------------------------------------------------

    def validate_cursor(self, cursor: int) -> int:
        if not self._hits:
            return -1
        return min(max(cursor, 0), len(self._hits) - 1)

    def watch_cursor(self, old: int, new: int) -> None:
        # Rendered rows are cached with their "is the cursor" flag: nothing to drop.
        self.refresh()
        self._scroll_cursor_visible()
        if new >= 0:
            self.post_message(HitHighlighted(new, self._hits[new]))

    def _scroll_cursor_visible(self) -> None:
        if self.cursor < 0:
            return
        height = self.row_height
        region = Region(0, self.cursor * height, self._content_width(), height)
        self.scroll_to_region(region, animate=False, immediate=True, force=True)

    def _move(self, delta: int) -> None:
        if self._hits:
            self.cursor = self.cursor + delta

    def action_cursor_down(self) -> None:
        self._move(1)

    def action_cursor_up(self) -> None:
        self._move(-1)

    def _page(self) -> int:
        return max(self.scrollable_content_region.height // self.row_height - 1, 1)

    def action_page_down(self) -> None:
        self._move(self._page())

    def action_page_up(self) -> None:
        self._move(-self._page())

    def action_first(self) -> None:
        self._move(-len(self._hits))

    def action_last(self) -> None:
        self._move(len(self._hits))

    def action_select(self) -> None:
        if (hit := self.highlighted_hit) is not None:
            self.post_message(HitSelected(self.cursor, hit))

    async def _on_click(self, event: events.Click) -> None:
        index = (event.y + self.scroll_offset.y) // self.row_height
        if 0 <= index < len(self._hits):
            self.cursor = index
            self.action_select()

    # -- drawing ------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        height = self.row_height
        index, offset = divmod(y + self.scroll_offset.y, height)
        width = self._content_width()
        if not 0 <= index < len(self._hits):
            return Strip.blank(width, self.rich_style)
        return self._render_row(index, width)[offset]

    def _render_row(self, index: int, width: int) -> list[Strip]:
        height = self.row_height
        key = (index, width, height, index == self.cursor)
        if (strips := self._rows.get(key)) is None:
            base = self.rich_style
            if index == self.cursor:
                base = base + self.get_component_rich_style("result-list--cursor")
            lines = self._row_lines(self._hits[index], width, height, index == self.cursor)
            console = self.app.console
            strips = []
            for line in lines:
                line.truncate(width, overflow="ellipsis", pad=True)
                line.end = ""
                strips.append(Strip(line.render(console), width).apply_style(base))
            self._rows[key] = strips
        return strips

    def _row_lines(self, hit: Hit, width: int, height: int, cursor: bool) -> list[Text]:
        def style(name: str) -> Style:
            # On the cursor row the cursor's colours win, so every part stays legible.
            # Not partial: colours given with alpha ($text-muted) only resolve against a
            # background, and a partial style has none (dates came out white on light themes).
            return Style() if cursor else self.get_component_rich_style(name)

        date = Text(hit.date or "undated", style("result-list--date"))
        source = Text(hit.source or "unknown source", style("result-list--source"))
        title = Text(hit.title or "(untitled)", style("result-list--title"))
        if height == 1:
            # " date  source  title  chips": the title gets at least half of what is left,
            # and the chips start in the same column on every row.
            rest = width - DATE_WIDTH - SOURCE_WIDTH - 5
            count, label_width = rendering.chip_layout(min(rest // 2, 38))
            chips = rendering.chips(hit.themes, self._themes, count=count, width=label_width)
            date.truncate(DATE_WIDTH, pad=True)
            source.truncate(SOURCE_WIDTH, overflow="ellipsis", pad=True)
            area = rendering.chips_width(count, label_width)
            title.truncate(max(rest - area, 8), overflow="ellipsis", pad=True)
            return [Text.assemble(" ", date, " ", source, " ", title, " ", chips)]
        # Two lines: the title, then "date · source" and the chips.
        # " date · source" keeps room for a short source name ("Kazakh MFA"); the chips get the rest.
        count, label_width = rendering.chip_layout(width - DATE_WIDTH - 3 - 15)
        chips = rendering.chips(hit.themes, self._themes, count=count, width=label_width)
        title.stylize(Style(bold=True))
        meta = Text.assemble(" ", date, " · ", source)
        area = rendering.chips_width(count, label_width)
        meta.truncate(max(width - area - 1, 12), overflow="ellipsis", pad=True)
        return [Text.assemble(" ", title), Text.assemble(meta, " ", chips)]
