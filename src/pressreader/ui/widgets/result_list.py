"""The result list: a Line API ScrollView that draws only the rows on screen.

OptionList and DataTable measure every row when rows are added (seconds for
100k hits), so the list keeps the hits in a plain list and renders a row only
when it scrolls into view, with an LRU cache of rendered rows (as Toolong does
for log files).  Setting a new result costs nothing per row.

The list need not hold every hit: a search answers with its first page and
the total, and the rows not loaded yet draw as a dim placeholder.  When rows
on or near the screen are missing, the list posts :class:`PagesWanted`; the
screen fetches those pages in a worker and hands them over with
:meth:`ResultList.add_page`.

A row is one line when the list is wide (``date  source  title  chips``) and
two lines when it is narrow (title, then ``date · source`` and the chips).
Its first column shows what the reader did: ★ starred, ✎ a note; the title of
an article already read is dimmed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from itertools import chain
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

from pressreader.library.state import Flags
from pressreader.model import Hit, Theme
from pressreader.printable import printable
from pressreader.ui.messages import HitHighlighted, HitSelected, PagesWanted
from pressreader.ui.widgets import rendering

#: From this many columns a row fits on one line.
ONE_LINE_WIDTH = 90
DATE_WIDTH = 10
SOURCE_WIDTH = 16
#: Rows fetched at a time.  The first page answers the search: a few screens even of a
#: tall terminal, so the list shows at once, and few enough hits that building them costs
#: the search little (a few ms).  Later pages come as the list scrolls towards them.
PAGE_SIZE = 200
#: How far beyond the screen (in rows, each way) a missing page is already asked for, so
#: that paging down at key-repeat speed meets rows that have arrived.
PREFETCH = PAGE_SIZE // 2
#: Rows whose drawn lines are kept: a few screens.  (Every cached line holds objects the
#: garbage collector walks; a bigger cache made each full collection slower.)
CACHED_ROWS = 256

_FIELDS = tuple(field.name for field in dataclasses.fields(Hit))

Row = tuple[object, ...]
"""A loaded hit, kept as the tuple of its fields: a tuple of strings and numbers is not
tracked by the garbage collector, a Hit object is (100k of them made every full collection
walk 100k objects more)."""


def _pack(hit: Hit) -> Row:
    return tuple(getattr(hit, name) for name in _FIELDS)


class ResultList(ScrollView, can_focus=True):
    """A virtual list of search hits with a cursor.

    Enter is the screen's key (it calls :meth:`action_select`), so that the footer
    shows the same keys whether the list or the article has the focus.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("home,g", "first", "First", show=False),
        Binding("end,G", "last", "Last", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "result-list--placeholder",
        "result-list--cursor",
        "result-list--date",
        "result-list--source",
        "result-list--title",
        "result-list--read",
        "result-list--mark",
    }

    cursor: reactive[int] = reactive(-1, always_update=True, init=False)
    """Index of the highlighted hit, -1 when the list is empty."""

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        #: Every row of the result; None where the page is not loaded yet.
        self._hits: list[Row | None] = []
        self._themes: Mapping[str, Theme] = {}
        self._rows: LRUCache[tuple[int, int, int, tuple[Style, ...]], list[Strip]] = LRUCache(CACHED_ROWS)
        self._wished: tuple[int, ...] = ()
        self._select_when_loaded: int | None = None
        self._base_style: Style | None = None
        #: Read, starred, noted, by article id: as much as the screen has been told.
        self._marks: dict[str, Flags] = {}

    # -- data ---------------------------------------------------------------

    @property
    def row_count(self) -> int:
        """Rows in the list, loaded or not: the result's total."""
        return len(self._hits)

    @property
    def hits(self) -> tuple[Hit, ...]:
        """The hits loaded so far, in list order (every one when the result fits a page)."""
        return tuple(Hit(*row) for row in self._hits if row is not None)  # type: ignore[arg-type]

    def hit_at(self, index: int) -> Hit | None:
        """The hit of row ``index``; None when its page is not loaded (or there is no such row)."""
        row = self._hits[index] if 0 <= index < len(self._hits) else None
        return None if row is None else Hit(*row)  # type: ignore[arg-type]

    @property
    def highlighted_hit(self) -> Hit | None:
        return self.hit_at(self.cursor)

    def has_page(self, page: int) -> bool:
        """Whether page ``page`` (rows from ``page * PAGE_SIZE``) is loaded."""
        index = page * PAGE_SIZE
        return 0 <= index < len(self._hits) and self._hits[index] is not None

    def set_result(
        self, hits: Sequence[Hit], total: int, themes: Mapping[str, Theme], *, keep: str | None = None
    ) -> None:
        """Show a result of ``total`` rows whose first rows are ``hits``; the other
        rows are asked for with :class:`PagesWanted` when they come near the screen.

        The cursor goes to the hit whose id is ``keep`` when it is among ``hits`` (a
        new sort order keeps the article being read), else to the first.
        """
        rows: list[Row | None] = [_pack(hit) for hit in hits[:total]]
        rows.extend([None] * (total - len(rows)))
        self._hits = rows
        self._themes = themes
        self._rows.clear()
        self._wished = ()
        self._select_when_loaded = None
        self._update_virtual_size()
        self.scroll_to(0, 0, animate=False, immediate=True)
        start = next((i for i, hit in enumerate(hits) if hit.id == keep), 0) if keep else 0
        self.cursor = start if rows else -1
        self.refresh()
        self._want_pages()

    def set_marks(self, marks: Mapping[str, Flags]) -> None:
        """What the reader did to these articles (from the state store)."""
        changed = any(self._marks.get(key) != flags for key, flags in marks.items())
        self._marks.update(marks)
        if changed:
            self._rows.clear()
            self.refresh()

    def redraw(self) -> None:
        """Draw every row again (the theme colours changed)."""
        self._rows.clear()
        self.refresh()

    def set_hits(self, hits: Sequence[Hit], themes: Mapping[str, Theme], *, keep: str | None = None) -> None:
        """Show ``hits``, the whole result (cheap for any number of them)."""
        self.set_result(hits, len(hits), themes, keep=keep)

    def add_page(self, offset: int, hits: Sequence[Hit]) -> None:
        """Fill rows from ``offset`` on with ``hits`` (a page a worker fetched)."""
        end = min(offset + len(hits), len(self._hits))
        if offset < 0 or end <= offset:
            return
        self._hits[offset:end] = [_pack(hit) for hit in hits[: end - offset]]
        # Placeholders are never cached: nothing to drop.
        self.refresh()
        if offset <= self.cursor < end:
            hit = self.hit_at(self.cursor)
            assert hit is not None
            self.post_message(HitHighlighted(self.cursor, hit))
            if self._select_when_loaded == self.cursor:
                self._select_when_loaded = None
                self.post_message(HitSelected(self.cursor, hit))
        self._want_pages()

    def _want_pages(self) -> None:
        """Ask for the pages missing on screen (first) and within PREFETCH rows of it."""
        total = len(self._hits)
        if not total:
            return
        height = self.row_height
        first = int(self.scroll_offset.y) // height
        last = min(first + max(self.scrollable_content_region.height // height, 1), total - 1)
        near = range(max(first - PREFETCH, 0) // PAGE_SIZE, min(last + PREFETCH, total - 1) // PAGE_SIZE + 1)
        shown = range(first // PAGE_SIZE, last // PAGE_SIZE + 1)
        wished = tuple(dict.fromkeys(page for page in chain(shown, near) if not self.has_page(page)))
        if wished != self._wished:
            self._wished = wished
            if wished:
                self.post_message(PagesWanted(wished))

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
        # No width: rows are drawn to whatever width the list has, and it never scrolls
        # sideways.  (The content width, taken before the vertical scroll bar appeared,
        # was a column too wide once it had, and brought a horizontal bar that cost a line.)
        self.virtual_size = Size(0, len(self._hits) * self.row_height)

    def on_resize(self, event: events.Resize) -> None:
        self._rows.clear()
        self._update_virtual_size()
        self._scroll_cursor_visible()
        self._want_pages()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._want_pages()

    @property
    def _base(self) -> Style:
        """The widget's own style (``rich_style`` walks every ancestor: kept until restyled)."""
        if self._base_style is None:
            self._base_style = self.rich_style
        return self._base_style

    def notify_style_update(self) -> None:
        self._base_style = None
        super().notify_style_update()

    def _row_styles(self, cursor: bool) -> tuple[Style, ...]:
        """The styles a row is drawn in (part of its key in the cache of drawn rows).

        A focus change restyles only the cursor, so the other rows stay drawn and
        moving between list and article redraws one row, not a screenful; a theme
        change restyles every row, and none is found in the cache any more.
        """
        parts = [
            "result-list--date",
            "result-list--source",
            "result-list--title",
            "result-list--read",
            "result-list--mark",
        ]
        if cursor:
            parts.append("result-list--cursor")
        return (self._base, *(self.get_component_rich_style(part) for part in parts))

    # -- cursor -------------------------------------------------------------

    def validate_cursor(self, cursor: int) -> int:
        if not self._hits:
            return -1
        return min(max(cursor, 0), len(self._hits) - 1)

    def watch_cursor(self, old: int, new: int) -> None:
        # Drawn rows are cached by their styles, the cursor's included: nothing to drop.
        self.refresh()
        self._scroll_cursor_visible()
        self._select_when_loaded = None
        if (hit := self.hit_at(new)) is not None:
            self.post_message(HitHighlighted(new, hit))

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
        elif self.cursor >= 0:
            self._select_when_loaded = self.cursor  # opened as soon as its page arrives

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
            return Strip.blank(width, self._base)
        return self._render_row(index, width)[offset]

    def _render_row(self, index: int, width: int) -> list[Strip]:
        height = self.row_height
        key = (index, width, height, self._row_styles(index == self.cursor))
        if (strips := self._rows.get(key)) is None:
            base = self._base
            if index == self.cursor:
                base = base + self.get_component_rich_style("result-list--cursor")
            hit = self.hit_at(index)
            if hit is None:
                # Not loaded yet: a dim mark, never cached (its page is on the way).
                style = (
                    Style()
                    if index == self.cursor
                    else self.get_component_rich_style("result-list--placeholder")
                )
                lines = [Text(" …", style), *(Text() for _ in range(height - 1))]
            else:
                lines = self._row_lines(hit, width, height, index == self.cursor)
            console = self.app.console
            strips = []
            for line in lines:
                line.truncate(width, overflow="ellipsis", pad=True)
                line.end = ""
                strips.append(Strip(line.render(console), width).apply_style(base))
            if hit is not None:
                self._rows[key] = strips
        return strips

    def _row_lines(self, hit: Hit, width: int, height: int, cursor: bool) -> list[Text]:
        def style(name: str) -> Style:
            # On the cursor row the cursor's colours win, so every part stays legible.
            # Not partial: colours given with alpha ($text-muted) only resolve against a
            # background, and a partial style has none (dates came out white on light themes).
            return Style() if cursor else self.get_component_rich_style(name)

        flags = self._marks.get(hit.id)
        date = Text(printable(hit.date or "undated"), style("result-list--date"))
        source = Text(printable(hit.source or "unknown source"), style("result-list--source"))
        read = flags is not None and flags.read
        title = Text(
            printable(hit.title or "(untitled)"), style("result-list--read" if read else "result-list--title")
        )
        mark = Text(" ", style("result-list--mark"))
        if flags is not None and (flags.starred or flags.has_note):
            mark.plain = "★" if flags.starred else "✎"
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
            return [Text.assemble(mark, date, " ", source, " ", title, " ", chips)]
        # Two lines: the title, then "date · source" and the chips.
        # " date · source" keeps room for a short source name ("Kazakh MFA"); the chips get the rest.
        count, label_width = rendering.chip_layout(width - DATE_WIDTH - 3 - 15)
        chips = rendering.chips(hit.themes, self._themes, count=count, width=label_width)
        title.stylize(Style(bold=True))
        meta = Text.assemble(" ", date, " · ", source)
        area = rendering.chips_width(count, label_width)
        meta.truncate(max(width - area - 1, 12), overflow="ellipsis", pad=True)
        return [Text.assemble(mark, title), Text.assemble(meta, " ", chips)]
