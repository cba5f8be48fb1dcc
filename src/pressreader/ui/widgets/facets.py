"""The shape of what a query found: a facet panel and an article's theme mix.

``FacetPanel`` shows the :class:`~pressreader.library.facets.Facets` of the
current query: a chart of matching articles over time, then one keyboard list
with three sections (Themes, Sources, Years) of "label  count" rows.  Choosing
a row (Enter or a click) posts :class:`FacetChosen`; the screen adds the filter
to the query (``pressreader.library.facets.toggle_filter``) and searches again.
Rows whose filter the query holds already are ticked (choosing one removes it).

``theme_mix`` draws an article's paragraphs by primary theme as a stacked bar
with a legend of percentages; ``ThemeMix`` is the widget that shows it.

Source names, theme labels and queries are untrusted: they only ever enter a
``rich.text.Text`` as plain content.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from pressreader.library.facets import FacetField, Facets, has_filter
from pressreader.model import Article, Theme
from pressreader.printable import printable
from pressreader.ui.widgets.rendering import BAR, theme_color

BLOCKS = " ▁▂▃▄▅▆▇█"
DIM = Style(dim=True)
BOLD = Style(bold=True)
#: Sources listed at most (the rest are summed up in one line).
MOST_SOURCES = 40
#: Months drawn one bar each up to this span; a longer span is drawn by year.
MOST_MONTHS = 72
TICK = "✓ "
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


@dataclass
class FacetChosen(Message):
    """The user chose a facet row: add (or take away) ``field:value`` in the query."""

    field: FacetField
    value: str


# ------------------------------------------------------------------ timeline
def periods(facets: Facets, width: int) -> tuple[str, list[tuple[str, int]]]:
    """("month", "year" or "N years", [(period, articles)]) for a chart ``width`` bars
    wide: every month from the first to the last (gaps as 0), or every year when
    the months do not fit or span more than :data:`MOST_MONTHS`; years are grouped
    N to a bar when even they do not fit (a group is named by its first year)."""
    months = [(month, n) for month, n in facets.months if _MONTH.fullmatch(month)]
    if not months:
        return "year", [(year, n) for year, n in facets.years]
    counts = dict(months)
    first, last = _month_number(months[0][0]), _month_number(months[-1][0])
    if last - first + 1 <= min(width, MOST_MONTHS):
        every = [f"{n // 12:04d}-{n % 12 + 1:02d}" for n in range(first, last + 1)]
        return "month", [(month, counts.get(month, 0)) for month in every]
    by_year = dict(facets.years)
    first_year, last_year = first // 12, last // 12
    years = [(f"{y:04d}", by_year.get(f"{y:04d}", 0)) for y in range(first_year, last_year + 1)]
    per_bar = -(-len(years) // max(width, 1))
    if per_bar == 1:
        return "year", years
    grouped = [
        (years[i][0], sum(n for _, n in years[i : i + per_bar])) for i in range(0, len(years), per_bar)
    ]
    return f"{per_bar} years", grouped


def _month_number(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def timeline(facets: Facets, width: int, *, height: int = 3, style: Style | None = None) -> Text:
    """Matching articles over time, drawn in ``width`` cells: a line saying by what
    and the peak, ``height`` rows of bars (▁ to █), and the first and last period."""
    width = max(width, 1)
    if not facets.months and not facets.years:
        return _fit(Text("No dated articles", DIM), width)
    unit, bars = periods(facets, width)
    peak_at, peak = max(bars, key=lambda bar: bar[1])
    cell = max(1, min(width // len(bars), 4))  # few bars: wider ones
    lines = [
        _fit(
            Text.assemble(
                (f"by {unit} · ", DIM), (f"peak {peak:,}", BOLD), (f" ({printable(peak_at)})", DIM)
            ),
            width,
        )
    ]
    steps = height * 8
    levels = [0 if n == 0 else max(1, round(n / max(peak, 1) * steps)) for _, n in bars]
    for row in range(height - 1, -1, -1):
        chars = "".join(BLOCKS[min(max(level - row * 8, 0), 8)] * cell for level in levels)
        lines.append(Text(chars[:width], style or Style()))
    drawn = min(len(bars) * cell, width)
    first, last = printable(bars[0][0]), printable(bars[-1][0])
    axis = Text(first, DIM)
    if len(bars) > 1 and len(first) + len(last) + 1 <= drawn:
        axis.append(" " * (drawn - len(first) - len(last)) + last, DIM)
    lines.append(_fit(axis, width))
    return Text("\n").join(lines)


def _fit(text: Text, width: int) -> Text:
    text.truncate(width, overflow="ellipsis")
    return text


class Timeline(Widget):
    """The chart of :func:`timeline`, drawn for the width the widget has."""

    DEFAULT_CSS = """
    Timeline {
        height: auto;
        color: $accent;
    }
    """

    def __init__(self, *, rows: int = 3, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.rows = rows
        self.facets: Facets | None = None

    def show(self, facets: Facets | None) -> None:
        self.facets = facets
        self.refresh(layout=True)

    def render(self) -> Text:
        if self.facets is None:
            return Text("")
        return timeline(self.facets, self.content_size.width or 40, height=self.rows)

    def get_content_height(self, container: Any, viewport: Any, width: int) -> int:
        if self.facets is None:
            return 1
        return timeline(self.facets, width, height=self.rows).plain.count("\n") + 1


# ------------------------------------------------------------------ the panel
class FacetRow:
    """A row of the facet list: the label, cut to fit, and the count at the right edge."""

    def __init__(self, label: Text, count: int) -> None:
        self.label = label
        self.count = f"{count:,}"

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        label = self.label.copy()
        label.truncate(max(width - len(self.count) - 1, 0), overflow="ellipsis", pad=True)
        line = Text.assemble(label, " ", self.count)
        line.truncate(width)
        yield line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(len(self.count) + 2, self.label.cell_len + 1 + len(self.count))


def facet_rows(
    facets: Facets, themes: Mapping[str, Theme]
) -> list[tuple[Text | FacetRow, tuple[FacetField, str] | None]]:
    """The panel's list: (what a row shows, the filter it stands for, None for a heading)."""
    rows: list[tuple[Text | FacetRow, tuple[FacetField, str] | None]] = []

    def label(field: FacetField, value: str, text: Text) -> Text:
        if has_filter(facets.query, field, value):
            return Text.assemble((TICK, BOLD), text)
        return text

    if facets.themes:
        rows.append((Text("Themes", BOLD), None))
        for theme_id, count in facets.themes:
            theme = themes.get(theme_id)
            if theme is None:
                shown = Text.assemble((BAR, DIM), printable(theme_id))
            else:
                colour = Style(color=theme_color(theme).rich_color)
                shown = Text.assemble((BAR, colour), (printable(theme.label or theme.id), colour))
            rows.append((FacetRow(label("theme", theme_id, shown), count), ("theme", theme_id)))
    if facets.sources:
        rows.append((Text("Sources", BOLD), None))
        for name, count in facets.sources[:MOST_SOURCES]:
            rows.append((FacetRow(label("source", name, Text(printable(name))), count), ("source", name)))
        rest = facets.sources[MOST_SOURCES:]
        if rest:
            more = sum(count for _, count in rest)
            rows.append((FacetRow(Text(f"… {len(rest):,} more sources", DIM), more), None))
    if facets.years or facets.undated:
        rows.append((Text("Years", BOLD), None))
        for year, count in reversed(facets.years):  # newest first, as the list is
            rows.append((FacetRow(label("date", year, Text(printable(year))), count), ("date", year)))
        if facets.undated:
            rows.append((FacetRow(Text("no date", DIM), facets.undated), None))
    return rows


