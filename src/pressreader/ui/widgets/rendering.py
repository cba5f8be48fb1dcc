"""Pure functions that turn the core's dataclasses into ``rich.text.Text``.

Release text is untrusted: it only ever enters a ``Text`` as plain content
(``Text(...)``, ``append``), never as markup, and emphasis is added with
``Text.stylize`` on character spans.  Every text from the library or the
lexicon passes :func:`~pressreader.printable.printable` first: a planted catalog
row or a ``themes.toml`` label may hold escape sequences ingest never saw.
Nothing here touches a widget, so each function is cheap to test and to call
from ``render_line``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from rich.style import Style
from rich.text import Text
from textual.color import Color

from pressreader.analysis import find_terms
from pressreader.ingest import junk
from pressreader.model import Article, Paragraph, Theme
from pressreader.printable import printable, printable_spans

BAR = "▌"
CHIP_WIDTH = 12  # "Humanitarian", the longest default label
#: How much of a theme's colour a paragraph's background takes (highlighting "background").
TINT = 0.2
DIM = Style(dim=True)
BOLD = Style(bold=True)


def shown_article(article: Article) -> Article:
    """``article`` as the reader draws it: its title, date, source, address, language, tags
    and paragraphs through :func:`printable` (line breaks kept in paragraphs, a tab one
    space, as it draws; the id, a key, as it is).  The same object when nothing needed
    it, as for anything ingest read."""
    fields = {
        name: printable(value)
        for name in ("title", "date", "source", "url", "lang")
        if (value := getattr(article, name)) != printable(value)
    }
    tags = tuple(printable(tag) for tag in article.tags)
    if tags != article.tags:
        fields["tags"] = tags
    paragraphs = tuple(
        paragraph
        if (text := printable(paragraph.text.replace("\t", " "), newlines=True)) == paragraph.text
        else Paragraph(text, paragraph.themes)
        for paragraph in article.paragraphs
    )
    if any(new is not old for new, old in zip(paragraphs, article.paragraphs, strict=True)):
        fields["paragraphs"] = paragraphs
    return replace(article, **fields) if fields else article


def theme_color(theme: Theme) -> Color:
    """The theme's colour, or a neutral grey when the lexicon's value is unusable."""
    try:
        return Color.parse(theme.color)
    except Exception:  # a user lexicon may hold anything; never crash drawing it
        return Color(128, 128, 128)


def chip(theme: Theme, width: int = CHIP_WIDTH) -> Text:
    """The theme's label cut or padded to ``width``, on a block of the theme's colour."""
    background = theme_color(theme)
    label = Text(printable(theme.label or theme.id))
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


def legend_entry(theme: Theme, percent: int | None = None, *, chosen: bool = False) -> Text:
    """`` ▌Energy 40% ``, or ``[▌Energy 40%]`` on the theme's colour when it is the chosen
    theme: the same width either way, so choosing never moves the legend about."""
    colour = theme_color(theme)
    name = Text(printable(theme.label or theme.id), Style(color=colour.rich_color, bold=True))
    if percent is not None:
        name.append(f" {percent}%")
    if chosen:
        name.stylize(Style(color=colour.get_contrast_text(1.0).rich_color, bgcolor=colour.rich_color))
    edge = Style(bold=True)
    return Text.assemble(
        ("[" if chosen else " ", edge),
        (BAR, Style(color=colour.rich_color)),
        name,
        ("]" if chosen else " ", edge),
    )


def unthemed_entry(name: str, percent: int) -> Text:
    """`` ░no theme 12% ``: paragraphs without a theme (or of one the lexicon lacks)."""
    return Text.assemble(" ", ("░", DIM), (printable(name), DIM), f" {percent}% ")


def legend_lines(
    entries: Sequence[tuple[str | None, Text]], width: int
) -> list[tuple[Text, list[tuple[str, int, int]]]]:
    """Entries laid out on lines of ``width`` cells, one space apart, an entry never split
    (cut when longer than a line).  Each line comes with where its choosable entries
    stand: (theme id, first cell, cell after the last)."""
    width = max(width, 1)
    lines: list[tuple[Text, list[tuple[str, int, int]]]] = []
    for theme_id, entry in entries:
        entry = entry.copy()
        entry.truncate(width, overflow="ellipsis")
        if not lines or lines[-1][0].cell_len + 1 + entry.cell_len > width:
            lines.append((Text(), []))
        text, places = lines[-1]
        if text:
            text.append(" ")
        start = text.cell_len
        text.append_text(entry)
        if theme_id is not None:
            places.append((theme_id, start, text.cell_len))
    return lines


def tint(background: Color, theme: Theme, amount: float = TINT) -> Color:
    """The background of a paragraph of ``theme``: its colour blended into ``background``
    (a little of it, so text keeps its contrast on dark and light themes alike)."""
    return background.blend(theme_color(theme), amount)


def paragraph_label(paragraph: Paragraph, themes: Mapping[str, Theme], chosen: str | None = None) -> Text:
    """``Energy · Environment, Transport``: the primary theme, then the others, dimmed;
    the ``chosen`` theme's name is underlined (it is why ``]`` stops here)."""
    text = Text()
    known = [themes[hit.theme] for hit in paragraph.themes if hit.theme in themes]
    for number, theme in enumerate(known):
        if number:
            text.append(" · " if number == 1 else ", ", DIM)
        style = Style(color=theme_color(theme).rich_color, bold=True) if number == 0 else DIM
        if theme.id == chosen:
            style += Style(underline=True)
        text.append(printable(theme.label or theme.id), style)
    return text


def match_spans(
    text: str, terms: frozenset[str], spans: tuple[tuple[str, int, int], ...] | None = None
) -> list[tuple[int, int]]:
    """Where the query's words stand in ``text`` (from precomputed ``spans`` when given),
    in reading order: what :func:`paragraph_body` marks, and what ``n`` steps through."""
    if not terms:
        return []
    return sorted(find_terms(text, terms, spans))


def paragraph_body(
    paragraph: Paragraph,
    terms: frozenset[str],
    match_style: Style,
    spans: tuple[tuple[str, int, int], ...] | None = None,
    current: tuple[int, int] | None = None,
    current_style: Style | None = None,
) -> Text:
    """The paragraph's text with the query's words marked (from precomputed ``spans`` when
    given), and the ``current`` match, if it is in this paragraph, in ``current_style``;
    boilerplate (contact lines, photo credits) dimmed."""
    matches = match_spans(paragraph.text, terms, spans)
    marked = [*matches, *([current] if current is not None else [])]
    shown, moved = printable_spans(paragraph.text, marked, newlines=True)
    text = Text(shown)
    if not paragraph.themes and junk.is_boilerplate(paragraph.text):
        text.stylize(DIM)  # contact details, a photo credit: kept, but not the release's text
    for start, end in moved[: len(matches)]:
        text.stylize(match_style, start, end)
    if current is not None and current_style is not None:
        text.stylize(current_style, *moved[-1])
    return text
