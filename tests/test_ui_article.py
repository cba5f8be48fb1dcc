"""The article pane on its own: how it lays out and wraps an article, drawn line by line.

The pane is a Line API view (no widget per paragraph); these tests mount it in
a bare app and check what it draws: every word once and in order, wrapped to
the width it has, a bar beside every line of a themed paragraph, and a long
article scrolled to its end.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from rich.style import Style
from textual.app import App, ComposeResult
from textual.color import Color
from textual.geometry import Region
from textual.pilot import Pilot
from textual.strip import Strip

from pressreader.analysis import term_spans
from pressreader.model import Article, Paragraph, Theme, ThemeHit
from pressreader.ui.widgets import article_view as article_view_module
from pressreader.ui.widgets.article_view import (
    CONTEXT,
    ArticleView,
    line_spans,
    query_theme,
    wrap_paragraphs,
)
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


# -- moving about: matches, theme paragraphs, the legend -----------------------

STYLES = Path(article_view_module.__file__).parents[1] / "styles" / "app.tcss"
THEMES3 = {**THEMES, "health": Theme("health", "Health", "#30c060")}
FILLER = "officials said the work would continue through the year as planned with partners"


class Styled(App[None]):
    """The view as the reader draws it: the app's stylesheet (padding, match styles)."""

    CSS_PATH = str(STYLES)

    def compose(self) -> ComposeResult:
        yield ArticleView(THEMES3, id="detail")

    def on_mount(self) -> None:
        self.animation_level = "none"


def themed(text: str, *themes: str) -> Paragraph:
    return Paragraph(text, tuple(ThemeHit(theme, 1.0 - i / 10) for i, theme in enumerate(themes)))


def long_text(marker: str, n: int = 4) -> str:
    """A paragraph of several lines that begins with ``marker`` (a word found once)."""
    return f"{marker} " + " ".join([FILLER] * n)


#: Twelve paragraphs: energy is most often the primary theme (5), transport 4, none 3;
#: paragraph 3 has energy as its second theme and paragraph 7 has health as its only other.
NAVIGATION = article(
    themed(long_text("Alpha"), "energy"),
    themed(long_text("Bravo") + " uranium here and uranium there", "transport"),
    themed(long_text("Charlie"), "energy"),
    themed(long_text("Delta"), "transport", "energy"),
    themed(long_text("Echo") + " the uranium mine", "energy"),
    themed(long_text("Foxtrot")),
    themed(long_text("Golf"), "energy"),
    themed(long_text("Hotel"), "transport", "health"),
    themed(long_text("India")),
    themed(long_text("Juliet") + " more uranium", "energy"),
    themed(long_text("Kilo"), "transport"),
    themed(long_text("Lima")),
)
URANIUM = frozenset(term for term, _, _ in term_spans("uranium"))


async def opened(
    pilot: Pilot[None], shown: Article = NAVIGATION, terms: frozenset[str] = URANIUM
) -> ArticleView:
    view = pilot.app.query_one(ArticleView)
    spans = tuple(tuple(term_spans(p.text)) for p in shown.paragraphs)
    view.show_article(shown, terms, spans, (view.text_width, wrap_paragraphs(shown, view.text_width)))
    view.focus()
    await pilot.pause()
    return view


def on_screen(view: ArticleView) -> list[Strip]:
    """The lines the view draws now (the status line last)."""
    width, height = view.outer_size
    return view.render_lines(Region(0, 0, width, height))


def screen_text(view: ArticleView) -> str:
    return "\n".join(strip.text for strip in on_screen(view))


def current_marks(strips: list[Strip]) -> list[str]:
    """The words drawn in the current-match style (reverse)."""
    return [seg.text for strip in strips for seg in strip if seg.style and seg.style.reverse]