def status(facets: Facets) -> Text:
    """The line above the chart: how many articles, or what is wrong with the query."""
    if facets.error:
        return Text.assemble(("Cannot count: ", BOLD), printable(facets.error))
    text = Text.assemble((f"{facets.total:,}", BOLD), " article" if facets.total == 1 else " articles")
    if facets.undated:
        text.append(f" · {facets.undated:,} without a date", DIM)
    return text


class FacetList(OptionList):
    """The panel's keyboard list (headings are disabled rows the cursor skips)."""


class FacetPanel(Vertical):
    """The facets of the current query: a timeline, then themes, sources and years.

    ``show(facets)`` fills it, ``show_loading()`` says counting is under way
    (the old counts stay, dimmed).  Choosing a row posts :class:`FacetChosen`.
    ``show_article(article)`` adds the open article's theme mix at its foot.
    """

    DEFAULT_CSS = """
    FacetPanel {
        width: 36;
        height: 1fr;
        padding: 0 1;
        background: $surface;

        & > #facet-status {
            height: auto;
            margin-bottom: 1;
        }
        & > Timeline {
            margin-bottom: 1;
        }
        & > FacetList, & > FacetList:focus {
            height: 1fr;
            border: none;
            padding: 0;
            background: $surface;
            & > .option-list--option-disabled {
                color: $text-secondary;
                text-style: bold;
            }
        }
        & > #facet-article {
            height: auto;
            margin-top: 1;
            color: $text-secondary;
        }
        &.-loading > FacetList, &.-loading > Timeline {
            opacity: 50%;
        }
    }
    """

    def __init__(
        self,
        themes: Mapping[str, Theme],
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.themes = themes
        #: What the panel shows (None before the first ``show``).
        self.facets: Facets | None = None
        self._choices: list[tuple[FacetField, str] | None] = []

    def compose(self) -> ComposeResult:
        yield Static(Text(""), id="facet-status")
        yield Timeline()
        yield FacetList(markup=False)
        yield Static(Text("Open article: paragraphs by theme", BOLD), id="facet-article")
        yield ThemeMix(self.themes)

    def on_mount(self) -> None:
        self.show_article(None)

    @property
    def choices(self) -> Sequence[tuple[FacetField, str] | None]:
        """The filter each row of the list stands for (None: a heading)."""
        return tuple(self._choices)

    def show_article(self, article: Article | None) -> None:
        """The open article's theme mix at the foot of the panel (None: none open)."""
        self.query_one("#facet-article", Static).display = article is not None
        mix = self.query_one(ThemeMix)
        mix.display = article is not None
        mix.show(article)

    def show_loading(self) -> None:
        self.add_class("-loading")
        self.query_one("#facet-status", Static).update(Text("Counting…", DIM))

    def show(self, facets: Facets) -> None:
        self.remove_class("-loading")
        self.facets = facets
        self.query_one("#facet-status", Static).update(status(facets))
        self.query_one(Timeline).show(None if facets.error else facets)
        options = self.query_one(FacetList)
        before = options.highlighted
        was = self._choices[before] if before is not None and before < len(self._choices) else None
        rows = facet_rows(facets, self.themes)
        self._choices = [choice for _, choice in rows]
        options.set_options(Option(shown, disabled=choice is None) for shown, choice in rows)
        if was is not None and was in self._choices:
            options.highlighted = self._choices.index(was)
        else:
            options.highlighted = next((i for i, c in enumerate(self._choices) if c is not None), None)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self._choices):
            choice = self._choices[event.option_index]
            if choice is not None:
                self.post_message(FacetChosen(*choice))


