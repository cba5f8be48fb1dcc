"""What keeps the reader's frames short: a footer that is not rebuilt on every focus
change, and full garbage collections that wait for the user's pauses."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets._footer import FooterKey

from pressreader.library import Library
from pressreader.ui import heap
from pressreader.ui.app import PressReaderApp, make_app
from pressreader.ui.screens.reader import ReaderScreen
from pressreader.ui.widgets.article_view import ArticleView
from pressreader.ui.widgets.result_list import ResultList

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
    deadline = time.monotonic() + 5
    while not (isinstance(app.screen, ReaderScreen) and app.screen.result is not None):
        assert time.monotonic() < deadline, "the first list never came"
        await pilot.pause(0.02)
    await app.workers.wait_for_complete()
    await pilot.pause()
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
        deadline = time.monotonic() + 5
        while view.article is None:
            assert time.monotonic() < deadline
            await pilot.pause(0.02)
        await pilot.pause()
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


async def test_full_collections_wait_for_a_pause(library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    before = gc.get_threshold()
    app = make_app(library)
    async with app.run_test(size=(120, 35)) as pilot:
        await started(pilot)
        assert gc.get_threshold()[2] == heap.NEVER  # Python runs none on its own
        collections: list[object] = []
        monkeypatch.setattr(gc, "collect", lambda *args: collections.append(args) or 0)
        collector = app.collector
        await pilot.press("j")  # input: not a pause
        assert collector.idle_seconds < heap.IDLE
        collector.tick()
        assert collections == []
        monkeypatch.setattr(collector, "_last_input", time.monotonic() - heap.IDLE)
        collector.tick()
        assert len(collections) == 1  # the pause: one full collection
        collector.tick()
        assert len(collections) == 1  # and only one, however long it lasts
        await pilot.press("k")
        monkeypatch.setattr(collector, "_last_input", time.monotonic() - heap.IDLE)
        collector.tick()
        assert len(collections) == 2  # the next pause
    assert gc.get_threshold() == before  # handed back when the reader ends
