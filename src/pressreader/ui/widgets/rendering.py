"""Pure functions that turn the core's dataclasses into ``rich.text.Text``.

Release text is untrusted: it only ever enters a ``Text`` as plain content
(``Text(...)``, ``append``), never as markup, and emphasis is added with
``Text.stylize`` on character spans.  Nothing here touches a widget, so each
function is cheap to test and to call from ``render_line``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rich.style import Style
from rich.text import Text
from textual.color import Color

from pressreader.analysis import find_terms
from pressreader.model import Article, Paragraph, Theme

BAR = "▌"
CHIP_WIDTH = 12  # "Humanitarian", the longest default label


def theme_color(theme: Theme) -> Color:
    """The theme's colour, or a neutral grey when the lexicon's value is unusable."""
    try:
        return Color.parse(theme.color)
    except Exception:  # a user lexicon may hold anything; never crash drawing it
        return Color(128, 128, 128)


def chip(theme: Theme, width: int = CHIP_WIDTH) -> Text:
    """The theme's label cut or padded to ``width``, on a block of the theme's colour."""
    background = theme_color(theme)
    label = Text(theme.label or theme.id)
    label.truncate(width, overflow="ellipsis", pad=True)
    text = Text(f" {label.plain} ")
    text.stylize(Style(color=background.get_contrast_text(1.0).rich_color, bgcolor=background.rich_color))
    return text


def chip_layout(room: int, *, most: int = 3) -> tuple[int, int]:
    """How many chips, and how wide a label, fit in ``room`` cells: ``(count, label_width)``.

    Whole labels first, as many as fit (a reader recognises "Environment"
    faster than "Envir…"); only when not even one whole label fits are labels
    cut.  The same answer for every row of a list, so the chips line up.
    """
    for count in range(most, 0, -1):
        if chips_width(count, CHIP_WIDTH) <= room:
            return count, CHIP_WIDTH
    for smallest in (8, 5, 3):
        for count in range(most, 0, -1):
            label_width = min((room - (count - 1)) // count - 2, CHIP_WIDTH)
            if label_width >= smallest:
                return count, label_width
    return 0, 0


def chips_width(count: int, label_width: int) -> int:
    """Cells taken by ``count`` chips of ``label_width`` (what a row reserves for them)."""
    return count * (label_width + 2) + max(count - 1, 0)


def chips(
    theme_ids: Iterable[str], themes: Mapping[str, Theme], *, count: int = 3, width: int = CHIP_WIDTH
) -> Text:
    """Chips for the ``count`` strongest known themes, each label ``width`` cells."""
    known = [themes[theme_id] for theme_id in theme_ids if theme_id in themes][:count]
    return Text(" ").join(chip(theme, width) for theme in known)


def legend(theme_ids: Iterable[str], themes: Mapping[str, Theme]) -> Text:
    """``▌Energy   ▌Transport``: what each paragraph colour means."""
    text = Text()
    for theme_id in theme_ids:
        theme = themes.get(theme_id)
        if theme is None:
            continue
        if text:
            text.append("   ")
        style = Style(color=theme_color(theme).rich_color)
        # No space between bar and label: a wrapped legend never leaves a bar
        # at the end of one line and its label on the next.
        text.append(BAR, style)
        text.append(theme.label or theme.id, style + Style(bold=True))
    return text


def article_themes(article: Article) -> tuple[str, ...]:
    """The themes to explain in the legend: each paragraph's primary, in reading order."""
    seen: dict[str, None] = {}
    for paragraph in article.paragraphs:
        if paragraph.primary is not None:
            seen.setdefault(paragraph.primary)
    return tuple(seen)


def mark_terms(text: Text, terms: frozenset[str], style: Style) -> int:
    """Stylize the words of ``text`` that match the query's terms; return how many."""
    spans = find_terms(text.plain, terms) if terms else []
    for start, end in spans:
        text.stylize(style, start, end)
    return len(spans)


def paragraph_label(paragraph: Paragraph, themes: Mapping[str, Theme]) -> Text:
    """``Energy · Environment, Transport``: the primary theme, then the others, dimmed."""
    text = Text()
    known = [themes[hit.theme] for hit in paragraph.themes if hit.theme in themes]
    if not known:
        return text
    first, *others = known
    text.append(first.label or first.id, Style(color=theme_color(first).rich_color, bold=True))
    if others:
        text.append(" · " + ", ".join(theme.label or theme.id for theme in others), Style(dim=True))
    return text


def paragraph_body(
    paragraph: Paragraph,
    terms: frozenset[str],
    match_style: Style,
    spans: tuple[tuple[str, int, int], ...] | None = None,
) -> Text:
    """The paragraph's text with the query's words marked (from precomputed ``spans`` when given)."""
    text = Text(paragraph.text)
    if spans is None:
        mark_terms(text, terms, match_style)
    elif terms:
        for term, start, end in spans:
            if term in terms:
                text.stylize(match_style, start, end)
    return text
