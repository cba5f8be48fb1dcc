"""The detail pane: one article, each paragraph marked with its primary theme.

Paragraph themes come precomputed in ``Paragraph.themes``; showing them costs
a border colour and a label.  Each paragraph is a ``Static`` holding a
``rich.text.Text`` (never markup), with a ``▌`` bar in its theme's colour on
the left (a CSS ``outer`` border, so the bar follows the wrapped lines) and the
theme's label above the text.  Query terms are marked with ``Text.stylize``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.reactive import reactive
from textual.widgets import Static

from pressreader.model import Article, Paragraph, Theme
from pressreader.ui.widgets import rendering

PLACEHOLDER = "No article open.\n\nMove through the list with ↑/↓ or j/k and press Enter to read one."


class ParagraphView(Static):
    """One paragraph: its theme label and a bar in its colour, then the text."""

    def __init__(
        self, paragraph: Paragraph, theme: Theme | None, spans: tuple[tuple[str, int, int], ...] | None
    ) -> None:
        super().__init__(classes="paragraph")
        self.paragraph = paragraph
        self.theme = theme
        self.spans = spans
        self.text = Text()

    def show(
        self,
        *,
        themes: Mapping[str, Theme],
        show_themes: bool,
        terms: frozenset[str],
        match_style: Style,
    ) -> None:
        body = rendering.paragraph_body(self.paragraph, terms, match_style, self.spans)
        themed = show_themes and self.theme is not None
        if themed:
            label = rendering.paragraph_label(self.paragraph, themes)
            self.text = Text.assemble(label, "\n", body)
            self.styles.border_left = ("outer", rendering.theme_color(self.theme))  # type: ignore[arg-type]
        else:
            self.text = body
            self.styles.border_left = ("blank", "transparent")
        self.set_class(themed, "-themed")
        self.update(self.text)


class ArticleView(VerticalScroll, can_focus=True):
    """Title, date, source and URL, a legend of theme colours, the paragraphs."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "scroll_down", "Scroll down", show=False),
        Binding("k", "scroll_up", "Scroll up", show=False),
        Binding("space", "page_down", "Page down", show=False),
        Binding("g", "scroll_home", "Top", show=False),
        Binding("G", "scroll_end", "Bottom", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"article-view--match"}

    show_themes: reactive[bool] = reactive(True, init=False)

    def __init__(self, themes: Mapping[str, Theme], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._themes = themes
        self.article: Article | None = None
        self.terms: frozenset[str] = frozenset()

    def compose(self) -> ComposeResult:
        yield Static(Text(PLACEHOLDER), id="article-title")
        yield Static(id="article-meta")
        legend = Static(id="article-legend")
        legend.display = False
        yield legend
        yield Vertical(id="article-body")

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._restyle())

    @property
    def paragraphs(self) -> list[ParagraphView]:
        return list(self.query(ParagraphView))

    async def show_article(
        self,
        article: Article | None,
        terms: frozenset[str],
        spans: tuple[tuple[tuple[str, int, int], ...], ...] = (),
    ) -> None:
        """Replace what is shown (``None``: the article is gone from the library).

        ``spans`` are the paragraphs' word spans from :func:`pressreader.analysis.term_spans`
        (computed off the UI thread); without them each paragraph is analysed here.
        """
        self.article = article
        self.terms = terms
        body = self.query_one("#article-body", Vertical)
        with self.app.batch_update():
            await body.remove_children()
            title = self.query_one("#article-title", Static)
            meta = self.query_one("#article-meta", Static)
            if article is None:
                title.update(Text("This article is no longer in the library."))
                meta.update(Text())
                self._show_legend()
                return
            title.update(Text(article.title or "(untitled)"))
            meta.update(self._meta(article))
            await body.mount_all(
                ParagraphView(
                    paragraph,
                    self._themes.get(paragraph.primary or ""),
                    spans[index] if index < len(spans) else None,
                )
                for index, paragraph in enumerate(article.paragraphs)
            )
            self._restyle()
        self.scroll_home(animate=False)

    def set_terms(self, terms: frozenset[str]) -> None:
        """Mark another query's terms in the article already shown."""
        if terms != self.terms:
            self.terms = terms
            self._restyle()

    def watch_show_themes(self) -> None:
        self._restyle()

    def _restyle(self) -> None:
        match_style = self.get_component_rich_style("article-view--match", partial=True)
        for view in self.paragraphs:
            view.show(
                themes=self._themes,
                show_themes=self.show_themes,
                terms=self.terms,
                match_style=match_style,
            )
        self._show_legend()

    def _show_legend(self) -> None:
        legend = self.query_one("#article-legend", Static)
        article = self.article
        if article is None:
            legend.update(Text())
            legend.display = False
            return
        legend.display = True
        if not self.show_themes:
            legend.update(Text("Theme highlighting is off (t turns it on).", Style(dim=True)))
            return
        present = set(rendering.article_themes(article))
        ordered = [theme_id for theme_id in self._themes if theme_id in present]
        text = rendering.legend(ordered, self._themes)
        legend.update(text if text else Text("No themes found in this article.", Style(dim=True)))

    @staticmethod
    def _meta(article: Article) -> Text:
        text = Text(" · ".join(part for part in (article.date or "undated", article.source) if part))
        if article.url:
            text.append("\n")
            text.append(article.url, Style(underline=True))
        return text