async def test_n_and_shift_n_visit_each_match_in_order_and_wrap() -> None:
    app = Styled()
    async with app.run_test(size=(80, 24)) as pilot:
        view = await opened(pilot)
        found = view.matches()
        assert [index for index, _, _ in found] == [1, 1, 4, 9]
        # Every match is marked; none is current before n.
        assert current_marks(on_screen(view)) == []
        expected = [(0, ""), (1, ""), (2, ""), (3, ""), (0, " (wrapped to the top)")]
        for number, wrapped in expected:
            await pilot.press("n")
            assert view.current_match == number
            assert view.status == f"match {number + 1} of 4{wrapped}"
            strips = on_screen(view)
            # The current match is on screen, the only word in reverse, and the status says which.
            assert current_marks(strips) == ["uranium"]
            assert f"match {number + 1} of 4" in strips[-1].text
        # The other matches keep the match style (bold, underlined), not reverse.
        lines = view.paragraph_lines(1)
        styles = [seg.style for line in lines for seg in line if seg.text == "uranium"]
        assert len(styles) == 2
        assert [bool(style and style.reverse) for style in styles] == [True, False]
        assert all(style and style.bold and style.underline for style in styles)

        await pilot.press("N")
        assert view.current_match == 3 and view.status == "match 4 of 4 (wrapped to the bottom)"
        await pilot.press("N")
        assert view.current_match == 2 and view.status == "match 3 of 4"
        assert current_marks(on_screen(view)) == ["uranium"]


