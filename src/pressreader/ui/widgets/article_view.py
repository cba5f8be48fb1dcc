"""The detail pane: one article, each paragraph marked with its primary theme.

A Line API ``ScrollView``: opening an article builds no widgets, it only lays
the article out as a list of rows (title, date and source, the legend, then
each paragraph's label and wrapped lines), and ``render_line`` draws the rows
on screen, with an LRU cache of drawn rows.  Where a paragraph's lines break
is worked out by the load worker (:func:`wrap_paragraphs`, for the width the
pane has), so opening costs the UI thread a few rows' drawing; only a resize
wraps again here.

Paragraph themes come precomputed in ``Paragraph.themes``; showing them costs
a ``▌`` bar in the theme's colour on each of the paragraph's lines and the
theme's label above the text.  Release text only ever enters a
``rich.text.Text`` as plain content, and query terms are marked with
``Text.stylize`` on the spans the worker found.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import ClassVar

from rich._wrap import divide_line
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from pressreader.library.state import Flags
from pressreader.model import Article, Paragraph, Theme
from pressreader.printable import printable
from pressreader.ui.widgets import rendering

PLACEHOLDER = "No article open.\n\nMove through the list with ↑/↓ or j/k and press Enter to read one."
GONE = "This article is no longer in the library."
#: Cells a paragraph line spends around its text: the bar, a space before, a space after.
GUTTER = 3

LineSpans = tuple[tuple[int, int], ...]
"""Where a paragraph's lines start and end, as character offsets into its text."""


def line_spans(text: str, width: int) -> LineSpans:
    """The lines ``text`` wraps into at ``width`` cells (as Rich wraps: at spaces, long
    words folded); a newline in the text always starts a line."""
    width = max(width, 1)
    spans: list[tuple[int, int]] = []
    start = 0
    for part in text.split("\n"):
        end = start + len(part)
        edges = [start, *(start + cut for cut in divide_line(part, width, fold=True)), end]
        spans.extend(pairwise(edges))
        start = end + 1
    return tuple(spans)


def wrap_paragraphs(article: Article, width: int) -> tuple[LineSpans, ...]:
    """Each paragraph's lines at ``width`` cells of text (safe to call in a worker)."""
    return tuple(line_spans(paragraph.text, width) for paragraph in article.paragraphs)


