"""The detail pane: one article, each paragraph marked with its primary theme.

A Line API ``ScrollView``: opening an article builds no widgets, it only lays
the article out as a list of rows (title, date and source, the legend, then
each paragraph's label and wrapped lines), and ``render_line`` draws the rows
on screen, with an LRU cache of drawn rows.  Where a paragraph's lines break
is worked out by the load worker (:func:`wrap_paragraphs`, for the width the
pane has), so opening costs the UI thread a few rows' drawing; only a resize
wraps again here.

Paragraph themes come precomputed in ``Paragraph.themes``.  How they show is
``highlight``: "bar" (a ``▌`` in the theme's colour beside each line, the
theme's label above the text), "background" (the label, and the text on a tint
of the theme's colour) or "off"; ``show_themes`` (key ``t``) turns either style
off and on.  With highlighting on, a legend of the article's themes (with each
one's share of the paragraphs) and a bar of that mix head the article.

Moving about: ``n``/``N`` go to the next and previous match of the query
(``current-match`` style), ``]``/``[`` to the next and previous paragraph of the
chosen theme (one whose themes include it, primary or not), ``c`` chooses
another of the article's themes, and a click on a legend entry chooses its
theme and goes to its first paragraph.  The chosen theme starts as the query's
``theme:`` filter (:meth:`ArticleView.set_theme_focus`) when the article has it,
else as the theme most of its paragraphs have as primary.  What a move found
("match 3 of 12") shows on the view's last line until another article opens.

Release text only ever enters a ``rich.text.Text`` as plain content, and query
terms are marked with ``Text.stylize`` on the spans the worker found.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise
from typing import ClassVar

from rich._wrap import divide_line
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.color import Color
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from pressreader.library.facets import has_filter
from pressreader.library.state import Flags
from pressreader.model import Article, Paragraph, Theme
from pressreader.printable import printable
from pressreader.ui.widgets import rendering
from pressreader.ui.widgets.facets import mix_shares, theme_mix

PLACEHOLDER = "No article open.\n\nMove through the list with ↑/↓ or j/k and press Enter to read one."
GONE = "This article is no longer in the library."
#: Cells a paragraph line spends around its text: the bar, a space before, a space after.
GUTTER = 3
#: How paragraphs show their themes (the settings' "highlighting style").
HIGHLIGHTS = ("bar", "background", "off")
#: Lines left above a match or a paragraph that ``n``, ``]`` or a legend click goes to.
CONTEXT = 2
NO_MATCH = "no match of the query in this article"

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


def query_theme(query_text: str, theme_ids: Iterable[str]) -> str | None:
    """The theme the query filters on (``theme:energy``, ANDed with the rest), or None:
    what :meth:`ArticleView.set_theme_focus` wants."""
    return next((theme_id for theme_id in theme_ids if has_filter(query_text, "theme", theme_id)), None)


class ArticleView(ScrollView, can_focus=True):
    """Title, date and source and URL, a legend of theme colours and the theme mix, the paragraphs."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "scroll_down", "Scroll down", show=False),
        Binding("k", "scroll_up", "Scroll up", show=False),
        Binding("space", "page_down", "Page down", show=False),
        Binding("g", "scroll_home", "Top", show=False),
        Binding("G", "scroll_end", "Bottom", show=False),
        Binding("n", "next_match", "Next match", show=False),
        Binding("N", "previous_match", "Previous match", show=False),
        Binding("]", "next_theme_paragraph", "Next paragraph of the theme", show=False),
        Binding("[", "previous_theme_paragraph", "Previous paragraph of the theme", show=False),
        Binding("c", "cycle_theme", "Another theme", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-view--title",
        "article-view--meta",
        "article-view--legend",
        "article-view--marks",
        "article-view--note",
        "article-view--match",
        "article-view--current-match",
        "article-view--status",
    }

    show_themes: reactive[bool] = reactive(True, init=False)
    highlight: reactive[str] = reactive("bar", init=False)
    """How paragraphs show their themes: one of :data:`HIGHLIGHTS`."""

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
        #: The theme the query filters on; the chosen theme of each article that has it.
        self._preferred: str | None = None
        self._chosen: str | None = None
        #: The article's themes, in the legend's order (what ``c`` cycles through).
        self._choices: tuple[str, ...] = ()
        #: (paragraph, start, end) of each match of the query, worked out when first wanted.
        self._matches: list[tuple[int, int, int]] | None = None
        self._current_match: int | None = None
        self._current_paragraph: int | None = None
        #: What the last move found, shown on the view's last line.
        self._status: Text | None = None
        #: Row -> (theme id, first cell, cell after) of each legend entry on it.
        self._legend_places: dict[int, list[tuple[str, int, int]]] = {}
        #: The first row of each paragraph (its label, or its text), and of its text.
        self._paragraph_rows: list[int] = []
        self._body_rows: list[int] = []

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
        *,
        flags: Flags | None = None,
        note: str = "",
    ) -> None:
        """Replace what is shown (``None``: the article is gone from the library).

        ``spans`` are the paragraphs' word spans from :func:`pressreader.analysis.term_spans`
        and ``wrapped`` is ``(text width, wrap_paragraphs(article, text width))``, both
        computed off the UI thread; without them each paragraph is analysed or wrapped here.
        ``flags`` and ``note`` are the article's marks (as :meth:`set_marks` takes them):
        laid out with it, once.
        """
        shown = rendering.shown_article(article) if article is not None else None
        if shown is not article:  # text only a planted library holds: offsets of the escaped text
            spans, wrapped = (), None
        self.article = shown
        self._flags = flags
        self._note = note
        self._gone = article is None
        self.terms = terms
        self._term_spans = spans
        self._wrapped = {wrapped[0]: wrapped[1]} if wrapped and article else {}
        self._matches = None
        self._current_match = self._current_paragraph = None
        self._status = None
        self._choices = self._theme_choices()
        self._chosen = self._default_theme()
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
            self._matches = None
            self._current_match = None
            self._status = None
            self._bodies.clear()
            self._strips.clear()
            self.refresh()

    def set_theme_focus(self, theme_id: str | None) -> None:
        """The theme the query filters on (None: none): the chosen theme of the open article,
        and of each one opened after, when it has that theme (see :func:`query_theme`)."""
        if theme_id == self._preferred:
            return  # the same query again: keep what ``c`` chose
        self._preferred = theme_id
        chosen = self._default_theme()
        if chosen != self._chosen:
            self._chosen = chosen
            self._current_paragraph = None
            self._layout()

    def set_themes(self, themes: Mapping[str, Theme]) -> None:
        """Draw with these themes (new colours, say) from now on."""
        self._themes = themes
        self._choices = self._theme_choices()
        if self._chosen not in self._choices:
            self._chosen = self._default_theme()
        self._layout()

    @property
    def chosen_theme(self) -> str | None:
        """The theme ``]`` and ``[`` go through (None: the article has no themes)."""
        return self._chosen

    @property
    def theme_choices(self) -> tuple[str, ...]:
        """The open article's themes, in the legend's order (what ``c`` cycles through)."""
        return self._choices

    @property
    def status(self) -> str:
        """What the last move found ("match 3 of 12"), as shown on the last line."""
        return self._status.plain if self._status is not None else ""

    def matches(self) -> list[tuple[int, int, int]]:
        """(paragraph, start, end) of every match of the query, in reading order."""
        if self._matches is None:
            found: list[tuple[int, int, int]] = []
            if self.article is not None and self.terms:
                for index, paragraph in enumerate(self.article.paragraphs):
                    spans = self._term_spans[index] if index < len(self._term_spans) else None
                    text = paragraph.text.replace("\t", " ")
                    found.extend((index, *span) for span in rendering.match_spans(text, self.terms, spans))
            self._matches = found
        return self._matches

    @property
    def current_match(self) -> int | None:
        """Which of :meth:`matches` ``n`` or ``N`` went to last (None: none yet)."""
        return self._current_match

    def validate_highlight(self, value: str) -> str:
        if value not in HIGHLIGHTS:
            raise ValueError(f"highlight must be one of {', '.join(HIGHLIGHTS)}, not {value!r}")
        return value

    def watch_highlight(self) -> None:
        self._layout()

    def watch_show_themes(self) -> None:
        self._layout()

    @property
    def _highlighting(self) -> bool:
        return self.show_themes and self.highlight != "off"

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
        self._legend_places = {}
        self._paragraph_rows = []
        self._body_rows = []
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
            for line, places in self._legend(article, width - 2):
                self._legend_places[len(rows)] = [(theme, start + 1, end + 1) for theme, start, end in places]
                padded = Text.assemble(" ", line, " ", style=legend_style)
                rows.append(("text", -1, padded))
            rows.append(("blank", -1, None))
            room = width - GUTTER
            lines = self._wrapped.get(room)
            if lines is None:
                lines = self._wrapped[room] = wrap_paragraphs(article, room)
            for index, paragraph in enumerate(article.paragraphs):
                self._paragraph_rows.append(len(rows))
                if self._theme(paragraph) is not None:
                    label = rendering.paragraph_label(paragraph, self._themes, self._chosen)
                    rows.extend(("label", index, line) for line in wrapped(label, room))
                self._body_rows.append(len(rows))
                rows.extend(("body", index, number) for number in range(len(lines[index])))
                rows.append(("blank", -1, None))
        self._rows = rows
        self._layout_width = width
        self._bodies.clear()
        self._strips.clear()
        self.virtual_size = Size(width, len(rows))
        self.refresh()

    def _theme(self, paragraph: Paragraph) -> Theme | None:
        """The theme whose bar (or tint) and label the paragraph shows (None: highlighting off)."""
        return self._themes.get(paragraph.primary or "") if self._highlighting else None

    def _legend(self, article: Article, width: int) -> list[tuple[Text, list[tuple[str, int, int]]]]:
        """The legend's lines (each with where its themes' entries stand), then the mix bar."""
        if not self.show_themes:
            return [(Text("Theme highlighting is off (t turns it on).", rendering.DIM), [])]
        if self.highlight == "off":
            return [(Text("Theme highlighting is off in the settings (,).", rendering.DIM), [])]
        if not self._choices:
            return [(Text("No themes found in this article.", rendering.DIM), [])]
        entries: list[tuple[str | None, Text]] = []
        primaries = set()
        for theme_id, _, percent in mix_shares(article):
            theme = self._themes.get(theme_id) if theme_id is not None else None
            if theme is None:
                entries.append((None, rendering.unthemed_entry(theme_id or "no theme", percent)))
            else:
                primaries.add(theme.id)
                entries.append(
                    (theme.id, rendering.legend_entry(theme, percent, chosen=theme.id == self._chosen))
                )
        # Themes no paragraph has as its primary: choosable too, without a share.
        for theme_id in self._choices:
            if theme_id not in primaries:
                entry = rendering.legend_entry(self._themes[theme_id], chosen=theme_id == self._chosen)
                entries.append((theme_id, entry))
        lines = rendering.legend_lines(entries, width)
        bar = theme_mix(article, self._themes, width).split("\n")[0]
        return [*lines, (bar, [])]

    def _theme_choices(self) -> tuple[str, ...]:
        """The article's themes (of any paragraph, primary or not) in the legend's order:
        the primaries by how many paragraphs have them, then the others by strength."""
        if self.article is None:
            return ()
        primaries = [theme for theme, _, _ in mix_shares(self.article) if theme and theme in self._themes]
        others = [theme for theme in self.article.themes if theme in self._themes and theme not in primaries]
        return (*primaries, *others)

    def _default_theme(self) -> str | None:
        """The query's theme if the article has it, else its most frequent primary theme."""
        if self._preferred in self._choices:
            return self._preferred
        return self._choices[0] if self._choices else None

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
        if self._status is not None and y == self.scrollable_content_region.height - 1:
            status = Text.assemble(
                " ", self._status, style=self.get_component_rich_style("article-view--status")
            )
            status.truncate(self._layout_width, overflow="ellipsis", pad=True)
            return Strip(self._segments(status), self._layout_width).apply_style(self._base)
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
            strip = Strip(self._segments(line), width).apply_style(base)
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
            text = [Segment(" "), *line.render(console), Segment(" ")]
            if theme is None:
                segments = [Segment(" "), *text]
            elif self.highlight == "background":
                # The bar's cell stays blank, so switching styles never rewraps the text.
                background = Color.from_rich_color(base.bgcolor) if base.bgcolor else Color(0, 0, 0)
                tinted = Style(bgcolor=rendering.tint(background, theme).rich_color)
                segments = [Segment(" "), *Segment.apply_style(text, tinted)]
            else:
                bar = Segment(rendering.BAR, Style(color=rendering.theme_color(theme).rich_color))
                segments = [bar, *text]
            strip = Strip(segments, width).apply_style(base)
        self._strips[row] = strip
        return strip

    def _segments(self, text: Text) -> list[Segment]:
        """``text`` drawn, in its own style (``Text.render`` leaves that out of a text
        without spans: a title would lose its bold)."""
        console = self.app.console
        return list(Segment.apply_style(text.render(console), console.get_style(text.style)))

    def _body(self, index: int) -> list[Text]:
        """Paragraph ``index``'s lines, query terms marked."""
        if (lines := self._bodies.get(index)) is not None:
            return lines
        assert self.article is not None
        paragraph = self.article.paragraphs[index]
        spans = self._term_spans[index] if index < len(self._term_spans) else None
        match_style = self.get_component_rich_style("article-view--match", partial=True)
        current = None
        if self._current_match is not None:
            where, start, end = self.matches()[self._current_match]
            if where == index:
                current = (start, end)
        current_style = self.get_component_rich_style("article-view--current-match", partial=True)
        # A tab would draw as nothing: one space keeps every offset where it was.
        shown = Paragraph(paragraph.text.replace("\t", " "), paragraph.themes)
        text = rendering.paragraph_body(shown, self.terms, match_style, spans, current, current_style)
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

    # -- moving about ---------------------------------------------------------

    def action_next_match(self) -> None:
        self._step_match(1)

    def action_previous_match(self) -> None:
        self._step_match(-1)

    def action_next_theme_paragraph(self) -> None:
        self._step_paragraph(1)

    def action_previous_theme_paragraph(self) -> None:
        self._step_paragraph(-1)

    def action_cycle_theme(self) -> None:
        """Choose the next of the article's themes (after the last, the first again)."""
        if self.article is None:
            return
        if not self._choices:
            self._say("no themes in this article")
            return
        at = self._choices.index(self._chosen) + 1 if self._chosen in self._choices else 0
        at %= len(self._choices)
        self._choose(self._choices[at])
        count = len(self._theme_paragraphs())
        self._say(
            f"theme {self._theme_name()} ({at + 1} of {len(self._choices)}):"
            f" {count} paragraph{'s' if count != 1 else ''}, ] next, [ previous"
        )

    def choose_theme(self, theme_id: str) -> None:
        """Choose ``theme_id`` (one of :attr:`theme_choices`) and go to its first paragraph."""
        if theme_id not in self._choices:
            return
        self._choose(theme_id)
        found = self._theme_paragraphs()
        if found:
            self._go_to_paragraph(found, 0, "")

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or (
            self._status is not None and offset.y == self.scrollable_content_region.height - 1
        ):
            return  # outside the text, or on the status line
        row = offset.y + int(self.scroll_offset.y)
        for theme_id, start, end in self._legend_places.get(row, ()):
            if start <= offset.x < end:
                event.stop()
                self.choose_theme(theme_id)
                return

    def _choose(self, theme_id: str) -> None:
        if theme_id != self._chosen:
            self._chosen = theme_id
            self._current_paragraph = None
            self._layout()

    def _theme_name(self) -> str:
        theme = self._themes.get(self._chosen or "")
        return printable((theme.label or theme.id) if theme else (self._chosen or ""))

    def _say(self, message: str) -> None:
        self._status = Text(message)
        self.refresh()

    def _visible(self, row: int) -> bool:
        """Whether ``row`` is on screen (above the status line)."""
        top = int(self.scroll_offset.y)
        return top <= row < top + max(self.scrollable_content_region.height - 1, 1)

    def _step(self, rows: list[int], current: int | None, step: int) -> tuple[int, str]:
        """Where a move of ``step`` among the places at ``rows`` lands, from the ``current``
        one when it is on screen, else from the top of the view; and a word if it wrapped."""
        top = int(self.scroll_offset.y)
        if current is not None and self._visible(rows[current]):
            target = current + step
        elif step > 0:
            target = next((n for n, row in enumerate(rows) if row >= top), len(rows))
        else:
            target = max((n for n, row in enumerate(rows) if row < top), default=-1)
        if target >= len(rows):
            return 0, " (wrapped to the top)"
        if target < 0:
            return len(rows) - 1, " (wrapped to the bottom)"
        return target, ""

    def _step_match(self, step: int) -> None:
        if self.article is None:
            return
        found = self.matches()
        if not found:
            self._say(NO_MATCH)
            return
        rows = [self._match_row(match) for match in found]
        target, wrapped = self._step(rows, self._current_match, step)
        previous, self._current_match = self._current_match, target
        for number in (previous, target):
            if number is not None:
                self._bodies.discard(found[number][0])
        self._strips.clear()
        if not self._visible(rows[target]):
            self.scroll_to(y=max(rows[target] - CONTEXT, 0), animate=False, immediate=True)
        self._say(f"match {target + 1} of {len(found)}{wrapped}")

    def _match_row(self, match: tuple[int, int, int]) -> int:
        index, start, _ = match
        breaks = self._wrapped[self._layout_width - GUTTER][index]
        line = max(bisect_right([begin for begin, _ in breaks], start) - 1, 0)
        return self._body_rows[index] + line

    def _theme_paragraphs(self) -> list[int]:
        """The paragraphs whose themes (primary or not) include the chosen theme."""
        if self.article is None or self._chosen is None:
            return []
        chosen = self._chosen
        return [
            index
            for index, paragraph in enumerate(self.article.paragraphs)
            if any(hit.theme == chosen for hit in paragraph.themes)
        ]

    def _step_paragraph(self, step: int) -> None:
        if self.article is None:
            return
        found = self._theme_paragraphs()
        if not found:
            self._say("no themes in this article")
            return
        rows = [self._paragraph_rows[index] for index in found]
        current = found.index(self._current_paragraph) if self._current_paragraph in found else None
        target, wrapped = self._step(rows, current, step)
        self._go_to_paragraph(found, target, wrapped)

    def _go_to_paragraph(self, found: list[int], target: int, wrapped: str) -> None:
        self._current_paragraph = found[target]
        row = self._paragraph_rows[found[target]]
        self.scroll_to(y=max(row - CONTEXT, 0), animate=False, immediate=True)
        self._say(f"{self._theme_name()}: paragraph {target + 1} of {len(found)}{wrapped}")