async def test_n_starts_below_the_top_of_the_view_and_says_when_nothing_matches() -> None:
    app = Styled()
    async with app.run_test(size=(80, 24)) as pilot:
        view = await opened(pilot)
        view.scroll_to(y=view.max_scroll_y // 2, animate=False, immediate=True)
        top = view.scroll_offset.y
        await pilot.press("n")
        # The first match at or below the top of the view: the one in paragraph 4 or 9.
        assert view.current_match in (2, 3)
        assert view.scroll_offset.y >= top

        view = await opened(pilot, terms=frozenset(term for term, _, _ in term_spans("zanzibar")))
        await pilot.press("n")
        assert view.status == "no match of the query in this article"
        assert view.status in on_screen(view)[-1].text
        assert view.current_match is None


def theme_paragraph_on_top(view: ArticleView, index: int) -> bool:
    """Paragraph ``index`` starts in the top few lines of the view (or the view is at its end)."""
    marker = NAVIGATION.paragraphs[index].text.split()[0]
    lines = [strip.text for strip in on_screen(view)]
    where = next((row for row, line in enumerate(lines) if f" {marker} " in f" {line} "), None)
    assert where is not None, f"{marker} is not on screen"
    return where <= CONTEXT + 2 or view.scroll_offset.y == view.max_scroll_y


async def test_brackets_visit_the_paragraphs_of_the_chosen_theme_and_wrap() -> None:
    app = Styled()
    async with app.run_test(size=(80, 24)) as pilot:
        view = await opened(pilot)
        # The most frequent primary theme is chosen, and the legend says so.
        assert view.chosen_theme == "energy"
        assert view.theme_choices == ("energy", "transport", "health")
        assert f"[{BAR}Energy" in "\n".join(view.text_lines())
        # Paragraph 3 has energy as its second theme: ] stops there too.
        energy = [0, 2, 3, 4, 6, 9]
        for number, index in enumerate(energy):
            await pilot.press("right_square_bracket")
            assert view.status == f"Energy: paragraph {number + 1} of 6"
            assert theme_paragraph_on_top(view, index)
        await pilot.press("right_square_bracket")
        assert view.status == "Energy: paragraph 1 of 6 (wrapped to the top)"
        assert theme_paragraph_on_top(view, 0)
        await pilot.press("left_square_bracket")
        assert view.status == "Energy: paragraph 6 of 6 (wrapped to the bottom)"
        await pilot.press("left_square_bracket")
        assert view.status == "Energy: paragraph 5 of 6"
        assert theme_paragraph_on_top(view, 6)


async def test_c_cycles_the_chosen_theme_through_the_articles_themes() -> None:
    app = Styled()
    async with app.run_test(size=(80, 24)) as pilot:
        view = await opened(pilot)
        chosen = []
        for _ in range(3):
            await pilot.press("c")
            chosen.append(view.chosen_theme)
            label = THEMES3[view.chosen_theme or ""].label
            # The legend brackets the chosen theme, and only it.
            legend = "\n".join(view.text_lines()[:8])
            assert legend.count("[") == 1 and f"[{BAR}{label}" in legend
        assert chosen == ["transport", "health", "energy"]
        await pilot.press("c", "right_square_bracket", "right_square_bracket")
        assert view.status == "Transport: paragraph 2 of 4"
        assert theme_paragraph_on_top(view, 3)
        # A paragraph's label underlines the chosen theme among its themes.
        label = view.paragraph_lines(7)[0]
        underlined = [seg.text for seg in label if seg.style and seg.style.underline]
        assert underlined == ["Transport"]


async def test_the_querys_theme_filter_is_the_chosen_theme() -> None:
    assert query_theme("pipeline theme:transport", THEMES3) == "transport"
    assert query_theme("pipeline OR theme:transport", THEMES3) is None
    assert query_theme("pipeline", THEMES3) is None
    app = Styled()
    async with app.run_test(size=(80, 24)) as pilot:
        view = await opened(pilot)
        view.set_theme_focus(query_theme("uranium theme:health", THEMES3))
        assert view.chosen_theme == "health"
        await pilot.press("right_square_bracket")
        assert view.status == "Health: paragraph 1 of 1"
        assert theme_paragraph_on_top(view, 7)
        # The next article opens on the query's theme too, when it has it...
        view = await opened(
            pilot, article(themed("x", "energy"), themed("y", "energy"), themed("z", "health"))
        )
        assert view.chosen_theme == "health"
        # ... and on its most frequent theme when it has not.
        view = await opened(
            pilot, article(themed("x", "transport"), themed("y", "energy"), themed("z", "energy"))
        )
        assert view.chosen_theme == "energy"


async def test_a_click_on_a_legend_label_goes_to_its_first_paragraph() -> None:
    app = Styled()
    async with app.run_test(size=(80, 24)) as pilot:
        view = await opened(pilot)
        lines = view.text_lines()
        row = next(row for row, line in enumerate(lines) if f"{BAR}Transport" in line)
        column = lines[row].index("Transport")
        padding = view.styles.padding
        assert view.scroll_offset.y == 0
        await pilot.click(ArticleView, offset=(padding.left + column + 2, padding.top + row))
        assert view.chosen_theme == "transport"
        assert view.status == "Transport: paragraph 1 of 4"
        assert theme_paragraph_on_top(view, 1)
        assert view.scroll_offset.y > 0
        # A click beside the legend chooses nothing.
        view.scroll_home(animate=False, immediate=True)
        await pilot.click(ArticleView, offset=(padding.left + 1, padding.top))
        assert view.chosen_theme == "transport" and view.scroll_offset.y == 0


# -- highlighting styles, colours and the theme mix ------------------------------


def backgrounds(strip: Strip) -> set[str]:
    return {
        seg.style.bgcolor.triplet.hex
        for seg in strip
        if seg.style and seg.style.bgcolor and seg.style.bgcolor.triplet
    }


async def test_highlight_background_tints_each_paragraph_in_its_theme_colour() -> None:
    shown = article(paragraph(30), paragraph(30, "transport", 30), paragraph(10, None, 60))
    app = Styled()
    async with app.run_test(size=(80, 30)) as pilot:
        view = await opened(pilot, shown, frozenset())
        base = backgrounds(view.paragraph_lines(2)[0])
        assert len(base) == 1
        view.highlight = "background"
        await pilot.pause()
        tints = {}
        for index, theme in ((0, "energy"), (1, "transport")):
            lines = view.paragraph_lines(index)
            assert lines[0].text.startswith(f"  {THEMES[theme].label}")  # the label stays, no bar
            assert all(BAR not in line.text for line in lines)
            # Every line of the paragraph but its first cell is on one tint, not the base.
            colours = {colour for line in lines for colour in backgrounds(Strip(list(line)[1:]))}
            assert len(colours) == 1 and colours.isdisjoint(base)
            tints[theme] = Color.parse(colours.pop())
            assert backgrounds(Strip(list(lines[0])[:1])) == base
        # Energy (orange) tints warm, transport (blue) tints cool; both stay dark on a dark theme.
        assert tints["energy"].r > tints["energy"].b and tints["transport"].b > tints["transport"].r
        assert all(tint.brightness < 0.5 for tint in tints.values())
        assert backgrounds(view.paragraph_lines(2)[0]) == base  # no theme, no tint
        # t turns the tint off and on again.
        view.show_themes = False
        await pilot.pause()
        assert backgrounds(view.paragraph_lines(0)[0]) == base
        view.show_themes = True
        await pilot.pause()
        assert backgrounds(Strip(list(view.paragraph_lines(0)[0])[1:])) == {tints["energy"].hex.lower()}
        # On a light theme the tint is light, and the text keeps its contrast.
        app.theme = "textual-light"
        await pilot.pause()
        light = Color.parse(backgrounds(Strip(list(view.paragraph_lines(0)[1])[1:])).pop())
        assert light.brightness > 0.5


async def test_highlight_off_draws_no_bar_no_label_and_says_so() -> None:
    shown = article(paragraph(30), paragraph(30, "transport", 30))
    app = Styled()
    async with app.run_test(size=(80, 30)) as pilot:
        view = await opened(pilot, shown, frozenset())
        bars_on = len(view.paragraph_lines(0))
        view.highlight = "off"
        await pilot.pause()
        text = "\n".join(view.text_lines())
        assert BAR not in text and "%" not in text
        assert "Theme highlighting is off" in text
        assert len(view.paragraph_lines(0)) == bars_on - 1  # no label
        drawn = [word for line in view.paragraph_lines(0) for word in line.text.split()]
        assert drawn == shown.paragraphs[0].text.split()
        base = backgrounds(view.paragraph_lines(0)[0])
        assert len(base) == 1
        # t on top of "off" changes nothing; back to "bar", the bars come back.
        view.show_themes = False
        view.highlight = "bar"
        await pilot.pause()
        assert BAR not in "\n".join(view.text_lines())
        view.show_themes = True
        await pilot.pause()
        assert view.paragraph_lines(0)[0]._segments[0].text == BAR
        with pytest.raises(ValueError, match="highlight"):
            view.highlight = "glow"


async def test_set_themes_changes_the_colours_at_once() -> None:
    shown = article(paragraph(30), paragraph(30, "transport", 30))
    app = Styled()
    async with app.run_test(size=(80, 30)) as pilot:
        view = await opened(pilot, shown, frozenset())
        assert bar_colours(view, 0) == {THEMES["energy"].color}
        view.set_themes({**THEMES3, "energy": replace(THEMES["energy"], color="#ff0000")})
        await pilot.pause()
        assert bar_colours(view, 0) == {"#ff0000"}
        assert bar_colours(view, 1) == {THEMES["transport"].color}
        legend = [strip for strip in on_screen(view) if "Energy" in strip.text and "%" in strip.text]
        assert any(
            seg.style and seg.style.bgcolor and seg.style.bgcolor.name == "#ff0000" for seg in legend[0]
        )


def bar_colours(view: ArticleView, index: int) -> set[str | None]:
    return {
        seg.style.color.triplet.hex if seg.style and seg.style.color and seg.style.color.triplet else None
        for strip in view.paragraph_lines(index)
        for seg in strip._segments[:1]
    }


async def test_the_theme_mix_is_drawn_under_the_legend() -> None:
    shown = article(
        paragraph(8),
        paragraph(8, "energy", 8),
        paragraph(8, "energy", 16),
        paragraph(8, "transport", 24),
        paragraph(8, None, 32),
    )
    app = Styled()
    async with app.run_test(size=(80, 30)) as pilot:
        view = await opened(pilot, shown, frozenset())
        lines = view.text_lines()
        legend = next(row for row, line in enumerate(lines) if "%" in line)
        assert "Energy 60%" in lines[legend] and "Transport 20%" in lines[legend]
        assert "no theme 20%" in lines[legend]
        assert sum(int(n) for n in re.findall(r"(\d+)%", "\n".join(lines[: legend + 2]))) == 100
        # The next line is the mix: a bar 60:20:20 in the themes' colours.
        assert "█" in lines[legend + 1]
        mix = next(strip for strip in on_screen(view) if "█" in strip.text)
        cells = [(seg.text, hex_colour(seg.style)) for seg in mix if seg.text.strip()]
        drawn = {colour: sum(len(text) for text, c in cells if c == colour) for _, colour in cells}
        energy, transport = drawn[THEMES["energy"].color], drawn[THEMES["transport"].color]
        assert abs(energy - 3 * transport) <= 2  # whole cells
        assert "░" in mix.text
        # Highlighting off: no mix.
        view.highlight = "off"
        await pilot.pause()
        assert "█" not in "\n".join(view.text_lines())


def hex_colour(style: Style | None) -> str | None:
    return style.color.triplet.hex if style and style.color and style.color.triplet else None
