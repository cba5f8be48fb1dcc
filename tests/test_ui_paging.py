"""The reader over lists longer than a page: the list knows its total at once,
rows arrive page by page as it scrolls, and typing fast ends with the results
of the final text.

Pages are made small (``PAGE`` rows) so that a library of a few dozen releases
spans several of them; the code paths are those of 200-row pages at 100k.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from pressreader.library import Library
from pressreader.model import Hit
from pressreader.ui.app import PressReaderApp, make_app
from pressreader.ui.widgets import result_list
from pressreader.ui.widgets.article_view import ArticleView
from pressreader.ui.widgets.result_list import ResultList
from test_ui import WAIT, reader, rendered, results

PAGE = 10
N = 45
NARROW = (80, 24)
WIDE = (120, 35)


def write_releases(folder: Path, count: int, start: int = 0) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(start, start + count):
        day = date(2020, 1, 1) + timedelta(days=n)
        topic = "grain exports" if n % 2 else "port works"
        (folder / f"release-{n:03d}.md").write_text(
            f"---\ntitle: Release {n:03d} on {topic}\ndate: {day.isoformat()}\n"
            f"source: Ministry {n % 7}\n---\n\n"
            f"The ministry reported progress on {topic} in week {n}.\n\n"
            f"Officials said the {topic} programme would continue.\n",
            encoding="utf-8",
        )


def build(root: Path, count: int) -> Library:
    write_releases(root / "releases", count)
    library = Library.open(root / "lib")
    report = library.import_paths([root / "releases"])
    assert report.count("added") == count, report.rejected
    return library


@pytest.fixture(scope="module")
def long_library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    root = tmp_path_factory.mktemp("paging")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PRESSREADER_CONFIG", str(root / "config"))
        library = build(root, N)
    yield library
    library.close()


@pytest.fixture(autouse=True)
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(result_list, "PAGE_SIZE", PAGE)
    monkeypatch.setattr(result_list, "PREFETCH", 3)


# -- helpers -----------------------------------------------------------------


async def until(pilot: Pilot[None], condition: Callable[[], object], timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {condition}")
        await pilot.pause(0.02)
    await pilot.pause()


def status_text(app: PressReaderApp) -> str:
    return app.screen.query_one("#count", Static).content.plain  # type: ignore[union-attr]


def everything(library: Library, query: str = "") -> list[Hit]:
    """The whole result as one search returns it: what the list must hold, row by row."""
    return list(library.search(query, limit=None, snippets=False).hits)


def loaded_rows_match(items: ResultList, expected: list[Hit]) -> None:
    for index in range(items.row_count):
        hit = items.hit_at(index)
        if hit is not None:
            assert hit.id == expected[index].id, index


# -- tests -------------------------------------------------------------------


async def test_a_long_list_counts_every_row_and_fetches_pages_as_it_scrolls(long_library: Library) -> None:
    expected = everything(long_library)
    assert len(expected) == N
    app = make_app(long_library)
    async with app.run_test(size=NARROW) as pilot:
        items = results(app)
        await until(pilot, lambda: items.hit_at(0) is not None)
        await app.workers.wait_for_complete()
        await pilot.pause()
        # The total is known from the first answer; only the rows near the screen are fetched.
        assert items.row_count == N
        assert f"{N} articles" in status_text(app)
        assert PAGE <= len(items.hits) < N
        assert items.hit_at(N - 1) is None
        assert items.row_text(N - 1).split() == ["…"]  # a row not loaded yet: a dim mark
        loaded_rows_match(items, expected)

        await pilot.press("end")
        await until(pilot, lambda: items.hit_at(N - 1) is not None)
        assert items.cursor == N - 1
        assert expected[-1].title in rendered(items)
        loaded_rows_match(items, expected)
        middle = (N // 2 // PAGE) * PAGE  # a page neither near the top nor near the end
        assert items.hit_at(middle) is None

        # Paging back up fills in the rows in between, each where the full search has it.
        for _ in range(4):
            await pilot.press("pageup")
            await until(pilot, lambda: items.hit_at(items.cursor) is not None)
        assert items.cursor < middle + PAGE
        first_shown = int(items.scroll_offset.y) // items.row_height
        assert all(items.hit_at(i) is not None for i in range(first_shown, first_shown + 5))
        assert expected[items.cursor].title in rendered(items)
        loaded_rows_match(items, expected)


async def test_a_query_lists_all_its_matches_with_the_right_total(long_library: Library) -> None:
    expected = everything(long_library, "grain")
    assert len(expected) > 2 * PAGE
    app = make_app(long_library)
    async with app.run_test(size=WIDE) as pilot:
        await until(pilot, lambda: reader(app).result is not None)
        await pilot.press("slash", *"grain")
        await until(pilot, lambda: reader(app).result.query == "grain")  # type: ignore[union-attr]
        items = results(app)
        assert items.row_count == len(expected)
        assert f"{len(expected)} matches for 'grain'" in status_text(app)
        items.focus()
        await pilot.press("end")
        await until(pilot, lambda: items.hit_at(len(expected) - 1) is not None)
        assert expected[-1].title in rendered(items)
        # Previewed beside the list once its row arrived.
        view = app.screen.query_one(ArticleView)
        await until(pilot, lambda: view.article is not None and view.article.id == expected[-1].id)
        loaded_rows_match(items, expected)


async def test_enter_on_a_row_still_loading_opens_it_when_it_arrives(
    long_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = everything(long_library)
    gate = threading.Event()
    search = long_library.search

    def held(text: str, **options: object) -> object:
        if int(options.get("offset", 0)) >= 3 * PAGE:  # type: ignore[call-overload]
            gate.wait(5)  # the last pages are slow to come
        return search(text, **options)  # type: ignore[arg-type]

    app = make_app(long_library)
    async with app.run_test(size=NARROW) as pilot:
        items = results(app)
        await until(pilot, lambda: items.hit_at(0) is not None)
        await app.workers.wait_for_complete()
        monkeypatch.setattr(long_library, "search", held)
        await pilot.press("end", "enter")
        await pilot.pause(0.1)
        view = app.screen.query_one(ArticleView)
        assert items.cursor == N - 1 and items.hit_at(N - 1) is None
        assert view.article is None and app.focused is items  # nothing to open yet
        gate.set()
        await until(pilot, lambda: view.article is not None and view.article.id == expected[-1].id)
        assert app.focused is view
        assert expected[-1].title in rendered(view)


async def test_typing_fast_on_a_slow_index_ends_with_the_final_text(
    long_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    search = long_library.search
    lock = threading.Lock()
    running: list[str] = []
    overlapped: list[tuple[str, ...]] = []
    asked: list[str] = []

    def slow(text: str, **options: object) -> object:
        with lock:
            running.append(text)
            if len(running) > 1:
                overlapped.append(tuple(running))
            asked.append(text)
        try:
            time.sleep(0.3)  # keys come in faster than searches end
            return search(text, **options)  # type: ignore[arg-type]
        finally:
            with lock:
                running.remove(text)

    app = make_app(long_library)
    async with app.run_test(size=WIDE) as pilot:
        await until(pilot, lambda: reader(app).result is not None)
        await app.workers.wait_for_complete()
        monkeypatch.setattr(long_library, "search", slow)
        await pilot.press("slash", *"grain")
        assert app.screen.query_one("#search", Input).value == "grain"  # no key lost
        await until(pilot, lambda: reader(app).result.query == "grain")  # type: ignore[union-attr]
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert overlapped == []  # one search at a time
        searches = [text for text in asked if text]
        assert searches[-1] == "grain"
        assert len(searches) < len("grain")  # letters typed meanwhile were searched once, together
        assert reader(app).result.query == "grain"  # type: ignore[union-attr]
        assert results(app).row_count == len(everything(long_library, "grain"))


async def test_a_library_that_grows_under_the_list_is_listed_afresh(tmp_path: Path) -> None:
    library = build(tmp_path, 3 * PAGE)
    try:
        app = make_app(library)
        async with app.run_test(size=NARROW) as pilot:
            items = results(app)
            await until(pilot, lambda: items.hit_at(0) is not None)
            await app.workers.wait_for_complete()
            assert items.row_count == 3 * PAGE and items.hit_at(3 * PAGE - 1) is None
            # Another process (or the reader's own import) adds releases.
            write_releases(tmp_path / "releases", 5, start=3 * PAGE)
            library.import_paths([tmp_path / "releases"])
            await pilot.press("end")  # the last page is fetched: it counts more rows now
            await until(pilot, lambda: items.row_count == 3 * PAGE + 5)
            assert f"{3 * PAGE + 5} articles" in status_text(app)
    finally:
        library.close()