# ------------------------------------------------------------------ theme mix
def mix_shares(article: Article) -> list[tuple[str | None, int, int]]:
    """(primary theme id or None, paragraphs, percent) for each theme the article's
    paragraphs have as primary, most first (ties: first seen first); the percents
    add up to 100 (largest remainders)."""
    paragraphs: dict[str | None, int] = {}
    for paragraph in article.paragraphs:
        paragraphs[paragraph.primary] = paragraphs.get(paragraph.primary, 0) + 1
    ordered = sorted(paragraphs.items(), key=lambda item: -item[1])  # stable: first seen first
    percents = _apportion([n for _, n in ordered], 100)
    return [(theme, n, percent) for (theme, n), percent in zip(ordered, percents, strict=True)]


def _apportion(counts: list[int], whole: int) -> list[int]:
    """``whole`` split in proportion to ``counts``, in integers that add up to it."""
    total = sum(counts)
    if not total:
        return [0] * len(counts)
    exact = [count * whole / total for count in counts]
    parts = [int(share) for share in exact]
    by_remainder = sorted(range(len(counts)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in by_remainder[: whole - sum(parts)]:
        parts[i] += 1
    return parts


def theme_mix(article: Article, themes: Mapping[str, Theme], width: int) -> Text:
    """A bar ``width`` cells wide split by the share of paragraphs of each primary
    theme, in the themes' colours, then a legend of percentages on as many lines
    of ``width`` as it needs (an entry is never split)."""
    width = max(width, 1)
    shares = mix_shares(article)
    if not shares:
        return Text("No paragraphs", DIM)
    bar = Text()
    entries = []
    cells = _apportion([n for _, n, _ in shares], width)
    for (theme_id, _, percent), cell in zip(shares, cells, strict=True):
        theme = themes.get(theme_id) if theme_id is not None else None
        if theme is not None:
            style = Style(color=theme_color(theme).rich_color)
            bar.append("█" * cell, style)
            entry = Text.assemble((BAR, style), (printable(theme.label or theme.id), BOLD), f" {percent}%")
        else:
            bar.append("░" * cell, DIM)
            entry = Text.assemble(("░", DIM), (printable(theme_id or "no theme"), DIM), f" {percent}%")
        entries.append(_fit(entry, width))
    lines = [bar]
    for entry in entries:
        if len(lines) > 1 and lines[-1].cell_len + 3 + entry.cell_len <= width:
            lines[-1].append("   ")
            lines[-1].append_text(entry)
        else:
            lines.append(entry)
    return Text("\n").join(lines)


class ThemeMix(Widget):
    """The open article's :func:`theme_mix`; ``show(article)`` changes it."""

    DEFAULT_CSS = """
    ThemeMix {
        height: auto;
    }
    """

    def __init__(
        self,
        themes: Mapping[str, Theme],
        article: Article | None = None,
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.themes = themes
        self.article = article

    def show(self, article: Article | None) -> None:
        self.article = article
        self.refresh(layout=True)

    def render(self) -> Text:
        if self.article is None:
            return Text("")
        return theme_mix(self.article, self.themes, self.content_size.width or 40)

    def get_content_height(self, container: Any, viewport: Any, width: int) -> int:
        if self.article is None:
            return 1
        return theme_mix(self.article, self.themes, width).plain.count("\n") + 1
