"""The facet panel in the reader (issue 6): ``f`` shows the counts of the current
query; choosing one adds its filter to the query box, choosing it again takes
it away; the open article's theme mix is at the panel's foot."""

from __future__ import annotations

import pytest

from conftest import SAMPLE_DATA
from pressreader.library import Library
from pressreader.ui.app import make_app
from pressreader.ui.widgets.facets import FacetList, FacetPanel, ThemeMix
from test_ui import WIDE, open_hit, reader, results, search, started, until


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    library = Library.open(tmp_path_factory.mktemp("facets") / "lib")
    library.import_paths([SAMPLE_DATA])
    yield library
    library.close()


def _query(app) -> str:  # type: ignore[no-untyped-def]
    return app.screen.query_one("#search").value


async def test_f_shows_the_counts_and_a_choice_filters_the_query(library: Library) -> None:
    async with make_app(library).run_test(size=WIDE) as pilot:
        app = pilot.app
        await started(pilot)
        panel = app.screen.query_one(FacetPanel)
        assert not panel.display
        await search(pilot, "uranium")
        results(app).focus()
        await pilot.press("f")
        await until(pilot, lambda: panel.facets is not None and panel.facets.query == "uranium")
        assert panel.display and panel.facets is not None
        assert panel.facets.total == 9
        energy = dict(panel.facets.themes)["energy"]
        # Choose the Energy row with the keyboard.
        options = panel.query_one(FacetList)
        options.focus()
        options.highlighted = panel.choices.index(("theme", "energy"))
        await pilot.press("enter")
        await until(
            pilot, lambda: reader(app).result is not None and "theme:energy" in reader(app).result.query
        )
        assert _query(app) == "uranium theme:energy"
        await until(pilot, lambda: panel.facets is not None and panel.facets.query == "uranium theme:energy")
        assert len(results(app).hits) == energy == panel.facets.total
        # Chosen again, the filter goes.
        options.highlighted = panel.choices.index(("theme", "energy"))
        await pilot.press("enter")
        await until(pilot, lambda: reader(app).result is not None and reader(app).result.query == "uranium")
        assert len(results(app).hits) == 9
        # f again hides the panel; the focus does not stay in it.
        await pilot.press("f")
        assert not panel.display and app.focused is not options


async def test_the_open_article_s_theme_mix_is_at_the_panel_s_foot(library: Library) -> None:
    async with make_app(library).run_test(size=WIDE) as pilot:
        app = pilot.app
        await started(pilot)
        results(app).focus()
        await pilot.press("f")
        await search(pilot, "uranium")
        await open_hit(pilot, "Saryarka Uranium Company")
        mix = app.screen.query_one(ThemeMix)
        await until(pilot, lambda: mix.article is not None and mix.display)
        assert "%" in mix.render().plain
