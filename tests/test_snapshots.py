"""Snapshot tests of the main screens at 80x24 and 160x48 (pytest-textual-snapshot).

Each compares the screen with an SVG kept in ``tests/__snapshots__``; when a
change is meant, ``pytest tests/test_snapshots.py --snapshot-update`` writes
them again (look at them before committing).  The library is the bundled
sample set; the one thing on screen that changes from run to run, how long
a search took, is left out.
"""

from __future__ import annotations

import shutil
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from conftest import SAMPLE_DATA
from pressreader.library import Library, backups
from pressreader.ui.app import make_app
from pressreader.ui.widgets import notice
from test_ui import open_hit, results, search, started, until

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 48), id="160x48")]
URANIUM = "Saryarka Uranium Company"

Compare = Callable[..., bool]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    library = Library.open(tmp_path_factory.mktemp("snapshots") / "lib")
    library.import_paths([SAMPLE_DATA])
    yield library
    library.close()


@pytest.fixture(autouse=True)
def steady(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No search times on screen; the state store (read marks, history) starts empty each time."""
    count_line = notice.count_line
    monkeypatch.setattr(notice, "count_line", lambda result, count, seconds=None: count_line(result, count))
    monkeypatch.setenv("PRESSREADER_CONFIG", str(tmp_path / "config"))


@pytest.fixture
def fresh(library: Library, tmp_path: Path) -> Iterator[Library]:
    """The module's library with a state store of its own (so one test's marks stay its own)."""
    state = library.path / "state.sqlite3"
    for suffix in ("", "-wal", "-shm", ".commits"):
        Path(f"{state}{suffix}").unlink(missing_ok=True)
    # And its backups and commit record: a deleted state is restored from a backup, or said lost.
    shutil.rmtree(backups.folder_for(state), ignore_errors=True)
    library._state = None
    yield library
    if library._state is not None:
        library._state.close()
        library._state = None


def _then(*steps: Callable[[Pilot[None]], Awaitable[None]]) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def run(pilot: Pilot[None]) -> None:
        pilot.app.animation_level = "none"
        await started(pilot)
        for step in steps:
            await step(pilot)
        await pilot.app.workers.wait_for_complete()
        # A blinking cursor is on or off depending on when the picture is taken.
        for box in pilot.app.screen.query("Input, TextArea"):
            box.cursor_blink = False  # type: ignore[attr-defined]
        await pilot.pause()

    return run


async def _uranium_open(pilot: Pilot[None]) -> None:
    await search(pilot, "uranium")
    await open_hit(pilot, URANIUM)


@pytest.mark.parametrize("size", SIZES)
def test_the_list_at_start(snap_compare: Compare, fresh: Library, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(fresh), terminal_size=size, run_before=_then())


@pytest.mark.parametrize("size", SIZES)
def test_a_search_with_its_article_open(snap_compare: Compare, fresh: Library, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(fresh), terminal_size=size, run_before=_then(_uranium_open))


@pytest.mark.parametrize("size", SIZES)
def test_the_facet_panel(snap_compare: Compare, fresh: Library, size: tuple[int, int]) -> None:
    async def facets(pilot: Pilot[None]) -> None:
        await search(pilot, "theme:energy")
        results(pilot.app).focus()  # type: ignore[arg-type]
        await pilot.press("f")
        panel = pilot.app.screen.query_one("#facets")
        await until(pilot, lambda: getattr(panel, "facets", None) is not None)

    assert snap_compare(make_app(fresh), terminal_size=size, run_before=_then(facets))


@pytest.mark.parametrize("size", SIZES)
def test_the_help_screen(snap_compare: Compare, fresh: Library, size: tuple[int, int]) -> None:
    async def help_screen(pilot: Pilot[None]) -> None:
        results(pilot.app).focus()  # type: ignore[arg-type]
        await pilot.press("question_mark")

    assert snap_compare(make_app(fresh), terminal_size=size, run_before=_then(help_screen))


@pytest.mark.parametrize("size", SIZES)
def test_a_starred_article_and_its_note(snap_compare: Compare, fresh: Library, size: tuple[int, int]) -> None:
    async def note(pilot: Pilot[None]) -> None:
        await _uranium_open(pilot)
        await pilot.press("asterisk", "e")
        await pilot.press(*"Ask the Aktau desk about the route")

    assert snap_compare(make_app(fresh), terminal_size=size, run_before=_then(note))


@pytest.mark.parametrize("size", SIZES)
def test_no_results_suggests_a_word(snap_compare: Compare, fresh: Library, size: tuple[int, int]) -> None:
    async def misspelled(pilot: Pilot[None]) -> None:
        await search(pilot, "uranum")
        await until(pilot, lambda: "uranium" in str(pilot.app.screen.query_one("#notice").render()))

    assert snap_compare(make_app(fresh), terminal_size=size, run_before=_then(misspelled))


@pytest.mark.parametrize("size", SIZES)
def test_the_settings_screen(snap_compare: Compare, fresh: Library, size: tuple[int, int]) -> None:
    async def settings(pilot: Pilot[None]) -> None:
        results(pilot.app).focus()  # type: ignore[arg-type]
        await pilot.press("comma")

    assert snap_compare(make_app(fresh), terminal_size=size, run_before=_then(settings))


@pytest.mark.parametrize("size", SIZES)
def test_the_saved_searches(snap_compare: Compare, fresh: Library, size: tuple[int, int]) -> None:
    fresh.state.save_search("Uranium watch", "uranium")
    fresh.state.save_search("Caspian energy", "theme:energy caspian")

    async def saved(pilot: Pilot[None]) -> None:
        results(pilot.app).focus()  # type: ignore[arg-type]
        await pilot.press("B")
        await until(pilot, lambda: len(getattr(pilot.app.screen, "figures", {})) == 2)

    assert snap_compare(make_app(fresh), terminal_size=size, run_before=_then(saved))


@pytest.mark.parametrize("size", SIZES)
def test_the_export_prompt(
    snap_compare: Compare, fresh: Library, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("pressreader.ui.screens.marking.export_folder", lambda: Path("/home/analyst/exports"))

    async def export(pilot: Pilot[None]) -> None:
        await _uranium_open(pilot)
        await pilot.press("x")

    app = make_app(fresh)
    assert snap_compare(app, terminal_size=size, run_before=_then(export))
