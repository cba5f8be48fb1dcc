"""What keeps the reader's frames short: a footer that is not rebuilt on every focus
change, and garbage collections that walk few objects."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets._footer import FooterKey

from pressreader.library import Library
from pressreader.ui.app import PressReaderApp, make_app
from pressreader.ui.screens.reader import ReaderScreen
from pressreader.ui.widgets.article_view import ArticleView
from pressreader.ui.widgets.result_list import ResultList
from test_ui import until

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    root = tmp_path_factory.mktemp("responsive")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PRESSREADER_CONFIG", str(root / "config"))
        lib = Library.open(root / "lib")
        lib.import_paths(sorted(SAMPLE.glob("*.md"))[:6])
    yield lib
    lib.close()


async def started(pilot: Pilot[None]) -> PressReaderApp:
    app = pilot.app
    assert isinstance(app, PressReaderApp)
    await until(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen.result is not None)
    return app


def footer_keys(app: PressReaderApp) -> list[FooterKey]:
    return list(app.screen.query(FooterKey))


async def test_the_footer_keeps_its_keys_between_list_and_article(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 35)) as pilot:
        await started(pilot)
        assert app.focused is app.screen.query_one(ResultList)
        before = footer_keys(app)
        assert "Open" in [key.description for key in before]
        await pilot.press("enter")
        view = app.screen.query_one(ArticleView)
        await until(pilot, lambda: view.article is not None)
        assert app.focused is view
        # The same key widgets, not rebuilt: Enter still opens (the screen's key).
        assert footer_keys(app) == before
        await pilot.press("escape")
        await pilot.pause()
        assert footer_keys(app) == before
        # Typing in the search box shows other keys: the footer follows.
        await pilot.press("slash")
        await pilot.pause()
        assert "Open" not in [key.description for key in footer_keys(app)]


async def test_what_lives_once_the_list_shows_is_left_out_of_collections(library: Library) -> None:
    gc.unfreeze()  # whatever an earlier test froze
    assert gc.get_freeze_count() == 0
    app = make_app(library)
    async with app.run_test(size=(120, 35)) as pilot:
        await started(pilot)
        await pilot.pause()
        frozen = gc.get_freeze_count()
        # The app, its widgets and the library: lasting objects, never walked again
        # (frozen objects are not among those the collector's generations hold).
        assert frozen > 10_000
        assert all(obj is not app for obj in gc.get_objects())
        # Rows of the list are plain tuples, which the collector does not track.
        items = app.screen.query_one(ResultList)
        assert items.row_count > 0
        assert not any(gc.is_tracked(row) for row in items._hits if row is not None)
    assert gc.get_freeze_count() == 0  # handed back on closing: the app's objects can go
