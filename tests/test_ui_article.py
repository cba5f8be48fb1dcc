"""The article pane on its own: how it lays out and wraps an article, drawn line by line.

The pane is a Line API view (no widget per paragraph); these tests mount it in
a bare app and check what it draws: every word once and in order, wrapped to
the width it has, a bar beside every line of a themed paragraph, and a long
article scrolled to its end.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.geometry import Region

from pressreader.model import Article, Paragraph, Theme, ThemeHit
from pressreader.ui.widgets.article_view import ArticleView, line_spans, wrap_paragraphs
from pressreader.ui.widgets.rendering import BAR

THEMES = {
    "energy": Theme("energy", "Energy", "#e0a030"),
    "transport": Theme("transport", "Transport", "#3070e0"),
}
WORDS = [
    "The",
    "ministry",
    "reported",
    "that",
    "the",
    "new",
    "pipeline",
    "carries",
    "gas",
    "to",
    "the",
    "coast",
    "every",
    "day",
]


def paragraph(words: int, theme: str | None = "energy", start: int = 0) -> Paragraph:
    text = " ".join(f"{WORDS[(start + i) % len(WORDS)]}{start + i}" for i in range(words))
    return Paragraph(text, (ThemeHit(theme, 1.0),) if theme else ())


def article(*paragraphs: Paragraph) -> Article:
    return Article(
        "a1", "A title", "2024-05-01", "Ministry of Energy", tuple(paragraphs), url="https://x.example"
    )


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield ArticleView(THEMES, id="detail")


def words_drawn(view: ArticleView, index: int) -> list[str]:
    """The words of paragraph ``index`` as drawn, line after line (bar and label left out)."""
    lines = [strip.text for strip in view.paragraph_lines(index)]
    if view.show_themes and view.article and view.article.paragraphs[index].primary:
        lines = lines[1:]  # the label
    return [word for line in lines for word in line[2:].split()]


# -- wrapping ---------------------------------------------------------------


def test_line_spans_break_at_spaces_and_start_a_line_at_each_newline() -> None:
    text = "alpha beta gamma delta\n- one\n- two"
    spans = line_spans(text, 11)
    lines = [text[start:end] for start, end in spans]
    assert [line.rstrip() for line in lines] == ["alpha beta", "gamma delta", "- one", "- two"]
    assert all(len(line.rstrip()) <= 11 for line in lines)


def test_line_spans_fold_a_word_longer_than_the_line() -> None:
    text = "see https://example.org/a/very/long/path/that/cannot/fit end"
    spans = line_spans(text, 12)
    lines = [text[start:end] for start, end in spans]
    assert "".join(lines) == text  # nothing lost, nothing repeated
    assert all(len(line.rstrip()) <= 12 for line in lines)


def test_an_empty_paragraph_is_one_empty_line() -> None:
    assert line_spans("", 10) == ((0, 0),)
    assert wrap_paragraphs(article(Paragraph("")), 10) == (((0, 0),),)


# -- drawing ----------------------------------------------------------------


async def test_every_word_is_drawn_once_in_order_at_any_width() -> None:
    shown = article(paragraph(60), paragraph(35, "transport", 60), paragraph(12, None, 95))
    app = Host()
    async with app.run_test(size=(60, 30)) as pilot:
        view = app.query_one(ArticleView)
        view.show_article(shown, frozenset())
        await pilot.pause()
        narrow = [len(view.paragraph_lines(i)) for i in range(3)]
        for index, para in enumerate(shown.paragraphs):
            assert words_drawn(view, index) == para.text.split()
        # Each themed line has the theme's bar; the unthemed paragraph has none.
        for index, theme in ((0, "energy"), (1, "transport")):
            for strip in view.paragraph_lines(index):
                bar = strip._segments[0]
                assert bar.text == BAR
                assert bar.style and bar.style.color and bar.style.color.triplet
                assert bar.style.color.triplet.hex == THEMES[theme].color
        assert all(strip.text[0] == " " for strip in view.paragraph_lines(2))

        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        wide = [len(view.paragraph_lines(i)) for i in range(3)]
        assert wide[0] < narrow[0]  # wrapped anew for the room it has
        for index, para in enumerate(shown.paragraphs):
            assert words_drawn(view, index) == para.text.split()
        assert all(
            len(strip.text) <= view.scrollable_content_region.width for strip in view.paragraph_lines(0)
        )


async def test_a_long_article_scrolls_to_its_last_paragraph() -> None:
    long = article(*(paragraph(40, "energy" if i % 2 else "transport", i * 40) for i in range(300)))
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(ArticleView)
        width = view.text_width
        view.show_article(long, frozenset(), wrapped=(width, wrap_paragraphs(long, width)))
        view.focus()
        await pilot.pause()
        width, height = view.outer_size
        top = "\n".join(strip.text for strip in view.render_lines(Region(0, 0, width, height)))
        assert "A title" in top
        last_word = long.paragraphs[-1].text.split()[-1]
        await pilot.press("G")
        await pilot.pause()
        bottom = "\n".join(strip.text for strip in view.render_lines(Region(0, 0, width, height)))
        assert last_word in bottom
        await pilot.press("g")
        await pilot.pause()
        assert view.scroll_y == 0


async def test_bullets_keep_their_lines_and_tabs_draw_as_spaces() -> None:
    shown = article(Paragraph("- first point\n- second point\tand more"))
    app = Host()
    async with app.run_test(size=(80, 20)) as pilot:
        view = app.query_one(ArticleView)
        view.show_article(shown, frozenset())
        await pilot.pause()
        lines = [strip.text[2:].rstrip() for strip in view.paragraph_lines(0)]
        assert lines == ["- first point", "- second point and more"]
        assert "\t" not in "".join(view.text_lines())


async def test_no_article_and_a_gone_article_say_so() -> None:
    app = Host()
    async with app.run_test(size=(80, 20)) as pilot:
        view = app.query_one(ArticleView)
        await pilot.pause()
        assert "No article open" in view.text_lines()[0]
        view.show_article(article(paragraph(5)), frozenset())
        await pilot.pause()
        assert view.text_lines()[0].startswith("A title")
        view.show_article(None, frozenset())
        await pilot.pause()
        assert "no longer in the library" in view.text_lines()[0]
        assert view.article is None