class ArticleView(ScrollView, can_focus=True):
    """Title, date and source and URL, a legend of theme colours, the paragraphs."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "scroll_down", "Scroll down", show=False),
        Binding("k", "scroll_up", "Scroll up", show=False),
        Binding("space", "page_down", "Page down", show=False),
        Binding("g", "scroll_home", "Top", show=False),
        Binding("G", "scroll_end", "Bottom", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-view--title",
        "article-view--meta",
        "article-view--legend",
        "article-view--marks",
        "article-view--note",
        "article-view--match",
    }

    show_themes: reactive[bool] = reactive(True, init=False)

    def __init__(self, themes: Mapping[str, Theme], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._themes = themes
        self.article: Article | None = None
        self.terms: frozenset[str] = frozenset()
        #: The id of the article whose lines were drawn last (what the screen shows).
        self.shown_id: str | None = None
        self._gone = False
        self._term_spans: Sequence[tuple[tuple[str, int, int], ...]] = ()
        self._wrapped: dict[int, tuple[LineSpans, ...]] = {}
        #: What each line is, at ``_layout_width``: ("text", -1, Text), ("blank", -1, None),
        #: ("label", paragraph, Text) or ("body", paragraph, line number).
        self._rows: list[tuple[str, int, object]] = []
        self._layout_width = 0
        self._bodies: LRUCache[int, list[Text]] = LRUCache(32)
        self._strips: LRUCache[int, Strip] = LRUCache(256)
        self._base_style: Style | None = None
        #: What the reader did to the article (starred, read) and its note.
        self._flags: Flags | None = None
        self._note = ""

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._restyle())
        self._layout()

    # -- what is shown --------------------------------------------------------

    @property
    def text_width(self) -> int:
        """Cells a paragraph's text gets on one line (what :func:`wrap_paragraphs` needs)."""
        width = self.scrollable_content_region.width or self.app.size.width - 6
        return max(width - GUTTER, 1)

    def show_article(
        self,
        article: Article | None,
        terms: frozenset[str],
        spans: Sequence[tuple[tuple[str, int, int], ...]] = (),
        wrapped: tuple[int, tuple[LineSpans, ...]] | None = None,
    ) -> None:
        """Replace what is shown (``None``: the article is gone from the library).

        ``spans`` are the paragraphs' word spans from :func:`pressreader.analysis.term_spans`
        and ``wrapped`` is ``(text width, wrap_paragraphs(article, text width))``, both
        computed off the UI thread; without them each paragraph is analysed or wrapped here.
        """
        self.article = article
        self._gone = article is None
        self.terms = terms
        self._term_spans = spans
        self._wrapped = {wrapped[0]: wrapped[1]} if wrapped and article else {}
        self._layout()
        self.scroll_home(animate=False, immediate=True)

    def set_marks(self, flags: Flags | None, note: str | None = None) -> None:
        """Show the article's marks (★ starred, read) and, if given, its note."""
        self._flags = flags
        if note is not None:
            self._note = note
        self._layout()

    def set_terms(self, terms: frozenset[str]) -> None:
        """Mark another query's terms in the article already shown."""
        if terms != self.terms:
            self.terms = terms
            self._bodies.clear()
            self._strips.clear()
            self.refresh()

    def watch_show_themes(self) -> None:
        self._layout()

    def _restyle(self) -> None:
        self._layout()

    @property
    def _base(self) -> Style:
        """The widget's own style (``rich_style`` walks every ancestor: kept until restyled)."""
        if self._base_style is None:
            self._base_style = self.rich_style
        return self._base_style

    def notify_style_update(self) -> None:
        # Focus and theme changes restyle the background and the marks: draw anew.
        self._base_style = None
        self._bodies.clear()
        self._strips.clear()
        super().notify_style_update()

    def on_resize(self) -> None:
        if self.scrollable_content_region.width != self._layout_width:
            self._layout()

    # -- for tests ------------------------------------------------------------

    def paragraph_lines(self, index: int) -> list[Strip]:
        """The drawn lines of paragraph ``index`` (its label, then its text)."""
        return [self._strip(row) for row, (_, p, _) in enumerate(self._rows) if p == index]

    def text_lines(self) -> list[str]:
        """Every line of the article as plain text, as drawn at the current width."""
        return [self._strip(row).text for row in range(len(self._rows))]

    # -- layout ---------------------------------------------------------------

    def _layout(self) -> None:
        """Rows for the current width; the lines themselves are drawn when seen."""
        if not self.is_mounted:
            return
        width = max(self.scrollable_content_region.width, GUTTER + 1)
        rows: list[tuple[str, int, object]] = []
        console = self.app.console

        def wrapped(text: Text, room: int) -> list[Text]:
            return list(text.wrap(console, max(room, 1), overflow="fold"))

        article = self.article
        if article is not None:
            heading = article.title or "(untitled)"
        else:
            heading = GONE if self._gone else PLACEHOLDER
        title = Text(heading, self.get_component_rich_style("article-view--title"))
        rows.extend(("text", -1, line) for line in wrapped(title, width))
        if article is not None:
            meta = self._meta(article)
            # The whole style, not a partial one: $text-muted has alpha, which only
            # resolves against a background.
            meta.style = self.get_component_rich_style("article-view--meta")
            rows.extend(("text", -1, line) for line in wrapped(meta, width))
            marks = self._marks_text()
            if marks is not None:
                rows.extend(("text", -1, line) for line in wrapped(marks, width))
            rows.append(("blank", -1, None))
            legend_style = self.get_component_rich_style("article-view--legend")
            for line in wrapped(self._legend(article), width - 2):
                padded = Text.assemble(" ", line, " ", style=legend_style)
                rows.append(("text", -1, padded))
            rows.append(("blank", -1, None))
            room = width - GUTTER
            lines = self._wrapped.get(room)
            if lines is None:
                lines = self._wrapped[room] = wrap_paragraphs(article, room)
            for index, paragraph in enumerate(article.paragraphs):
                if self._theme(paragraph) is not None:
                    label = rendering.paragraph_label(paragraph, self._themes)
                    rows.extend(("label", index, line) for line in wrapped(label, room))
                rows.extend(("body", index, number) for number in range(len(lines[index])))
                rows.append(("blank", -1, None))
        self._rows = rows
        self._layout_width = width
        self._bodies.clear()
        self._strips.clear()
        self.virtual_size = Size(width, len(rows))
        self.refresh()

    def _theme(self, paragraph: Paragraph) -> Theme | None:
        """The theme whose bar and label the paragraph shows (None with themes off)."""
        return self._themes.get(paragraph.primary or "") if self.show_themes else None

    def _legend(self, article: Article) -> Text:
        if not self.show_themes:
            return Text("Theme highlighting is off (t turns it on).", Style(dim=True))
        present = set(rendering.article_themes(article))
        ordered = [theme_id for theme_id in self._themes if theme_id in present]
        text = rendering.legend(ordered, self._themes)
        return text if text else Text("No themes found in this article.", Style(dim=True))

    def _marks_text(self) -> Text | None:
        """ "★ starred · read" and the note (typed by the user: shown, never read as markup)."""
        flags, note = self._flags, self._note.strip()
        parts = []
        if flags is not None and flags.starred:
            parts.append("★ starred")
        if flags is not None and flags.read:
            parts.append("read")
        if not parts and not note:
            return None
        text = Text(" · ".join(parts), self.get_component_rich_style("article-view--marks"))
        if note:
            if parts:
                text.append("\n")
            text.append("✎ ", self.get_component_rich_style("article-view--marks"))
            lines = "\n".join(printable(line) for line in note.splitlines())
            text.append(lines, self.get_component_rich_style("article-view--note"))
        return text

    @staticmethod
    def _meta(article: Article) -> Text:
        text = Text(" · ".join(part for part in (article.date or "undated", article.source) if part))
        if article.url:
            text.append("\n")
            text.append(article.url, Style(underline=True))
        return text

    # -- drawing --------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        if self.scrollable_content_region.width != self._layout_width:
            self._layout()
        row = y + int(self.scroll_offset.y)
        self.shown_id = self.article.id if self.article else None
        if not 0 <= row < len(self._rows):
            return Strip.blank(self._layout_width, self._base)
        return self._strip(row)

    def _strip(self, row: int) -> Strip:
        if (strip := self._strips.get(row)) is not None:
            return strip
        width = self._layout_width
        base = self._base
        kind, index, payload = self._rows[row]
        console = self.app.console
        if kind == "blank":
            strip = Strip.blank(width, base)
        elif kind == "text":
            assert isinstance(payload, Text)
            line = payload.copy()
            line.truncate(width, overflow="fold", pad=True)
            strip = Strip(line.render(console), width).apply_style(base)
        else:
            assert self.article is not None
            if kind == "label":
                assert isinstance(payload, Text)
                line = payload.copy()
            else:
                assert isinstance(payload, int)
                line = self._body(index)[payload].copy()
            line.truncate(width - GUTTER, overflow="fold", pad=True)
            theme = self._theme(self.article.paragraphs[index])
            if theme is None:
                bar = Segment(" ")
            else:
                bar = Segment(rendering.BAR, Style(color=rendering.theme_color(theme).rich_color))
            segments = [bar, Segment(" "), *line.render(console), Segment(" ")]
            strip = Strip(segments, width).apply_style(base)
        self._strips[row] = strip
        return strip

    def _body(self, index: int) -> list[Text]:
        """Paragraph ``index``'s lines, query terms marked."""
        if (lines := self._bodies.get(index)) is not None:
            return lines
        assert self.article is not None
        paragraph = self.article.paragraphs[index]
        spans = self._term_spans[index] if index < len(self._term_spans) else None
        match_style = self.get_component_rich_style("article-view--match", partial=True)
        # A tab would draw as nothing: one space keeps every offset where it was.
        shown = Paragraph(paragraph.text.replace("\t", " "), paragraph.themes)
        text = rendering.paragraph_body(shown, self.terms, match_style, spans)
        breaks = self._wrapped[self._layout_width - GUTTER][index]
        cuts = sorted({offset for span in breaks for offset in span} - {0})
        pieces: dict[int, Text] = {}
        position = 0
        for piece in text.divide(cuts):
            if piece.plain:
                pieces[position] = piece
            position += len(piece.plain)
        lines = [pieces.get(start, Text()) if end > start else Text() for start, end in breaks]
        self._bodies[index] = lines
        return lines
