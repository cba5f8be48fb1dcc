"""Facets of a query (issue 6): counts by theme, source, year and month, the query
text a chosen facet makes, and the panel, timeline and theme mix that show them.

Every count is checked against the slow way: each hit of ``Library.search`` read
whole from the catalog and counted in Python.
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.text import Text
from textual.app import App, ComposeResult

from conftest import SampleLibrary, rewrite, sample_files
from pressreader.library import Library, SearchStopped, ranking
from pressreader.library.facets import (
    Facets,
    add_filter,
    filter_text,
    has_filter,
    remove_filter,
    toggle_filter,
)
from pressreader.model import Article, Paragraph, Theme, ThemeHit
from pressreader.ui.widgets.facets import (
    MOST_SOURCES,
    FacetChosen,
    FacetList,
    FacetPanel,
    FacetRow,
    ThemeMix,
    Timeline,
    mix_shares,
    periods,
    theme_mix,
    timeline,
)

QUERIES = [
    "",
    "uranium",
    "water OR energy",
    '"foreign affairs"',
    "theme:energy",
    "theme:energy date:2024",
    "date:2023",
    "date:[2022-06 to 2023-06]",
    'source:"Kazakh MFA"',
    "ener*",  # a wildcard on text
    "NOT japan",  # a lone NOT: not evaluated on arrays
    "uranium^2",  # a boost: not evaluated on arrays
    "nosuchwordanywhere",
]


def slow_facets(library: Library, query: str) -> dict[str, object]:
    """What facets should say, from every hit read whole."""
    result = library.search(query, limit=None, snippets=False)
    assert not result.error, result.error
    assert len(result.hits) == result.total
    themes: Counter[str] = Counter()
    sources: Counter[str] = Counter()
    months: Counter[str] = Counter()
    years: Counter[str] = Counter()
    undated = 0
    for hit in result.hits:
        article = library.get(hit.id)
        assert article is not None
        themes.update(article.themes)
        if article.source:
            sources[article.source] += 1
        if article.date:
            months[article.date[:7]] += 1
            years[article.date[:4]] += 1
        else:
            undated += 1
    return {
        "total": result.total,
        "themes": dict(themes),
        "sources": dict(sources),
        "months": dict(months),
        "years": dict(years),
        "undated": undated,
    }


def as_dict(facets: Facets) -> dict[str, object]:
    assert facets.error is None, facets.error
    return {
        "total": facets.total,
        "themes": dict(facets.themes),
        "sources": dict(facets.sources),
        "months": dict(facets.months),
        "years": dict(facets.years),
        "undated": facets.undated,
    }


def check_orders(facets: Facets) -> None:
    for pairs in (facets.themes, facets.sources):
        assert [n for _, n in pairs] == sorted((n for _, n in pairs), reverse=True)
        assert all(n > 0 for _, n in pairs)
    assert [year for year, _ in facets.years] == sorted(year for year, _ in facets.years)
    assert [month for month, _ in facets.months] == sorted(month for month, _ in facets.months)
    assert sum(n for _, n in facets.years) + facets.undated == facets.total


# ------------------------------------------------------------------ counting
@pytest.mark.parametrize("query", QUERIES)
def test_counts_match_the_hits_read_one_by_one(sample_library: SampleLibrary, query: str) -> None:
    facets = sample_library.library.facets(query)
    assert facets.query == query
    assert as_dict(facets) == slow_facets(sample_library.library, query)
    check_orders(facets)


def test_the_blank_query_counts_every_article(sample_library: SampleLibrary) -> None:
    facets = sample_library.library.facets("  ")
    assert facets.total == sample_library.library.count() == 43
    assert dict(facets.years) == {"2022": 10, "2023": 12, "2024": 12, "2025": 9}
    assert dict(facets.sources)["Kazakh MFA"] == 18
    assert facets.sources[0] == ("Kazakh MFA", 18)


def test_queries_arrays_cannot_evaluate_are_counted_too(sample_library: SampleLibrary) -> None:
    library = sample_library.library
    for text in ("NOT japan", "uranium^2"):
        parsed = library._parser.parse(text)
        assert not ranking.is_plain(parsed, patterns=True)  # the other path is the one tested
    assert library.facets("NOT japan").total == 43 - library.search("japan", limit=None).total


def test_a_malformed_query_gives_a_message_not_an_exception(sample_library: SampleLibrary) -> None:
    for text in ("(uranium", "theme:nosuchtheme", 'source:"open', "date:2024-13"):
        facets = sample_library.library.facets(text)
        assert facets.error and facets.total == 0 and not facets.themes, text
        assert facets.query == text


def test_counting_gives_up_when_told(sample_library: SampleLibrary) -> None:
    with pytest.raises(SearchStopped):
        sample_library.library.facets("uranium", should_stop=lambda: True)


def test_each_facet_as_a_filter_finds_what_it_counted(sample_library: SampleLibrary) -> None:
    """What the panel adds to the query box finds exactly the articles the row counted."""
    library = sample_library.library
    for base in ("", "uranium", "theme:energy OR water"):
        facets = library.facets(base)
        rows = [
            *(("theme", value, n) for value, n in facets.themes),
            *(("source", value, n) for value, n in facets.sources),
            *(("date", value, n) for value, n in facets.years),
        ]
        assert rows
        for field, value, count in rows:
            narrowed = add_filter(base, field, value)
            assert library.search(narrowed, limit=None).total == count, narrowed
            assert library.facets(narrowed).total == count
            assert toggle_filter(narrowed, field, value).strip("()") == base


@pytest.fixture
def segmented(tmp_path: Path) -> Iterator[tuple[Library, Path]]:
    """The samples and an undated release, imported in groups: several segments."""
    folder = tmp_path / "releases"
    folder.mkdir()
    for file in sample_files():
        shutil.copy2(file, folder / file.name)
    (folder / "undated-note.txt").write_text(
        "Undated note on grain exports\n\nThe ministry reports that grain exports by rail grew.\n",
        encoding="utf-8",
    )
    library = Library.open(tmp_path / "lib")
    files = sorted(folder.iterdir())
    for start in range(0, len(files), 12):
        report = library.import_paths(files[start : start + 12])
        assert not report.rejected, report.rejected
    yield library, folder
    library.close()


def test_several_segments_deletions_and_cached_arrays(segmented: tuple[Library, Path]) -> None:
    library, folder = segmented
    assert len(library._fresh_searcher().leaf_searchers()) > 1
    before = {query: library.facets(query) for query in QUERIES}  # arrays now cached per segment
    for query, facets in before.items():
        assert as_dict(facets) == slow_facets(library, query), query
    assert before[""].undated == 1 and before[""].total == 44

    # A release changes its date, source and text: its old document is deleted
    # from an old segment, the new one lands in a new segment.
    changed = folder / "2024-02-20-mofa-japan-grant-digital-education.md"
    text = changed.read_text(encoding="utf-8")
    text = text.replace("date: 2024-02-20", "date: 2019-05-01")
    text = text.replace("source: Ministry of Foreign Affairs of Japan", "source: Sendai Port Authority")
    rewrite(changed, text + "\nThe port authority will ship the uranium by rail.\n")
    report = library.import_paths([changed])
    assert report.counts["updated"] == 1
    searcher = library._fresh_searcher()
    assert any(sub.reader().has_deletions() for sub, _ in searcher.leaf_searchers())

    for query in [*QUERIES, "is:starred", "uranium is:starred"]:
        assert as_dict(library.facets(query)) == slow_facets(library, query), query
    blank = library.facets("")
    assert blank.total == 44
    assert dict(blank.years)["2019"] == 1
    assert dict(blank.years)["2024"] == before[""].years[2][1] - 1
    assert dict(blank.sources)["Sendai Port Authority"] == 1
    assert dict(blank.sources).get("Ministry of Foreign Affairs of Japan") == 3


def test_starred_articles_are_counted(segmented: tuple[Library, Path]) -> None:
    library, _ = segmented
    assert library.facets("is:starred").total == 0
    uranium = [hit.id for hit in library.search("uranium", limit=None).hits]
    for article_id in uranium[:3]:
        library.state.toggle_star(article_id)
    for query in ("is:starred", "is:starred theme:energy", "is:unstarred date:2024", "urani* is:starred"):
        assert as_dict(library.facets(query)) == slow_facets(library, query), query
    assert library.facets("is:starred").total == 3


# ------------------------------------------------------------------ the query's text
@pytest.mark.parametrize(
    ("before", "field", "value", "after"),
    [
        ("", "theme", "energy", "theme:energy"),
        ("oil", "theme", "energy", "oil theme:energy"),
        ("  oil ", "date", "2024", "oil date:2024"),
        ("oil", "source", "Kazakh MFA", 'oil source:"Kazakh MFA"'),
        ("oil", "source", "Reuters", "oil source:Reuters"),
        ("", "source", 'The "Best" Office', 'source:"The Best Office"'),
        ("", "source", "AND", 'source:"AND"'),
        ("", "source", "Ministry (Energy): press", 'source:"Ministry (Energy): press"'),
        ("oil OR gas", "theme", "energy", "(oil OR gas) theme:energy"),
        ("(oil OR gas) water", "theme", "energy", "(oil OR gas) water theme:energy"),
        ("oil theme:energy", "theme", "energy", "oil theme:energy"),
        ("oil Theme:Energy", "theme", "energy", "oil Theme:Energy"),
        ("themes:energy", "theme", "energy", "themes:energy"),
        ('source:"kazakh mfa"', "source", "Kazakh MFA", 'source:"kazakh mfa"'),
        ("date:2024-06", "date", "2024", "date:2024-06 date:2024"),
        ("theme:energy OR oil", "theme", "energy", "(theme:energy OR oil) theme:energy"),
        ("oil ANDNOT theme:energy", "theme", "energy", "(oil ANDNOT theme:energy) theme:energy"),
        ('"theme:energy"', "theme", "energy", '"theme:energy" theme:energy'),
    ],
)
def test_add_filter(before: str, field: str, value: str, after: str) -> None:
    assert add_filter(before, field, value) == after


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("theme:energy", ""),
        ("oil theme:energy", "oil"),
        ("oil AND theme:energy", "oil"),
        ("theme:energy AND oil", "oil"),
        ("theme:energy OR oil", "theme:energy OR oil"),  # not a filter: one branch of an OR
        ("(theme:energy OR oil) theme:energy", "(theme:energy OR oil)"),
        ("(oil OR gas) theme:energy", "(oil OR gas)"),
        ("(theme:energy) oil", "oil"),
        ("oil AND (theme:energy)", "oil"),
        ("oil (theme:energy OR theme:transport)", "oil (theme:energy OR theme:transport)"),
        ("oil (theme:energy (theme:transport))", "oil ((theme:transport))"),
        ("oil AND (gas AND (theme:energy))", "oil AND (gas)"),
        ("oil NOT (gas theme:energy)", "oil NOT (gas theme:energy)"),
        ("oil  theme:energy  date:2024", "oil date:2024"),
        ('"foreign  affairs" theme:energy', '"foreign  affairs"'),
        ("NOT theme:energy oil", "NOT theme:energy oil"),  # negated: not the filter chosen
        ("uranium", "uranium"),
    ],
)
def test_remove_filter(before: str, after: str) -> None:
    assert remove_filter(before, "theme", "energy") == after


def test_toggle_and_has_filter() -> None:
    text = toggle_filter("oil", "source", "Kazakh MFA")
    assert text == 'oil source:"Kazakh MFA"'
    assert has_filter(text, "source", "kazakh mfa")
    assert not has_filter(text, "source", "Kazakh")
    assert not has_filter("NOT date:2024", "date", "2024")
    assert not has_filter('"date:2024"', "date", "2024")
    assert toggle_filter(text, "source", "Kazakh MFA") == "oil"
    assert filter_text("date", "2024-06") == "date:2024-06"


def test_every_text_add_filter_makes_parses(sample_library: SampleLibrary) -> None:
    library = sample_library.library
    for value in ("[bold red]x[/", 'a "b', "x:y", "(", "NOT", "Ölçüm Ajansı", "tab\there"):
        text = add_filter("uranium OR oil", "source", value)
        assert library.search(text).error is None, text
        assert has_filter(text, "source", value)
        assert remove_filter(text, "source", value) == "(uranium OR oil)"


# ------------------------------------------------------------------ widgets
THEMES = {
    "energy": Theme("energy", "Energy", "#e67e22"),
    "transport": Theme("transport", "Transport", "#8e44ad"),
    "diplomacy": Theme("diplomacy", "Diplomacy", "not a colour"),
}
HOSTILE_SOURCE = "[bold red]x[/ \x1b]0;pwned\x07"
FACETS = Facets(
    query="oil theme:energy",
    total=30,
    themes=(("energy", 30), ("transport", 12), ("unknown", 2)),
    sources=(("Kazakh MFA", 20), (HOSTILE_SOURCE, 10)),
    years=(("2023", 10), ("2024", 18)),
    months=(("2023-11", 10), ("2024-02", 18)),
    undated=2,
)


class PanelApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.chosen: list[FacetChosen] = []

    def compose(self) -> ComposeResult:
        yield FacetPanel(THEMES)

    def on_facet_chosen(self, message: FacetChosen) -> None:
        self.chosen.append(message)


def screen_text(app: App[None]) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_the_panel_shows_counts_and_posts_the_chosen_facet() -> None:
    app = PanelApp()
    async with app.run_test(size=(50, 40)) as pilot:
        panel = app.query_one(FacetPanel)
        panel.show_loading()
        await pilot.pause()
        assert "Counting" in screen_text(app)
        panel.show(FACETS)
        await pilot.pause()
        assert not panel.has_class("-loading")
        shown = screen_text(app)
        for words in ("30 articles", "Themes", "Sources", "Years", "Kazakh MFA", "2024", "no date"):
            assert words in shown, words
        assert "[bold red]x[/" in shown  # shown as it is, not as markup
        options = app.query_one(FacetList)
        rows = [options.get_option_at_index(i) for i in range(options.option_count)]
        labelled = {
            panel.choices[i]: (row.prompt.label.plain, row.prompt.count)
            for i, row in enumerate(rows)
            if isinstance(row.prompt, FacetRow) and panel.choices[i] is not None
        }
        assert labelled[("theme", "energy")] == ("✓ ▌Energy", "30")  # the query holds it
        assert labelled[("theme", "transport")] == ("▌Transport", "12")
        assert labelled[("source", "Kazakh MFA")] == ("Kazakh MFA", "20")
        assert labelled[("date", "2024")] == ("2024", "18")
        # Headings are rows the cursor skips.
        assert [row.disabled for row in rows].count(True) == 4  # three headings, "no date"

        options.focus()
        await pilot.pause()
        assert panel.choices[options.highlighted or 0] == ("theme", "energy")
        await pilot.press("enter")
        await pilot.pause()
        assert [(m.field, m.value) for m in app.chosen] == [("theme", "energy")]
        for _ in range(3):
            await pilot.press("down")  # past the Sources heading
        await pilot.press("enter")
        await pilot.pause()
        assert (app.chosen[-1].field, app.chosen[-1].value) == ("source", "Kazakh MFA")
        await pilot.press("end", "enter")
        await pilot.pause()
        assert (app.chosen[-1].field, app.chosen[-1].value) == ("date", "2023")

        # The open article's theme mix at the foot, when there is one.
        assert "paragraphs by theme" not in screen_text(app)
        panel.show_article(_article("energy", "transport", "transport", "transport"))
        await pilot.pause()
        assert "Transport 75%" in screen_text(app) and "Energy 25%" in screen_text(app)
        panel.show_article(None)
        await pilot.pause()
        assert "Transport 75%" not in screen_text(app)

        # New counts keep the cursor on the same facet when it is still there.
        await pilot.press("up")
        before = panel.choices[options.highlighted or 0]
        panel.show(Facets(query="x", total=5, years=(("2023", 1), ("2024", 4))))
        await pilot.pause()
        assert panel.choices[options.highlighted or 0] == before == ("date", "2024")


async def test_a_click_chooses_a_row_and_many_sources_are_cut() -> None:
    app = PanelApp()
    many = tuple((f"Source {n:03d}", 100 - n) for n in range(MOST_SOURCES + 15))
    async with app.run_test(size=(50, 30)) as pilot:
        panel = app.query_one(FacetPanel)
        panel.show(Facets(total=10_000, sources=many))
        await pilot.pause()
        assert sum(1 for c in panel.choices if c and c[0] == "source") == MOST_SOURCES
        assert "15 more sources" in str([o.prompt.label for o in app.query_one(FacetList).options[-1:]])
        options = app.query_one(FacetList)
        await pilot.click(FacetList, offset=(3, 2 - options.scroll_offset.y))
        await pilot.pause()
        assert [(m.field, m.value) for m in app.chosen] == [("source", "Source 001")]


async def test_an_error_is_shown_as_text() -> None:
    app = PanelApp()
    async with app.run_test(size=(50, 20)) as pilot:
        app.query_one(FacetPanel).show(Facets(query="(", error="a ) [/b] without its ("))
        await pilot.pause()
        assert "Cannot count: a ) [/b] without its (" in " ".join(screen_text(app).split())


def _facets_over(months: dict[str, int], undated: int = 0) -> Facets:
    years: Counter[str] = Counter()
    for month, n in months.items():
        years[month[:4]] += n
    return Facets(
        total=sum(months.values()) + undated,
        months=tuple(sorted(months.items())),
        years=tuple(sorted(years.items())),
        undated=undated,
    )


SPANS = {
    "one month": _facets_over({"2024-03": 7}),
    "two years": _facets_over({"2023-01": 1, "2023-07": 9, "2024-12": 4}),
    "ten years": _facets_over({f"{y}-06": y - 2010 for y in range(2015, 2025)}),
    "a century": _facets_over({"1901-01": 1, "1955-05": 3, "2024-02": 40}),
}


@pytest.mark.parametrize("name", SPANS)
def test_the_timeline_fits_its_width(name: str) -> None:
    facets = SPANS[name]
    for width in range(1, 90):
        drawn = timeline(facets, width, height=3)
        lines = drawn.split()
        assert all(line.cell_len <= width for line in lines), (name, width)
        assert len(lines) == 5
        _, bars = periods(facets, width)
        assert len(bars) <= width
        assert sum(n for _, n in bars) == facets.total - facets.undated
        peak = max(n for _, n in bars)
        if width >= 30:
            assert f"peak {peak:,}" in lines[0].plain
            assert "█" in lines[1].plain  # the peak's bar reaches the top row
            assert lines[-1].plain.startswith(bars[0][0])
            if len(bars) > 1:
                assert lines[-1].plain.rstrip().endswith(bars[-1][0])


def test_the_timeline_chooses_months_or_years() -> None:
    unit, bars = periods(SPANS["two years"], 40)
    assert unit == "month" and len(bars) == 24  # January 2023 to December 2024, gaps as 0
    assert dict(bars)["2023-02"] == 0 and dict(bars)["2023-07"] == 9
    unit, bars = periods(SPANS["two years"], 20)
    assert unit == "year" and bars == [("2023", 10), ("2024", 4)]
    unit, bars = periods(SPANS["ten years"], 200)
    assert unit == "year" and len(bars) == 10
    unit, bars = periods(SPANS["a century"], 30)
    assert unit == "5 years" and len(bars) == 25 and bars[0] == ("1901", 1) and bars[-1] == ("2021", 40)
    assert "by 5 years · peak 40 (2021)" in timeline(SPANS["a century"], 30).plain
    assert timeline(Facets(total=3, undated=3), 30).plain == "No dated articles"


def _article(*primaries: str | None) -> Article:
    paragraphs = tuple(
        Paragraph(f"paragraph {n}", (ThemeHit(theme, 1.0),) if theme else ())
        for n, theme in enumerate(primaries)
    )
    return Article("a1", "Title", "2024-01-01", "Source", paragraphs)


@pytest.mark.parametrize(
    "primaries",
    [
        ("energy",),
        ("energy", "transport", "diplomacy"),
        ("energy", None, "energy", "transport", None, "energy", "unknown"),
        (None,),
        ("energy",) * 5 + ("transport",) * 3 + ("diplomacy",) * 3,
    ],
)
def test_theme_mix_percentages_add_up(primaries: tuple[str | None, ...]) -> None:
    article = _article(*primaries)
    shares = mix_shares(article)
    assert sum(percent for _, _, percent in shares) == 100
    assert sum(n for _, n, _ in shares) == len(primaries)
    assert [n for _, n, _ in shares] == sorted((n for _, n, _ in shares), reverse=True)
    for width in (1, 7, 30, 80):
        bar, *legend = theme_mix(article, THEMES, width).split()
        assert bar.cell_len == width
        assert all(line.cell_len <= width for line in legend)
        for theme_id, _, percent in shares:
            name = THEMES[theme_id].label if theme_id in THEMES else theme_id or "no theme"
            if width >= 30:  # each entry whole on one line
                assert any(f"{name} {percent}%" in line.plain for line in legend), (name, width)


def test_theme_mix_of_sample_articles(sample_library: SampleLibrary) -> None:
    for article in sample_library.articles.values():
        stored = sample_library.library.get(article.id)
        assert stored is not None
        shares = mix_shares(stored)
        assert sum(percent for _, _, percent in shares) == 100
        counted = Counter(p.primary for p in stored.paragraphs)
        assert {theme: n for theme, n, _ in shares} == dict(counted)
    assert theme_mix(Article("x", "t", "", "", ()), THEMES, 20).plain == "No paragraphs"


async def test_the_theme_mix_and_timeline_widgets_draw() -> None:
    article = _article("energy", "energy", "transport", None)

    class MixApp(App[None]):
        def compose(self) -> ComposeResult:
            yield ThemeMix(THEMES, article)
            yield Timeline()

    app = MixApp()
    async with app.run_test(size=(40, 12)) as pilot:
        app.query_one(Timeline).show(SPANS["two years"])
        await pilot.pause()
        shown = screen_text(app)
        assert "Energy 50%" in shown and "Transport 25%" in shown and "no theme 25%" in shown
        assert "peak 9" in shown and "2023-01" in shown
        app.query_one(ThemeMix).show(None)
        await pilot.pause()
        assert "Energy 50%" not in screen_text(app)
    assert isinstance(timeline(SPANS["one month"], 20), Text)
